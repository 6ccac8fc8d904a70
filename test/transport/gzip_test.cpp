// gunzip / inflate_zlib against bodies compressed here with zlib's deflate, and against broken ones.

#include "transport/gzip_decoder.hpp"

#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

namespace gzip_test {

using daftra::error_kind;
using daftra::transport::detail::gunzip;
using daftra::transport::detail::inflate_zlib;

namespace {

constexpr std::size_t limit = 1u << 20;

// window_bits 15 + 16: gzip wrapper; 15: zlib wrapper.
std::string deflate_with(std::string_view in, int window_bits, int level = 6) {
    z_stream zs{};
    if (deflateInit2(&zs, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&zs, in.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
    return out;
}

std::string gzip(std::string_view in, int level = 6) { return deflate_with(in, 15 + 16, level); }

// Invoice-like JSON, compressible as real answers are but not trivially.
std::string sample_json(std::size_t rows) {
    std::mt19937 rng(7);
    std::string s = R"({"result":"successful","code":200,"data":[)";
    for (std::size_t i = 0; i < rows; ++i) {
        if (i) s += ',';
        s += R"({"Invoice":{"id":")" + std::to_string(i + 1) + R"(","client_id":")" + std::to_string(rng() % 500) +
             R"(","summary_total":")" + std::to_string(rng() % 100000) + "." + std::to_string(rng() % 100) +
             R"(","date":"2026-11-29","currency_code":"EGP"}})";
    }
    return s + "]}";
}

void expect_protocol_error(const daftra::result<std::string>& r, std::string_view words) {
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::protocol));
    BOOST_TEST_INFO("message: " << r.error().message);
    BOOST_TEST(r.error().message.find(words) != std::string::npos);
}

} // namespace

BOOST_AUTO_TEST_SUITE(gzip_decoder)

BOOST_AUTO_TEST_CASE(round_trip) {
    const auto plain = sample_json(200);
    for (int level : {1, 6, 9}) {
        const auto packed = gzip(plain, level);
        BOOST_TEST(packed.size() < plain.size() / 3);
        auto r = gunzip(packed, limit);
        BOOST_TEST_REQUIRE(r.has_value());
        BOOST_TEST(*r == plain);
        BOOST_TEST(r->capacity() < plain.size() + 64);  // sized from ISIZE, no doubling
    }
}

BOOST_AUTO_TEST_CASE(round_trip_incompressible) {
    std::mt19937 rng(1);
    std::string noise(100000, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    auto r = gunzip(gzip(noise), limit);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == noise);
}

BOOST_AUTO_TEST_CASE(output_exactly_at_the_limit) {
    const std::string plain(5000, 'a');
    auto r = gunzip(gzip(plain), plain.size());
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == plain);
    expect_protocol_error(gunzip(gzip(plain), plain.size() - 1), "more than 4999 bytes");
}

BOOST_AUTO_TEST_CASE(empty_payload_and_empty_input) {
    auto r = gunzip(gzip(""), limit);  // a 20-byte gzip stream of nothing
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->empty());
    r = gunzip("", limit);  // an empty answer with Content-Encoding: gzip
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->empty());
}

BOOST_AUTO_TEST_CASE(bomb_over_max_output_fails_early) {
    const std::string zeros(16u << 20, '\0');  // 16 MiB of zeros: about 16 KiB of gzip
    const auto packed = gzip(zeros, 9);
    BOOST_TEST(packed.size() < 20u * 1024);
    auto r = gunzip(packed, limit);
    expect_protocol_error(r, "more than 1048576 bytes");
    BOOST_TEST(r.error().code == boost::system::errc::value_too_large);
}

BOOST_AUTO_TEST_CASE(lying_isize_is_not_reserved) {
    auto packed = gzip("hello");
    packed.replace(packed.size() - 4, 4, "\xff\xff\xff\x7f", 4);  // claims 2 GiB
    auto r = gunzip(packed, std::size_t(1) << 40);
    // The reservation is clamped to what 25 bytes can expand to; the length check then fails.
    expect_protocol_error(r, "incorrect length check");
}

BOOST_AUTO_TEST_CASE(truncated_input) {
    const auto packed = gzip(sample_json(50));
    for (std::size_t cut : {std::size_t(1), std::size_t(5), std::size_t(10), packed.size() / 2, packed.size() - 4,
                            packed.size() - 1}) {
        BOOST_TEST_CONTEXT("kept " << cut << " of " << packed.size() << " bytes") {
            auto r = gunzip(std::string_view(packed).substr(0, cut), limit);
            BOOST_TEST_REQUIRE(!r.has_value());
            BOOST_TEST((r.error().kind == error_kind::protocol));
        }
    }
    expect_protocol_error(gunzip(std::string_view(packed).substr(0, packed.size() / 2), limit), "truncated");
}

BOOST_AUTO_TEST_CASE(corrupted_crc) {
    auto packed = gzip(sample_json(20));
    packed[packed.size() - 8] ^= 0x01;  // CRC-32 is the 4 bytes before ISIZE
    expect_protocol_error(gunzip(packed, limit), "checksum mismatch");
}

BOOST_AUTO_TEST_CASE(corrupted_data) {
    auto packed = gzip(sample_json(20));
    packed[packed.size() / 2] ^= 0x55;
    auto r = gunzip(packed, limit);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::protocol));
}

BOOST_AUTO_TEST_CASE(trailing_garbage) {
    const auto plain = sample_json(10);
    expect_protocol_error(gunzip(gzip(plain) + "garbage", limit), "7 trailing bytes");
    expect_protocol_error(gunzip(gzip(plain) + std::string(1, '\0'), limit), "1 trailing bytes");
    // The magic bytes of a member that does not follow: corrupt, not silently ignored.
    auto r = gunzip(gzip(plain) + "\x1f\x8bxyz", limit);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::protocol));
}

BOOST_AUTO_TEST_CASE(multiple_members_are_joined) {
    auto r = gunzip(gzip("first,") + gzip("") + gzip("second"), limit);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == "first,second");
    // The limit counts the joined output.
    const std::string half(600 * 1024, 'x');
    expect_protocol_error(gunzip(gzip(half) + gzip(half), limit), "more than");
}

BOOST_AUTO_TEST_CASE(not_gzip_at_all) {
    const auto plain = sample_json(3);
    expect_protocol_error(gunzip(plain, limit), "not gzip");
    expect_protocol_error(gunzip("x", limit), "not gzip");
    expect_protocol_error(gunzip(deflate_with(plain, 15), limit), "not gzip");  // zlib, not gzip
    auto r = gunzip(plain, limit);
    BOOST_TEST(r.error().describe().find("protocol") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(deflate_is_a_zlib_stream) {
    const auto plain = sample_json(100);
    auto r = inflate_zlib(deflate_with(plain, 15), limit);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(*r == plain);
    expect_protocol_error(inflate_zlib(deflate_with(plain, -15), limit), "corrupt");  // raw deflate
    expect_protocol_error(inflate_zlib(gzip(plain), limit), "corrupt");
    expect_protocol_error(inflate_zlib(deflate_with(plain, 15) + "x", limit), "trailing");
    expect_protocol_error(inflate_zlib(deflate_with(std::string(2u << 20, 'z'), 15), limit), "more than");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace gzip_test
