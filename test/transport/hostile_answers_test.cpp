// Answers built to exhaust the client: a header block without end, a chunked body without end, trailers
// without end, a chunk line without end. The client must stop reading at its limits (typed protocol
// error, connection dropped), not buffer it all.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>

namespace hostile_answers_test {

using namespace daftra;
using namespace daftra::transport;
using daftra::test::action;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

request get() {
    request r;
    r.method = verb::get;
    r.target = "/api2/invoices.json";
    return r;
}

// `count` chunks of `size` bytes, never the terminating zero chunk: as far as the client can tell the
// body goes on for ever.
std::string chunked_without_end(std::size_t count, std::size_t size) {
    std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    char head[32];
    const int n = std::snprintf(head, sizeof head, "%zx\r\n", size);
    const std::string chunk = std::string(head, static_cast<std::size_t>(n)) + std::string(size, 'x') + "\r\n";
    out.reserve(out.size() + count * chunk.size());
    for (std::size_t i = 0; i < count; ++i) out += chunk;
    return out;
}

// One GET answered with `bytes` (then silence, the connection open), and the pool's open connections after it.
struct one_answer {
    result<response> answer;
    std::size_t open = 0;
};

one_answer answer_to(const std::string& bytes, pool_options o) {
    scripted_server server([&](const seen_request&) { return action{bytes}; });
    asio::io_context io;
    o.tls.ca_file = server.ca_file();
    pool p(io.get_executor(), server.origin(), o);
    one_answer out{run(io, p.send(get()))};
    out.open = p.stats().open;
    return out;
}

// A protocol error naming max_response_header, and the connection dropped.
void expect_header_limit(const one_answer& got) {
    BOOST_REQUIRE(!got.answer);
    BOOST_TEST((got.answer.error().kind == error_kind::protocol), got.answer.error().describe());
    BOOST_TEST(got.answer.error().message.find("max_response_header") != std::string::npos, got.answer.error().message);
    BOOST_TEST(got.open == 0u);
}

} // namespace

BOOST_AUTO_TEST_SUITE(hostile_answers)

BOOST_AUTO_TEST_CASE(header_block_over_the_limit) {
    // One header line far over the limit, then more lines: the parser gives up at the limit.
    std::string bytes = "HTTP/1.1 200 OK\r\nX-Padding: " + std::string(300u << 10, 'a') + "\r\n";
    for (int i = 0; i < 1000; ++i) bytes += "X-More-" + std::to_string(i) + ": b\r\n";
    bytes += "Content-Length: 0\r\n\r\n";
    scripted_server server([&](const seen_request&) { return action{bytes}; });
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = server.ca_file();
    o.max_response_header = 16u << 10;
    pool p(io.get_executor(), server.origin(), o);
    auto r = run(io, p.send(get()));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::protocol));
    BOOST_TEST(r.error().message.find("max_response_header") != std::string::npos, r.error().message);
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(many_small_header_lines_count_against_the_limit) {
    std::string bytes = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 20000; ++i) bytes += "A: b\r\n";
    bytes += "Content-Length: 0\r\n\r\n";
    scripted_server server([&](const seen_request&) { return action{bytes}; });
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = server.ca_file();  // default limit, 64 KiB: 20,000 lines of 6 bytes exceed it
    pool p(io.get_executor(), server.origin(), o);
    auto r = run(io, p.send(get()));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::protocol));
    BOOST_TEST(r.error().message.find("max_response_header") != std::string::npos, r.error().message);
}

BOOST_AUTO_TEST_CASE(chunked_body_without_end_stops_at_the_body_limit) {
    // 8 MiB of chunks and no last chunk; the client may hold 64 KiB.
    const std::string bytes = chunked_without_end(2048, 4096);
    scripted_server server([&](const seen_request&) { return action{bytes}; });
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = server.ca_file();
    o.max_response_body = 64u << 10;
    pool p(io.get_executor(), server.origin(), o);
    auto r = run(io, p.send(get()));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::protocol));
    BOOST_TEST(r.error().message.find("max_response_body") != std::string::npos, r.error().message);
    BOOST_TEST(p.stats().open == 0u);  // a connection in the middle of a body is never reused
}

BOOST_AUTO_TEST_CASE(chunked_body_that_stops_coming_times_out) {
    // A few chunks, then silence with the connection open: the body phase timeout ends the call.
    const std::string bytes = chunked_without_end(4, 100);
    scripted_server server([&](const seen_request&) { return action{bytes}; });  // then waits, connection open
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = server.ca_file();
    o.timeouts.body = std::chrono::milliseconds(300);
    pool p(io.get_executor(), server.origin(), o);
    const auto start = std::chrono::steady_clock::now();
    auto r = run(io, p.send(get()));
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::timeout), r.error().describe());
    // The body phase timeout ended it, not early, and not the 60 s default: the server stays silent for good.
    BOOST_TEST(r.error().message.find("timed out while reading the response body") != std::string::npos,
               r.error().message);
    BOOST_TEST(took >= std::chrono::milliseconds(300));
    BOOST_TEST(took < std::chrono::seconds(30));  // a hang guard only
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(trailers_count_against_the_header_limit) {
    // Beast applies header_limit to the header block only; the trailer fields it adds to the message
    // after the last chunk are charged to the same budget by the client's parser.
    std::string bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n";
    for (int i = 0; i < 20000; ++i) bytes += "T: b\r\n";  // 120 KB of trailers against 64 KiB
    bytes += "\r\n";
    expect_header_limit(answer_to(bytes, pool_options{}));
}

BOOST_AUTO_TEST_CASE(trailers_within_the_limit_are_kept) {
    const std::string bytes =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Checksum: abc\r\n\r\n";
    const auto got = answer_to(bytes, pool_options{});
    BOOST_REQUIRE_MESSAGE(got.answer, got.answer.error().describe());
    BOOST_TEST(got.answer->body == "{}");
    BOOST_TEST((got.answer->header("X-Checksum") == std::optional<std::string_view>("abc")));
}

BOOST_AUTO_TEST_CASE(chunk_line_without_end_stops_at_the_read_buffer_limit) {
    // A chunk-size line whose extension never ends, then silence with the connection open. The client
    // must give up once its read buffer is full, not buffer until the body timeout.
    const std::string bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=" + std::string(1u << 20, 'a');
    pool_options o;
    o.timeouts.body = std::chrono::minutes(5);  // without the bound the call would end in this timeout
    expect_header_limit(answer_to(bytes, o));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace hostile_answers_test
