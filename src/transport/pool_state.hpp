#pragma once
// The connection pool's rules without I/O (design.md, "Transport"): which connection a call gets,
// who waits and in which order, where a released connection goes, when one is retired or expires,
// when a request is checked for liveness or replayed. Every decision is a function of the event and
// the time given to it, so test/transport/pool_state_test.cpp drives each rule in microseconds,
// without sockets, timers or sleeps. pool_impl holds one pool_state under its mutex and carries out
// what it returns (closing sockets, completing handlers, arming timers).
//
// Traits (the I/O layer's, or a test's) name the connection handle and open new ones:
//   using connection = …;    // copyable handle, null when empty (shared_ptr<detail::connection>)
//   using waiter = …;        // a waiter_queue node: std::shared_ptr<waiter> next, waiter* prev, bool linked
//   connection open();       // a new, unconnected connection
//   static connection_record& record(const connection&);

#include "connection_record.hpp"
#include "../core/waiter_queue.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace daftra::transport::detail {

/// The options the rules use (pool_options has their documentation and defaults).
struct pool_limits {
    std::size_t max_connections = 8;
    std::chrono::milliseconds idle_timeout{30'000};
    std::size_t max_requests_per_connection = 0;
    std::chrono::milliseconds max_connection_age{0};
};

// ---- decisions that need no state ----

/// Retired: it served its request limit (ours or the server's) or reached its age limit.
inline bool is_retired(const connection_record& c, const pool_limits& l, clock::time_point now) {
    if (l.max_requests_per_connection != 0 && c.requests >= l.max_requests_per_connection) return true;
    if (c.max_requests != 0 && c.requests >= c.max_requests) return true;
    if (l.max_connection_age.count() > 0 && now - c.created >= l.max_connection_age) return true;
    return false;
}

/// How long a released connection may stay idle: idle_timeout, or a second less than the server's
/// announced keep-alive timeout when that is shorter (so that the pool never races the server's close).
inline std::chrono::milliseconds idle_period(const connection_record& c, const pool_limits& l) {
    if (!c.server_idle_timeout) return l.idle_timeout;
    return std::min<std::chrono::milliseconds>(l.idle_timeout, *c.server_idle_timeout - std::chrono::seconds(1));
}

/// A kept-alive socket the server closed is found by one poll() before reuse. Skipped for an idempotent
/// request on a connection that finished an exchange a moment ago (servers close idle connections
/// after seconds; should this one be closed, the exchange fails before any answer byte and is replayed).
/// A POST is always checked: it is replayed only when it provably never left.
inline constexpr std::chrono::milliseconds recently_used{100};
inline bool needs_liveness_check(const connection_record& c, bool idempotent, clock::time_point now) {
    return c.connected && (!idempotent || now - c.released > recently_used);
}

/// How long a call waits for a connection: until acquire_timeout after it started (then pool_timeout),
/// or until its own deadline when that comes first (then timeout).
struct wait_limit {
    clock::time_point until;
    bool is_call_deadline = false;  ///< the call's deadline, not acquire_timeout, ends the wait
};
inline wait_limit wait_limit_for(clock::time_point start, std::chrono::milliseconds acquire_timeout,
                                 clock::time_point call_deadline) {
    const auto acquire_by = start + acquire_timeout;
    if (call_deadline < acquire_by) return {call_deadline, true};
    return {acquire_by, false};
}

/// What an exchange that failed tells the replay rule.
struct failed_exchange {
    bool stale_candidate = false;  ///< failed like a connection the server had already closed
    bool maybe_sent = false;       ///< a request byte may have reached the server
};

/// Replay once on a new connection a request that failed on a connection the server had dropped,
/// unless it is not idempotent and may have reached the server (a duplicate create), or the call's
/// deadline has passed.
inline bool may_replay(const failed_exchange& f, bool idempotent, bool already_replayed, bool before_deadline) {
    return f.stale_candidate && !already_replayed && (idempotent || !f.maybe_sent) && before_deadline;
}

// ---- the pool's state ----

template <class Traits>
class pool_state {
public:
    using connection = typename Traits::connection;
    using waiter = typename Traits::waiter;

    pool_state(Traits traits, pool_limits limits) : traits_(std::move(traits)), limits_(limits) {}

    const pool_limits& limits() const noexcept { return limits_; }
    bool stopped() const noexcept { return stopped_; }

    enum class take { got, must_wait, stopped };

    /// A call wants a connection: the most recently used idle one, else a new one below
    /// max_connections, else it must wait (then wait()). Idle connections that expired or retired by
    /// `now` go to `to_close` first.
    take try_take(clock::time_point now, connection& out, std::vector<connection>& to_close) {
        expire(now, to_close);
        if (stopped_) return take::stopped;
        if (!idle_.empty()) {
            out = std::move(idle_.back());
            idle_.pop_back();
            return take::got;
        }
        if (all_.size() < limits_.max_connections) {
            out = open();
            return take::got;
        }
        return take::must_wait;
    }

    /// Queues a call after try_take said must_wait (FIFO).
    void wait(std::shared_ptr<waiter> w) { waiters_.push_back(std::move(w)); }

    /// A waiting call leaves (its deadline, its caller's cancellation): true when it was still queued.
    /// False means it was already handed a connection, which its call will give back with release().
    bool leave(waiter& w) {
        if (!w.linked) return false;
        waiters_.unlink(w);
        return true;
    }

    /// Where a released connection went.
    struct handoff {
        std::shared_ptr<waiter> to;  ///< the oldest waiter, handed `conn`; null: nobody was waiting
        connection conn{};           ///< the connection handed over (the released one, or a new one)
    };

    /// A call gives its connection back. Reusable (a complete keep-alive exchange) and not retired: it
    /// goes straight to the oldest waiter, else onto the idle stack. Otherwise it is closed (to_close)
    /// and its slot goes to the oldest waiter as a new connection.
    handoff release(connection c, bool reusable, clock::time_point now, std::vector<connection>& to_close) {
        expire(now, to_close);
        handoff h;
        connection_record& r = Traits::record(c);
        if (reusable && !stopped_ && !is_retired(r, limits_, now)) {
            r.idle_until = now + idle_period(r, limits_);
            r.released = now;
            if ((h.to = waiters_.pop_front())) h.conn = std::move(c);
            else idle_.push_back(std::move(c));
        } else {
            forget(c);
            to_close.push_back(std::move(c));
            if (!stopped_ && (h.to = waiters_.pop_front())) h.conn = open();
        }
        return h;
    }

    /// For a replay: `c` is forgotten (the caller closes it) and a new connection takes its slot;
    /// nothing once stopped.
    std::optional<connection> replace(const connection& c) {
        forget(c);
        if (stopped_) return std::nullopt;
        return open();
    }

    /// Stops the pool: every waiter leaves (to be failed), every connection is forgotten (to be
    /// closed), and later calls get take::stopped. Idempotent: the second call returns nothing.
    struct stopped_set {
        std::vector<std::shared_ptr<waiter>> waiters;
        std::vector<connection> connections;
    };
    stopped_set stop() {
        stopped_set out;
        if (stopped_) return out;
        stopped_ = true;
        out.waiters = waiters_.take_all();
        idle_.clear();
        out.connections.swap(all_);
        return out;
    }

    std::size_t open_count() const noexcept { return all_.size(); }
    std::size_t idle_count() const noexcept { return idle_.size(); }
    std::size_t waiting_count() const noexcept { return waiters_.size(); }
    std::size_t opened_total() const noexcept { return opened_; }

private:
    connection open() {
        connection c = traits_.open();
        all_.push_back(c);
        ++opened_;
        return c;
    }

    void forget(const connection& c) {
        auto it = std::find(all_.begin(), all_.end(), c);
        if (it != all_.end()) {
            *it = std::move(all_.back());
            all_.pop_back();
        }
    }

    // The front is the connection idle the longest; once one is fresh enough, the rest are too.
    void expire(clock::time_point now, std::vector<connection>& to_close) {
        while (!idle_.empty()) {
            const connection_record& r = Traits::record(idle_.front());
            if (r.idle_until > now && !is_retired(r, limits_, now)) break;
            to_close.push_back(std::move(idle_.front()));
            idle_.pop_front();
            forget(to_close.back());
        }
    }

    Traits traits_;
    pool_limits limits_;
    bool stopped_ = false;
    std::vector<connection> all_;     // every open connection (idle, in use, connecting)
    std::deque<connection> idle_;     // back = most recently used
    daftra::detail::waiter_queue<waiter> waiters_;  // front = oldest
    std::size_t opened_ = 0;
};

} // namespace daftra::transport::detail
