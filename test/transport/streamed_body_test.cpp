// Bodies streamed to a request's body_sink (downloads): every byte in order and in bounded pieces, the
// connection kept for the next call, the per-request limit for Content-Length and chunked bodies, the
// trailers still counted against the header limit, and error answers read as usual.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>

namespace streamed_body_test {

using namespace daftra;
using namespace daftra::transport;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

// Records what it is given; its calls come from one connection's strand, one at a time.
struct recording_sink final : body_sink {
    result<void> begin(const response& head) override {
        ++begins;
        status = head.status;
        bytes.clear();
        return {};
    }
    result<void> write(std::string_view piece) override {
        bytes.append(piece);
        largest = std::max(largest, piece.size());
        ++writes;
        return {};
    }
    int begins = 0;
    unsigned status = 0;
    std::string bytes;
    std::size_t largest = 0;
    int writes = 0;
};

std::string pattern(std::size_t n) {
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
    return out;
}

std::string chunked(const std::string& body, std::size_t chunk, const std::string& trailers = "") {
    std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t at = 0; at < body.size(); at += chunk) {
        const std::size_t n = std::min(chunk, body.size() - at);
        char head[32];
        const int len = std::snprintf(head, sizeof head, "%zx\r\n", n);
        out.append(head, static_cast<std::size_t>(len));
        out.append(body, at, n);
        out += "\r\n";
    }
    return out + "0\r\n" + trailers + "\r\n";
}

request download(std::shared_ptr<body_sink> sink, std::uint64_t limit = 0) {
    request r;
    r.method = verb::get;
    r.target = "/files/a.pdf";
    r.body_to = std::move(sink);
    r.max_streamed_body = limit;
    return r;
}

struct fixture {
    explicit fixture(scripted_server::script s) : server(std::move(s)) { o.tls.ca_file = server.ca_file(); }
    scripted_server server;
    asio::io_context io;
    pool_options o;
};

} // namespace

BOOST_AUTO_TEST_SUITE(streamed_bodies)

BOOST_AUTO_TEST_CASE(every_byte_in_order_in_bounded_pieces_and_the_connection_kept) {
    const std::string body = pattern(300'000);
    fixture f([&](const seen_request& r) {
        if (r.target == "/files/a.pdf") return action{chunked(body, 10'000)};
        return action{http_response(200, R"({"ok":1})")};
    });
    pool p(f.io.get_executor(), f.server.origin(), f.o);
    auto sink = std::make_shared<recording_sink>();
    auto answer = run(f.io, p.send(download(sink)));
    BOOST_TEST_REQUIRE(answer.has_value(), (answer ? "" : answer.error().describe()));
    BOOST_TEST(answer->status == 200u);
    BOOST_TEST(answer->body.empty());  // the body went to the sink
    BOOST_TEST(*answer->header("Content-Type") == "application/pdf");
    BOOST_TEST(sink->begins == 1);
    BOOST_TEST((sink->bytes == body));
    BOOST_TEST(sink->largest <= (64u << 10));
    BOOST_TEST(sink->writes >= 5);
    // No compression was asked for: the sink gets the bytes as the server stores them.
    BOOST_TEST(f.server.requests().at(0).head.find("ccept-Encoding") == std::string::npos);
    // The same connection serves the next call.
    request plain;
    plain.target = "/api2/x.json";
    auto next = run(f.io, p.send(plain));
    BOOST_TEST_REQUIRE(next.has_value(), (next ? "" : next.error().describe()));
    BOOST_TEST(f.server.connections_accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(a_content_length_over_the_limit_fails_before_the_sink_starts) {
    const std::string body = pattern(5000);
    fixture f([&](const seen_request&) { return action{http_response(200, body)}; });
    pool p(f.io.get_executor(), f.server.origin(), f.o);
    auto sink = std::make_shared<recording_sink>();
    auto answer = run(f.io, p.send(download(sink, 4999)));
    BOOST_TEST_REQUIRE(!answer.has_value());
    BOOST_TEST((answer.error().kind == error_kind::protocol), answer.error().describe());
    BOOST_TEST(sink->begins == 0);
    // Exactly the limit is fine.
    auto fits = run(f.io, p.send(download(sink, 5000)));
    BOOST_TEST_REQUIRE(fits.has_value(), (fits ? "" : fits.error().describe()));
    BOOST_TEST((sink->bytes == body));
}

BOOST_AUTO_TEST_CASE(a_chunked_body_over_the_limit_stops_the_read) {
    const std::string body = pattern(400'000);
    fixture f([&](const seen_request&) { return action{chunked(body, 16'000)}; });
    pool p(f.io.get_executor(), f.server.origin(), f.o);
    auto sink = std::make_shared<recording_sink>();
    auto answer = run(f.io, p.send(download(sink, 100'000)));
    BOOST_TEST_REQUIRE(!answer.has_value());
    BOOST_TEST((answer.error().kind == error_kind::protocol), answer.error().describe());
    BOOST_TEST(sink->bytes.size() <= 100'000u);
    BOOST_TEST(p.stats().open == 0u);  // the rest was not read: the connection is gone
}

BOOST_AUTO_TEST_CASE(trailers_still_count_against_the_header_limit) {
    std::string trailers;
    for (int i = 0; i < 20000; ++i) trailers += "T: b\r\n";  // 120 KB of trailers against 64 KiB
    const std::string bytes = chunked(pattern(1000), 500, trailers);
    fixture f([&](const seen_request&) { return action{bytes}; });
    pool p(f.io.get_executor(), f.server.origin(), f.o);
    auto answer = run(f.io, p.send(download(std::make_shared<recording_sink>())));
    BOOST_TEST_REQUIRE(!answer.has_value());
    BOOST_TEST((answer.error().kind == error_kind::protocol), answer.error().describe());
}

BOOST_AUTO_TEST_CASE(an_error_answer_is_read_as_usual) {
    fixture f([&](const seen_request&) { return action{http_response(404, R"({"message":"Item not found"})")}; });
    pool p(f.io.get_executor(), f.server.origin(), f.o);
    auto sink = std::make_shared<recording_sink>();
    auto answer = run(f.io, p.send(download(sink)));
    BOOST_TEST_REQUIRE(answer.has_value(), (answer ? "" : answer.error().describe()));
    BOOST_TEST(answer->status == 404u);
    BOOST_TEST(answer->body == R"({"message":"Item not found"})");
    BOOST_TEST(sink->begins == 0);
}

BOOST_AUTO_TEST_CASE(a_sink_error_fails_the_call_and_drops_the_connection) {
    struct refusing_sink final : body_sink {
        result<void> begin(const response&) override { return make_error(error_kind::invalid_argument, {}, "no room"); }
        result<void> write(std::string_view) override { return {}; }
    };
    fixture f([&](const seen_request&) { return action{http_response(200, pattern(1000))}; });
    pool p(f.io.get_executor(), f.server.origin(), f.o);
    auto answer = run(f.io, p.send(download(std::make_shared<refusing_sink>())));
    BOOST_TEST_REQUIRE(!answer.has_value());
    BOOST_TEST(answer.error().message == "no room");
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace streamed_body_test
