// The retry loop with a fake clock, a recording sleep and scripted attempts: backoff ceilings and
// jitter, Retry-After in both forms, the deadline, which statuses and failures are retried for which
// methods, rate-limiter tokens per attempt, and cancellation during a backoff wait. Nothing sleeps
// except the cancellation case, which cancels a 30 s wait after 50 ms.

#include "fake_time.hpp"
#include "support/async_test.hpp"

#include "client/rate_limiter.hpp"
#include "client/retry_loop.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

namespace retry_loop_test {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

struct loop_fixture {
    asio::io_context io;
    test::fake_time time;
    clock_hooks clock = time.hooks();
    retry_options policy;
    test::scripted_attempts attempts;
    std::shared_ptr<detail::rate_limiter> limiter;

    loop_fixture() {
        attempts.time = &time;
        policy.jitter = [](milliseconds ceiling) { return ceiling; };  // the ceiling itself: predictable
    }

    result<transport::response> call(transport::verb method, milliseconds budget = 120s) {
        transport::request req;
        req.method = method;
        req.target = "/api2/invoices/1.json";
        detail::retry_plan plan;
        plan.policy = &policy;
        plan.clock = &clock;
        plan.limiter = limiter.get();
        plan.deadline = time.steady + budget;
        const auto fn = attempts.function();
        return test::run(io, detail::send_with_retries(fn, std::move(req), std::move(plan)));
    }
};

std::string what(const result<transport::response>& r) {
    return r ? "HTTP " + std::to_string(r->status) : r.error().describe();
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_loop)

BOOST_FIXTURE_TEST_CASE(backoff_doubles_to_the_cap, loop_fixture) {
    policy.max_attempts = 6;
    policy.initial_backoff = 100ms;
    policy.max_backoff = 400ms;
    attempts.script = {test::answer(503)};
    auto r = call(transport::verb::get);
    BOOST_TEST(r->status == 503u);  // out of attempts: the last answer is the outcome
    BOOST_TEST(attempts.sent.size() == 6u);
    const std::vector<milliseconds> expected{100ms, 200ms, 400ms, 400ms, 400ms};
    BOOST_TEST(time.sleeps == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(full_jitter_stays_within_the_ceiling, loop_fixture) {
    policy.max_attempts = 40;
    policy.initial_backoff = 8ms;
    policy.max_backoff = 64ms;
    policy.jitter = nullptr;  // the default: uniform in [0, ceiling]
    attempts.script = {test::answer(502)};
    call(transport::verb::get);
    BOOST_TEST_REQUIRE(time.sleeps.size() == 39u);
    milliseconds total{0};
    for (std::size_t i = 0; i < time.sleeps.size(); ++i) {
        BOOST_TEST(time.sleeps[i].count() >= 0);
        BOOST_TEST(time.sleeps[i] <= retry::backoff_ceiling(policy, static_cast<unsigned>(i) + 2), i);
        total += time.sleeps[i];
    }
    // 36 waits capped at 64 ms: all of them at 0 or all at the cap would not be jitter.
    BOOST_TEST(total > 0ms);
    BOOST_TEST(total < 39 * 64ms);
}

BOOST_FIXTURE_TEST_CASE(a_jitter_hook_is_held_to_the_ceiling, loop_fixture) {
    policy.max_attempts = 2;
    policy.initial_backoff = 50ms;
    policy.jitter = [](milliseconds ceiling) { return ceiling * 10; };
    attempts.script = {test::answer(503), test::answer(200)};
    call(transport::verb::get);
    BOOST_TEST_REQUIRE(time.sleeps.size() == 1u);
    BOOST_TEST(time.sleeps[0].count() == 50);
}

BOOST_FIXTURE_TEST_CASE(retry_after_seconds, loop_fixture) {
    attempts.script = {test::answer(429, "Retry-After: 3\r\n"), test::answer(200)};
    auto r = call(transport::verb::get);
    BOOST_TEST(r->status == 200u, what(r));
    BOOST_TEST_REQUIRE(time.sleeps.size() == 1u);
    BOOST_TEST(time.sleeps[0].count() == 3000);  // the server's wait, not the backoff
    BOOST_TEST((attempts.sent[1].at - attempts.sent[0].at == 3s));
}

BOOST_FIXTURE_TEST_CASE(retry_after_http_date, loop_fixture) {
    // The fake wall clock reads 08:49:37; the server asks for 08:49:47.
    attempts.script = {test::answer(503, "Retry-After: Sun, 06 Nov 1994 08:49:47 GMT\r\n"), test::answer(200)};
    auto r = call(transport::verb::put);
    BOOST_TEST(r->status == 200u, what(r));
    BOOST_TEST_REQUIRE(time.sleeps.size() == 1u);
    BOOST_TEST(time.sleeps[0].count() == 10000);
}

BOOST_FIXTURE_TEST_CASE(retry_after_over_the_cap_ends_the_call, loop_fixture) {
    policy.max_retry_after = 5s;
    attempts.script = {test::answer(429, "Retry-After: 30\r\n"), test::answer(200)};
    auto r = call(transport::verb::get);
    BOOST_TEST(r->status == 429u, what(r));
    BOOST_TEST(attempts.sent.size() == 1u);
    BOOST_TEST(time.sleeps.empty());

    attempts.sent.clear();
    attempts.script = {test::answer(503, "Retry-After: Sun, 06 Nov 1994 09:49:37 GMT\r\n"), test::answer(200)};
    r = call(transport::verb::get);
    BOOST_TEST(r->status == 503u, what(r));
    BOOST_TEST(attempts.sent.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(an_unreadable_retry_after_falls_back_to_the_backoff, loop_fixture) {
    policy.initial_backoff = 70ms;
    attempts.script = {test::answer(503, "Retry-After: soon\r\n"), test::answer(200)};
    auto r = call(transport::verb::get);
    BOOST_TEST(r->status == 200u, what(r));
    BOOST_TEST_REQUIRE(time.sleeps.size() == 1u);
    BOOST_TEST(time.sleeps[0].count() == 70);
}

BOOST_FIXTURE_TEST_CASE(the_deadline_stops_retries, loop_fixture) {
    policy.max_attempts = 10;
    policy.initial_backoff = 400ms;
    policy.max_backoff = 10s;
    attempts.script = {test::answer(503)};
    const auto start = time.steady;
    auto r = call(transport::verb::get, 1000ms);
    // 400 ms wait, second attempt at 400 ms; the next wait (800 ms) would end past the deadline.
    BOOST_TEST(r->status == 503u, what(r));
    BOOST_TEST(attempts.sent.size() == 2u);
    for (const auto& a : attempts.sent) BOOST_TEST((a.deadline == start + 1000ms));  // one deadline for every attempt

    attempts.sent.clear();
    r = call(transport::verb::get, 0ms);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::timeout));
    BOOST_TEST(!r.error().maybe_sent);
    BOOST_TEST(attempts.sent.empty());
}

BOOST_FIXTURE_TEST_CASE(retryable_statuses_for_idempotent_methods_only, loop_fixture) {
    for (unsigned status : {408u, 429u, 502u, 503u, 504u}) {
        for (auto method : {transport::verb::get, transport::verb::put, transport::verb::delete_}) {
            attempts.sent.clear();
            attempts.script = {test::answer(status), test::answer(200)};
            auto r = call(method);
            BOOST_TEST(r->status == 200u, status << " " << method);
            BOOST_TEST(attempts.sent.size() == 2u, status << " " << method);
        }
        attempts.sent.clear();
        attempts.script = {test::answer(status), test::answer(200)};
        auto r = call(transport::verb::post);
        BOOST_TEST(r->status == status, "POST " << status);  // a create is never sent twice
        BOOST_TEST(attempts.sent.size() == 1u);
    }
    for (unsigned status : {400u, 401u, 404u, 422u, 500u}) {
        attempts.sent.clear();
        attempts.script = {test::answer(status), test::answer(200)};
        auto r = call(transport::verb::get);
        BOOST_TEST(r->status == status);
        BOOST_TEST(attempts.sent.size() == 1u);
    }
}

BOOST_FIXTURE_TEST_CASE(post_is_retried_only_when_never_written, loop_fixture) {
    attempts.script = {test::failure(error_kind::transport, false), test::answer(200)};
    auto r = call(transport::verb::post);
    BOOST_TEST(r->status == 200u, what(r));
    BOOST_TEST(attempts.sent.size() == 2u);

    for (auto kind : {error_kind::transport, error_kind::timeout}) {
        attempts.sent.clear();
        attempts.script = {test::failure(kind, true), test::answer(200)};
        r = call(transport::verb::post);
        BOOST_TEST_REQUIRE(!r.has_value());
        BOOST_TEST(r.error().maybe_sent);
        BOOST_TEST(attempts.sent.size() == 1u);

        attempts.sent.clear();
        attempts.script = {test::failure(kind, true), test::answer(200)};
        r = call(transport::verb::get);  // a GET may go again even though it reached the server
        BOOST_TEST(r->status == 200u, what(r));
        BOOST_TEST(attempts.sent.size() == 2u);
    }
    for (auto kind : {error_kind::tls, error_kind::auth, error_kind::cancelled, error_kind::protocol}) {
        attempts.sent.clear();
        attempts.script = {test::failure(kind, false), test::answer(200)};
        r = call(transport::verb::get);
        BOOST_TEST(!r.has_value());
        BOOST_TEST(attempts.sent.size() == 1u);
    }
}

// The answer says whether an earlier attempt may have acted on the server without a definite answer:
// what lets a DELETE's later 404 count as "already gone" (resource::remove).
BOOST_FIXTURE_TEST_CASE(the_answer_tells_whether_an_earlier_attempt_may_have_acted, loop_fixture) {
    struct history {
        std::string what;
        std::deque<result<transport::response>> script;
        bool unknown;
    };
    const std::vector<history> cases{
        {"first attempt", {test::answer(404)}, false},
        {"reset after it was written", {test::failure(error_kind::transport, true), test::answer(404)}, true},
        {"timeout after it was written", {test::failure(error_kind::timeout, true), test::answer(404)}, true},
        {"refused before it was written", {test::failure(error_kind::transport, false), test::answer(404)}, false},
        {"gateway 502", {test::answer(502), test::answer(404)}, true},
        {"gateway timeout 504", {test::answer(504), test::answer(404)}, true},
        {"definite 503", {test::answer(503), test::answer(404)}, false},
        {"definite 429", {test::answer(429), test::answer(404)}, false},
        {"definite 408", {test::answer(408), test::answer(404)}, false},
        {"503 after a lost answer", {test::failure(error_kind::transport, true), test::answer(503), test::answer(404)}, true},
        {"lost answer after a 503", {test::answer(503), test::failure(error_kind::timeout, true), test::answer(404)}, true},
        {"unsent, then 503", {test::failure(error_kind::transport, false), test::answer(503), test::answer(404)}, false},
    };
    for (const auto& c : cases) {
        attempts.sent.clear();
        attempts.script = c.script;
        auto r = call(transport::verb::delete_);
        BOOST_TEST_REQUIRE(r.has_value(), c.what << ": " << what(r));
        BOOST_TEST(r->status == 404u, c.what);
        BOOST_TEST(attempts.sent.size() == c.script.size(), c.what);
        BOOST_TEST(r->after_unknown_outcome == c.unknown, c.what);
    }

    // A flag the pool set for its own replay is kept.
    auto replayed = test::answer(404);
    replayed->after_unknown_outcome = true;
    attempts.sent.clear();
    attempts.script = {replayed};
    auto r = call(transport::verb::delete_);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->after_unknown_outcome);
}

BOOST_FIXTURE_TEST_CASE(each_attempt_takes_a_token, loop_fixture) {
    rate_limit_options limits;
    limits.requests_per_second = 0.001;  // no refill within the test
    limits.burst = 3;
    limiter = std::make_shared<detail::rate_limiter>(io.get_executor(), limits, clock);
    policy.max_attempts = 5;
    policy.initial_backoff = 1ms;
    attempts.script = {test::answer(503)};
    auto r = call(transport::verb::get, 50ms);  // the 4th attempt waits for a token until the deadline
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::timeout), r.error().describe());
    BOOST_TEST(attempts.sent.size() == 3u);
    BOOST_TEST(limiter->snapshot().granted == 3u);
    BOOST_TEST(limiter->snapshot().in_flight == 0u);  // each permit was given back
    BOOST_TEST(limiter->snapshot().waiting == 0u);
}

BOOST_AUTO_TEST_CASE(cancellation_during_a_backoff_wait) {
    using namespace asio::experimental::awaitable_operators;
    asio::io_context io;
    retry_options policy;
    policy.initial_backoff = 100s;  // within the 120 s deadline, so the loop does wait
    policy.max_backoff = 100s;
    policy.jitter = [](milliseconds ceiling) { return ceiling; };
    clock_hooks real;  // the default timer sleep
    test::fake_time unused;
    test::scripted_attempts attempts;
    attempts.time = &unused;
    attempts.script = {test::answer(503), test::answer(200)};
    const auto fn = attempts.function();

    std::optional<result<transport::response>> outcome;
    auto call = [&]() -> asio::awaitable<void> {
        daftra::detail::retry_plan plan;
        plan.policy = &policy;
        plan.clock = &real;
        plan.deadline = std::chrono::steady_clock::now() + 120s;
        transport::request req;
        outcome = co_await daftra::detail::send_with_retries(fn, std::move(req), std::move(plan));
    };
    const auto start = std::chrono::steady_clock::now();
    test::run(io, asio::co_spawn(asio::make_strand(io), [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 50ms);
        co_await (call() || timer.async_wait(asio::use_awaitable));
    }, asio::use_awaitable));
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST_REQUIRE(outcome.has_value());
    BOOST_TEST_REQUIRE(!outcome->has_value());
    BOOST_TEST((outcome->error().kind == error_kind::cancelled), outcome->error().describe());
    BOOST_TEST(attempts.sent.size() == 1u);
    BOOST_TEST(took < 30s);  // a hang guard only, far below the 100 s backoff the cancellation cut short
}

BOOST_AUTO_TEST_CASE(a_cancellation_the_attempt_ignored_still_ends_the_call) {
    using namespace asio::experimental::awaitable_operators;
    asio::io_context io;
    retry_options policy;
    policy.jitter = [](milliseconds ceiling) { return ceiling; };
    const clock_hooks real;
    int sent = 0;
    // An attempt that does not honour cancellation: it answers 503 after 100 ms whatever happens.
    const auth::send_function deaf = [&](transport::request, transport::send_options) -> asio::awaitable<result<transport::response>> {
        ++sent;
        asio::steady_timer t(co_await asio::this_coro::executor, 100ms);
        co_await t.async_wait(asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
        co_return test::answer(503);
    };
    std::optional<result<transport::response>> outcome;
    auto call = [&]() -> asio::awaitable<void> {
        daftra::detail::retry_plan plan;
        plan.policy = &policy;
        plan.clock = &real;
        plan.deadline = std::chrono::steady_clock::now() + 60s;
        transport::request req;
        outcome = co_await daftra::detail::send_with_retries(deaf, std::move(req), std::move(plan));
    };
    test::run(io, asio::co_spawn(asio::make_strand(io), [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 20ms);
        co_await (call() || timer.async_wait(asio::use_awaitable));
    }, asio::use_awaitable));
    BOOST_TEST_REQUIRE(outcome.has_value());  // returned, not thrown
    BOOST_TEST_REQUIRE(!outcome->has_value());
    BOOST_TEST((outcome->error().kind == error_kind::cancelled));
    BOOST_TEST(sent == 1);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace retry_loop_test
