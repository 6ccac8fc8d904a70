// The refresher's rules, without sockets: a fake token endpoint and a manual clock.

#include "fakes.hpp"
#include "support/async_test.hpp"

#include "daftra/auth/token_source.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

namespace token_source_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

struct fixture {
    asio::io_context io;
    test_options topt;
    fake_endpoint endpoint;

    std::unique_ptr<token_source> make(credentials c = test_password_credentials()) {
        return make_with(std::move(c), topt.make());
    }
    std::unique_ptr<token_source> make_with(credentials c, auth_options o) {
        return std::make_unique<token_source>(io.get_executor(), std::move(c), std::move(o), endpoint.fetcher());
    }
    result<auth_header> get(token_source& s) { return daftra::test::run(io, s.get()); }

    // Spawns `n` callers of get() whose outcomes land in `out` (in completion order).
    void spawn_callers(token_source& s, int n, std::vector<result<auth_header>>& out) {
        for (int i = 0; i < n; ++i)
            asio::co_spawn(io, [&]() -> asio::awaitable<void> { out.push_back(co_await s.get()); }, asio::detached);
    }
};

std::string value(const result<auth_header>& r) { return r ? r->value.reveal() : "error: " + r.error().describe(); }
std::string value(const std::optional<auth_header>& h) { return h ? h->value.reveal() : "none"; }

} // namespace

BOOST_FIXTURE_TEST_SUITE(token_source_rules, fixture)

BOOST_AUTO_TEST_CASE(fast_path_serves_a_valid_token_without_scheduling_anything) {
    auto src = make();
    BOOST_TEST(!src->try_get().has_value());  // nothing yet: only get() may wait
    auto first = get(*src);
    BOOST_TEST(value(first) == "Bearer tok-1");
    BOOST_TEST(first->name == "Authorization");
    BOOST_TEST(first->generation == 1u);
    for (int i = 0; i < 100; ++i) {
        auto h = src->try_get();  // called outside any coroutine: it cannot suspend
        BOOST_REQUIRE(h.has_value());
        BOOST_TEST(h->generation == 1u);
    }
    BOOST_TEST(io.poll() == 0u);  // and it queued no work
    BOOST_TEST(endpoint.calls == 1);
    BOOST_TEST(src->stats().waits == 1u);
}

BOOST_AUTO_TEST_CASE(thousand_callers_on_an_expired_token_share_one_request) {
    auto src = make();
    BOOST_REQUIRE(get(*src));
    topt.clock.advance(3601s);
    endpoint.hold();
    std::vector<result<auth_header>> out;
    spawn_callers(*src, 1000, out);
    io.poll();
    BOOST_TEST(src->stats().waits == 1001u);  // 1 for the first token + 1000 now
    BOOST_TEST(endpoint.calls == 2);
    BOOST_TEST(out.empty());
    endpoint.release();
    io.run();
    io.restart();
    BOOST_REQUIRE(out.size() == 1000u);
    for (const auto& r : out) BOOST_TEST(value(r) == "Bearer tok-2");
    BOOST_TEST(endpoint.calls == 2);
    BOOST_TEST(src->stats().refreshes == 2u);
}

BOOST_AUTO_TEST_CASE(cancelling_callers_including_the_first_never_cancels_the_refresh) {
    auto src = make();
    endpoint.hold();
    std::vector<asio::cancellation_signal> signals(51);
    std::vector<result<auth_header>> cancelled, others;
    // The first caller starts the refresh; 50 more will be cancelled, 49 are not.
    for (int i = 0; i < 100; ++i) {
        auto body = [&, i]() -> asio::awaitable<void> {
            auto r = co_await src->get();
            (i % 2 == 0 ? cancelled : others).push_back(std::move(r));
        };
        if (i % 2 == 0) asio::co_spawn(io, body, asio::bind_cancellation_slot(signals[i / 2].slot(), asio::detached));
        else asio::co_spawn(io, body, asio::detached);
    }
    io.poll();
    BOOST_TEST(endpoint.calls == 1);
    for (int i = 0; i < 50; ++i) signals[i].emit(asio::cancellation_type::terminal);
    io.poll();
    BOOST_REQUIRE(cancelled.size() == 50u);
    for (const auto& r : cancelled) {
        BOOST_REQUIRE(!r);
        BOOST_TEST(r.error().kind == error_kind::cancelled);
    }
    BOOST_TEST(others.empty());  // still waiting: the refresh goes on
    endpoint.release();
    io.run();
    io.restart();
    BOOST_TEST(!endpoint.cancelled);
    BOOST_REQUIRE(others.size() == 50u);
    for (const auto& r : others) BOOST_TEST(value(r) == "Bearer tok-1");
    BOOST_TEST(endpoint.calls == 1);
    BOOST_TEST(value(src->try_get()) == "Bearer tok-1");  // the refresh landed for everybody
}

BOOST_AUTO_TEST_CASE(early_refresh_runs_in_the_background_while_the_old_token_is_served) {
    auto src = make();
    BOOST_REQUIRE(get(*src));
    topt.clock.advance(3539s);  // default skew for one hour: 60 s, so not yet
    BOOST_TEST(src->try_get()->generation == 1u);
    BOOST_TEST(endpoint.calls == 1);
    topt.clock.advance(2s);  // inside the window
    endpoint.hold();
    for (int i = 0; i < 10; ++i) {
        auto h = src->try_get();
        BOOST_REQUIRE(h.has_value());
        BOOST_TEST(h->generation == 1u);
    }
    io.poll();
    BOOST_TEST(endpoint.calls == 2);  // exactly one background refresh, however many callers
    BOOST_TEST(src->stats().background_refreshes == 1u);
    std::vector<result<auth_header>> out;  // get() too is served at once, while the refresh is held
    spawn_callers(*src, 5, out);
    io.poll();
    BOOST_REQUIRE(out.size() == 5u);
    for (const auto& r : out) BOOST_TEST(value(r) == "Bearer tok-1");
    endpoint.release();
    io.run();
    io.restart();
    BOOST_TEST(src->try_get()->generation == 2u);
    BOOST_TEST(src->stats().waits == 1u);  // only the very first token was waited for
}

BOOST_AUTO_TEST_CASE(default_skew_is_ten_percent_of_a_short_lifetime) {
    endpoint.lifetime = 100s;
    auto src = make();
    BOOST_REQUIRE(get(*src));
    topt.clock.advance(89s);
    BOOST_TEST(src->try_get().has_value());
    io.poll();
    io.restart();  // poll() ran out of work, which stops the io_context
    BOOST_TEST(endpoint.calls == 1);
    topt.clock.advance(2s);  // 91 s: within the last 10 s
    BOOST_TEST(src->try_get()->generation == 1u);
    io.run();
    io.restart();
    BOOST_TEST(endpoint.calls == 2);
    BOOST_TEST(src->try_get()->generation == 2u);
}

BOOST_AUTO_TEST_CASE(refresh_token_grant_then_password_fallback_and_no_empty_refresh_token) {
    auto src = make();
    BOOST_REQUIRE(get(*src));  // password grant: tok-1, ref-1
    topt.clock.advance(3601s);
    endpoint.send_refresh_token = false;  // the answer to the refresh comes without a new refresh token
    BOOST_TEST(value(get(*src)) == "Bearer tok-2");
    topt.clock.advance(3601s);
    endpoint.script.push_back([](const grant_request&) { return result<issued_token>(endpoint_error(errc::invalid_grant, 400)); });
    BOOST_TEST(value(get(*src)) == "Bearer tok-3");  // refresh rejected → password grant
    using k = grant_request::kind;
    std::vector<k> expected{k::password, k::refresh_token, k::refresh_token, k::password};
    BOOST_TEST(endpoint.grants == expected, boost::test_tools::per_element());
    // The second refresh still used ref-1: the empty refresh token of tok-2's answer did not replace it.
    std::vector<std::string> seen{"ref-1", "ref-1"};
    BOOST_TEST(endpoint.refresh_tokens_seen == seen, boost::test_tools::per_element());
    BOOST_TEST(topt.pauses.empty());  // the fallback is not a retry
}

BOOST_AUTO_TEST_CASE(refresh_grant_credentials_without_password_fail_on_invalid_grant) {
    auto src = make(refresh_grant{"1", secret("cs"), secret("given-refresh")});
    endpoint.fallback = [](const grant_request&) { return result<issued_token>(endpoint_error(errc::invalid_grant, 401)); };
    auto r = get(*src);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::auth);
    BOOST_TEST(r.error().code == errc::invalid_grant);
    BOOST_TEST(endpoint.calls == 1);
    BOOST_TEST(endpoint.refresh_tokens_seen.at(0) == "given-refresh");
}

BOOST_AUTO_TEST_CASE(a_failed_early_refresh_keeps_the_valid_token_and_backs_off) {
    auto src = make();
    BOOST_REQUIRE(get(*src));
    topt.clock.advance(3550s);
    endpoint.fallback = [](const grant_request&) { return result<issued_token>(endpoint_error(errc::unavailable, 503)); };
    BOOST_TEST(src->try_get()->generation == 1u);
    io.run();
    io.restart();
    BOOST_TEST(endpoint.calls == 1 + 3);  // three attempts of one refresh
    BOOST_TEST(topt.pauses.size() == 2u);
    BOOST_TEST(src->stats().failed_refreshes == 1u);
    // Still served, and no new attempt during the backoff pause.
    for (int i = 0; i < 10; ++i) BOOST_TEST(src->try_get()->generation == 1u);
    io.run();
    io.restart();
    BOOST_TEST(endpoint.calls == 4);
    BOOST_TEST(src->stats().refreshes == 2u);
    // Once the pause (at most 200 ms after one failure) is over, the next caller tries again.
    topt.clock.advance(1s);
    endpoint.fallback = [this](const grant_request&) { return endpoint.issue(); };
    BOOST_TEST(src->try_get()->generation == 1u);
    io.run();
    io.restart();
    BOOST_TEST(src->try_get()->generation == 2u);
}

BOOST_AUTO_TEST_CASE(endpoint_down_bounded_attempts_errors_for_all_then_recovery) {
    auto src = make();
    endpoint.fallback = [](const grant_request&) { return result<issued_token>(endpoint_error(errc::unavailable, 503)); };
    std::vector<result<auth_header>> out;
    spawn_callers(*src, 500, out);
    io.run();
    io.restart();
    BOOST_REQUIRE(out.size() == 500u);
    for (const auto& r : out) {
        BOOST_REQUIRE(!r);
        BOOST_TEST(r.error().kind == error_kind::auth);
        BOOST_TEST(r.error().code == errc::unavailable);
    }
    BOOST_TEST(endpoint.calls == 3);
    // Backoff between attempts: equal jitter, 200 ms then 400 ms at most.
    BOOST_REQUIRE(topt.pauses.size() == 2u);
    BOOST_TEST((topt.pauses[0] >= 100ms && topt.pauses[0] <= 200ms));
    BOOST_TEST((topt.pauses[1] >= 200ms && topt.pauses[1] <= 400ms));
    // Callers arriving during the pause fail at once without a new request.
    out.clear();
    spawn_callers(*src, 100, out);
    io.run();
    io.restart();
    BOOST_TEST(out.size() == 100u);
    for (const auto& r : out) BOOST_TEST(!r);
    BOOST_TEST(endpoint.calls == 3);
    // Recovery: the first call after the pause succeeds.
    endpoint.fallback = [this](const grant_request&) { return endpoint.issue(); };
    topt.clock.advance(1s);
    BOOST_TEST(value(get(*src)) == "Bearer tok-1");
    BOOST_TEST(endpoint.calls == 4);
}

BOOST_AUTO_TEST_CASE(consecutive_failures_double_the_pause) {
    auto src = make();
    endpoint.fallback = [](const grant_request&) { return result<issued_token>(endpoint_error(errc::unavailable, 503)); };
    int before = 0;
    for (int round = 0; round < 4; ++round) {
        BOOST_TEST(!get(*src));
        BOOST_TEST(endpoint.calls - before == 3);
        before = endpoint.calls;
        // Just under the lower bound of this round's pause (200 ms · 2^round / 2): still backing off.
        topt.clock.advance(std::chrono::milliseconds(100 * (1 << round) - 1));
        BOOST_TEST(!get(*src));
        BOOST_TEST(endpoint.calls == before);
        topt.clock.advance(std::chrono::milliseconds(100 * (1 << round) + 2));
    }
}

BOOST_AUTO_TEST_CASE(wrong_credentials_fail_fast_without_retries) {
    auto src = make();
    endpoint.fallback = [](const grant_request&) { return result<issued_token>(endpoint_error(errc::invalid_client, 401)); };
    std::vector<result<auth_header>> out;
    spawn_callers(*src, 100, out);
    io.run();
    io.restart();
    BOOST_REQUIRE(out.size() == 100u);
    for (const auto& r : out) {
        BOOST_REQUIRE(!r);
        BOOST_TEST(r.error().kind == error_kind::auth);
        BOOST_TEST(r.error().code == errc::invalid_client);
        BOOST_TEST(is_credentials_error(r.error().code));
    }
    BOOST_TEST(endpoint.calls == 1);
    BOOST_TEST(topt.pauses.empty());
}

BOOST_AUTO_TEST_CASE(invalidate_only_drops_the_generation_it_names) {
    auto src = make();
    BOOST_REQUIRE(get(*src));
    src->invalidate(0);
    src->invalidate(7);
    BOOST_TEST(src->try_get()->generation == 1u);
    src->invalidate(1);
    BOOST_TEST(!src->try_get().has_value());
    BOOST_TEST(get(*src)->generation == 2u);
    src->invalidate(1);  // a late 401 of a request that used the old token
    BOOST_TEST(src->try_get()->generation == 2u);
    BOOST_TEST(endpoint.calls == 2);
    // The refresh after a 401 used the refresh token: invalidation keeps it.
    BOOST_TEST(endpoint.grants.back() == grant_request::kind::refresh_token);
}

BOOST_AUTO_TEST_CASE(shutdown_completes_waiters_with_cancelled) {
    auto src = make();
    endpoint.hold();
    std::vector<result<auth_header>> out;
    spawn_callers(*src, 10, out);
    io.poll();
    src.reset();  // destroys the source with a refresh in flight
    io.poll();
    BOOST_REQUIRE(out.size() == 10u);
    for (const auto& r : out) BOOST_TEST(r.error().kind == error_kind::cancelled);
    endpoint.release();
    io.run();  // the task ends: nothing left behind
    io.restart();
}

BOOST_AUTO_TEST_CASE(static_credentials_are_served_forever_and_never_refreshed) {
    auto key = make(api_key{secret("the-key")});
    BOOST_TEST(!key->refreshable());
    auto h = key->try_get();
    BOOST_REQUIRE(h.has_value());
    BOOST_TEST(h->name == "apikey");
    BOOST_TEST(h->value.reveal() == "the-key");
    BOOST_TEST(h->generation == 0u);
    key->invalidate(0);
    topt.clock.advance(std::chrono::hours(24 * 365));
    BOOST_TEST(key->try_get().has_value());

    auto bearer = make(bearer_token{secret("app-token")});
    BOOST_TEST(value(bearer->try_get()) == "Bearer app-token");
    auto o = topt.make();
    o.header = header_style::apikey;
    auto as_key = make_with(bearer_token{secret("app-token")}, o);
    BOOST_TEST(as_key->try_get()->name == "apikey");
    BOOST_TEST(endpoint.calls == 0);
}

BOOST_AUTO_TEST_CASE(oauth_token_in_apikey_header_style) {
    auto o = topt.make();
    o.header = header_style::apikey;
    auto src = make_with(test_password_credentials(), o);
    auto h = get(*src);
    BOOST_TEST(h->name == "apikey");
    BOOST_TEST(h->value.reveal() == "tok-1");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace token_source_test
