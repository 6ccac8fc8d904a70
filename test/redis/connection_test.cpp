// redis::connection and redis::subscriber against a real redis-server started by the test: pipelining,
// AUTH and SELECT, TLS, deadlines, cancellation, a server killed and restarted, hostile replies.
#include "daftra/redis/connection.hpp"
#include "support/async_test.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace connection_test {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace redis = daftra::redis;
using daftra::test::redis_server;

redis::connection_options options_for(const std::string& url) {
    redis::connection_options o;
    o.where = redis::parse_url(url).value();
    return o;
}

// A server that every test file shares would make tests depend on each other's keys: one per case.
BOOST_AUTO_TEST_SUITE(redis_connection)

BOOST_AUTO_TEST_CASE(commands_from_many_callers_are_pipelined_in_order) {
    redis_server server;
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        redis::connection redis(io.get_executor(), options_for(server.unix_url()));
        auto set = co_await redis.exec(redis::command("SET", "greeting", "hello"));
        BOOST_REQUIRE(set.has_value());
        BOOST_TEST(set->str() == "OK");
        auto get = co_await redis.exec(redis::command("GET", "greeting"));
        BOOST_TEST(get->text == "hello");
        BOOST_TEST((co_await redis.exec(redis::command("GET", "missing")))->is_nil());

        // 1000 callers at once, each on its own key: each gets its own answer.
        constexpr int callers = 1000;
        auto ok = std::make_shared<std::atomic<int>>(0);
        auto done = std::make_shared<std::atomic<int>>(0);
        for (int i = 0; i < callers; ++i) {
            asio::co_spawn(io, [&redis, i, ok, done]() -> asio::awaitable<void> {
                const std::string key = "k" + std::to_string(i);
                auto incr = co_await redis.exec(redis::command("INCRBY", key, std::to_string(i + 1)));
                auto get = co_await redis.exec(redis::command("GET", key));
                if (incr && get && incr->integer == i + 1 && get->text == std::to_string(i + 1)) ++*ok;
                ++*done;
            }, asio::detached);
        }
        while (*done < callers) co_await daftra::test::sleep_for(1ms);
        BOOST_TEST(*ok == callers);
        const auto stats = redis.stats();
        BOOST_TEST(stats.connects == 1u);
        BOOST_TEST(stats.commands == stats.replies);
        BOOST_TEST(stats.commands == 2u * callers + 3u);

        auto wrong = co_await redis.exec(redis::command("LPUSH", "greeting", "x"));
        BOOST_REQUIRE(!wrong);
        BOOST_TEST((wrong.error().kind == error_kind::server));
        BOOST_TEST(wrong.error().error_type == "WRONGTYPE");
        auto empty = co_await redis.exec(redis::command({}));
        BOOST_TEST((!empty && empty.error().kind == error_kind::invalid_argument));
    }());
}

BOOST_AUTO_TEST_CASE(every_completion_token_gets_the_same_result) {
    redis_server server;
    asio::io_context io;
    redis::connection redis(io.get_executor(), options_for(server.tcp_url()));
    std::string from_callback;
    redis.exec(redis::command("SET", "t", "v"), [&](result<redis::reply> r) {
        redis.exec(redis::command("GET", "t"), [&](result<redis::reply> g) {
            from_callback = g ? g->text : g.error().describe();
            redis.close();
        });
        BOOST_TEST(r.has_value());
    });
    io.run();
    BOOST_TEST(from_callback == "v");

    io.restart();
    redis::connection second(io.get_executor(), options_for(server.tcp_url()));
    auto fut = second.exec(redis::command("GET", "t"), asio::use_future);
    std::thread runner([&] { io.run(); });
    auto got = fut.get();
    second.close();
    runner.join();
    BOOST_TEST(got->text == "v");
}

BOOST_AUTO_TEST_CASE(password_and_database_from_the_url) {
    redis_server server({.password = "s3cret-pw"});
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto url = server.tcp_url();
        url.insert(url.find("//") + 2, ":s3cret-pw@");
        redis::connection db3(io.get_executor(), options_for(url + "/3"));
        BOOST_REQUIRE((co_await db3.exec(redis::command("SET", "where", "three"))).has_value());
        redis::connection db0(io.get_executor(), options_for(url));
        BOOST_TEST((co_await db0.exec(redis::command("GET", "where")))->is_nil());
        BOOST_TEST((co_await db3.exec(redis::command("GET", "where")))->text == "three");

        auto wrong_url = server.tcp_url();
        wrong_url.insert(wrong_url.find("//") + 2, ":not-the-password@");
        redis::connection wrong(io.get_executor(), options_for(wrong_url));
        auto refused = co_await wrong.exec(redis::command("PING"));
        BOOST_REQUIRE(!refused);
        BOOST_TEST((refused.error().kind == error_kind::auth));
        BOOST_TEST(refused.error().describe().find("not-the-password") == std::string::npos);

        redis::connection none(io.get_executor(), options_for(server.tcp_url()));
        auto noauth = co_await none.exec(redis::command("GET", "where"));
        BOOST_TEST((!noauth && noauth.error().error_type == "NOAUTH"));
    }());
}

BOOST_AUTO_TEST_CASE(tls_with_the_servers_ca_and_refused_without_it) {
    redis_server server({.password = "", .tls = true});
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto o = options_for(server.tls_url());
        o.ca_file = server.ca_file();
        redis::connection tls(io.get_executor(), o);
        auto pong = co_await tls.exec(redis::command("PING"));
        BOOST_REQUIRE(pong.has_value());
        BOOST_TEST(pong->str() == "PONG");

        redis::connection untrusted(io.get_executor(), options_for(server.tls_url()));  // system CAs
        auto refused = co_await untrusted.exec(redis::command("PING"));
        BOOST_REQUIRE(!refused);
        BOOST_TEST((refused.error().kind == error_kind::tls));
    }());
}

BOOST_AUTO_TEST_CASE(a_deadline_fails_the_call_and_a_stuck_connection_is_replaced) {
    redis_server server;
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        redis::connection redis(io.get_executor(), options_for(server.unix_url()));
        // BLPOP on an empty list blocks server-side for 2 s: the 100 ms deadline passes first.
        auto slow = co_await redis.exec(redis::command("BLPOP", "empty", "2"), 100ms);
        BOOST_REQUIRE(!slow);
        BOOST_TEST((slow.error().kind == error_kind::timeout));
        BOOST_TEST(slow.error().maybe_sent);
        // The connection was closed behind it and a new one answers at once.
        auto after = co_await redis.exec(redis::command("PING"), 1000ms);
        BOOST_REQUIRE(after.has_value());
        BOOST_TEST(redis.stats().connects == 2u);
    }());
}

BOOST_AUTO_TEST_CASE(a_cancelled_call_leaves_its_reply_to_be_dropped) {
    redis_server server;
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        redis::connection redis(io.get_executor(), options_for(server.unix_url()));
        BOOST_REQUIRE((co_await redis.exec(redis::command("PING"))).has_value());
        asio::cancellation_signal signal;
        std::optional<result<redis::reply>> blocked;
        redis.exec(redis::command("BLPOP", "empty", "0.3"), 5000ms,
                   asio::bind_cancellation_slot(signal.slot(), [&](result<redis::reply> r) { blocked = std::move(r); }));
        co_await daftra::test::sleep_for(50ms);
        signal.emit(asio::cancellation_type::terminal);
        co_await daftra::test::sleep_for(10ms);
        BOOST_REQUIRE(blocked.has_value());
        BOOST_TEST((blocked->error().kind == error_kind::cancelled));
        // The next command is answered after BLPOP's own (nil) reply, which is read and dropped.
        auto set = co_await redis.exec(redis::command("SET", "after", "1"), 5000ms);
        BOOST_TEST(set.has_value());
        BOOST_TEST(redis.stats().connects == 1u);
        BOOST_TEST(redis.stats().replies == 3u);
    }());
}

BOOST_AUTO_TEST_CASE(a_server_killed_and_restarted) {
    redis_server server;
    asio::io_context io;
    std::vector<redis::connection_event::kind> events;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto o = options_for(server.unix_url());
        o.reconnect_min = 20ms;
        o.reconnect_max = 100ms;
        o.on_event = [&](const redis::connection_event& e) { events.push_back(e.what); };
        redis::connection redis(io.get_executor(), o);
        BOOST_REQUIRE((co_await redis.exec(redis::command("SET", "k", "1"))).has_value());

        // A blocked command in flight when the server dies fails as transport, maybe sent.
        auto blocked = redis.exec(redis::command("BLPOP", "empty", "5"), 5000ms, asio::use_future);
        co_await daftra::test::sleep_for(50ms);
        server.kill();
        co_await daftra::test::sleep_for(50ms);
        auto lost = blocked.get();
        BOOST_REQUIRE(!lost);
        BOOST_TEST((lost.error().kind == error_kind::transport));
        BOOST_TEST(lost.error().maybe_sent);

        // While it is down, calls fail with the connection's failure (not after their deadline), unsent.
        auto down = co_await redis.exec(redis::command("GET", "k"), 5000ms);
        BOOST_REQUIRE(!down);
        BOOST_TEST((down.error().kind == error_kind::transport));
        BOOST_TEST(!down.error().maybe_sent);

        server.start();
        result<redis::reply> back = make_error(error_kind::transport, {}, "not tried");
        for (int i = 0; i < 200 && !back; ++i) {
            back = co_await redis.exec(redis::command("SET", "k", "2"));
            if (!back) co_await daftra::test::sleep_for(20ms);
        }
        BOOST_REQUIRE(back.has_value());
        BOOST_TEST((co_await redis.exec(redis::command("GET", "k")))->text == "2");
        BOOST_TEST(redis.stats().connects == 2u);
        BOOST_TEST(redis.stats().disconnects == 1u);
    }());
    BOOST_REQUIRE(events.size() >= 3u);
    BOOST_TEST((events.front() == redis::connection_event::kind::connected));
    BOOST_TEST((events[1] == redis::connection_event::kind::disconnected));
    BOOST_TEST((events.back() == redis::connection_event::kind::connected));
}

BOOST_AUTO_TEST_CASE(nothing_listening_fails_fast_with_a_typed_error) {
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        redis::connection redis(io.get_executor(), options_for("unix:///nonexistent/daftra-test.sock"));
        auto r = co_await redis.exec(redis::command("PING"));
        BOOST_REQUIRE(!r);
        BOOST_TEST((r.error().kind == error_kind::transport));
        BOOST_TEST(!r.error().maybe_sent);
        BOOST_TEST(redis.stats().connect_failures >= 1u);
    }());
}

// A raw TCP server in the test's io_context that answers the first command with `bytes`.
asio::awaitable<void> answer_with(asio::ip::tcp::acceptor& acceptor, std::string bytes) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    std::array<char, 512> buf;
    co_await socket.async_read_some(asio::buffer(buf), asio::use_awaitable);
    co_await asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable);
    co_await daftra::test::sleep_for(300ms);  // hold the socket open: the client must not wait for more
}

BOOST_AUTO_TEST_CASE(hostile_replies_are_protocol_errors) {
    const std::vector<std::string> hostile{"garbage\r\n", "*2000000000\r\n", "+OK\r\n+EXTRA\r\n",
                                           "$99999999999\r\n" + std::string(70000, 'x')};
    for (const auto& bytes : hostile) {
        asio::io_context io;
        daftra::test::run(io, [&]() -> asio::awaitable<void> {
            asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
            asio::co_spawn(io, answer_with(acceptor, bytes), asio::detached);
            auto o = options_for("redis://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()));
            o.max_reply_bytes = 65536;
            o.reconnect_min = 1000ms;
            redis::connection redis(io.get_executor(), o);
            auto r = co_await redis.exec(redis::command("GET", "k"));
            BOOST_TEST_INFO(bytes.substr(0, 20));
            if (bytes.starts_with("+OK")) {
                // The first reply is the answer; the extra one, to no command, drops the connection.
                BOOST_TEST(r.has_value());
                co_await daftra::test::sleep_for(50ms);
                BOOST_TEST(redis.stats().disconnects == 1u);
            } else {
                BOOST_REQUIRE(!r);
                BOOST_TEST((r.error().kind == error_kind::protocol));
            }
        }());
    }
}

BOOST_AUTO_TEST_CASE(destroying_the_io_context_with_calls_pending_leaks_nothing) {
    redis_server server;
    auto io = std::make_unique<asio::io_context>();
    auto url = server.unix_url();
    // The connection lives in the coroutine's frame; its call holds the frame. ASan's leak check fails
    // this test if the context's shutdown does not drop the call.
    asio::co_spawn(*io, [ex = io->get_executor(), url]() -> asio::awaitable<void> {
        redis::connection redis(ex, options_for(url));
        co_await redis.exec(redis::command("BLPOP", "empty", "5"), 10'000ms);
    }, asio::detached);
    io->run_for(200ms);
    io.reset();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(redis_subscriber)

BOOST_AUTO_TEST_CASE(messages_arrive_and_channels_survive_a_restart) {
    redis_server server;
    asio::io_context io;
    std::vector<std::string> received;
    int connected = 0;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto o = options_for(server.unix_url());
        o.reconnect_min = 20ms;
        o.reconnect_max = 100ms;
        o.on_event = [&](const redis::connection_event& e) {
            if (e.what == redis::connection_event::kind::connected) ++connected;
        };
        redis::subscriber sub(io.get_executor(), o, [&](std::string_view channel, std::string_view message) {
            received.push_back(std::string(channel) + "=" + std::string(message));
        });
        BOOST_REQUIRE((co_await sub.subscribe("tokens")).has_value());
        redis::connection pub(io.get_executor(), options_for(server.unix_url()));
        auto n = co_await pub.exec(redis::command("PUBLISH", "tokens", "gen-1"));
        BOOST_TEST(n->integer == 1);
        co_await pub.exec(redis::command("PUBLISH", "other", "ignored"));
        for (int i = 0; i < 200 && received.empty(); ++i) co_await daftra::test::sleep_for(5ms);
        BOOST_TEST(received == std::vector<std::string>{"tokens=gen-1"});

        server.kill();
        server.start();
        // Subscribed again on its own once it reconnects.
        result<redis::reply> delivered = make_error(error_kind::transport, {}, "not tried");
        for (int i = 0; i < 300; ++i) {
            delivered = co_await pub.exec(redis::command("PUBLISH", "tokens", "gen-2"));
            if (delivered && delivered->integer == 1) break;
            co_await daftra::test::sleep_for(10ms);
        }
        BOOST_REQUIRE(delivered.has_value());
        BOOST_TEST(delivered->integer == 1);
        for (int i = 0; i < 200 && received.size() < 2; ++i) co_await daftra::test::sleep_for(5ms);
        BOOST_TEST(received.back() == "tokens=gen-2");
        BOOST_TEST(connected == 2);
    }());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace connection_test
