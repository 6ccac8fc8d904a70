#define BOOST_TEST_MODULE daftra auth
#include <boost/test/unit_test.hpp>
