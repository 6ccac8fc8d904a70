#pragma once
// token_source: the single-flight token refresher. One per client; shared by every coroutine that
// sends requests, on any thread of the io_context.
//
//  * try_get() returns a valid token that is not near expiry without suspending (a mutex and a clock
//    read). When the token is within its early-refresh window it starts a background refresh and still
//    returns the old token.
//  * When no valid token exists, the first caller starts ONE refresh task; the task is co_spawned on a
//    strand of the source's executor and belongs to the source, not to any caller. Every caller
//    (the first included) then waits for that task's single outcome as a plain waiter: cancelling a
//    caller unlinks only that waiter (it completes with error_kind::cancelled); the task and the other
//    waiters are untouched.
//  * The task uses the refresh_token grant when it holds a refresh token and falls back to the password
//    grant when that is rejected (invalid_grant); a refresh token is never replaced by an empty one.
//    Transient failures are retried (auth_options::refresh_attempts, backoff with jitter); wrong
//    credentials are not. After a failed refresh a still-valid token keeps being served; callers
//    without one get the typed auth error, and until a backoff pause has passed they get it at once
//    instead of starting new token requests.
//  * invalidate(generation) after a 401 drops the token only if it is still the one that request used.
//
// Static credentials (bearer_token, api_key) are served from the fast path forever.
// State lives behind one mutex (the fast path must not suspend, which a strand would require); the
// refresh task and store I/O run on the strand, so the store never sees two saves at once.
// Destruction (or shutdown()) completes waiting callers with error_kind::cancelled and cancels the
// refresh task; the io_context must keep running until they finish.

#include "daftra/auth/credentials.hpp"
#include "daftra/auth/options.hpp"
#include "daftra/auth/token_endpoint.hpp"
#include "daftra/core/completion.hpp"
#include "daftra/core/result.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace daftra::transport { class pool; }

namespace daftra::auth {

/// The credential header of one API request and the generation of the token it carries
/// (generation 0 for static credentials).
struct auth_header {
    std::string name;       ///< "Authorization" or "apikey"
    secret value;           ///< "Bearer <token>" or the raw key/token
    std::uint64_t generation = 0;
};

/// Counters, for tests and monitoring.
struct token_source_stats {
    std::uint64_t refreshes = 0;             ///< refresh tasks started
    std::uint64_t background_refreshes = 0;  ///< of which started early, while the token was still valid
    std::uint64_t token_requests = 0;        ///< calls of the fetcher
    std::uint64_t failed_refreshes = 0;      ///< refresh tasks that ended without a token
    std::uint64_t waits = 0;                 ///< get() calls that had to wait for a refresh
    std::uint64_t generation = 0;            ///< generation of the current token (0: none yet)
};

class token_source_impl;

class token_source {
public:
    /// With any fetcher (tests inject a fake one). Loads options.store once, here.
    token_source(boost::asio::any_io_executor executor, credentials creds, auth_options options, token_fetcher fetch);
    /// With the real token endpoint on `pool`'s origin; `pool` must outlive the source.
    token_source(boost::asio::any_io_executor executor, transport::pool& pool, credentials creds,
                 auth_options options = {});
    ~token_source();
    token_source(const token_source&) = delete;
    token_source& operator=(const token_source&) = delete;

    /// The fast path: a usable token's header, or nullopt when get() would have to wait or fail.
    /// Never suspends, never blocks on I/O. May start a background (early) refresh.
    std::optional<auth_header> try_get();

    /// A usable token's header, waiting for the (single) refresh when needed. Fails with error_kind::auth
    /// (code: an auth::errc) when no token could be obtained, error_kind::cancelled when this caller was
    /// cancelled or the source shut down.
    boost::asio::awaitable<result<auth_header>> get();
    /// get() with any completion token, completed with void(result<auth_header>)
    /// (daftra/core/completion.hpp).
    template <completion_token_for<result<auth_header>> Token>
    auto get(Token&& token) {
        return complete_with(get_executor(), get(), std::forward<Token>(token));
    }

    /// The executor given to the constructor.
    boost::asio::any_io_executor get_executor() const noexcept;

    /// After a 401 on a request sent with `generation`: drops the token if it is still that one, so the
    /// next get() refreshes it. A stale generation (a refresh already happened) is ignored.
    void invalidate(std::uint64_t generation);

    /// False for static credentials (bearer_token, api_key): a 401 cannot be fixed by a refresh.
    bool refreshable() const noexcept;

    token_source_stats stats() const;

    /// Fails waiting callers with error_kind::cancelled and stops the refresh task. Idempotent.
    void shutdown();

private:
    std::shared_ptr<token_source_impl> impl_;
};

} // namespace daftra::auth
