// redis::rate_budget through the client's rate limiter, against a real redis-server: several limiters
// (one per "process", each with its own connection) share one account's budget; GCRA in Redis, on
// Redis's clock. Counts are of permits granted within the window, with a 5 % tolerance: the budget is
// exact, the edges of the window are not.
#include "client/rate_limiter.hpp"
#include "daftra/redis/rate_budget.hpp"
#include "support/async_test.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <vector>

namespace rate_budget_test {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace redis = daftra::redis;
using daftra::detail::rate_limiter;
using daftra::test::redis_server;
using steady = std::chrono::steady_clock;

redis::rate_budget_options budget_options(const redis_server& server) {
    redis::rate_budget_options o;
    o.connection.where = redis::parse_url(server.unix_url()).value();
    o.connection.reconnect_min = 20ms;
    o.connection.reconnect_max = 100ms;
    o.account = "sandbox.example:client-1:owner@example.com";
    return o;
}

std::shared_ptr<rate_limiter> shared_limiter(asio::io_context& io, std::shared_ptr<shared_rate_budget> budget,
                                             double per_second, std::size_t burst) {
    rate_limit_options o;
    o.requests_per_second = per_second;
    o.burst = burst;
    o.shared = std::move(budget);
    return std::make_shared<rate_limiter>(io.get_executor(), o, clock_hooks{});
}

// `callers` coroutines per limiter take permits until `window` has passed; returns the permits granted
// within it.
asio::awaitable<int> count_grants(asio::io_context& io, const std::vector<std::shared_ptr<rate_limiter>>& limiters,
                                  int callers, steady::duration window) {
    auto granted = std::make_shared<int>(0);
    auto running = std::make_shared<int>(0);
    const auto end = steady::now() + window;
    for (auto& limiter : limiters)
        for (int c = 0; c < callers; ++c) {
            ++*running;
            asio::co_spawn(io, [limiter, granted, running, end]() -> asio::awaitable<void> {
                for (;;) {
                    auto p = co_await limiter->acquire(steady::now() + 30s);
                    if (!p || steady::now() >= end) break;
                    ++*granted;
                }
                --*running;
            }, asio::detached);
        }
    while (*running > 0) co_await daftra::test::sleep_for(5ms);
    co_return *granted;
}

BOOST_AUTO_TEST_SUITE(redis_rate_budget)

BOOST_AUTO_TEST_CASE(four_processes_share_one_budget_and_one_alone_gets_all_of_it) {
    redis_server server;
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        std::vector<std::shared_ptr<redis::rate_budget>> budgets;
        std::vector<std::shared_ptr<rate_limiter>> limiters;
        for (int p = 0; p < 4; ++p) {
            budgets.push_back(std::make_shared<redis::rate_budget>(io.get_executor(), budget_options(server)));
            limiters.push_back(shared_limiter(io, budgets.back(), 200, 20));
        }
        // 200 per second with a burst of 20, for 2 s: 20 + 400 = 420 together.
        const int together = co_await count_grants(io, limiters, 8, 2s);
        BOOST_TEST_MESSAGE("4 processes, 2 s: " << together << " permits");
        BOOST_TEST(together >= 399);
        BOOST_TEST(together <= 441);
        for (auto& l : limiters) BOOST_TEST(l->snapshot().shared_fallbacks == 0u);

        co_await daftra::test::sleep_for(150ms);  // the burst refills (20 × 5 ms)
        std::vector<std::shared_ptr<rate_limiter>> alone{limiters.front()};
        const int one = co_await count_grants(io, alone, 8, 2s);
        BOOST_TEST_MESSAGE("1 process, 2 s: " << one << " permits");
        BOOST_TEST(one >= 399);
        BOOST_TEST(one <= 441);
        for (auto& l : limiters) l->shutdown();
    }());
}

BOOST_AUTO_TEST_CASE(a_wait_beyond_the_deadline_reserves_nothing) {
    redis_server server;
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto budget = std::make_shared<redis::rate_budget>(io.get_executor(), budget_options(server));
        auto limiter = shared_limiter(io, budget, 10, 1);  // one request per 100 ms
        BOOST_REQUIRE((co_await limiter->acquire(steady::now() + 1s)).has_value());
        auto hurried = co_await limiter->acquire(steady::now() + 20ms);  // its place is ~100 ms away
        BOOST_REQUIRE(!hurried);
        BOOST_TEST((hurried.error().kind == error_kind::timeout));
        BOOST_TEST(budget->stats().refused == 1u);
        BOOST_TEST(budget->stats().reservations == 1u);

        // A caller cancelled while it waits for its place leaves as cancelled.
        asio::cancellation_signal signal;
        std::optional<result<rate_limiter::permit>> cancelled;
        asio::co_spawn(io, limiter->acquire(steady::now() + 5s),
                       asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr, result<rate_limiter::permit> r) {
                           cancelled = std::move(r);
                       }));
        co_await daftra::test::sleep_for(20ms);
        signal.emit(asio::cancellation_type::terminal);
        while (!cancelled) co_await daftra::test::sleep_for(2ms);
        BOOST_TEST((!*cancelled && cancelled->error().kind == error_kind::cancelled));
        limiter->shutdown();
    }());
}

BOOST_AUTO_TEST_CASE(without_redis_the_local_share_neither_stops_nor_floods) {
    redis_server server;
    asio::io_context io;
    daftra::test::run(io, [&]() -> asio::awaitable<void> {
        auto budget = std::make_shared<redis::rate_budget>(io.get_executor(), budget_options(server));
        auto limiter = shared_limiter(io, budget, 200, 20);  // fallback: 25 % = 50 per second, burst 5
        BOOST_REQUIRE((co_await limiter->acquire(steady::now() + 1s)).has_value());
        server.kill();
        std::vector<std::shared_ptr<rate_limiter>> one{limiter};
        const int granted = co_await count_grants(io, one, 8, 1s);
        BOOST_TEST_MESSAGE("Redis down, 1 s: " << granted << " permits");
        BOOST_TEST(granted >= 40);   // served: 5 + 50 per second
        BOOST_TEST(granted <= 58);   // and no more than the share
        BOOST_TEST(limiter->snapshot().shared_fallbacks >= 40u);
        BOOST_TEST(budget->stats().failures >= 40u);
        limiter->shutdown();
    }());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace rate_budget_test
