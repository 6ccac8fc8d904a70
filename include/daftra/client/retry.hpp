#pragma once
// The client's retry policy: which failures are tried again, and how long to wait before the next
// attempt. Pure functions (no clock, no randomness of their own) so they are tested without sleeping.

#include "daftra/core/error.hpp"
#include "daftra/transport/http.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace daftra {

/// Retries of one API call. Every attempt and every wait is also bounded by the call's deadline
/// (transport::pool_options::request_timeout, or call_options for calls through client::with()).
struct retry_options {
    /// Attempts of one call, the first included; 1 disables retries. Default 3: rides out a brief
    /// outage or rate limit without hiding a persistent failure for long.
    unsigned max_attempts = 3;
    /// Backoff before the second attempt; it doubles per attempt ("full jitter": uniform in [0, d]).
    /// Default 200 ms.
    std::chrono::milliseconds initial_backoff{200};
    /// Cap of the backoff. Default 10 s.
    std::chrono::milliseconds max_backoff{10'000};
    /// Cap of a server's Retry-After; a longer one ends the retries (the error is returned). Default 60 s.
    std::chrono::milliseconds max_retry_after{60'000};
    /// Picks the wait before a retry from [0, ceiling], where ceiling is retry::backoff_ceiling().
    /// Default (empty): uniformly at random ("full jitter"), which spreads the retries of many callers.
    /// Tests may make it predictable, e.g. `[](auto ceiling) { return ceiling; }`. Not used when the
    /// server sent a Retry-After.
    std::function<std::chrono::milliseconds(std::chrono::milliseconds ceiling)> jitter;
};

namespace retry {

/// True for HTTP statuses worth another attempt: 408, 429, 502, 503, 504.
bool retryable_status(unsigned status) noexcept;

/// True when an answered request may be sent again: it is idempotent (GET, PUT, DELETE), and its
/// status is retryable. A POST answered 429/503 is not retried: the SDK cannot know that nothing was
/// saved, and a duplicate invoice is worse than an error.
bool retry_answer(const transport::request& req, unsigned status) noexcept;

/// True when a failed request may be sent again: transport failures and timeouts, for an idempotent
/// request, or for any request that was never written (error::maybe_sent false).
bool retry_failure(const transport::request& req, const error& e) noexcept;

/// A Retry-After header value as a wait: delta-seconds ("120") or an HTTP-date
/// ("Sun, 06 Nov 1994 08:49:37 GMT", relative to `now`). nullopt when it cannot be read.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

/// The upper bound of the full-jitter backoff before attempt `attempt` (2 = first retry):
/// min(max_backoff, initial_backoff * 2^(attempt-2)).
std::chrono::milliseconds backoff_ceiling(const retry_options& options, unsigned attempt) noexcept;

} // namespace retry
} // namespace daftra
