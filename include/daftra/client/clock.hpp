#pragma once
// The clocks and the sleep of the client's retry loop and rate limiter, replaceable so that tests run
// retries, backoff and Retry-After without waiting for real time to pass.

#include "daftra/core/compiler_check.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>

namespace daftra {

/// Time as the client sees it. Each hook left empty (the default) uses the real thing. Replace them
/// only in tests that also replace the transport: call deadlines are handed to the connection pool as
/// std::chrono::steady_clock time points, so a fake `now` that drifts from steady_clock would make the
/// pool's view of the deadline wrong.
struct clock_hooks {
    /// The monotonic clock of call deadlines and of the rate limiter's token bucket.
    /// Default: std::chrono::steady_clock::now.
    std::function<std::chrono::steady_clock::time_point()> now;
    /// The wall clock against which a Retry-After HTTP-date is read. Default: std::chrono::system_clock::now.
    std::function<std::chrono::system_clock::time_point()> wall_now;
    /// Waits `d` before the next attempt of a call. It must honour the awaiting coroutine's cancellation
    /// slot and then return boost::asio::error::operation_aborted; otherwise it returns a success code.
    /// Default: a boost::asio::steady_timer on the awaiting coroutine's executor.
    std::function<boost::asio::awaitable<boost::system::error_code>(std::chrono::milliseconds d)> sleep;
};

} // namespace daftra
