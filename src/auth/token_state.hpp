#pragma once
// The single-flight refresher's rules without I/O (design.md, "Auth"): whether a caller gets the token
// at once, fails at once (backing off), or waits for the one refresh; when a background refresh is due;
// what a 401 invalidates; what a finished refresh means for the token, the refresh token and the
// backoff. Every decision is a function of the event and the time given to it, so
// test/auth/token_state_test.cpp drives each rule without a fetcher, a timer or a sleep.
// token_source_impl holds one token_state under its mutex and does the I/O: the waiters' handlers, the
// refresh task on its strand, the fetcher, the token store.

#include "daftra/auth/options.hpp"
#include "daftra/auth/secret.hpp"
#include "daftra/auth/token_source.hpp"
#include "daftra/auth/token_store.hpp"
#include "daftra/core/error.hpp"
#include "daftra/core/result.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace daftra::auth::detail {

using time_point = wall_clock::time_point;

/// The access token held, with its timing.
struct held_token {
    secret access;
    time_point issued_at{};
    time_point expires_at{};
    time_point refresh_at{};   ///< expires_at − skew: from here on a background refresh is due
    std::uint64_t generation = 0;
    bool invalidated = false;  ///< a request with this generation got a 401
};

/// What a refresh produced, in absolute time.
struct fresh_token {
    secret access;
    secret refresh;  ///< empty: keep the refresh token held
    time_point issued_at{};
    time_point expires_at{};
    bool from_store = false;  ///< adopted from the token store: not saved back
};

class token_state {
public:
    /// `options`: early_refresh and backoff are read. `seed` seeds the backoff's jitter.
    token_state(bool refreshable, const auth_options& options, std::uint64_t seed);

    /// Static credentials: this token forever, generation 0 (nothing can refresh it).
    void hold_forever(secret access);
    /// A token from the store at start-up, when still valid at `now`; its refresh token in any case.
    void adopt_stored(const stored_token& s, time_point now);

    /// What get() must do.
    enum class get_action {
        ready,    ///< the token is usable: header()
        fail,     ///< a refresh failed a moment ago and its backoff runs: failure(), no new request
        wait,     ///< wait for the refresh in flight (start_refresh says whether this caller starts it)
        stopped,  ///< shut down: cancelled
    };
    struct get_decision {
        get_action action = get_action::wait;
        bool start_refresh = false;  ///< start the refresh task (background or not)
    };
    get_decision on_get(time_point now);

    /// try_get(): true with the token usable (start_refresh when an early refresh is due), false when
    /// get() would have to wait or fail.
    bool on_try_get(time_point now, bool& start_refresh);

    /// After a 401 on a request sent with `generation`: the token is dropped if it is still that one.
    void invalidate(std::uint64_t generation);

    /// The refresh task could not start (the source stopped meanwhile).
    void on_refresh_abandoned() noexcept { in_flight_ = false; }

    /// A refresh finished. True when the waiters get the token (a new one, or the old one still
    /// usable after a failed early refresh); false: they get failure(). `save` is set to what the
    /// token store should keep. Nothing happens once stopped (false).
    bool on_refresh_done(result<fresh_token> r, time_point now, std::optional<stored_token>* save);

    /// Stops: later gets are stopped. Idempotent; false the second time.
    bool stop() noexcept;
    bool stopped() const noexcept { return stopped_; }

    bool usable(time_point now) const noexcept;
    const held_token* token() const noexcept { return token_ ? &*token_ : nullptr; }
    /// The error a failing caller gets: the last refresh's, else "no valid token".
    error failure() const;

    /// The refresh token for the next grant (empty: none).
    const secret& refresh_token() const noexcept { return refresh_token_; }
    /// A refresh token the server refused: forgotten, unless a newer one arrived meanwhile.
    void forget_refresh_token(const secret& refused);

    /// How early before expiry a token is refreshed: early_refresh, else a tenth of its lifetime
    /// capped at 60 s.
    std::chrono::milliseconds skew_for(time_point issued_at, time_point expires_at) const;
    /// The n-th backoff delay: d = min(max, initial · 2ⁿ), then uniform in [d/2, d].
    std::chrono::milliseconds backoff(unsigned failures);

    token_source_stats stats() const;
    void count_token_request() noexcept { ++stats_.token_requests; }

private:
    bool background_due(time_point now);

    const bool refreshable_;
    std::optional<std::chrono::milliseconds> early_refresh_;
    backoff_options backoff_;
    std::minstd_rand rng_;

    bool stopped_ = false;
    std::optional<held_token> token_;
    secret refresh_token_;
    std::uint64_t generation_ = 0;
    bool in_flight_ = false;
    std::optional<error> last_error_;  // of the last refresh, when it failed
    time_point retry_at_{};            // no new refresh before this after a failure
    unsigned failures_ = 0;            // consecutive failed refreshes
    token_source_stats stats_;
};

} // namespace daftra::auth::detail
