#define BOOST_TEST_MODULE daftra client
#include <boost/test/unit_test.hpp>
