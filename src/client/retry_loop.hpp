#pragma once
// The retry loop of every call: attempts through a send function (credentials + pool in the client, a
// fake in tests), waits between them, rate-limiter permits, and the call's deadline over all of it.

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/core/clock.hpp"
#include "daftra/client/retry.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>

namespace daftra::detail {

class rate_limiter;

/// How one call is retried. The pointers are borrowed: `keep_alive` (or the caller) keeps what they
/// point to alive until the call has finished.
struct retry_plan {
    const retry_options* policy = nullptr;
    const clock_hooks* clock = nullptr;
    rate_limiter* limiter = nullptr;  ///< null: no client-side limits
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<const void> keep_alive;
};

/// Sends `request` through `attempt` until it succeeds, fails for good, runs out of attempts or of
/// time (see retry.hpp for what is retried). Each attempt first takes a permit from plan.limiter.
/// Cancellation of the awaiting coroutine ends the call with error_kind::cancelled, also while it
/// waits for a permit or between attempts. `attempt` must outlive the call (plan.keep_alive may own it).
boost::asio::awaitable<result<transport::response>> send_with_retries(const auth::send_function& attempt,
                                                                     transport::request request, retry_plan plan);

} // namespace daftra::detail
