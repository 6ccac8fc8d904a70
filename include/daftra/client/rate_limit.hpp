#pragma once
// Client-side rate limiting: stay under the API's limits instead of collecting 429s.

#include <cstddef>

namespace daftra {

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
};

} // namespace daftra
