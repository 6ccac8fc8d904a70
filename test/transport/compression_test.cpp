// pool_options::accept_compression: the pool asks for gzip/deflate, hands callers the decoded body, and
// turns an answer it cannot decode into a typed protocol error instead of passing compressed bytes on.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <stdexcept>

namespace compression_test {

using namespace daftra;
using namespace daftra::transport;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

request get() {
    request r;
    r.method = verb::get;
    r.target = "/api2/invoices.json?limit=1000";
    return r;
}

// zlib's deflate with a gzip (windowBits 31) or zlib (15) wrapper.
std::string compress(const std::string& plain, int window_bits) {
    z_stream z{};
    if (deflateInit2(&z, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
    std::string out(deflateBound(&z, plain.size()) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
    z.avail_in = static_cast<uInt>(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
    return out;
}

std::string big_json() {
    std::string body = "{\"code\":200,\"result\":\"successful\",\"data\":[";
    for (int i = 0; i < 1000; ++i) body += (i ? "," : "") + std::string("{\"Invoice\":{\"id\":") + std::to_string(i) + ",\"currency_code\":\"EGP\"}}";
    return body + "]}";
}

bool asked_for_compression(const seen_request& r) {
    return r.head.find("Accept-Encoding: gzip, deflate\r\n") != std::string::npos;
}

struct fixture {
    asio::io_context io;
    pool_options options;
};

} // namespace

BOOST_AUTO_TEST_SUITE(compression)

BOOST_AUTO_TEST_CASE(gzip_answer_reaches_the_caller_decoded) {
    const std::string plain = big_json();
    const std::string packed = compress(plain, 31);
    BOOST_REQUIRE(packed.size() * 5 < plain.size());
    scripted_server server([&](const seen_request& r) {
        if (!asked_for_compression(r)) return action{http_response(200, plain)};
        return action{http_response(200, packed, "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE_MESSAGE(r, r.error().describe());
    BOOST_TEST(asked_for_compression(server.requests().at(0)));
    BOOST_TEST(r->body == plain);
    // The lines that described the encoded body are gone; the others stay.
    BOOST_TEST(!r->header("content-encoding"));
    BOOST_TEST(!r->header("content-length"));
    BOOST_TEST(r->header("vary").value_or("") == "Accept-Encoding");
    // The connection is still good for the next call.
    auto again = run(f.io, p.send(get()));
    BOOST_REQUIRE(again);
    BOOST_TEST(again->body == plain);
    BOOST_TEST(p.stats().connections_opened == 1u);
}

BOOST_AUTO_TEST_CASE(deflate_answer_is_decoded_too) {
    const std::string plain = big_json();
    const std::string packed = compress(plain, 15);
    scripted_server server([&](const seen_request&) {
        return action{http_response(200, packed, "Content-Encoding: deflate\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE_MESSAGE(r, r.error().describe());
    BOOST_TEST(r->body == plain);
}

BOOST_AUTO_TEST_CASE(switched_off_nothing_is_asked_and_nothing_decoded) {
    scripted_server server([&](const seen_request&) { return action{http_response(200, "{}")}; });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    f.options.accept_compression = false;
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE(r);
    BOOST_TEST(server.requests().at(0).head.find("Accept-Encoding") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_callers_own_accept_encoding_gets_the_body_as_sent) {
    const std::string packed = compress(big_json(), 31);
    scripted_server server([&](const seen_request&) {
        return action{http_response(200, packed, "Content-Encoding: gzip\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    pool p(f.io.get_executor(), server.origin(), f.options);
    request req = get();
    req.headers.push_back({"Accept-Encoding", "gzip"});
    auto r = run(f.io, p.send(std::move(req)));
    BOOST_REQUIRE(r);
    BOOST_TEST(r->body == packed);
    BOOST_TEST(r->header("content-encoding").value_or("") == "gzip");
    const std::string head = server.requests().at(0).head;
    BOOST_TEST(head.find("Accept-Encoding: gzip\r\n") != std::string::npos);
    BOOST_TEST(!asked_for_compression(server.requests().at(0)));
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_is_a_protocol_error) {
    std::string packed = compress(big_json(), 31);
    packed[packed.size() / 2] = static_cast<char>(packed[packed.size() / 2] ^ 0x55);
    scripted_server server([&](const seen_request&) {
        return action{http_response(200, packed, "Content-Encoding: gzip\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::protocol));
    BOOST_TEST(r.error().message.find("cannot decode the gzip answer body") != std::string::npos, r.error().message);
    BOOST_TEST(r.error().maybe_sent);
}

BOOST_AUTO_TEST_CASE(decoded_body_is_bounded_by_max_response_body) {
    const std::string plain(4u << 20, 'a');  // 4 MiB that deflate to a few KiB
    const std::string packed = compress(plain, 31);
    scripted_server server([&](const seen_request&) {
        return action{http_response(200, packed, "Content-Encoding: gzip\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    f.options.max_response_body = 1u << 20;
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::protocol));
}

BOOST_AUTO_TEST_CASE(an_encoding_not_offered_is_refused) {
    scripted_server server([&](const seen_request&) {
        return action{http_response(200, "\x1b\x00\x00", "Content-Encoding: br\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::protocol));
    BOOST_TEST(r.error().message.find("'br'") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(identity_is_left_alone) {
    scripted_server server([&](const seen_request&) {
        return action{http_response(200, "{\"a\":1}", "Content-Encoding: identity\r\n")};
    });
    fixture f;
    f.options.tls.ca_file = server.ca_file();
    pool p(f.io.get_executor(), server.origin(), f.options);
    auto r = run(f.io, p.send(get()));
    BOOST_REQUIRE(r);
    BOOST_TEST(r->body == "{\"a\":1}");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace compression_test
