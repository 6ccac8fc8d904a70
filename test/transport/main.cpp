#define BOOST_TEST_MODULE daftra transport
#include <boost/test/unit_test.hpp>
