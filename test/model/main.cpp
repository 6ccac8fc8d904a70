#define BOOST_TEST_MODULE daftra model
#include <boost/test/unit_test.hpp>
