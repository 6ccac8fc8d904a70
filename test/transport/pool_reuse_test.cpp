// Connection reuse and limits: one connection for sequential calls, never more than max_connections,
// FIFO hand-off, acquire and idle timeouts, Connection: close and Keep-Alive hints.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <optional>

namespace pool_reuse_test {

using namespace daftra;
using namespace daftra::transport;
using namespace std::chrono_literals;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

const std::string ok_body = R"({"code":200,"result":"successful","data":[]})";

scripted_server::script always_ok(std::chrono::milliseconds delay = 0ms) {
    return [delay](const daftra::test::seen_request&) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.delay = delay;
        return a;
    };
}

pool_options opts_for(const scripted_server& s) {
    pool_options o;
    o.tls.ca_file = s.ca_file();
    return o;
}

request get(std::string target = "/api2/invoices.json") {
    request r;
    r.target = std::move(target);
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(pool_reuse)

BOOST_AUTO_TEST_CASE(sequential_requests_share_one_connection) {
    scripted_server server(always_ok());
    asio::io_context io;
    std::vector<request_info> infos;
    auto o = opts_for(server);
    o.on_request = [&](const request_info& i) { infos.push_back(i); };
    pool p(io.get_executor(), server.origin(), o);
    const int n = run(io, [&]() -> asio::awaitable<int> {
        int ok = 0;
        for (int i = 0; i < 50; ++i) {
            auto r = co_await p.send(get());
            if (r && r->status == 200 && r->body == ok_body) ++ok;
        }
        co_return ok;
    }());
    BOOST_TEST(n == 50);
    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_REQUIRE(infos.size() == 50u);
    BOOST_TEST(!infos[0].reused_connection);
    BOOST_TEST(infos[0].connect.count() > 0);
    BOOST_TEST(infos[1].reused_connection);
    BOOST_TEST(infos[49].status == 200u);
    auto st = p.stats();
    BOOST_TEST(st.open == 1u);
    BOOST_TEST(st.idle == 1u);
    BOOST_TEST(st.in_use == 0u);
    BOOST_TEST(st.requests == 50u);
}

BOOST_AUTO_TEST_CASE(a_recycled_body_holds_the_next_answer) {
    // transport::recycle: the next answer on this thread is read into the memory of the last one.
    const std::string big(50'000, 'x');
    scripted_server server([&](const daftra::test::seen_request&) {
        action a;
        a.bytes = http_response(200, big);
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    const bool reused = run(io, [&]() -> asio::awaitable<bool> {
        auto first = co_await p.send(get());
        if (!first || first->body != big) co_return false;
        const char* memory = first->body.data();
        daftra::transport::recycle(std::move(*first));
        auto second = co_await p.send(get());
        co_return second && second->body == big && second->body.data() == memory;
    }());
    BOOST_TEST(reused);
}

BOOST_AUTO_TEST_CASE(on_request_names_the_method_and_target) {
    scripted_server server(always_ok());
    asio::io_context io;
    std::vector<std::string> seen;  // the target is a view valid during the call: copied there
    auto o = opts_for(server);
    o.on_request = [&](const request_info& i) {
        seen.push_back(std::string(boost::beast::http::to_string(i.method)) + " " + std::string(i.target));
    };
    pool p(io.get_executor(), server.origin(), o);
    run(io, [&]() -> asio::awaitable<int> {
        auto first = co_await p.send(get("/api2/clients/7.json?page=2"));
        request del = get("/api2/invoices/9.json");
        del.method = verb::delete_;
        auto second = co_await p.send(std::move(del));
        co_return first && second ? 2 : 0;
    }());
    BOOST_REQUIRE(seen.size() == 2u);
    BOOST_TEST(seen[0] == "GET /api2/clients/7.json?page=2");
    BOOST_TEST(seen[1] == "DELETE /api2/invoices/9.json");
}

BOOST_AUTO_TEST_CASE(two_hundred_concurrent_calls_over_eight_connections) {
    scripted_server server(always_ok(1ms));
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 8;
    pool p(io.get_executor(), server.origin(), o);
    std::atomic<int> ok{0};
    std::size_t max_waiting = 0;
    for (int i = 0; i < 200; ++i) {
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            auto r = co_await p.send(get());
            if (r && r->status == 200) ++ok;
            max_waiting = std::max(max_waiting, p.stats().waiting);
        }, asio::detached);
    }
    io.run();
    BOOST_TEST(ok == 200);
    BOOST_TEST(server.max_concurrent_connections() <= 8u);
    BOOST_TEST(server.connections_accepted() == 8u);
    BOOST_TEST(max_waiting > 0u);
    BOOST_TEST(p.stats().open == 8u);
    BOOST_TEST(p.stats().waiting == 0u);
}

BOOST_AUTO_TEST_CASE(multi_threaded_io_context) {
    scripted_server server(always_ok());
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 4;
    pool p(io.get_executor(), server.origin(), o);
    std::atomic<int> ok{0};
    for (int i = 0; i < 64; ++i) {
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            for (int j = 0; j < 10; ++j) {
                auto r = co_await p.send(get());
                if (r && r->status == 200) ++ok;
            }
        }, asio::detached);
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) threads.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : threads) t.join();
    BOOST_TEST(ok == 640);
    BOOST_TEST(server.connections_accepted() <= 4u);
}

BOOST_AUTO_TEST_CASE(waiters_are_served_in_fifo_order) {
    scripted_server server(always_ok(5ms));
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 1;
    pool p(io.get_executor(), server.origin(), o);
    std::vector<int> done;
    for (int i = 0; i < 20; ++i) {
        asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
            auto r = co_await p.send(get("/order/" + std::to_string(i)));
            if (r) done.push_back(i);
        }, asio::detached);
    }
    io.run();
    BOOST_REQUIRE(done.size() == 20u);
    for (int i = 0; i < 20; ++i) BOOST_TEST(done[i] == i);
    auto seen = server.requests();
    for (int i = 0; i < 20; ++i) BOOST_TEST(seen[i].target == "/order/" + std::to_string(i));
}

BOOST_AUTO_TEST_CASE(acquire_timeout_gives_pool_timeout) {
    // The first call holds the only connection until the second has failed (or, should the acquire
    // timeout never fire, for 30 s, after which the second gets the connection and the test fails).
    std::atomic<bool> second_done{false};
    const auto hold_limit = std::chrono::steady_clock::now() + 30s;
    scripted_server server([&](const daftra::test::seen_request&) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.hold_until = [&] { return second_done.load() || std::chrono::steady_clock::now() > hold_limit; };
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 1;
    o.acquire_timeout = 50ms;
    pool p(io.get_executor(), server.origin(), o);
    std::optional<result<response>> first, second;
    std::chrono::steady_clock::duration second_took{};
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { first = co_await p.send(get()); }, asio::detached);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        co_await daftra::test::sleep_for(10ms);
        const auto t0 = std::chrono::steady_clock::now();
        second = co_await p.send(get());
        second_took = std::chrono::steady_clock::now() - t0;
        second_done = true;
    }, asio::detached);
    io.run();
    BOOST_TEST(first->has_value());
    BOOST_REQUIRE(second->has_error());
    BOOST_TEST(to_string(second->error().kind) == "pool_timeout");
    BOOST_TEST((second_took >= 50ms));  // it waited for the acquire timeout, not less
    BOOST_TEST(p.stats().waiting == 0u);
}

BOOST_AUTO_TEST_CASE(idle_connections_expire) {
    // Idle expiry is read on the pool's clock: moved past idle_timeout between two calls, without waiting.
    scripted_server server(always_ok());
    asio::io_context io;
    std::vector<request_info> infos;
    std::atomic<std::int64_t> skipped_ms{0};
    auto o = opts_for(server);
    o.idle_timeout = 100ms;
    o.clock.now = [&] { return std::chrono::steady_clock::now() + std::chrono::milliseconds(skipped_ms.load()); };
    o.on_request = [&](const request_info& i) { infos.push_back(i); };
    pool p(io.get_executor(), server.origin(), o);
    run(io, [&]() -> asio::awaitable<void> {
        BOOST_TEST((co_await p.send(get())).has_value());
        BOOST_TEST((co_await p.send(get())).has_value());  // within the idle timeout (the clock stands)
        skipped_ms += 250;
        BOOST_TEST((co_await p.send(get())).has_value());
    }());
    BOOST_REQUIRE(infos.size() == 3u);
    BOOST_TEST(infos[1].reused_connection);
    BOOST_TEST(!infos[2].reused_connection);
    BOOST_TEST(p.stats().connections_opened == 2u);
    BOOST_TEST(server.connections_accepted() == 2u);
    BOOST_TEST(p.stats().open == 1u);  // the expired one was closed
}

BOOST_AUTO_TEST_CASE(a_queued_call_reads_its_deadline_on_the_pool_clock) {
    // The pool's clock runs an hour ahead of steady_clock. A call queued behind the only connection with
    // a deadline 100 ms away on that clock times out; with steady_clock time points its timer would be
    // armed for an hour (the 20 s run below is the guard that would then fail).
    std::atomic<bool> done{false};
    const auto hold_limit = std::chrono::steady_clock::now() + 20s;
    scripted_server server([&](const seen_request& r) {
        action a;
        a.bytes = http_response(200, R"({"code":200})");
        if (r.target == "/slow") a.hold_until = [&] { return done.load() || std::chrono::steady_clock::now() > hold_limit; };
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 1;
    o.clock.now = [] { return std::chrono::steady_clock::now() + 1h; };
    pool p(io.get_executor(), server.origin(), o);
    std::optional<result<response>> queued;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { (void)co_await p.send(get("/slow")); }, asio::detached);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        send_options so;
        so.deadline = o.clock.now() + 100ms;
        queued.emplace(co_await p.send(get(), so));
        done = true;
    }, asio::detached);
    io.run_for(20s);
    BOOST_REQUIRE(queued.has_value());
    BOOST_REQUIRE(!queued->has_value());
    BOOST_TEST((queued->error().kind == error_kind::timeout));
}

BOOST_AUTO_TEST_CASE(connection_close_is_honoured) {
    scripted_server server([](const daftra::test::seen_request&) {
        action a;
        a.bytes = http_response(200, ok_body, "Connection: close\r\n");
        return a;
    });
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    run(io, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) BOOST_TEST((co_await p.send(get())).has_value());
    }());
    BOOST_TEST(server.connections_accepted() == 3u);
    BOOST_TEST(p.stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(keep_alive_max_and_request_limit) {
    scripted_server server([](const daftra::test::seen_request&) {
        action a;
        a.bytes = http_response(200, ok_body, "Keep-Alive: timeout=30, max=2\r\n");
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    pool p(io.get_executor(), server.origin(), o);
    run(io, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 6; ++i) BOOST_TEST((co_await p.send(get())).has_value());
    }());
    // max=2 means two more requests after the first on each connection.
    BOOST_TEST(server.connections_accepted() == 2u);

    scripted_server plain(always_ok());
    o = opts_for(plain);
    o.max_requests_per_connection = 4;
    pool q(io.get_executor(), plain.origin(), o);
    run(io, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 8; ++i) BOOST_TEST((co_await q.send(get())).has_value());
    }());
    BOOST_TEST(plain.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(plain_http_origin) {
    daftra::test::scripted_server_options so;
    so.tls = false;
    scripted_server server(always_ok(), so);
    asio::io_context io;
    pool p(io.get_executor(), server.origin());
    auto r = run(io, p.send(get()));
    BOOST_REQUIRE(r.has_value());
    BOOST_TEST(r->status == 200u);
    BOOST_TEST(*r->header("content-type") == "application/json");
}

BOOST_AUTO_TEST_CASE(request_bodies_and_headers_arrive) {
    scripted_server server(always_ok());
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    request r;
    r.method = verb::post;
    r.target = "/api2/clients.json";
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = R"({"Client":{"business_name":"Acme"}})";
    BOOST_TEST(run(io, p.send(r)).has_value());
    auto seen = server.requests();
    BOOST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].method == "POST");
    BOOST_TEST(seen[0].target == "/api2/clients.json");
    BOOST_TEST(seen[0].body == r.body);
}

BOOST_AUTO_TEST_CASE(invalid_requests_are_refused_before_sending) {
    scripted_server server(always_ok());
    asio::io_context io;
    pool p(io.get_executor(), server.origin(), opts_for(server));
    request bad = get("/x\r\nInjected: 1");
    auto r = run(io, p.send(bad));
    BOOST_REQUIRE(r.has_error());
    BOOST_TEST(to_string(r.error().kind) == "invalid_argument");
    request bad_header = get();
    bad_header.headers.push_back({"X-Ok", "a\r\nInjected: 1"});
    BOOST_TEST(to_string(run(io, p.send(bad_header)).error().kind) == "invalid_argument");
    BOOST_TEST(to_string(run(io, p.send(get("no-slash"))).error().kind) == "invalid_argument");
    BOOST_TEST(server.connections_accepted() == 0u);
    BOOST_CHECK_THROW(pool(io.get_executor(), "not a url"), std::invalid_argument);
    pool_options missing;
    missing.tls.ca_file = "/nonexistent/ca.pem";
    BOOST_CHECK_THROW(pool(io.get_executor(), "https://localhost", missing), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace pool_reuse_test
