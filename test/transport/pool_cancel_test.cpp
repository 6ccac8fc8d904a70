// Cancellation through the caller's slot and destruction of the pool with work in flight.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

namespace pool_cancel_test {

using namespace daftra;
using namespace daftra::transport;
using namespace std::chrono_literals;
using namespace boost::asio::experimental::awaitable_operators;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

const std::string ok_body = R"({"code":200})";

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

asio::awaitable<void> timer_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

BOOST_AUTO_TEST_SUITE(pool_cancel)

BOOST_AUTO_TEST_CASE(thousand_cancelled_waiters_leave_the_pool_idle) {
    // "/slow" holds the only connection until every waiter has given up (30 s at most, a hang guard).
    std::atomic<int> waiters_done{0};
    const auto hold_limit = std::chrono::steady_clock::now() + 30s;
    scripted_server server([&](const seen_request& r) {
        action a;
        a.bytes = http_response(200, ok_body);
        if (r.target == "/slow")
            a.hold_until = [&] { return waiters_done.load() == 1000 || std::chrono::steady_clock::now() > hold_limit; };
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 1;
    pool p(io.get_executor(), server.origin(), o);
    int cancelled = 0, other = 0;
    std::size_t peak_waiting = 0;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { BOOST_TEST((co_await p.send(get("/slow"))).has_value()); },
                   asio::detached);
    for (int i = 0; i < 1000; ++i) {
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            auto v = co_await (p.send(get()) || timer_for(50ms));
            if (v.index() == 1) ++cancelled;
            else ++other;
            peak_waiting = std::max(peak_waiting, p.stats().waiting);
            ++waiters_done;
        }, asio::detached);
    }
    io.run();
    io.restart();
    BOOST_TEST(cancelled == 1000);
    BOOST_TEST(other == 0);
    auto st = p.stats();
    BOOST_TEST(st.waiting == 0u);
    BOOST_TEST(st.in_use == 0u);
    BOOST_TEST(st.open == 1u);
    // The one connection still works, and nothing else was opened.
    BOOST_TEST(run(io, p.send(get())).has_value());
    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(cancelling_an_exchange_discards_its_connection) {
    scripted_server server([](const seen_request& r) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.stall = r.target == "/stall";
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 1;
    pool p(io.get_executor(), server.origin(), o);
    run(io, [&]() -> asio::awaitable<void> {
        auto v = co_await (p.send(get("/stall")) || timer_for(100ms));
        BOOST_TEST(v.index() == 1u);
        BOOST_TEST(p.stats().in_use == 0u);
        BOOST_TEST(p.stats().open == 0u);
        // The slot was freed: the next call opens a new connection at once.
        auto r = co_await p.send(get());
        BOOST_TEST(r.has_value());
    }());
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_CASE(cancellation_signal_on_a_queued_call) {
    // The first call's answer is held until the queued one has ended (30 s at most, a hang guard).
    std::atomic<bool> queued_done{false};
    const auto hold_limit = std::chrono::steady_clock::now() + 30s;
    scripted_server server([&](const seen_request&) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.hold_until = [&] { return queued_done.load() || std::chrono::steady_clock::now() > hold_limit; };
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 1;
    pool p(io.get_executor(), server.origin(), o);
    asio::cancellation_signal signal;
    std::optional<result<response>> queued;
    asio::co_spawn(io, p.send(get()), asio::detached);
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        queued = co_await p.send(get());
        queued_done = true;
    }, asio::bind_cancellation_slot(signal.slot(), asio::detached));
    asio::steady_timer t(io, 20ms);
    t.async_wait([&](boost::system::error_code) {
        BOOST_TEST(p.stats().waiting == 1u);
        signal.emit(asio::cancellation_type::terminal);
    });
    io.run();
    BOOST_REQUIRE(queued.has_value());
    BOOST_TEST(queued->has_error());
    BOOST_TEST(to_string(queued->error().kind) == "cancelled");
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(destroying_the_pool_with_work_in_flight) {
    scripted_server server([](const seen_request& r) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.stall = r.target == "/stall";
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 4;
    auto p = std::make_unique<pool>(io.get_executor(), server.origin(), o);
    int cancelled = 0, finished = 0;
    for (int i = 0; i < 50; ++i) {
        asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
            auto r = co_await p->send(get(i % 2 ? "/stall" : "/ok"));
            ++finished;
            if (!r && to_string(r.error().kind) == "cancelled") ++cancelled;
        }, asio::detached);
    }
    asio::steady_timer t(io, 100ms);
    t.async_wait([&](boost::system::error_code) { p.reset(); });
    io.run();
    BOOST_TEST(finished == 50);
    BOOST_TEST(cancelled >= 25);  // every stalled call and every queued call
    BOOST_TEST(!p);
}

BOOST_AUTO_TEST_CASE(calls_after_shutdown_fail_at_once) {
    asio::io_context io;
    pool p(io.get_executor(), "https://127.0.0.1:1");
    p.shutdown();
    auto r = run(io, p.send(get()));
    BOOST_TEST(to_string(r.error().kind) == "cancelled");
}

BOOST_AUTO_TEST_CASE(cancellation_races_hand_off_on_four_threads) {
    // Timers of 0..4 ms race the hand-off of connections on a 4-thread io_context: every call must end
    // (answer or cancelled), and the pool must end idle with no waiter and no connection in use.
    scripted_server server([](const seen_request&) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.delay = 1ms;
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 3;
    pool p(io.get_executor(), server.origin(), o);
    std::atomic<int> answered{0}, cancelled{0};
    std::atomic<std::size_t> peak_open{0};
    for (int i = 0; i < 400; ++i) {
        // Each caller on its own strand, as Asio requires when cancellation is emitted on a
        // multi-threaded io_context (a slot must not be emitted and re-armed concurrently).
        asio::co_spawn(asio::make_strand(io), [&, i]() -> asio::awaitable<void> {
            auto v = co_await (p.send(get()) || timer_for(std::chrono::milliseconds(i % 5)));
            if (v.index() == 0 && std::get<0>(v).has_value()) ++answered;
            else ++cancelled;
            const auto open = p.stats().open;
            for (auto seen = peak_open.load(); open > seen && !peak_open.compare_exchange_weak(seen, open);) {}
        }, asio::detached);
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) threads.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : threads) t.join();
    BOOST_TEST(answered + cancelled == 400);
    auto st = p.stats();
    BOOST_TEST(st.waiting == 0u);
    BOOST_TEST(st.in_use == 0u);
    BOOST_TEST(st.open <= 3u);
    // The client's count: the server may still hold sockets the client has already closed.
    BOOST_TEST(peak_open.load() <= 3u);
    io.restart();
    BOOST_TEST(run(io, p.send(get())).has_value());
}

BOOST_AUTO_TEST_CASE(destroying_the_pool_on_four_threads) {
    scripted_server server([](const seen_request& r) {
        action a;
        a.bytes = http_response(200, ok_body);
        a.stall = r.target == "/stall";
        return a;
    });
    asio::io_context io;
    auto o = opts_for(server);
    o.max_connections = 4;
    auto p = std::make_unique<pool>(io.get_executor(), server.origin(), o);
    std::atomic<int> finished{0};
    for (int i = 0; i < 200; ++i) {
        asio::co_spawn(asio::make_strand(io), [&, i, &pl = *p]() -> asio::awaitable<void> {
            (void)co_await pl.send(get(i % 3 ? "/ok" : "/stall"));
            ++finished;
        }, asio::detached);
    }
    asio::steady_timer t(io, 50ms);
    t.async_wait([&](boost::system::error_code) { p.reset(); });
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i) threads.emplace_back([&] { io.run(); });
    io.run();
    for (auto& th : threads) th.join();
    BOOST_TEST(finished == 200);
}

BOOST_AUTO_TEST_CASE(io_context_destroyed_with_an_exchange_suspended) {
    // Pool first, then the io_context, without running it again, as an application shutting down in a
    // hurry: the suspended exchange's frame is destroyed with the io_context, and its locals give memory
    // back to the connection's header arena, so the frame keeps the connection alive. Under ASan any
    // use after free in this teardown fails the test.
    scripted_server server([](const seen_request&) {
        action a;
        a.stall = true;
        return a;
    });
    auto io = std::make_unique<asio::io_context>();
    auto p = std::make_unique<pool>(io->get_executor(), server.origin(), opts_for(server));
    asio::co_spawn(*io, p->send(get("/stall")), asio::detached);
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (server.requests().empty() && std::chrono::steady_clock::now() < give_up) io->run_for(10ms);
    BOOST_REQUIRE_EQUAL(server.requests().size(), 1u);
    p.reset();
    io.reset();
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace pool_cancel_test
