#include "rate_limiter.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cmath>

namespace daftra::detail {

// ---- token_bucket ---------------------------------------------------------------------------------

token_bucket::token_bucket(double per_second, double burst, time_point now) noexcept
    : per_second_(per_second), burst_(burst), tokens_(burst), last_(now) {}

void token_bucket::refill(time_point now) noexcept {
    if (now <= last_) return;  // a clock that stands still (or a caller with an older reading) adds nothing
    const std::chrono::duration<double> elapsed = now - last_;
    tokens_ = std::min(burst_, tokens_ + elapsed.count() * per_second_);
    last_ = now;
}

bool token_bucket::try_take(time_point now) noexcept {
    refill(now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
}

std::chrono::nanoseconds token_bucket::time_to_next(time_point now) noexcept {
    refill(now);
    if (tokens_ >= 1.0) return std::chrono::nanoseconds(0);
    // Rounded up, so that a wake-up at that time finds the whole token.
    const double seconds = (1.0 - tokens_) / per_second_;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil(seconds * 1e9)));
}

double token_bucket::available(time_point now) noexcept {
    refill(now);
    return tokens_;
}

// ---- rate_limiter ---------------------------------------------------------------------------------

namespace {

error shut_down() {
    return make_error(error_kind::cancelled, boost::asio::error::operation_aborted,
                      "the client was shut down while the call waited for the rate limiter");
}

error cancelled_while_waiting() {
    return make_error(error_kind::cancelled, boost::asio::error::operation_aborted,
                      "cancelled while waiting for the rate limiter");
}

} // namespace

bool rate_limiter::limits(const rate_limit_options& options) noexcept {
    return options.requests_per_second > 0 || options.max_in_flight > 0;
}

rate_limiter::rate_limiter(boost::asio::any_io_executor executor, const rate_limit_options& options,
                           std::function<std::chrono::steady_clock::time_point()> now)
    : max_in_flight_(options.max_in_flight), now_(std::move(now)), refill_(executor) {
    if (options.requests_per_second > 0) {
        const double burst = options.burst > 0 ? static_cast<double>(options.burst)
                                               : std::max(1.0, std::floor(options.requests_per_second));
        bucket_.emplace(options.requests_per_second, burst, this->now());
    }
}

std::chrono::steady_clock::time_point rate_limiter::now() const {
    return now_ ? now_() : std::chrono::steady_clock::now();
}

rate_limiter::take_outcome rate_limiter::take_locked(std::chrono::steady_clock::time_point now) {
    if (max_in_flight_ > 0 && in_flight_ >= max_in_flight_) return take_outcome::no_slot;  // release() dispatches
    if (bucket_ && !bucket_->try_take(now)) return take_outcome::no_token;
    ++in_flight_;
    ++granted_;
    return take_outcome::taken;
}

// Hands permits to the oldest waiters while there are any to give. A waiter is granted under the
// lock before it is woken, so a wake-up can never be lost, whatever the waiter is doing meanwhile.
// The refill timer runs only while someone waits for a token: an idle limiter keeps no work pending.
void rate_limiter::dispatch_locked(std::chrono::steady_clock::time_point now) {
    while (!queue_.empty()) {
        const auto taken = take_locked(now);
        if (taken == take_outcome::no_token) arm_refill_locked(bucket_->time_to_next(now));
        if (taken != take_outcome::taken) return;
        auto w = std::move(queue_.front());
        queue_.pop_front();
        w->state = waiter_state::granted;
        w->wake.cancel();
    }
    if (refill_armed_) refill_.cancel();
}

void rate_limiter::arm_refill_locked(std::chrono::nanoseconds in) {
    if (refill_armed_ || closed_) return;
    refill_armed_ = true;
    refill_.expires_after(in);
    refill_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
        auto self = weak.lock();
        if (!self) return;
        std::lock_guard lock(self->mutex_);
        self->refill_armed_ = false;
        // Also after a cancel: a waiter may have come since, and found the timer still armed.
        if (!self->closed_ && (!ec || !self->queue_.empty())) self->dispatch_locked(self->now());
    });
}

void rate_limiter::release() {
    std::lock_guard lock(mutex_);
    --in_flight_;
    if (!queue_.empty()) dispatch_locked(now());
}

// Waits until the waiter's timer expires (its deadline) or is cancelled (granted, shut down, or the
// caller's cancellation). The wait starts under the lock, so a grant made before it cannot be missed:
// the timer is then made to expire at once. (The initiation and the token are named objects: g++ 12
// destroys class temporaries of a co_await expression twice.)
boost::asio::awaitable<boost::system::error_code> rate_limiter::wait(waiter& w) {
    auto initiation = [this, &w](auto handler) {
        std::lock_guard lock(mutex_);
        if (w.state != waiter_state::queued) w.wake.expires_at(std::chrono::steady_clock::time_point::min());
        w.wake.async_wait(std::move(handler));
    };
    using token_type = decltype(boost::asio::as_tuple(boost::asio::use_awaitable));
    const token_type token = boost::asio::as_tuple(boost::asio::use_awaitable);
    auto [ec] = co_await boost::asio::async_initiate<const token_type, void(boost::system::error_code)>(initiation, token);
    co_return ec;
}

boost::asio::awaitable<result<rate_limiter::permit>> rate_limiter::acquire(std::chrono::steady_clock::time_point deadline) {
    const auto cancellation = co_await boost::asio::this_coro::cancellation_state;  // a live view
    // Already cancelled: say so rather than let the co_await below throw with the waiter still queued.
    if (cancellation.cancelled() != boost::asio::cancellation_type::none) co_return cancelled_while_waiting();
    const auto executor = co_await boost::asio::this_coro::executor;
    {
        std::lock_guard lock(mutex_);
        if (closed_) co_return shut_down();
        const auto t = now();
        if (queue_.empty() && take_locked(t) == take_outcome::taken) co_return permit(shared_from_this());
        if (t >= deadline) co_return make_error(error_kind::timeout, boost::asio::error::timed_out,
                                                "the call's deadline passed while it waited for the rate limiter");
    }

    auto w = std::make_shared<waiter>(executor);
    {
        std::lock_guard lock(mutex_);
        if (closed_) co_return shut_down();
        const auto t = now();
        w->wake.expires_after(deadline - t);
        w->position = queue_.insert(queue_.end(), w);
        dispatch_locked(t);  // a permit may have come free since the first look
    }

    const auto ec = co_await wait(*w);  // `w` keeps the waiter alive meanwhile
    const bool caller_cancelled = cancellation.cancelled() != boost::asio::cancellation_type::none;

    std::unique_lock lock(mutex_);
    switch (w->state) {
    case waiter_state::granted:
        if (!caller_cancelled) co_return permit(shared_from_this());
        lock.unlock();
        release();  // granted as the caller gave up: pass the slot on at once
        co_return cancelled_while_waiting();
    case waiter_state::closed:
        co_return shut_down();
    case waiter_state::queued:
        break;
    }
    queue_.erase(w->position);
    dispatch_locked(now());  // it may have been the head that others waited behind
    if (!ec) co_return make_error(error_kind::timeout, boost::asio::error::timed_out,
                                  "the call's deadline passed while it waited for the rate limiter");
    co_return cancelled_while_waiting();
}

void rate_limiter::shutdown() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& w : queue_) {
        w->state = waiter_state::closed;
        w->wake.cancel();
    }
    queue_.clear();
    refill_.cancel();
}

rate_limiter::counters rate_limiter::snapshot() const {
    std::lock_guard lock(mutex_);
    return counters{in_flight_, queue_.size(), granted_};
}

} // namespace daftra::detail
