#define BOOST_TEST_MODULE daftra client policies
#include <boost/test/unit_test.hpp>
