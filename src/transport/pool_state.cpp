// Acquire, release and shutdown: the pool's state machine. No I/O happens under the mutex.

#include "pool_impl.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace daftra::transport {

namespace asio = boost::asio;
using boost::system::error_code;

pool_impl::pool_impl(asio::any_io_executor ex, std::string_view origin, pool_options options) : ex_(std::move(ex)) {
    if (options.max_connections == 0) throw std::invalid_argument("daftra: pool_options::max_connections must be at least 1");
    auto settings = std::make_shared<detail::connection_settings>();
    settings->where = detail::origin::parse(origin);
    if (settings->where.tls) settings->tls_context = detail::make_tls_context(options.tls);
    settings->options = std::move(options);
    settings_ = std::move(settings);
}

bool pool_impl::retired(const connection& c, clock::time_point now) const {
    const auto& o = settings_->options;
    if (o.max_requests_per_connection != 0 && c.requests >= o.max_requests_per_connection) return true;
    if (c.max_requests != 0 && c.requests >= c.max_requests) return true;
    if (o.max_connection_age.count() > 0 && now - c.created >= o.max_connection_age) return true;
    return false;
}

std::shared_ptr<pool_impl::connection> pool_impl::new_connection_locked() {
    auto c = detail::make_connection(ex_, settings_);
    all_.push_back(c);
    ++connections_opened_;
    return c;
}

void pool_impl::forget_locked(const std::shared_ptr<connection>& c) {
    auto it = std::find(all_.begin(), all_.end(), c);
    if (it != all_.end()) {
        *it = std::move(all_.back());
        all_.pop_back();
    }
}

void pool_impl::expire_idle_locked(clock::time_point now, std::vector<std::shared_ptr<connection>>& doomed) {
    // The front is the connection idle the longest; once one is fresh enough, the rest are too.
    while (!idle_.empty() && (idle_.front()->idle_until <= now || retired(*idle_.front(), now))) {
        doomed.push_back(std::move(idle_.front()));
        idle_.pop_front();
        forget_locked(doomed.back());
    }
}

pool_impl::take_result pool_impl::try_take_locked(std::shared_ptr<connection>& out, clock::time_point now) {
    if (stopped_) return take_result::stopped;
    if (!idle_.empty()) {
        out = std::move(idle_.back());
        idle_.pop_back();
        return take_result::got;
    }
    if (all_.size() < settings_->options.max_connections) {
        out = new_connection_locked();
        return take_result::got;
    }
    (void)now;
    return take_result::must_wait;
}

void pool_impl::start_waiting(acquire_handler handler, asio::any_io_executor handler_executor, clock::time_point expiry,
                              error_code expiry_code) {
    std::shared_ptr<connection> got;
    std::vector<std::shared_ptr<connection>> doomed;
    error_code ec;
    {
        std::lock_guard lock(mutex_);
        const auto now = clock::now();
        expire_idle_locked(now, doomed);
        switch (try_take_locked(got, now)) {
        case take_result::got: break;
        case take_result::stopped: ec = asio::error::operation_aborted; break;
        case take_result::must_wait: {
            auto w = std::make_shared<waiter>(ex_);
            w->handler.emplace(std::move(handler));
            w->handler_executor = handler_executor;
            w->expiry_code = expiry_code;
            waiters_.push_back(w);
            // Armed under the lock, so a hand-off (which cancels it under the same lock) cannot race it.
            w->timer.expires_at(expiry);
            w->timer.async_wait([self = shared_from_this(), w](error_code e) {
                if (!e) self->on_waiter_timer(w);
            });
            auto slot = asio::get_associated_cancellation_slot(*w->handler);
            if (slot.is_connected()) {
                slot.assign([self = shared_from_this(), weak = std::weak_ptr<waiter>(w)](asio::cancellation_type) {
                    if (auto w = weak.lock()) self->cancel_waiter(w);
                });
            }
            break;
        }
        }
    }
    for (auto& c : doomed) close_async(c);
    if (handler) complete(std::move(handler), handler_executor, ec, std::move(got));
}

std::shared_ptr<pool_impl::waiter> pool_impl::pop_waiter_locked() {
    auto w = waiters_.pop_front();
    if (!w) return nullptr;
    w->timer.cancel();
    return w;
}

void pool_impl::on_waiter_timer(const std::shared_ptr<waiter>& w) {
    {
        std::lock_guard lock(mutex_);
        if (!w->linked) return;  // handed a connection just before the timer fired
        waiters_.unlink(*w);
    }
    complete(std::move(*w->handler), w->handler_executor, w->expiry_code, nullptr);
}

void pool_impl::cancel_waiter(const std::shared_ptr<waiter>& w) {
    {
        std::lock_guard lock(mutex_);
        if (!w->linked) return;  // already handed something: the caller returns it
        waiters_.unlink(*w);
        w->timer.cancel();
    }
    complete(std::move(*w->handler), w->handler_executor, asio::error::operation_aborted, nullptr);
}

void pool_impl::complete(acquire_handler handler, const asio::any_io_executor& handler_executor, error_code ec,
                         std::shared_ptr<connection> c) {
    // Never inline: the releasing caller's stack stays flat. Posted to the handler's own executor
    // (taken when the wait began), where the caller's cancellation is emitted too: the slot is cleared
    // there because a slot must never be cleared while another thread emits on it.
    asio::post(handler_executor, [h = std::move(handler), ec, c = std::move(c)]() mutable {
        auto slot = asio::get_associated_cancellation_slot(h);
        if (slot.is_connected()) slot.clear();
        std::move(h)(ec, std::move(c));
    });
}

void pool_impl::close_async(const std::shared_ptr<connection>& c) {
    // The socket belongs to the connection's strand; a strand-less close could race its timer handlers.
    asio::dispatch(c->executor(), [c] { c->close(); });
}

void pool_impl::release(std::shared_ptr<connection> c, bool reusable) {
    std::shared_ptr<waiter> next;
    std::shared_ptr<connection> handoff;
    std::vector<std::shared_ptr<connection>> doomed;
    {
        std::lock_guard lock(mutex_);
        const auto now = clock::now();
        expire_idle_locked(now, doomed);
        if (reusable && !stopped_ && !retired(*c, now)) {
            auto idle_for = settings_->options.idle_timeout;
            // Close a second before the server's announced keep-alive timeout to avoid racing it.
            if (c->server_idle_timeout)
                idle_for = std::min<std::chrono::milliseconds>(idle_for, *c->server_idle_timeout - std::chrono::seconds(1));
            c->idle_until = now + idle_for;
            c->released = now;
            if ((next = pop_waiter_locked())) handoff = std::move(c);
            else idle_.push_back(std::move(c));
        } else {
            forget_locked(c);
            doomed.push_back(std::move(c));
            // The slot is free: the oldest waiter gets it as a new connection.
            if (!stopped_ && (next = pop_waiter_locked())) handoff = new_connection_locked();
        }
    }
    for (auto& d : doomed) close_async(d);
    if (next) complete(std::move(*next->handler), next->handler_executor, {}, std::move(handoff));
}

std::shared_ptr<pool_impl::connection> pool_impl::replace(const std::shared_ptr<connection>& c) {
    close_async(c);
    std::lock_guard lock(mutex_);
    forget_locked(c);
    if (stopped_) return nullptr;
    return new_connection_locked();
}

pool_stats pool_impl::stats() const {
    std::lock_guard lock(mutex_);
    pool_stats s;
    s.open = all_.size();
    s.idle = idle_.size();
    s.in_use = s.open - s.idle;
    s.waiting = waiters_.size();
    s.connections_opened = connections_opened_;
    s.requests = requests_.load(std::memory_order_relaxed);
    return s;
}

void pool_impl::shutdown() {
    std::vector<std::shared_ptr<waiter>> waiters;
    std::vector<std::shared_ptr<connection>> all;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        stopped_ = true;
        waiters.reserve(waiters_.size());
        while (auto w = waiters_.pop_front()) {
            w->timer.cancel();
            waiters.push_back(std::move(w));
        }
        idle_.clear();
        all.swap(all_);
    }
    for (auto& w : waiters) complete(std::move(*w->handler), w->handler_executor, asio::error::operation_aborted, nullptr);
    // In-use connections are closed on their strands; their exchanges then fail and report cancellation.
    for (auto& c : all) close_async(c);
}

} // namespace daftra::transport
