#pragma once
// The common spellings of numbers in Daftra's answers ("1000", "-3", "12.50"), read without the
// general lenient readers (lenient.cpp) on the streaming decoder's hot path. Each function takes only
// text whose value it can give exactly as lenient::parse_int / parse_double would, and returns false
// for anything else (spaces, '+', exponents, "", too many digits), which then goes to those readers.

#include <cstdint>
#include <string_view>

namespace daftra::model::plain {

/// "-"? digit{1,18}: fits in int64 without overflow, the value from_chars would give.
inline bool read_int(std::string_view text, std::int64_t& out) noexcept {
    const char* p = text.data();
    const char* end = p + text.size();
    const bool negative = p != end && *p == '-';
    p += negative;
    if (p == end || end - p > 18) return false;
    std::int64_t value = 0;
    for (; p != end; ++p) {
        const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
        if (digit > 9) return false;
        value = value * 10 + digit;
    }
    out = negative ? -value : value;
    return true;
}

/// "-"? digit+ ("." digit+)? with at most 15 digits in all: the digits m make an integer below 2^53
/// and the fraction's k digits a power of ten below 10^22, both exact as doubles, so m / 10^k is the
/// correctly rounded value, which is what from_chars returns (the fast path of correctly rounded
/// decimal parsers).
inline bool read_decimal(std::string_view text, double& out) noexcept {
    static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* p = text.data();
    const char* end = p + text.size();
    const bool negative = p != end && *p == '-';
    p += negative;
    std::uint64_t mantissa = 0;
    int digits = 0, fraction = -1;  // fraction: digits after the point, -1 before it
    for (; p != end; ++p) {
        const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
        if (digit <= 9) {
            mantissa = mantissa * 10 + digit;
            ++digits;
            fraction += fraction >= 0;
        } else if (*p == '.' && fraction < 0 && digits > 0) {
            fraction = 0;
        } else {
            return false;
        }
    }
    if (digits == 0 || digits > 15 || fraction == 0) return false;  // fraction 0: "7." is left to from_chars
    double value = static_cast<double>(mantissa);
    if (fraction > 0) value /= powers[fraction];
    out = negative ? -value : value;
    return true;
}

} // namespace daftra::model::plain
