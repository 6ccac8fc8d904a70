#pragma once
// The client-side rate limiter (rate_limit_options): a token bucket and a cap on requests in flight,
// with one FIFO queue of waiting callers in front of both.

#include "../core/waiter.hpp"
#include "../core/waiter_queue.hpp"
#include "daftra/client/rate_limit.hpp"
#include "daftra/core/clock.hpp"
#include "daftra/core/result.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace daftra::detail {

/// Tokens refilled continuously at `per_second` up to `burst`; starts full. Pure arithmetic on the
/// time points it is given. Not thread-safe (the limiter locks around it).
class token_bucket {
public:
    using time_point = std::chrono::steady_clock::time_point;

    token_bucket(double per_second, double burst, time_point now) noexcept;

    /// Takes one token if a whole one is there at `now`.
    bool try_take(time_point now) noexcept;
    /// How long from `now` until a whole token is there (zero when one is).
    std::chrono::nanoseconds time_to_next(time_point now) noexcept;
    /// Tokens there at `now`, fractions included.
    double available(time_point now) noexcept;

private:
    void refill(time_point now) noexcept;

    double per_second_;
    double burst_;
    double tokens_;
    time_point last_;
};

class rate_limiter : public std::enable_shared_from_this<rate_limiter> {
public:
    /// The right to send one request; gives its in-flight slot back when destroyed. A default-made
    /// permit is empty.
    class permit {
    public:
        permit() noexcept = default;
        explicit permit(std::shared_ptr<rate_limiter> owner) noexcept : owner_(std::move(owner)) {}
        permit(permit&&) noexcept = default;
        permit& operator=(permit&& other) noexcept {
            if (this != &other) {
                give_back();
                owner_ = std::move(other.owner_);
            }
            return *this;
        }
        permit(const permit&) = delete;
        permit& operator=(const permit&) = delete;
        ~permit() { give_back(); }

    private:
        void give_back() noexcept {
            if (owner_) std::exchange(owner_, nullptr)->release();
        }

        std::shared_ptr<rate_limiter> owner_;
    };

    struct counters {
        std::size_t in_flight = 0;  ///< permits held
        std::size_t waiting = 0;    ///< callers queued
        std::size_t granted = 0;    ///< permits given since the start
        std::size_t shared_fallbacks = 0;  ///< requests the shared budget could not place: served by the local share
    };

    /// True when `options` limit anything (otherwise the client makes no limiter).
    static bool limits(const rate_limit_options& options) noexcept;

    /// `clock.now` is the clock of the bucket and of the deadlines.
    rate_limiter(boost::asio::any_io_executor executor, const rate_limit_options& options, clock_hooks clock);

    /// Waits for a token and an in-flight slot, in FIFO order. Fails with error_kind::timeout when
    /// `deadline` passes first, error_kind::cancelled when the awaiting coroutine is cancelled or the
    /// limiter is shut down. Returns at once, without suspending, when nothing is queued and both are free.
    /// With a shared budget (rate_limit_options::shared) the rate is the budget's: the request first
    /// reserves its place there and waits for it, or takes a token of the local share while the budget
    /// cannot be reached; then the in-flight cap applies as above.
    boost::asio::awaitable<result<permit>> acquire(std::chrono::steady_clock::time_point deadline);

    /// Fails every waiting caller and every later acquire() with error_kind::cancelled.
    void shutdown();

    counters snapshot() const;

private:
    boost::asio::awaitable<result<permit>> acquire_slot(std::chrono::steady_clock::time_point deadline);
    boost::asio::awaitable<result<permit>> acquire_shared(std::chrono::steady_clock::time_point deadline);

    // Completes with success (granted: the in-flight slot is already counted), timed_out (its deadline),
    // operation_aborted (its caller's cancellation) or shut_down.
    using waiter = detail::waiter<void(boost::system::error_code)>;

    enum class take_outcome { taken, no_slot, no_token };

    std::chrono::steady_clock::time_point now() const { return clock_.steady_time(); }
    take_outcome take_locked(std::chrono::steady_clock::time_point now);
    void dispatch_locked(std::chrono::steady_clock::time_point now);
    void arm_refill_locked(std::chrono::nanoseconds in);
    void release();
    void start_waiting(std::shared_ptr<waiter> w, std::chrono::steady_clock::time_point deadline);
    // The waiter leaves the queue (its deadline, its caller's cancellation) unless it was served first.
    void leave(const std::shared_ptr<waiter>& w, boost::system::error_code why);

    const std::size_t max_in_flight_;  // 0: no cap
    std::shared_ptr<shared_rate_budget> shared_;  // the fleet's budget; null: this process's bucket_
    double per_second_ = 0, burst_ = 0;           // the shared budget's
    std::shared_ptr<rate_limiter> fallback_;      // the local share while the shared budget is unreachable
    std::atomic<std::size_t> shared_fallbacks_{0};
    const clock_hooks clock_;
    const boost::asio::any_io_executor executor_;

    mutable std::mutex mutex_;
    std::optional<token_bucket> bucket_;  // empty: no rate limit
    waiter_queue<waiter> queue_;
    std::size_t in_flight_ = 0;
    std::size_t granted_ = 0;
    bool closed_ = false;
    // Wakes the queue when the next token is due (armed only while the head waits for one).
    boost::asio::steady_timer refill_;
    bool refill_armed_ = false;
};

} // namespace daftra::detail
