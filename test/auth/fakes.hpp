#pragma once
// Test doubles for the refresher: a clock the test moves by hand, and a token endpoint that issues
// numbered tokens, answers what the test scripts, and can hold every request at a gate until released.

#include "daftra/auth/errors.hpp"
#include "daftra/auth/token_source.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <ostream>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

// Printing for Boost.Test (found by ADL) of the enums the tests compare.
namespace daftra {
inline std::ostream& boost_test_print_type(std::ostream& os, error_kind k) { return os << to_string(k); }
namespace auth {
inline std::ostream& boost_test_print_type(std::ostream& os, errc e) { return os << make_error_code(e).message(); }
inline std::ostream& boost_test_print_type(std::ostream& os, grant_request::kind k) {
    return os << (k == grant_request::kind::password ? "password" : "refresh_token");
}
} // namespace auth
} // namespace daftra

namespace daftra::auth::test {

namespace asio = boost::asio;

/// Wall time that only moves when the test says so. Thread-safe.
class manual_clock {
public:
    wall_clock::time_point now() const { return base_ + std::chrono::milliseconds(offset_ms_.load()); }
    void advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }
    std::function<wall_clock::time_point()> function() {
        return [this] { return now(); };
    }

private:
    wall_clock::time_point base_ = wall_clock::now();
    std::atomic<std::int64_t> offset_ms_{0};
};

inline error endpoint_error(errc code, unsigned status = 0) {
    error e;
    e.kind = error_kind::auth;
    e.code = make_error_code(code);
    e.status = status;
    e.message = "fake token endpoint failure";
    return e;
}

/// The fake token endpoint. Single-threaded tests only, except `calls`.
class fake_endpoint {
public:
    using responder = std::function<result<issued_token>(const grant_request&)>;

    std::atomic<int> calls{0};
    std::vector<grant_request::kind> grants;      // in call order
    std::vector<std::string> refresh_tokens_seen; // for refresh_token grants
    std::deque<responder> script;                 // consumed first; then `fallback`
    responder fallback = [this](const grant_request&) { return issue(); };
    bool cancelled = false;                       // a held request was woken by something else than release()
    std::chrono::seconds lifetime{3600};
    bool send_refresh_token = true;

    /// Requests wait at the gate until release().
    void hold() { held_ = true; }
    void release() {
        held_ = false;
        if (gate_) gate_->cancel();
    }

    result<issued_token> issue() {
        issued_token t;
        ++issued_;
        t.access_token = secret("tok-" + std::to_string(issued_));
        if (send_refresh_token) t.refresh_token = secret("ref-" + std::to_string(issued_));
        t.expires_in = lifetime;
        return t;
    }

    token_fetcher fetcher() {
        return [this](const grant_request& g) { return fetch(g); };
    }

private:
    asio::awaitable<result<issued_token>> fetch(grant_request g) {
        ++calls;
        grants.push_back(g.grant);
        if (g.grant == grant_request::kind::refresh_token) refresh_tokens_seen.push_back(g.refresh_token.reveal());
        if (held_) {
            gate_.emplace(co_await asio::this_coro::executor, std::chrono::hours(1));
            co_await gate_->async_wait(asio::as_tuple(asio::use_awaitable));
            gate_.reset();
            if (held_) {
                cancelled = true;
                co_return endpoint_error(errc::unavailable);
            }
        }
        if (!script.empty()) {
            auto r = std::move(script.front());
            script.pop_front();
            co_return r(g);
        }
        co_return fallback(g);
    }

    bool held_ = false;
    std::optional<asio::steady_timer> gate_;
    int issued_ = 0;
};

inline password_grant test_password_credentials() {
    return password_grant{"1", secret("client-secret-XYZ"), "user@example.com", secret("hunter2-password")};
}

/// Options for unit tests: the manual clock, and pauses that return at once but are recorded.
struct test_options {
    manual_clock clock;
    std::vector<std::chrono::milliseconds> pauses;

    auth_options make() {
        auth_options o;
        o.clock.wall_now = clock.function();
        o.clock.sleep = [this](std::chrono::milliseconds d) -> asio::awaitable<boost::system::error_code> {
            pauses.push_back(d);
            co_return boost::system::error_code{};
        };
        return o;
    }
};

} // namespace daftra::auth::test
