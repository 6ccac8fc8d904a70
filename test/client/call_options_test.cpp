// Per-call options and cancellation against the sandbox: client::with() handles (timeout, deadline
// over a whole all() range, retry policy), cancellation of list/get/create/all() stalled mid-flight,
// the client's rate limit, and the client serving the next call normally after each of them.

#include "sandbox_client.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

namespace call_options_test {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::sandbox_client;
using steady = std::chrono::steady_clock;

namespace {

template <class T>
struct timed {
    std::optional<T> outcome;
    steady::duration took{};
};

std::int64_t requests_seen(const sandbox_client& sb) { return sb.srv.stats().at("requests").to_number<std::int64_t>(); }

// Waits until the sandbox has read more than `before` API requests, polling; gives up after 10 s.
asio::awaitable<void> until_requests_above(const sandbox_client& sb, std::int64_t before) {
    const auto give_up = steady::now() + 10s;
    while (requests_seen(sb) <= before && steady::now() < give_up) co_await test::sleep_for(2ms);
}

// Runs `call` on a strand of sb.io and cancels it (with || ) once the sandbox has read its request:
// the call is then mid-flight by construction, however slowly a loaded machine got it there.
template <class T>
timed<T> cancel_once_sent(sandbox_client& sb, asio::awaitable<T> call) {
    using namespace asio::experimental::awaitable_operators;
    timed<T> out;
    auto store = [&](asio::awaitable<T> c) -> asio::awaitable<void> { out.outcome.emplace(co_await std::move(c)); };
    const std::int64_t before = requests_seen(sb);
    const auto start = steady::now();
    sb.run(asio::co_spawn(asio::make_strand(sb.io), [&]() -> asio::awaitable<void> {
        co_await (store(std::move(call)) || until_requests_above(sb, before));
    }, asio::use_awaitable));
    out.took = steady::now() - start;
    return out;
}

// Cancellation ends a stalled call at once; without it the call would wait for the SDK's 60 s phase
// timeout. The bound is a hang guard only, far above what a loaded sanitizer run takes.
constexpr auto promptly = 30s;

template <class T>
timed<T> timed_run(sandbox_client& sb, asio::awaitable<T> call) {
    timed<T> out;
    const auto start = steady::now();
    out.outcome.emplace(sb.run(std::move(call)));
    out.took = steady::now() - start;
    return out;
}

template <class R>
error_kind kind_of(const std::optional<R>& r) {
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST_REQUIRE(!r->has_value());
    return r->error().kind;
}

sandbox::fault_config stall_taxes() {
    sandbox::fault_config f;
    f.stall_rate = 1;
    f.path_prefix = "/api2/taxes";
    return f;
}

// The client works normally: a create and a read back.
void expect_healthy(sandbox_client& sb) {
    sb.srv.set_faults(sandbox::fault_config{});
    tax t;
    t.name = "healthy";
    t.value = 5;
    auto id = sb.run(sb.api->taxes().create(t));
    BOOST_TEST_REQUIRE(id.has_value(), id.error().describe());
    auto back = sb.run(sb.api->taxes().get(*id));
    BOOST_TEST_REQUIRE(back.has_value(), back.error().describe());
    BOOST_TEST(back->name.value_or("") == "healthy");
}

} // namespace

BOOST_AUTO_TEST_SUITE(call_options_and_cancellation)

BOOST_AUTO_TEST_CASE(every_call_can_be_cancelled_mid_flight) {
    sandbox_client sb;
    query q;
    tax t;
    t.name = "never";
    t.value = 1;

    sb.srv.set_faults(stall_taxes());
    auto list = cancel_once_sent(sb, sb.api->taxes().list(q));
    BOOST_TEST((kind_of(list.outcome) == error_kind::cancelled));
    BOOST_TEST((list.took < promptly));
    expect_healthy(sb);

    sb.srv.set_faults(stall_taxes());
    auto get = cancel_once_sent(sb, sb.api->taxes().get(1));
    BOOST_TEST((kind_of(get.outcome) == error_kind::cancelled));
    BOOST_TEST((get.took < promptly));
    expect_healthy(sb);

    sb.srv.set_faults(stall_taxes());
    auto create = cancel_once_sent(sb, sb.api->taxes().create(t));
    BOOST_TEST((kind_of(create.outcome) == error_kind::cancelled));
    BOOST_TEST(create.outcome->error().maybe_sent);  // it was written: the SDK does not send it again
    BOOST_TEST((create.took < promptly));
    expect_healthy(sb);

    sb.srv.set_faults(stall_taxes());
    {
        auto it = sb.api->taxes().all(q);
        auto all = cancel_once_sent(sb, it.next());
        BOOST_TEST_REQUIRE(all.outcome.has_value());
        BOOST_TEST_REQUIRE(all.outcome->has_value());  // an error, not the end of the range
        BOOST_TEST_REQUIRE(!(*all.outcome)->has_value());
        BOOST_TEST(((*all.outcome)->error().kind == error_kind::cancelled));
        BOOST_TEST((all.took < promptly));
        auto after = sb.run(it.next());
        BOOST_TEST(!after.has_value());  // the error ended the range
    }
    expect_healthy(sb);
    BOOST_TEST(sb.api->pool_stats().in_use == 0u);
}

BOOST_AUTO_TEST_CASE(a_scoped_timeout_bounds_a_stalled_call) {
    sandbox_client sb;
    call_options o;
    o.timeout = 300ms;
    const auto quick = sb.api->with(o);
    sb.srv.set_faults(stall_taxes());
    auto get = timed_run(sb, quick.taxes().get(1));
    BOOST_TEST((kind_of(get.outcome) == error_kind::timeout));
    BOOST_TEST((get.took >= 300ms));  // not before the scoped timeout
    BOOST_TEST((get.took < promptly));  // the scoped timeout, not the 120 s default (the server stalls for good)
    expect_healthy(sb);  // the client's own calls keep the 120 s default
}

BOOST_AUTO_TEST_CASE(a_scoped_deadline_bounds_a_whole_all_range) {
    sandbox_client sb;
    for (int i = 0; i < 10; ++i) {
        tax t;
        t.name = std::to_string(100 + i);  // (no "t" + …: g++ 12 -Wrestrict false positive)
        t.value = i;
        BOOST_TEST_REQUIRE(sb.run(sb.api->taxes().create(t)).has_value());
    }
    sandbox::fault_config slow;
    slow.latency_ms = 200;
    slow.path_prefix = "/api2/taxes";
    sb.srv.set_faults(slow);

    // Ten pages of at least 200 ms each, one at a time, cannot fit in 1.5 s, whatever the load; the
    // first page has 1.3 s to spare.
    const auto start = steady::now();
    call_options o;
    o.deadline = start + 1500ms;
    const auto bounded = sb.api->with(o);
    query q;
    q.limit = 1;
    resources::all_options one_at_a_time;
    one_at_a_time.parallel_pages = 1;
    std::size_t records = 0;
    std::optional<error> ended;
    sb.run([&]() -> asio::awaitable<void> {
        auto it = bounded.taxes().all(q, one_at_a_time);
        while (auto r = co_await it.next()) {
            if (!*r) {
                ended = r->error();
                break;
            }
            ++records;
        }
    }());
    const auto took = steady::now() - start;
    BOOST_TEST_REQUIRE(ended.has_value());
    BOOST_TEST((ended->kind == error_kind::timeout), ended->describe());
    BOOST_TEST(records >= 1u);
    BOOST_TEST(records < 10u);
    BOOST_TEST((took >= 1500ms));  // it ran until the deadline
    BOOST_TEST((took < promptly));

    // The same range without the deadline gets every record.
    records = 0;
    sb.run([&]() -> asio::awaitable<void> {
        auto it = sb.api->taxes().all(q);
        while (auto r = co_await it.next())
            if (*r) ++records;
    }());
    BOOST_TEST(records == 10u);
}

BOOST_AUTO_TEST_CASE(a_scoped_retry_policy) {
    sandbox_client sb;
    sandbox::fault_config once;
    once.times = 1;
    once.error_rate = 1;
    once.error_status = 503;

    call_options o;
    o.retry = retry_options{};
    o.retry->max_attempts = 1;
    const auto no_retries = sb.api->with(o);
    sb.srv.set_faults(once);
    auto failed = sb.run(no_retries.site_info());
    BOOST_TEST_REQUIRE(!failed.has_value());
    BOOST_TEST(failed.error().status == 503u);

    sb.srv.set_faults(once);
    auto retried = sb.run(sb.api->site_info());  // the client's policy: rides out one 503
    BOOST_TEST(retried.has_value(), retried.error().describe());
}

BOOST_AUTO_TEST_CASE(with_merges_options) {
    asio::io_context io;
    client_options co;
    co.base_url = "http://127.0.0.1:9";
    client api(io.get_executor(), auth::api_key{auth::secret("k")}, co);
    const auto t0 = steady::now();
    call_options a;
    a.timeout = 5s;
    a.deadline = t0 + 10s;
    const auto first = api.with(a);
    call_options b;
    b.deadline = t0 + 20s;  // later: the earlier one stays
    b.retry = retry_options{};
    b.retry->max_attempts = 7;
    const auto second = first.with(b);
    BOOST_TEST((second.options().timeout == 5s));
    BOOST_TEST((second.options().deadline == t0 + 10s));
    BOOST_TEST(second.options().retry->max_attempts == 7u);
    BOOST_TEST(!first.options().retry.has_value());
    call_options c;
    c.deadline = t0 + 1s;
    BOOST_TEST((second.with(c).options().deadline == t0 + 1s));
    BOOST_TEST(second.sender() != api.sender());
}

BOOST_AUTO_TEST_CASE(the_client_rate_limit_spaces_calls) {
    sandbox_client sb;
    // A client of its own with 20 requests/s and no burst beyond one.
    client_options o;
    o.base_url = sb.srv.url();
    o.pool.tls.ca_file = sb.ca_path.string();
    o.rate_limit.requests_per_second = 20;
    o.rate_limit.burst = 1;
    o.rate_limit.max_in_flight = 2;
    {
        client api(sb.io.get_executor(), auth::api_key{auth::secret("sandbox-api-key")}, o);
        std::atomic<int> ok{0};
        const auto start = steady::now();
        auto one = [&]() -> asio::awaitable<void> {
            auto r = co_await api.site_info();
            if (r) ++ok;
        };
        sb.run(asio::co_spawn(asio::make_strand(sb.io), [&]() -> asio::awaitable<void> {
            using namespace asio::experimental::awaitable_operators;
            co_await (one() && one() && one() && one() && one() && one());
        }, asio::use_awaitable));
        const auto took = steady::now() - start;
        BOOST_TEST(ok.load() == 6);
        BOOST_TEST((took >= 240ms));  // 5 waits of 50 ms after the first
        BOOST_TEST((took < promptly));  // a hang guard only
    }
    sb.io.restart();
    sb.io.run();
}

BOOST_AUTO_TEST_CASE(client_shutdown_fails_the_calls_queued_at_the_rate_limiter) {
    sandbox_client sb;
    client_options o;
    o.base_url = sb.srv.url();
    o.pool.tls.ca_file = sb.ca_path.string();
    o.rate_limit.max_in_flight = 1;
    sb.srv.set_faults(stall_taxes());  // the first call holds the only slot; the others queue
    {
        client api(sb.io.get_executor(), auth::api_key{auth::secret("sandbox-api-key")}, o);
        constexpr int calls = 10;
        std::atomic<int> cancelled{0};
        auto one = [&]() -> asio::awaitable<void> {
            auto r = co_await api.taxes().get(1);
            if (!r && r.error().kind == error_kind::cancelled) ++cancelled;
        };
        const std::int64_t before = requests_seen(sb);
        const auto start = steady::now();
        sb.run([&]() -> asio::awaitable<void> {
            for (int i = 0; i < calls; ++i) asio::co_spawn(sb.io, one(), asio::detached);
            co_await until_requests_above(sb, before);  // the first call is on the wire, holding the slot
            api.shutdown();
        }());
        BOOST_TEST((steady::now() - start < promptly));  // not the 120 s request timeout
        BOOST_TEST(cancelled.load() == calls);
    }
    sb.io.restart();
    sb.io.run();
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace call_options_test
