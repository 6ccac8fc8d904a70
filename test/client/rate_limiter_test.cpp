// The client-side rate limiter: token-bucket arithmetic on given time points, burst then steady rate,
// the in-flight cap under 200 concurrent callers on 4 threads, FIFO order, and waiters that leave by
// deadline, cancellation or shutdown without blocking anyone behind them.

#include "support/async_test.hpp"

#include "client/rate_limiter.hpp"
#include "client/retry_loop.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace rate_limiter_test {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using detail::rate_limiter;
using steady = std::chrono::steady_clock;

namespace {

std::shared_ptr<rate_limiter> make_limiter(asio::io_context& io, double per_second, std::size_t burst, std::size_t in_flight) {
    rate_limit_options o;
    o.requests_per_second = per_second;
    o.burst = burst;
    o.max_in_flight = in_flight;
    return std::make_shared<rate_limiter>(io.get_executor(), o, clock_hooks{});
}

// Takes a permit and keeps it until release() (a caller whose request is on the wire).
struct holder {
    std::optional<rate_limiter::permit> permit;
    asio::awaitable<void> take(rate_limiter& l) {
        auto p = co_await l.acquire(steady::now() + 10s);
        if (p) permit.emplace(std::move(*p));
    }
};

// Runs `task` on its own strand (needed to cancel it from a timer with ||) and stores its outcome.
template <class T>
asio::awaitable<void> store(asio::awaitable<T> task, std::optional<T>& out) {
    out.emplace(co_await std::move(task));
}

error_kind kind_of(const std::optional<result<rate_limiter::permit>>& r) {
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(!r->has_value());
    return r->error().kind;
}

} // namespace

BOOST_AUTO_TEST_SUITE(rate_limits)

BOOST_AUTO_TEST_CASE(bucket_arithmetic) {
    const auto t0 = steady::time_point{} + 1h;
    detail::token_bucket b(10.0, 5.0, t0);  // 10/s, 5 at once
    for (int i = 0; i < 5; ++i) BOOST_TEST(b.try_take(t0), i);
    BOOST_TEST(!b.try_take(t0));
    BOOST_TEST((b.time_to_next(t0) == 100ms));
    BOOST_TEST(b.available(t0 + 50ms) == 0.5, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(!b.try_take(t0 + 50ms));
    BOOST_TEST((b.time_to_next(t0 + 50ms) == 50ms));
    BOOST_TEST(b.try_take(t0 + 100ms));
    BOOST_TEST(!b.try_take(t0 + 100ms));
    BOOST_TEST(b.available(t0 + 10s) == 5.0);  // an idle bucket fills up to the burst only
    BOOST_TEST(b.available(t0 + 5s) == 5.0);   // an older reading adds and removes nothing
    BOOST_TEST((b.time_to_next(t0 + 10s) == 0ns));

    detail::token_bucket slow(0.5, 1.0, t0);  // one every 2 s
    BOOST_TEST(slow.try_take(t0));
    BOOST_TEST((slow.time_to_next(t0) == 2s));
    BOOST_TEST(!slow.try_take(t0 + 1999ms));
    BOOST_TEST(slow.try_take(t0 + 2s));
}

BOOST_AUTO_TEST_CASE(off_unless_asked) {
    BOOST_TEST(!rate_limiter::limits(rate_limit_options{}));
    rate_limit_options o;
    o.max_in_flight = 1;
    BOOST_TEST(rate_limiter::limits(o));
    o = {};
    o.requests_per_second = 0.1;
    BOOST_TEST(rate_limiter::limits(o));
}

BOOST_AUTO_TEST_CASE(burst_then_steady_rate) {
    asio::io_context io;
    constexpr double rate = 50;  // one every 20 ms
    constexpr std::size_t burst = 5, callers = 25;
    const auto start = steady::now();  // before the bucket exists: it cannot refill before this
    auto limiter = make_limiter(io, rate, burst, 0);
    std::vector<std::pair<std::size_t, steady::time_point>> grants;  // one thread: no lock needed
    auto caller = [&](std::size_t i) -> asio::awaitable<void> {
        auto p = co_await limiter->acquire(steady::now() + 10s);
        BOOST_TEST(p.has_value());
        grants.emplace_back(i, steady::now());
    };
    for (std::size_t i = 0; i < callers; ++i) asio::co_spawn(io, caller(i), asio::detached);
    io.run();
    BOOST_TEST_REQUIRE(grants.size() == callers);
    for (std::size_t k = 0; k < callers; ++k) {
        BOOST_TEST(grants[k].first == k);  // FIFO
        // Never faster than the bucket allows: the k-th grant needs k+1-burst refilled tokens.
        if (k >= burst) {
            const auto earliest = start + std::chrono::duration_cast<steady::duration>(
                                              std::chrono::duration<double>((k + 1 - burst) / rate));
            BOOST_TEST((grants[k].second >= earliest - 1ms), k);
        }
    }
    // That the burst goes at once is the_burst_needs_no_time's (on a clock that does not move).
    const auto took = grants.back().second - start;
    BOOST_TEST((took >= 390ms));
    BOOST_TEST((took < 30s));  // a hang guard only: the refill timer keeps the rest going
}

BOOST_AUTO_TEST_CASE(the_burst_needs_no_time) {
    // On a clock that stands still, the bucket gives the burst and nothing more: the first `burst`
    // callers are served in order without any time passing, the others wait until their deadlines
    // (50 ms of real timer later, as the limiter's timers run on the executor).
    asio::io_context io;
    constexpr std::size_t burst = 5, callers = 25;
    const auto frozen = steady::now();
    rate_limit_options o;
    o.requests_per_second = 50;
    o.burst = burst;
    clock_hooks stopped_clock;
    stopped_clock.now = [frozen] { return frozen; };
    auto limiter = std::make_shared<rate_limiter>(io.get_executor(), o, stopped_clock);
    std::vector<std::size_t> granted;
    std::vector<rate_limiter::permit> held;
    std::size_t timed_out = 0;
    auto caller = [&](std::size_t i) -> asio::awaitable<void> {
        auto p = co_await limiter->acquire(frozen + 50ms);
        if (p) {
            granted.push_back(i);
            held.push_back(std::move(*p));
        } else if (p.error().kind == error_kind::timeout) {
            ++timed_out;
        }
    };
    for (std::size_t i = 0; i < callers; ++i) asio::co_spawn(io, caller(i), asio::detached);
    io.run();
    const std::vector<std::size_t> expected{0, 1, 2, 3, 4};
    BOOST_TEST(granted == expected, boost::test_tools::per_element());
    BOOST_TEST(timed_out == callers - burst);
    BOOST_TEST(limiter->snapshot().waiting == 0u);
}

BOOST_AUTO_TEST_CASE(in_flight_cap_with_200_callers_on_4_threads) {
    asio::io_context io;
    constexpr std::size_t cap = 5, callers = 200;
    auto limiter = make_limiter(io, 0, 0, cap);
    std::atomic<std::size_t> current{0}, highest{0}, ok{0};
    // A fake transport that takes a millisecond and counts the requests on it at once.
    const auth::send_function attempt = [&](transport::request, transport::send_options) -> asio::awaitable<result<transport::response>> {
        const auto now_in = ++current;
        auto seen = highest.load();
        while (now_in > seen && !highest.compare_exchange_weak(seen, now_in)) {}
        asio::steady_timer t(co_await asio::this_coro::executor, 1ms);
        co_await t.async_wait(asio::use_awaitable);
        --current;
        transport::response r;
        r.status = 200;
        co_return r;
    };
    const retry_options policy;
    const clock_hooks clock;
    auto caller = [&]() -> asio::awaitable<void> {
        detail::retry_plan plan;
        plan.policy = &policy;
        plan.clock = &clock;
        plan.limiter = limiter.get();
        plan.deadline = steady::now() + 60s;
        transport::request req;
        auto r = co_await detail::send_with_retries(attempt, std::move(req), std::move(plan));
        if (r && r->status == 200) ++ok;
    };
    for (std::size_t i = 0; i < callers; ++i) asio::co_spawn(asio::make_strand(io), caller(), asio::detached);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&io] { io.run(); });
    for (auto& t : threads) t.join();
    BOOST_TEST(ok.load() == callers);
    BOOST_TEST(highest.load() <= cap);
    BOOST_TEST(highest.load() >= 2u);  // the callers did overlap
    const auto c = limiter->snapshot();
    BOOST_TEST(c.in_flight == 0u);
    BOOST_TEST(c.waiting == 0u);
    BOOST_TEST(c.granted == callers);
}

BOOST_AUTO_TEST_CASE(fifo_under_the_cap) {
    asio::io_context io;
    auto limiter = make_limiter(io, 0, 0, 1);
    holder first;
    std::vector<int> order;
    auto caller = [&](int i) -> asio::awaitable<void> {
        auto p = co_await limiter->acquire(steady::now() + 10s);
        BOOST_TEST(p.has_value());
        order.push_back(i);
        asio::steady_timer t(co_await asio::this_coro::executor, 1ms);  // hold it a little
        co_await t.async_wait(asio::use_awaitable);
    };
    test::run(io, first.take(*limiter));
    for (int i = 0; i < 10; ++i) asio::co_spawn(io, caller(i), asio::detached);
    io.poll();
    BOOST_TEST(limiter->snapshot().waiting == 10u);
    first.permit.reset();
    io.restart();
    io.run();
    const std::vector<int> expected{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deadline_while_queued) {
    asio::io_context io;
    auto limiter = make_limiter(io, 0, 0, 1);
    holder first;
    test::run(io, first.take(*limiter));
    const auto start = steady::now();
    auto r = test::run(io, limiter->acquire(start + 50ms));
    const auto took = steady::now() - start;
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::timeout));
    BOOST_TEST((took >= 45ms));
    BOOST_TEST((took < 30s));  // a hang guard only: the permit holder never lets go
    BOOST_TEST(limiter->snapshot().waiting == 0u);

    r = test::run(io, limiter->acquire(steady::now() - 1ms));  // already past: no wait at all
    BOOST_TEST((r.error().kind == error_kind::timeout));

    // A bucket without tokens: the wait for a refill is bounded by the deadline too.
    auto slow = make_limiter(io, 0.01, 1, 0);
    auto p = test::run(io, slow->acquire(steady::now() + 1s));
    BOOST_TEST(p.has_value());
    r = test::run(io, slow->acquire(steady::now() + 50ms));  // io.run() returns: no 100 s refill timer left behind
    BOOST_TEST((r.error().kind == error_kind::timeout));
}

BOOST_AUTO_TEST_CASE(cancellation_while_queued_leaves_the_queue_healthy) {
    using namespace asio::experimental::awaitable_operators;
    asio::io_context io;
    auto limiter = make_limiter(io, 0, 0, 1);
    holder first;
    test::run(io, first.take(*limiter));

    // Three waiters; the middle one is cancelled by a timer; the other two are served in order.
    std::vector<char> order;
    auto served = [&](char name) -> asio::awaitable<void> {
        auto p = co_await limiter->acquire(steady::now() + 10s);
        if (p) order.push_back(name);
    };  // the permit goes back as the coroutine ends
    std::optional<result<rate_limiter::permit>> cancelled;
    // Each step waits for the limiter's queue, not for a while: 'a' queues, then the one to cancel,
    // then 'c' behind it; only then is the middle one cancelled and the permit given back.
    auto queue_length_reaches = [&](std::size_t n) -> asio::awaitable<void> {
        const auto give_up = steady::now() + 10s;
        while (limiter->snapshot().waiting < n && steady::now() < give_up) co_await test::sleep_for(1ms);
    };
    asio::co_spawn(asio::make_strand(io), served('a'), asio::detached);
    asio::co_spawn(asio::make_strand(io), [&]() -> asio::awaitable<void> {
        co_await queue_length_reaches(1);
        co_await (store(limiter->acquire(steady::now() + 10s), cancelled) || queue_length_reaches(3));
        first.permit.reset();  // now let the others go
    }, asio::detached);
    asio::co_spawn(asio::make_strand(io), [&]() -> asio::awaitable<void> {
        co_await queue_length_reaches(2);  // queue behind the one to be cancelled
        co_await served('c');
    }, asio::detached);
    const auto start = steady::now();
    io.run();
    BOOST_TEST((steady::now() - start < 30s));  // a hang guard only
    BOOST_TEST((kind_of(cancelled) == error_kind::cancelled));
    const std::vector<char> expected{'a', 'c'};
    BOOST_TEST(order == expected, boost::test_tools::per_element());
    const auto counters = limiter->snapshot();
    BOOST_TEST(counters.waiting == 0u);
    BOOST_TEST(counters.in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(shutdown_wakes_every_waiter) {
    asio::io_context io;
    auto limiter = make_limiter(io, 0.01, 1, 1);  // one token, then one per 100 s; one slot
    holder first;
    test::run(io, first.take(*limiter));
    std::atomic<int> cancelled{0};
    constexpr int waiters = 20;
    auto waiter = [&]() -> asio::awaitable<void> {
        auto p = co_await limiter->acquire(steady::now() + 60s);
        if (!p && p.error().kind == error_kind::cancelled) ++cancelled;
    };
    for (int i = 0; i < waiters; ++i) asio::co_spawn(asio::make_strand(io), waiter(), asio::detached);
    // Shut down once every waiter is queued (10 s at most), not after a while.
    asio::co_spawn(asio::make_strand(io), [&]() -> asio::awaitable<void> {
        const auto give_up = steady::now() + 10s;
        while (limiter->snapshot().waiting < static_cast<std::size_t>(waiters) && steady::now() < give_up)
            co_await test::sleep_for(1ms);
        limiter->shutdown();
    }, asio::detached);
    const auto start = steady::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i) threads.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& th : threads) th.join();
    BOOST_TEST((steady::now() - start < 30s));  // a hang guard below the 60 s deadline and the 100 s refill
    BOOST_TEST(cancelled.load() == waiters);
    BOOST_TEST(limiter->snapshot().waiting == 0u);
    io.restart();
    auto late = test::run(io, limiter->acquire(steady::now() + 1s));
    BOOST_TEST((late.error().kind == error_kind::cancelled));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace rate_limiter_test
