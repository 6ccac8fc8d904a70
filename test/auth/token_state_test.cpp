// The refresher's rules without I/O (src/auth/token_state.hpp), one test per rule of design.md's
// "Auth" rules, each driven by events and explicit times: no fetcher, no timer, no sleep. The
// token_source tests and the herd test check the same rules with the refresh task running.

#include "auth/token_state.hpp"

#include "daftra/auth/errors.hpp"

#include <boost/test/unit_test.hpp>

namespace token_state_test {

using namespace daftra;
using namespace daftra::auth;
using auth::detail::fresh_token;
using auth::detail::token_state;
using action = token_state::get_action;
using namespace std::chrono_literals;

namespace {

const auth::detail::time_point t0 = auth::detail::time_point{} + std::chrono::hours(24 * 365 * 50);

auth_options defaults() {
    auth_options o;
    o.backoff.initial = 100ms;
    o.backoff.max = 10s;
    return o;
}

// A token issued at `at`, living `life`.
fresh_token issued(auth::detail::time_point at, std::chrono::seconds life, std::string access = "access-1",
                   std::string refresh = "") {
    return fresh_token{secret(std::move(access)), secret(std::move(refresh)), at, at + life, false};
}

error refused() { return make_error(error_kind::auth, make_error_code(errc::unavailable), "token endpoint down"); }

// A state that holds a token of one hour issued at t0 (refreshed once from nothing).
token_state holding_a_token(auth_options o = defaults()) {
    token_state s(true, o, 1);
    auto first = s.on_get(t0);
    BOOST_TEST_REQUIRE(first.start_refresh);
    BOOST_TEST_REQUIRE(s.on_refresh_done(issued(t0, 3600s), t0, nullptr));
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(token_rules)

BOOST_AUTO_TEST_CASE(a_valid_token_is_returned_without_a_refresh) {
    auto s = holding_a_token();
    auto d = s.on_get(t0 + 10min);
    BOOST_TEST((d.action == action::ready));
    BOOST_TEST(!d.start_refresh);
    bool start = true;
    BOOST_TEST(s.on_try_get(t0 + 10min, start));
    BOOST_TEST(!start);
    BOOST_TEST(s.stats().refreshes == 1u);
}

BOOST_AUTO_TEST_CASE(ten_thousand_callers_at_expiry_start_one_refresh) {
    auto s = holding_a_token();
    const auto expired = t0 + 3600s;
    const auto waits_before = s.stats().waits;
    int started = 0;
    for (int i = 0; i < 10'000; ++i) {
        auto d = s.on_get(expired);
        BOOST_TEST_REQUIRE((d.action == action::wait));
        started += d.start_refresh;
    }
    BOOST_TEST(started == 1);
    BOOST_TEST(s.stats().waits - waits_before == 10'000u);
    BOOST_TEST(s.on_refresh_done(issued(expired, 3600s, "access-2"), expired, nullptr));
    BOOST_TEST(s.token()->access.reveal() == "access-2");
    BOOST_TEST(s.token()->generation == 2u);
    BOOST_TEST((s.on_get(expired).action == action::ready));
}

BOOST_AUTO_TEST_CASE(an_early_refresh_serves_the_old_token_meanwhile) {
    auto s = holding_a_token();  // one hour: a tenth is 6 min, capped at 60 s
    const auto early = s.token()->refresh_at;
    BOOST_TEST((early == t0 + 3600s - 60s));
    auto first = s.on_get(early);
    BOOST_TEST((first.action == action::ready));
    BOOST_TEST(first.start_refresh);  // in the background
    auto second = s.on_get(early + 1s);
    BOOST_TEST((second.action == action::ready));
    BOOST_TEST(!second.start_refresh);  // one refresh at a time
    BOOST_TEST(s.stats().background_refreshes == 1u);
    BOOST_TEST(s.token()->access.reveal() == "access-1");
}

BOOST_AUTO_TEST_CASE(a_401_invalidates_only_the_token_it_was_sent_with) {
    auto s = holding_a_token();
    s.invalidate(0);  // a stale generation: a refresh already happened since
    BOOST_TEST((s.on_get(t0 + 1s).action == action::ready));
    s.invalidate(s.token()->generation);
    auto d = s.on_get(t0 + 1s);
    BOOST_TEST((d.action == action::wait));
    BOOST_TEST(d.start_refresh);
}

BOOST_AUTO_TEST_CASE(a_failed_refresh_backs_off_instead_of_stampeding) {
    token_state s(true, defaults(), 1);
    BOOST_TEST(s.on_get(t0).start_refresh);
    BOOST_TEST(!s.on_refresh_done(refused(), t0, nullptr));  // the waiters get the error
    BOOST_TEST(s.failure().message == "token endpoint down");
    // Within the backoff (at least 50 ms for the first failure): fail at once, no new request.
    auto during = s.on_get(t0 + 40ms);
    BOOST_TEST((during.action == action::fail));
    BOOST_TEST(!during.start_refresh);
    // After it (at most 100 ms): one new refresh.
    auto after = s.on_get(t0 + 101ms);
    BOOST_TEST((after.action == action::wait));
    BOOST_TEST(after.start_refresh);
    BOOST_TEST(s.stats().failed_refreshes == 1u);
}

BOOST_AUTO_TEST_CASE(the_backoff_doubles_within_its_jitter_up_to_its_cap) {
    token_state s(true, defaults(), 7);
    for (unsigned n = 0; n < 12; ++n) {
        const auto d = std::min<std::chrono::milliseconds>(100ms * (1 << n), 10s);
        for (int i = 0; i < 50; ++i) {
            const auto b = s.backoff(n);
            BOOST_TEST_REQUIRE(b >= d / 2);
            BOOST_TEST_REQUIRE(b <= d);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_failed_early_refresh_leaves_the_old_token_in_use) {
    auto s = holding_a_token();
    const auto early = s.token()->refresh_at;
    BOOST_TEST(s.on_get(early).start_refresh);
    BOOST_TEST(s.on_refresh_done(refused(), early, nullptr));  // the waiters still get a token
    auto d = s.on_get(early + 1ms);
    BOOST_TEST((d.action == action::ready));
    BOOST_TEST(!d.start_refresh);  // backing off from the early refresh too
}

BOOST_AUTO_TEST_CASE(a_token_issued_already_expired_still_reaches_the_waiters) {
    token_state s(true, defaults(), 1);
    BOOST_TEST(s.on_get(t0).start_refresh);
    // A lifetime shorter than the round trip: by the time it arrives, the clock says it has expired.
    BOOST_TEST(s.on_refresh_done(issued(t0, 1s), t0 + 2s, nullptr));
}

BOOST_AUTO_TEST_CASE(a_refresh_token_is_never_replaced_by_an_empty_one) {
    token_state s(true, defaults(), 1);
    s.on_get(t0);
    s.on_refresh_done(issued(t0, 3600s, "a1", "refresh-1"), t0, nullptr);
    BOOST_TEST(s.refresh_token().reveal() == "refresh-1");
    s.invalidate(s.token()->generation);
    s.on_get(t0 + 1s);
    s.on_refresh_done(issued(t0 + 1s, 3600s, "a2", ""), t0 + 1s, nullptr);  // no refresh token this time
    BOOST_TEST(s.refresh_token().reveal() == "refresh-1");
    // Refused by the server: forgotten, unless a newer one arrived meanwhile.
    s.forget_refresh_token(secret("refresh-0"));
    BOOST_TEST(s.refresh_token().reveal() == "refresh-1");
    s.forget_refresh_token(secret("refresh-1"));
    BOOST_TEST(s.refresh_token().empty());
}

BOOST_AUTO_TEST_CASE(a_new_token_is_saved_unless_it_came_from_the_store) {
    token_state s(true, defaults(), 1);
    s.on_get(t0);
    std::optional<stored_token> save;
    s.on_refresh_done(issued(t0, 3600s, "a1", "r1"), t0, &save);
    BOOST_TEST_REQUIRE(save.has_value());
    BOOST_TEST(save->access_token.reveal() == "a1");
    BOOST_TEST(save->refresh_token.reveal() == "r1");
    BOOST_TEST((save->expires_at == t0 + 3600s));

    s.invalidate(s.token()->generation);
    s.on_get(t0 + 1s);
    std::optional<stored_token> again;
    auto adopted = issued(t0, 3600s, "a-from-another-process");
    adopted.from_store = true;
    s.on_refresh_done(std::move(adopted), t0 + 1s, &again);
    BOOST_TEST(!again.has_value());
}

BOOST_AUTO_TEST_CASE(a_stored_token_is_adopted_while_valid_and_its_refresh_token_always) {
    token_state s(true, defaults(), 1);
    stored_token expired{secret("old"), secret("refresh-old"), t0 - 2h, t0 - 1h};
    s.adopt_stored(expired, t0);
    BOOST_TEST(s.token() == nullptr);
    BOOST_TEST(s.refresh_token().reveal() == "refresh-old");

    stored_token valid{secret("kept"), secret(""), t0 - 10min, t0 + 50min};
    s.adopt_stored(valid, t0);
    BOOST_TEST_REQUIRE(s.token() != nullptr);
    BOOST_TEST((s.on_get(t0).action == action::ready));
    BOOST_TEST(s.refresh_token().reveal() == "refresh-old");
}

BOOST_AUTO_TEST_CASE(the_early_window_is_a_tenth_of_the_lifetime_capped_or_the_option) {
    token_state s(true, defaults(), 1);
    BOOST_TEST((s.skew_for(t0, t0 + 100s) == 10s));
    BOOST_TEST((s.skew_for(t0, t0 + 3600s) == 60s));
    auto o = defaults();
    o.early_refresh = 5min;
    token_state fixed(true, o, 1);
    BOOST_TEST((fixed.skew_for(t0, t0 + 100s) == 5min));
}

BOOST_AUTO_TEST_CASE(static_credentials_are_never_refreshed) {
    token_state s(false, defaults(), 1);
    s.hold_forever(secret("api-key"));
    s.invalidate(0);  // a 401 cannot be fixed by a refresh: the key stays
    auto d = s.on_get(t0 + 24h * 365 * 10);
    BOOST_TEST((d.action == action::ready));
    BOOST_TEST(!d.start_refresh);
    BOOST_TEST(s.stats().refreshes == 0u);
}

BOOST_AUTO_TEST_CASE(after_stop_every_get_is_cancelled_and_a_late_refresh_is_dropped) {
    auto s = holding_a_token();
    s.on_get(t0 + 3600s);  // a refresh in flight
    BOOST_TEST(s.stop());
    BOOST_TEST(!s.stop());
    BOOST_TEST((s.on_get(t0).action == action::stopped));
    bool start = true;
    BOOST_TEST(!s.on_try_get(t0, start));
    BOOST_TEST(!s.on_refresh_done(issued(t0, 3600s, "late"), t0, nullptr));
    BOOST_TEST(s.token()->access.reveal() == "access-1");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace token_state_test
