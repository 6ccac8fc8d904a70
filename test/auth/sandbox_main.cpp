#define BOOST_TEST_MODULE daftra auth against the sandbox
#include <boost/test/unit_test.hpp>
