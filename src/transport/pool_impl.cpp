// Acquire, release and shutdown: pool_state's decisions carried out. No I/O happens under the mutex:
// connections to close and handlers to complete are collected under it and handled after.

#include "pool_impl.hpp"

#include <boost/asio/dispatch.hpp>

#include <algorithm>

namespace daftra::transport {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

detail::pool_limits limits_of(const pool_options& o) {
    detail::pool_limits l;
    l.max_connections = o.max_connections;
    l.idle_timeout = o.idle_timeout;
    l.max_requests_per_connection = o.max_requests_per_connection;
    l.max_connection_age = o.max_connection_age;
    return l;
}

std::shared_ptr<const detail::connection_settings> settings_for(std::string_view origin, pool_options options) {
    if (options.max_connections == 0) throw std::invalid_argument("daftra: pool_options::max_connections must be at least 1");
    auto settings = std::make_shared<detail::connection_settings>();
    settings->where = detail::origin::parse(origin);
    if (settings->where.tls) settings->tls_context = detail::make_tls_context(options.tls);
    settings->options = std::move(options);
    return settings;
}

} // namespace

pool_impl::pool_impl(asio::any_io_executor ex, std::string_view origin, pool_options options)
    : ex_(std::move(ex)), settings_(settings_for(origin, std::move(options))),
      state_(traits{ex_, settings_}, limits_of(settings_->options)) {}

pool_impl::take pool_impl::try_take_locked(std::shared_ptr<connection>& out, std::vector<std::shared_ptr<connection>>& doomed) {
    return state_.try_take(now(), out, doomed);
}

void pool_impl::start_waiting(std::shared_ptr<waiter> w, clock::time_point expiry, error_code expiry_code) {
    std::shared_ptr<connection> got;
    std::vector<std::shared_ptr<connection>> doomed;
    error_code ec;
    bool queued = false;
    {
        std::lock_guard lock(mutex_);
        switch (try_take_locked(got, doomed)) {
        case take::got: break;
        case take::stopped: ec = asio::error::operation_aborted; break;
        case take::must_wait:
            state_.wait(w);
            queued = true;
            // Armed under the lock, so a hand-off (which disarms it under the same lock) cannot race it.
            w->arm_deadline(expiry - now(), [self = shared_from_this(), w, expiry_code] {
                self->on_waiter_expiry(w, expiry_code);
            });
            w->on_cancellation([self = shared_from_this(), weak = std::weak_ptr<waiter>(w)](asio::cancellation_type) {
                if (auto w = weak.lock()) self->cancel_waiter(w);
            });
            break;
        }
    }
    for (auto& c : doomed) close_async(c);
    if (!queued) w->complete(ec, std::move(got));
}

void pool_impl::on_waiter_expiry(const std::shared_ptr<waiter>& w, error_code code) {
    {
        std::lock_guard lock(mutex_);
        if (!state_.leave(*w)) return;  // handed a connection just before the timer fired
    }
    w->complete(code, nullptr);
}

void pool_impl::cancel_waiter(const std::shared_ptr<waiter>& w) {
    {
        std::lock_guard lock(mutex_);
        if (!state_.leave(*w)) return;  // already handed something: the caller returns it
        w->disarm();
    }
    w->complete(asio::error::operation_aborted, nullptr);
}

void pool_impl::close_async(const std::shared_ptr<connection>& c) {
    // The socket belongs to the connection's strand; a strand-less close could race its timer handlers.
    asio::dispatch(c->executor(), [c] { c->close(); });
}

void pool_impl::release(std::shared_ptr<connection> c, bool reusable) {
    std::vector<std::shared_ptr<connection>> doomed;
    state::handoff next;
    {
        std::lock_guard lock(mutex_);
        next = state_.release(std::move(c), reusable, now(), doomed);
        // Disarmed under the lock, so that the waiter's timer cannot fire for a waiter already served.
        if (next.to) next.to->disarm();
    }
    for (auto& d : doomed) close_async(d);
    if (next.to) next.to->complete({}, std::move(next.conn));
}

std::shared_ptr<pool_impl::connection> pool_impl::replace(const std::shared_ptr<connection>& c) {
    close_async(c);
    std::lock_guard lock(mutex_);
    return state_.replace(c).value_or(nullptr);
}

pool_stats pool_impl::stats() const {
    std::lock_guard lock(mutex_);
    pool_stats s;
    s.open = state_.open_count();
    s.idle = state_.idle_count();
    s.in_use = s.open - s.idle;
    s.waiting = state_.waiting_count();
    s.connections_opened = state_.opened_total();
    s.requests = requests_.load(std::memory_order_relaxed);
    return s;
}

void pool_impl::shutdown() {
    state::stopped_set stopped;
    {
        std::lock_guard lock(mutex_);
        stopped = state_.stop();
        for (auto& w : stopped.waiters) w->disarm();
    }
    for (auto& w : stopped.waiters) w->complete(asio::error::operation_aborted, nullptr);
    // In-use connections are closed on their strands; their exchanges then fail and report cancellation.
    for (auto& c : stopped.connections) close_async(c);
}

} // namespace daftra::transport
