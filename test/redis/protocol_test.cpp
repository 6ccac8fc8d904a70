// The protocol layer without sockets: commands as hiredis formats them, replies as its reader parses
// them through our object hooks, fed in pieces, with the limits and the typed errors.
#include "daftra/redis/command.hpp"
#include "daftra/redis/endpoint.hpp"
#include "redis/reply_reader.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace protocol_test {

using namespace daftra;
using namespace daftra::redis;
using daftra::redis::detail::reader_limits;
using daftra::redis::detail::reply_reader;
namespace rd = daftra::redis::detail;

BOOST_AUTO_TEST_SUITE(redis_protocol)

BOOST_AUTO_TEST_CASE(commands_are_binary_safe_arrays_of_bulk_strings) {
    using namespace std::string_literals;
    command c{"SET", "k", "a\r\nb\0c"s};
    BOOST_TEST(c.wire() == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\na\r\nb\0c\r\n"s);
    BOOST_TEST(c.name() == "SET");
    command from_vector(std::vector<std::string>{"GET", ""});
    BOOST_TEST(from_vector.wire() == "*2\r\n$3\r\nGET\r\n$0\r\n\r\n");
    BOOST_TEST(command({}).wire().empty());
}

// Feeds `bytes` one at a time and collects the replies.
std::vector<reply> read_all(const std::string& bytes, reader_limits limits = {}) {
    reply_reader reader(limits);
    std::vector<reply> out;
    for (char ch : bytes) {
        BOOST_REQUIRE(reader.feed(std::string_view(&ch, 1)));
        for (reply r; reader.next(r) == reply_reader::status::reply;) out.push_back(std::move(r));
    }
    return out;
}

BOOST_AUTO_TEST_CASE(replies_of_every_type_fed_byte_by_byte) {
    auto got = read_all("+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n*-1\r\n*3\r\n:1\r\n*1\r\n$0\r\n\r\n-NOSCRIPT x\r\n");
    BOOST_REQUIRE_EQUAL(got.size(), 7u);
    BOOST_TEST((got[0].type == reply_type::status && got[0].str() == "OK"));
    BOOST_TEST((got[1].type == reply_type::error && got[1].text == "ERR wrong"));
    BOOST_TEST((got[2].type == reply_type::integer && got[2].integer == -42));
    BOOST_TEST((got[3].type == reply_type::string && got[3].text == "he\r\no"));
    BOOST_TEST(got[4].is_nil());
    BOOST_TEST(got[5].is_nil());
    BOOST_REQUIRE((got[6].type == reply_type::array));
    BOOST_REQUIRE_EQUAL(got[6].elements.size(), 3u);
    BOOST_TEST(got[6].elements[0].integer == 1);
    BOOST_TEST((got[6].elements[1].elements.at(0).type == reply_type::string && got[6].elements[1].elements[0].text.empty()));
    BOOST_TEST((got[6].elements[2].type == reply_type::error));
}

BOOST_AUTO_TEST_CASE(a_top_level_error_reply_is_a_server_error_with_its_code) {
    reply r;
    r.type = reply_type::error;
    r.text = "NOSCRIPT No matching script. Please use EVAL.";
    auto res = rd::reply_result(r, "EVALSHA");
    BOOST_REQUIRE(!res);
    BOOST_TEST((res.error().kind == error_kind::server));
    BOOST_TEST(res.error().error_type == "NOSCRIPT");
    BOOST_TEST(res.error().message.find("EVALSHA") != std::string::npos);
    r.type = reply_type::string;
    BOOST_TEST(rd::reply_result(r, "GET").has_value());
}

BOOST_AUTO_TEST_CASE(garbage_is_a_protocol_error_and_stays_one) {
    reply_reader reader({});
    BOOST_REQUIRE(reader.feed("?what\r\n"));
    reply r;
    BOOST_TEST((reader.next(r) == reply_reader::status::failed));
    BOOST_TEST((reader.failure().kind == error_kind::protocol));
    BOOST_TEST(!reader.feed("+OK\r\n"));  // failed until reset
    reader.reset();
    BOOST_REQUIRE(reader.feed("+OK\r\n"));
    BOOST_TEST((reader.next(r) == reply_reader::status::reply));
}

BOOST_AUTO_TEST_CASE(a_huge_array_header_is_refused_before_anything_is_allocated) {
    reply_reader reader(reader_limits{1 << 20, 1000});
    BOOST_REQUIRE(reader.feed("*2000000000\r\n"));
    reply r;
    BOOST_TEST((reader.next(r) == reply_reader::status::failed));
    BOOST_TEST(reader.failure().message.find("max_reply_elements") != std::string::npos);

    // Nested arrays share one budget per reply: 600 + 600 > 1000.
    std::string nested = "*2\r\n*600\r\n";
    for (int i = 0; i < 600; ++i) nested += ":1\r\n";
    nested += "*600\r\n";
    reply_reader second(reader_limits{1 << 20, 1000});
    BOOST_REQUIRE(second.feed(nested));
    BOOST_TEST((second.next(r) == reply_reader::status::failed));

    // A negative count other than -1 (nil) is refused too.
    reply_reader third({});
    BOOST_REQUIRE(third.feed("*-7\r\n"));
    BOOST_TEST((third.next(r) == reply_reader::status::failed));
}

BOOST_AUTO_TEST_CASE(a_reply_over_the_byte_limit_fails_as_it_arrives) {
    reply_reader reader(reader_limits{1024, 1000});
    BOOST_REQUIRE(reader.feed("$100000\r\n"));
    reply r;
    BOOST_TEST((reader.next(r) == reply_reader::status::need_more));
    BOOST_TEST(!reader.feed(std::string(2000, 'x')));
    BOOST_TEST((reader.failure().kind == error_kind::protocol));
}

BOOST_AUTO_TEST_CASE(urls_of_each_kind) {
    auto tcp = parse_url("redis://user:p%40ss@cache.example:6380/3").value();
    BOOST_TEST((tcp.transport == transport_kind::tcp));
    BOOST_TEST(tcp.host == "cache.example");
    BOOST_TEST(tcp.port == 6380);
    BOOST_TEST(tcp.username == "user");
    BOOST_TEST(tcp.password.reveal() == "p@ss");
    BOOST_TEST(tcp.database == 3u);
    BOOST_TEST(tcp.describe() == "redis://cache.example:6380/3");

    auto plain = parse_url("redis://localhost").value();
    BOOST_TEST(plain.port == 6379);
    BOOST_TEST(plain.password.empty());
    BOOST_TEST(plain.database == 0u);

    auto tls = parse_url("rediss://:secret@[::1]:7000").value();
    BOOST_TEST((tls.transport == transport_kind::tls));
    BOOST_TEST(tls.host == "::1");
    BOOST_TEST(tls.username.empty());
    BOOST_TEST(tls.password.reveal() == "secret");
    BOOST_TEST(tls.describe() == "rediss://[::1]:7000");

    auto sock = parse_url("unix:///run/redis/redis.sock?db=2").value();
    BOOST_TEST((sock.transport == transport_kind::unix_socket));
    BOOST_TEST(sock.path == "/run/redis/redis.sock");
    BOOST_TEST(sock.database == 2u);
}

BOOST_AUTO_TEST_CASE(bad_urls_are_invalid_arguments_without_the_password) {
    for (const char* bad : {"http://:hunter2@host", "redis://:hunter2@host:0", "redis://:hunter2@host:70000",
                            "redis://:hunter2@host/x", "unix://:hunter2@relative", "not a url hunter2", "redis://:hunter2@"}) {
        auto r = parse_url(bad);
        BOOST_TEST_INFO(bad);
        BOOST_REQUIRE(!r);
        BOOST_TEST((r.error().kind == error_kind::invalid_argument));
        BOOST_TEST(r.error().message.find("hunter2") == std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace protocol_test
