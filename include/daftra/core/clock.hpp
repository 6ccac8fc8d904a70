#pragma once
// The clocks and the sleep of every layer (the pool, the token source, the rate limiter, the retry
// loop), replaceable so that tests run deadlines, idle expiry, token expiry, backoff and Retry-After
// without waiting for real time to pass. One value is given to all of them (client_options::clock), so
// they agree on what time it is.

#include "daftra/core/compiler_check.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>

namespace daftra {

/// Time as the SDK sees it. Each hook left empty (the default) uses the real thing.
///
/// Deadlines, idle timeouts and connection ages are time points of `now`; a wait for one of them (a
/// caller queued for a connection, a permit of the rate limiter) runs a real timer for the time left on
/// `now`'s clock when the wait starts. So a `now` set ahead of or behind steady_clock moves every
/// deadline with it; one that jumps while a caller waits is seen at the next look, not by timers
/// already running.
struct clock_hooks {
    /// The monotonic clock of call deadlines, the pool's idle timeout and connection age, and the rate
    /// limiter's token bucket. Default: std::chrono::steady_clock::now.
    std::function<std::chrono::steady_clock::time_point()> now;
    /// The wall clock: token expiry (tokens are stored and shared across processes, so their expiry is a
    /// date) and Retry-After HTTP-dates. Default: std::chrono::system_clock::now.
    std::function<std::chrono::system_clock::time_point()> wall_now;
    /// Waits `d`: before the next attempt of a call, between token requests. It must honour the awaiting
    /// coroutine's cancellation slot and then return boost::asio::error::operation_aborted; otherwise it
    /// returns a success code. Default: a boost::asio::steady_timer on the awaiting coroutine's executor.
    std::function<boost::asio::awaitable<boost::system::error_code>(std::chrono::milliseconds d)> sleep;

    /// `now()`, or steady_clock's.
    std::chrono::steady_clock::time_point steady_time() const;
    /// `wall_now()`, or system_clock's.
    std::chrono::system_clock::time_point wall_time() const;
    /// `sleep(d)`, or a steady_timer's wait.
    boost::asio::awaitable<boost::system::error_code> sleep_for(std::chrono::milliseconds d) const;
    /// These hooks, each empty one taken from `fallback`: how a client gives its clock to a layer whose
    /// own options may set some hooks already.
    clock_hooks or_else(const clock_hooks& fallback) const;
};

} // namespace daftra
