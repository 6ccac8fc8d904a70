// The refresher against the real token endpoint of daftra-sandbox (TLS over loopback); the 10,000-caller
// herd is in herd_test.cpp. Token requests are counted by the server (/__sandbox/stats); tokens expire
// through the manual clock, so no test sleeps to wait for an expiry.

#include "sandbox_fixture.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

namespace sandbox_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
BOOST_FIXTURE_TEST_SUITE(auth_sandbox, sandbox_fixture)

BOOST_AUTO_TEST_CASE(expiry_in_the_middle_of_a_burst) {
    BOOST_REQUIRE(one());
    tally t;
    std::atomic<bool> expired{false};
    // 64 workers with 40 calls each; the first worker to reach its 20th call expires the token while
    // the others are in flight with it.
    for (int w = 0; w < 64; ++w) {
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 40; ++i) {
                if (i == 20 && !expired.exchange(true)) clock.advance(3601s);
                t.count(co_await call());
            }
        }, asio::detached);
    }
    run();
    BOOST_TEST(t.ok == 64 * 40, t.first_other);
    BOOST_TEST(stat("token_requests") == 2);
    BOOST_TEST(source->stats().generation == 2u);
}

BOOST_AUTO_TEST_CASE(early_refresh_means_no_caller_waits) {
    BOOST_REQUIRE(one());
    clock.advance(3550s);  // within the last minute of the hour: refresh early, keep serving
    tally t;
    for (int w = 0; w < 64; ++w) {
        asio::co_spawn(io, [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 20; ++i) t.count(co_await call());
        }, asio::detached);
    }
    run();
    BOOST_TEST(t.ok == 64 * 20, t.first_other);
    BOOST_TEST(stat("token_requests") == 2);
    auto s = source->stats();
    BOOST_TEST(s.background_refreshes == 1u);
    BOOST_TEST(s.waits == 1u);  // only the very first call of the test waited for a token
    BOOST_TEST(s.generation == 2u);
}

BOOST_AUTO_TEST_CASE(token_endpoint_down_bounded_attempts_errors_then_recovery) {
    daftra::sandbox::fault_config down;
    down.path_prefix = "/v2/oauth/token";
    down.error_rate = 1;
    down.error_status = 503;
    srv.set_faults(down);
    tally t;
    spawn(1000, t);
    run();
    BOOST_TEST(t.auth_errors == 1000, t.first_other);
    BOOST_TEST(stat("faults_injected") == 3);  // auth_options::refresh_attempts, then give up
    // More callers while backing off: errors at once, no new token request.
    tally more;
    spawn(1000, more);
    run();
    BOOST_TEST(more.auth_errors == 1000);
    BOOST_TEST(stat("faults_injected") == 3);
    // The endpoint recovers; once the pause is over the first call succeeds.
    srv.set_faults({});
    clock.advance(1s);
    auto r = one();
    BOOST_TEST(r.has_value());
    BOOST_TEST(stat("token_requests") == 1);
}

BOOST_AUTO_TEST_CASE(wrong_password_fails_fast_and_leaks_nothing) {
    const std::string wrong = "not-the-Password-42";
    replace_source(sandbox_credentials(wrong), options());
    tally t;
    spawn(200, t);
    run();
    BOOST_TEST(t.auth_errors == 200, t.first_other);
    BOOST_TEST(stat("token_requests") == 1);  // no retry loop on wrong credentials
    auto r = one();
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().code == errc::invalid_grant);
    BOOST_TEST(r.error().status == 401u);
    const std::string what = api_error(r.error()).what();
    BOOST_TEST(what.find(wrong) == std::string::npos);
    BOOST_TEST(what.find(daftra::sandbox::credentials{}.client_secret) == std::string::npos);
    BOOST_TEST_MESSAGE("wrong password: " << what);
}

BOOST_AUTO_TEST_CASE(the_first_caller_cancelled_the_others_still_succeed) {
    daftra::sandbox::fault_config slow;
    slow.path_prefix = "/v2/oauth/token";
    slow.latency_ms = 200;  // keeps the refresh in flight while the first caller is cancelled
    srv.set_faults(slow);
    asio::cancellation_signal cancel_first;
    result<transport::response> first = error{};
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { first = co_await call(); },
                   asio::bind_cancellation_slot(cancel_first.slot(), asio::detached));
    tally t;
    spawn(100, t);
    // Runs after the first caller started the refresh and the others queued behind it.
    asio::post(io, [&] { cancel_first.emit(asio::cancellation_type::terminal); });
    run();
    BOOST_REQUIRE(!first);
    BOOST_TEST(first.error().kind == error_kind::cancelled);
    BOOST_TEST(t.ok == 100, t.first_other);
    BOOST_TEST(stat("token_requests") == 1);
    BOOST_TEST(source->stats().failed_refreshes == 0u);
}

BOOST_AUTO_TEST_CASE(tokens_revoked_under_load_cause_one_refresh) {
    tally warm;
    spawn(500, warm);
    run();
    BOOST_TEST(warm.ok == 500);
    BOOST_TEST(stat("token_requests") == 1);
    revoke_all_tokens();
    tally t;
    spawn(2000, t);  // every one of them gets a 401 with the revoked token
    run();
    BOOST_TEST(t.ok == 2000, t.first_other);
    BOOST_TEST(source->stats().refreshes == 2u);  // one for the first token, ONE for the storm
    // That one refresh made two token requests: the revoked refresh token was refused (invalid_grant),
    // then the password grant.
    BOOST_TEST(stat("token_requests") == 3);
    BOOST_TEST(srv.stats().at("status").as_object().at("401").as_int64() >= 1);
}

BOOST_AUTO_TEST_CASE(json_body_on_the_older_token_path) {
    auto o = options();
    o.token_paths = {"/api2/oauth/token"};
    o.encoding = body_encoding::json;
    replace_source(sandbox_credentials(), o);
    BOOST_TEST(one().has_value());
    BOOST_TEST(stat("token_requests") == 1);
    BOOST_TEST(srv.stats().at("token_bodies").at("json").as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(each_body_encoding_is_accepted_and_multipart_is_the_default) {
    // The default is what the current documentation sends (multipart/form-data); the sandbox counts the
    // token requests by the encoding they arrived in.
    const std::pair<std::optional<body_encoding>, const char*> cases[] = {
        {std::nullopt, "multipart"}, {body_encoding::multipart, "multipart"}, {body_encoding::form, "form"}};
    std::int64_t expected_multipart = 0, expected_form = 0;
    for (const auto& [encoding, counted] : cases) {
        auto o = options();
        if (encoding) o.encoding = *encoding;
        replace_source(sandbox_credentials(), o);
        BOOST_TEST(one().has_value());
        (std::string_view(counted) == "form" ? expected_form : expected_multipart) += 1;
        const auto bodies = srv.stats().at("token_bodies");
        BOOST_TEST(bodies.at("multipart").as_int64() == expected_multipart);
        BOOST_TEST(bodies.at("form").as_int64() == expected_form);
        BOOST_TEST(bodies.at("json").as_int64() == 0);
    }
}

BOOST_AUTO_TEST_CASE(api_key_credentials) {
    replace_source(api_key{secret(daftra::sandbox::credentials{}.api_key)}, options());
    BOOST_TEST(one().has_value());
    replace_source(api_key{secret("wrong-key")}, options());
    auto r = one();
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::unauthorized);
    BOOST_TEST(stat("token_requests") == 0);
}

BOOST_AUTO_TEST_CASE(multi_threaded_io_context) {
    // Four threads share the source and the pool. Each phase starts from a state that forces a
    // different path: no token, expired token, early-refresh window, revoked token.
    constexpr unsigned threads = 4;
    auto phase = [&](int workers, int calls) {
        tally t;
        for (int w = 0; w < workers; ++w) {
            asio::co_spawn(io, [&]() -> asio::awaitable<void> {
                for (int i = 0; i < calls; ++i) t.count(co_await call());
            }, asio::detached);
        }
        run(threads);
        BOOST_TEST(t.ok == workers * calls, t.first_other);
    };
    phase(32, 20);
    BOOST_TEST(stat("token_requests") == 1);
    clock.advance(3601s);
    phase(32, 20);
    BOOST_TEST(stat("token_requests") == 2);
    clock.advance(3550s);
    phase(32, 20);
    BOOST_TEST(stat("token_requests") == 3);
    revoke_all_tokens();
    phase(32, 20);
    BOOST_TEST(stat("token_requests") == 5);  // refresh grant refused, then password grant
    BOOST_TEST(source->stats().refreshes == 4u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace sandbox_test
