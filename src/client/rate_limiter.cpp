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

rate_limiter::rate_limiter(boost::asio::any_io_executor executor, const rate_limit_options& options, clock_hooks clock)
    : max_in_flight_(options.max_in_flight), clock_(std::move(clock)), executor_(executor), refill_(executor) {
    if (options.requests_per_second > 0) {
        const double burst = options.burst > 0 ? static_cast<double>(options.burst)
                                               : std::max(1.0, std::floor(options.requests_per_second));
        if (options.shared) {
            shared_ = options.shared;
            per_second_ = options.requests_per_second;
            burst_ = burst;
            // Never unlimited, never a hard stop: a local bucket at the configured share of the budget.
            const double share = std::clamp(options.fallback_share, 0.001, 1.0);
            rate_limit_options local;
            local.requests_per_second = options.requests_per_second * share;
            local.burst = static_cast<std::size_t>(std::max(1.0, std::floor(burst * share)));
            fallback_ = std::make_shared<rate_limiter>(executor, local, clock_);
        } else {
            bucket_.emplace(options.requests_per_second, burst, now());
        }
    }
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
        auto w = queue_.pop_front();
        w->disarm();
        w->complete({});  // posted: never inline, even under this lock
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

void rate_limiter::start_waiting(std::shared_ptr<waiter> w, std::chrono::steady_clock::time_point deadline) {
    std::lock_guard lock(mutex_);
    if (closed_) {
        w->complete(boost::asio::error::shut_down);
        return;
    }
    const auto t = now();
    queue_.push_back(w);
    // Armed under the lock, so a grant (which disarms it under the same lock) cannot race it.
    w->arm_deadline(deadline - t, [self = shared_from_this(), w] { self->leave(w, boost::asio::error::timed_out); });
    w->on_cancellation([self = shared_from_this(), weak = std::weak_ptr<waiter>(w)](boost::asio::cancellation_type) {
        if (auto w = weak.lock()) self->leave(w, boost::asio::error::operation_aborted);
    });
    dispatch_locked(t);  // a permit may have come free since the first look
}

void rate_limiter::leave(const std::shared_ptr<waiter>& w, boost::system::error_code why) {
    std::lock_guard lock(mutex_);
    if (!w->linked) return;  // granted or shut down first: that outcome is on its way
    queue_.unlink(*w);
    w->disarm();
    w->complete(why);
    dispatch_locked(now());  // it may have been the head that others waited behind
}

boost::asio::awaitable<result<rate_limiter::permit>> rate_limiter::acquire(std::chrono::steady_clock::time_point deadline) {
    return shared_ ? acquire_shared(deadline) : acquire_slot(deadline);
}

// One reservation in the shared budget, waited out on this caller's own timer; requests reserve in the
// order they ask (one pipelined Redis connection keeps that order), so waits grow in that order too.
boost::asio::awaitable<result<rate_limiter::permit>> rate_limiter::acquire_shared(std::chrono::steady_clock::time_point deadline) {
    const auto left = deadline - now();
    if (left <= std::chrono::steady_clock::duration::zero())
        co_return make_error(error_kind::timeout, boost::asio::error::timed_out,
                             "the call's deadline passed while it waited for the rate limiter");
    auto reserved = co_await shared_->reserve(per_second_, burst_, std::chrono::duration_cast<std::chrono::microseconds>(left));
    if (reserved) {
        if (reserved->count() > 0) {
            boost::asio::steady_timer wait(executor_, *reserved);
            auto [ec] = co_await wait.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
            if (ec) co_return cancelled_while_waiting();
        }
    } else if (reserved.error().kind == error_kind::rate_limited) {
        co_return make_error(error_kind::timeout, boost::asio::error::timed_out,
                             "the call's deadline comes before its place in the account's shared rate budget");
    } else {
        ++shared_fallbacks_;
        auto local = co_await fallback_->acquire(deadline);  // no in-flight cap there: the permit is only a token
        if (!local) co_return local.error();
    }
    {
        std::lock_guard lock(mutex_);
        if (closed_) co_return shut_down();
    }
    co_return co_await acquire_slot(deadline);
}

boost::asio::awaitable<result<rate_limiter::permit>> rate_limiter::acquire_slot(std::chrono::steady_clock::time_point deadline) {
    const auto cancellation = co_await boost::asio::this_coro::cancellation_state;  // a live view
    // Already cancelled: say so rather than queue a waiter for nothing.
    if (cancellation.cancelled() != boost::asio::cancellation_type::none) co_return cancelled_while_waiting();
    {
        std::lock_guard lock(mutex_);
        if (closed_) co_return shut_down();
        const auto t = now();
        if (queue_.empty() && take_locked(t) == take_outcome::taken) co_return permit(shared_from_this());
        if (t >= deadline) co_return make_error(error_kind::timeout, boost::asio::error::timed_out,
                                                "the call's deadline passed while it waited for the rate limiter");
    }

    // The initiation and the token are named objects: g++ 12 destroys class temporaries of a co_await
    // expression twice.
    auto initiation = [this, deadline](auto handler) {
        start_waiting(std::make_shared<waiter>(std::move(handler), executor_), deadline);
    };
    using token_type = decltype(boost::asio::as_tuple(boost::asio::use_awaitable));
    const token_type token = boost::asio::as_tuple(boost::asio::use_awaitable);
    auto [ec] = co_await boost::asio::async_initiate<const token_type, void(boost::system::error_code)>(initiation, token);

    if (!ec) {
        // Granted as the caller gave up: pass the slot on at once.
        if (cancellation.cancelled() == boost::asio::cancellation_type::none) co_return permit(shared_from_this());
        release();
        co_return cancelled_while_waiting();
    }
    if (ec == boost::asio::error::shut_down) co_return shut_down();
    if (ec == boost::asio::error::timed_out)
        co_return make_error(error_kind::timeout, boost::asio::error::timed_out,
                             "the call's deadline passed while it waited for the rate limiter");
    co_return cancelled_while_waiting();
}

void rate_limiter::shutdown() {
    if (fallback_) fallback_->shutdown();
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& w : queue_.take_all()) {
        w->disarm();
        w->complete(boost::asio::error::shut_down);
    }
    refill_.cancel();
}

rate_limiter::counters rate_limiter::snapshot() const {
    std::lock_guard lock(mutex_);
    return counters{in_flight_, queue_.size(), granted_, shared_fallbacks_.load()};
}

} // namespace daftra::detail
