#pragma once
// Client-side rate limiting: stay under the API's limits instead of collecting 429s.

#include "daftra/core/result.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace daftra {

/// A request budget shared by the processes of one account (rate_limit_options::shared). daftra::redis
/// provides one on Redis: redis::rate_budget.
class shared_rate_budget {
public:
    virtual ~shared_rate_budget() = default;
    /// Reserves one request of a budget of `per_second` requests per second with bursts of `burst`, and
    /// returns how long to wait before sending it (zero: now). When the wait would be longer than
    /// `max_wait` nothing is reserved and the error is of kind rate_limited; when the budget cannot be reached
    /// the error is of any other kind, and the limiter falls back to its local share.
    virtual boost::asio::awaitable<result<std::chrono::microseconds>> reserve(double per_second, double burst,
                                                                              std::chrono::microseconds max_wait) = 0;
    /// Closes its connections (see shared_token_store::shutdown); later reservations fail (the limiter
    /// then serves its local share).
    virtual void shutdown() {}
};

/// Limits on the requests one client starts. Both limits are off by default.
///
/// Every attempt of a call takes a token and an in-flight slot: the first one and each retry (a retry
/// is a request like any other to the server). The slot is held while the request is on the wire
/// (token refreshes on the way included) and given back before a retry's backoff wait, so a call
/// waiting to retry does not block others. Callers that must wait are served in FIFO order; a waiting
/// call still honours its deadline (error_kind::timeout, nothing sent) and cancellation of the awaiting
/// coroutine (error_kind::cancelled); client shutdown fails every waiting call with error_kind::cancelled.
struct rate_limit_options {
    /// Requests started per second on average (a token bucket refilled continuously). Default 0: no limit.
    double requests_per_second = 0;
    /// How many requests may start at once after an idle period (the bucket's size). Default 0: one
    /// second's worth, i.e. max(1, requests_per_second). Ignored without requests_per_second.
    std::size_t burst = 0;
    /// Requests on the wire at once, over every coroutine using this client. Default 0: no cap (the
    /// connection pool's max_connections still bounds the open connections; its waiters queue there).
    std::size_t max_in_flight = 0;
    /// The budget shared with the account's other processes (e.g. redis::rate_budget): requests_per_second
    /// and burst are then the whole account's, and every request reserves its place in that budget
    /// (one round trip to it) before it starts. Callers wait on their own timers, in the order they
    /// asked, within their deadlines. Default: nullptr, this process alone.
    std::shared_ptr<shared_rate_budget> shared;
    /// While the shared budget cannot be reached, this process sends at most this share of
    /// requests_per_second (and of the burst), with a local bucket: never unlimited, never a hard stop.
    /// Default 0.25: a fleet of four processes stays within the account's budget; lower it for more.
    double fallback_share = 0.25;
};

} // namespace daftra
