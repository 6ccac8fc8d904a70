#define BOOST_TEST_MODULE daftra redis
#include <boost/test/unit_test.hpp>
