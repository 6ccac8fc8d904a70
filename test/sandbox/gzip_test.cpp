// Content-Encoding: gzip from the sandbox: negotiated from Accept-Encoding, only for answers of
// 1 KiB or more, and decoding (here with zlib directly, not the SDK) to the plain answer.
#define BOOST_TEST_MODULE sandbox_gzip
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

#include <zlib.h>

#include <stdexcept>

using namespace sandbox_test;

std::int64_t sandbox_fixture::create(const std::string& path, const std::string& body) {
    auto r = api.post(path, body);
    BOOST_REQUIRE_MESSAGE(r.status == 202, path << " -> " << r.status << " " << r.body);
    return to_int(r.json().at("id"));
}

namespace {

std::string gunzip(const std::string& in) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
    std::string out;
    char buf[16384];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    const bool whole = rc == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    if (!whole) throw std::runtime_error("not one complete gzip stream");
    return out;
}

struct invoices_fixture : sandbox_fixture {
    explicit invoices_fixture(daftra::sandbox::options o = plain_options()) : sandbox_fixture(o) {
        for (int i = 0; i < 20; ++i)
            create("/api2/invoices.json",
                   R"({"Invoice":{"client_id":1,"date":"2026-11-29","currency_code":"EGP"},"InvoiceItem":[)"
                   R"({"item":"Widget","unit_price":12.5,"quantity":2},{"item":"Bolt","unit_price":0.25,"quantity":40}]})");
    }
    reply list(const std::string& accept_encoding) {
        header_list h;
        if (!accept_encoding.empty()) h.emplace_back("Accept-Encoding", accept_encoding);
        return api.request("GET", "/api2/invoices.json?limit=20", {}, h);
    }
};

struct no_gzip_fixture : invoices_fixture {
    static daftra::sandbox::options opts() {
        auto o = plain_options();
        o.gzip = false;
        return o;
    }
    no_gzip_fixture() : invoices_fixture(opts()) {}
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(gzip_answers, invoices_fixture)

BOOST_AUTO_TEST_CASE(gzip_answer_decodes_to_the_plain_json) {
    const auto plain = list("");
    BOOST_TEST_REQUIRE(plain.status == 200);
    BOOST_TEST(plain.header("content-encoding").empty());
    BOOST_TEST(plain.header("vary") == "Accept-Encoding");
    BOOST_TEST(plain.body.size() > 1024u);

    const auto packed = list("gzip, deflate, br");
    BOOST_TEST_REQUIRE(packed.status == 200);
    BOOST_TEST(packed.header("content-encoding") == "gzip");
    BOOST_TEST(packed.header("vary") == "Accept-Encoding");
    BOOST_TEST(packed.header("content-length") == std::to_string(packed.body.size()));
    BOOST_TEST(packed.body.size() < plain.body.size() / 4);
    const auto decoded = gunzip(packed.body);
    BOOST_TEST(decoded == plain.body);
    BOOST_TEST(json::parse(decoded) == plain.json());
}

BOOST_AUTO_TEST_CASE(accept_encoding_is_negotiated) {
    struct negotiation {
        const char* header;
        bool gzip;
    };
    const negotiation cases[] = {
        {"gzip", true},          {"GZip", true},           {"x-gzip", true},          {" deflate , gzip ;q=0.5", true},
        {"gzip;Q=1.000", true},  {"*", true},              {"br, *;q=0.1", true},     {"gzip;q=0", false},
        {"gzip; q=0.000", false}, {"gzip;q=0, *", false},  {"*;q=0", false},          {"deflate, br", false},
        {"identity", false},     {"gzipped", false},       {"gzip;q=2", false},       {"gzip;q=abc", false},
        {"br;q=1, gzip;q=0.001", true},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("Accept-Encoding: " << c.header) {
            const auto r = list(c.header);
            BOOST_TEST_REQUIRE(r.status == 200);
            BOOST_TEST((r.header("content-encoding") == "gzip") == c.gzip);
            BOOST_TEST(r.header("vary") == "Accept-Encoding");
        }
    }
}

BOOST_AUTO_TEST_CASE(small_answers_stay_plain) {
    header_list h{{"Accept-Encoding", "gzip"}};
    for (const char* target : {"/api2/invoices/1.json", "/api2/invoices/999.json", "/api2/no_such_thing.json"}) {
        BOOST_TEST_CONTEXT(target) {
            const auto r = api.request("GET", target, {}, h);
            BOOST_TEST(r.body.size() < 1024u);
            BOOST_TEST(r.header("content-encoding").empty());
            BOOST_TEST(r.header("vary").empty());
            BOOST_TEST(r.json().is_object());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(gzip_off, no_gzip_fixture)

BOOST_AUTO_TEST_CASE(no_gzip_option_answers_plain) {
    const auto r = list("gzip");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("content-encoding").empty());
    BOOST_TEST(r.header("vary").empty());
    BOOST_TEST(r.json().at("data").as_array().size() == 20u);
}

BOOST_AUTO_TEST_SUITE_END()
