#pragma once
// One caller waiting for something handed out first come, first served: a connection of the pool, a
// token of the refresher, a permit of the rate limiter. The three hold their waiters in a
// waiter_queue (waiter_queue.hpp) under their own mutex and decide who is served; this type carries the
// caller's side, the same for all three:
//   - the completion handler, type-erased, with the executor it completes on (its associated executor,
//     noted while the handler's type is known: a type-erased handler only offers an
//     any_completion_executor, which allocates each time it is asked);
//   - a deadline, as a real timer for the time left on the owner's clock (clock_hooks);
//   - the handler's cancellation slot, hooked to the owner's "leave the queue";
//   - completion always posted, never inline: the completing code may hold its own locks, and ten
//     thousand waiters served at once must not nest on one stack.
// The owner decides under its lock whether the waiter is still queued (`linked`) before it completes
// it, so the deadline, the cancellation and the hand-off cannot both complete one waiter.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>

namespace daftra::detail {

template <class Signature>
class waiter;

template <class... Args>
class waiter<void(Args...)> {
public:
    using signature = void(Args...);
    using handler_type = boost::asio::any_completion_handler<signature>;

    /// `handler` completes on its associated executor, `fallback` when it has none; `fallback` also runs
    /// the deadline's timer.
    template <class Handler>
    waiter(Handler&& handler, const boost::asio::any_io_executor& fallback)
        : executor_(boost::asio::get_associated_executor(handler, fallback)), timer_executor_(fallback) {
        // Boost 1.81's any_completion_handler move-assignment recurses forever (it copies an lvalue into
        // a new wrapper), so the handler is only ever move-constructed: emplace().
        handler_.emplace(std::forward<Handler>(handler));
    }
    waiter(const waiter&) = delete;
    waiter& operator=(const waiter&) = delete;

    /// Calls `on_cancel(type)` when the handler's cancellation slot is emitted (if it has one), on the
    /// emitting thread. The owner then takes its lock and, if the waiter is still queued, unlinks and
    /// completes it.
    template <class F>
    void on_cancellation(F on_cancel) {
        auto slot = boost::asio::get_associated_cancellation_slot(*handler_);
        if (slot.is_connected()) slot.assign(std::move(on_cancel));
    }

    /// Calls `on_expiry()` after `left` (the time to the deadline on the owner's clock), unless disarm()
    /// comes first. Arm it under the owner's lock, so that a hand-off (which disarms under the same lock)
    /// cannot miss it.
    template <class F>
    void arm_deadline(std::chrono::steady_clock::duration left, F on_expiry) {
        timer_.emplace(timer_executor_, left);
        timer_->async_wait([f = std::move(on_expiry)](boost::system::error_code ec) mutable {
            if (!ec) f();
        });
    }
    void disarm() {
        if (timer_) timer_->cancel();
    }

    /// Completes the handler with `args`: posted to its executor, where its cancellation slot is cleared
    /// first (a slot must never be cleared while another thread emits on it). Exactly once.
    void complete(Args... args) {
        handler_type h(std::move(*handler_));
        handler_.reset();
        boost::asio::post(executor_, [h = std::move(h), ... args = std::move(args)]() mutable {
            auto slot = boost::asio::get_associated_cancellation_slot(h);
            if (slot.is_connected()) slot.clear();
            std::move(h)(std::move(args)...);
        });
    }
    bool completed() const noexcept { return !handler_; }

    // The links of waiter_queue: owned by the previous waiter (or the queue's head).
    std::shared_ptr<waiter> next;
    waiter* prev = nullptr;
    bool linked = false;

private:
    std::optional<handler_type> handler_;
    boost::asio::any_io_executor executor_;
    boost::asio::any_io_executor timer_executor_;
    std::optional<boost::asio::steady_timer> timer_;  // only for waiters with a deadline
};

} // namespace daftra::detail
