// The streaming decoder's fast number readers (model/plain_number.hpp) against the general lenient
// readers they stand in for: whatever text a fast reader takes, it must give the very value (bit for
// bit) that lenient::parse_int / parse_double give, or the stream and the tree would disagree.

#include "daftra/model/lenient.hpp"
#include "daftra/model/plain_number.hpp"

#include <boost/test/unit_test.hpp>

#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace plain_number_test {

using namespace daftra::model;

namespace {

// Checks one text both ways; returns whether a fast reader took it.
bool agrees(const std::string& text) {
    bool taken = false;
    std::int64_t i = 0, li = 0;
    if (plain::read_int(text, i)) {
        taken = true;
        BOOST_TEST_CONTEXT("int " << text) {
            BOOST_TEST(lenient::parse_int(text, li));
            BOOST_TEST(i == li);
        }
    }
    double d = 0, ld = 0;
    if (plain::read_decimal(text, d)) {
        taken = true;
        BOOST_TEST_CONTEXT("decimal " << text) {
            BOOST_TEST(lenient::parse_double(text, ld));
            BOOST_TEST(std::bit_cast<std::uint64_t>(d) == std::bit_cast<std::uint64_t>(ld));
        }
    }
    return taken;
}

} // namespace

BOOST_AUTO_TEST_SUITE(plain_numbers)

BOOST_AUTO_TEST_CASE(common_spellings_are_taken) {
    for (const char* text : {"0", "7", "-3", "1000", "007", "-0", "12.50", "0.1", "-0.0", "999999999999999",
                             "123456789012345678", "-123456789012345678", "0.30000000000001", "90071992547.4099"})
        BOOST_TEST(agrees(text), text);
}

BOOST_AUTO_TEST_CASE(the_rest_is_left_to_the_lenient_readers) {
    for (const char* text : {"", " 7", "7 ", "+7", "-", ".5", "7.", "1e3", "1E3", "0x10", "abc", "1.2.3", "--1",
                             "1-", "inf", "nan", "1234567890123456789", "9223372036854775808", "1234567890123456.7",
                             "\t1", "1\n", "\xd9\xa1"}) {
        std::int64_t i = 0;
        double d = 0;
        BOOST_TEST(!plain::read_int(text, i), text);
        BOOST_TEST(!plain::read_decimal(text, d), text);
    }
}

BOOST_AUTO_TEST_CASE(random_decimal_texts_agree) {
    std::mt19937_64 random(20261205);
    const std::string alphabet = "0123456789012345678901234567890123456789.-";
    std::size_t taken = 0;
    for (int n = 0; n < 200000; ++n) {
        std::string text(1 + random() % 20, '0');
        for (char& c : text) c = alphabet[random() % alphabet.size()];
        taken += agrees(text);
    }
    BOOST_TEST(taken > 10000u);  // the generator does reach the fast paths
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace plain_number_test
