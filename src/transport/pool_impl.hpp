#pragma once
// The pool's I/O layer: its rules (pool_state.hpp: which connection, who waits, where a released one
// goes) under a mutex, and what carries their decisions out: the waiters' handlers and timers, closing
// sockets on their strands, the exchange coroutine. A released connection goes straight to the oldest
// waiter (no notify-and-recheck), so no wake-up is lost when waiters are cancelled or time out; a
// waiter that leaves the queue passes nothing on because it was never handed anything, and one that
// was handed a connection returns it.

#include "connection.hpp"
#include "pool_state.hpp"
#include "../core/waiter.hpp"
#include "daftra/transport/pool.hpp"

#include <boost/asio/async_result.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <vector>

namespace daftra::transport {

class pool_impl : public std::enable_shared_from_this<pool_impl> {
public:
    using connection = detail::connection;
    using clock = detail::clock;
    /// Completes with a connection (maybe a new, unconnected one), or with
    /// operation_aborted (cancelled or shut down), timed_out (call deadline) or
    /// resource_unavailable_try_again (acquire_timeout).
    using acquire_signature = void(boost::system::error_code, std::shared_ptr<connection>);
    using acquire_handler = boost::asio::any_completion_handler<acquire_signature>;

    pool_impl(boost::asio::any_io_executor ex, std::string_view origin, pool_options options);

    /// The call's coroutine; it holds `self` until it completes.
    static boost::asio::awaitable<result<response>> send(std::shared_ptr<pool_impl> self, request req,
                                                         send_options options);
    pool_stats stats() const;
    const pool_options& options() const noexcept { return settings_->options; }
    const boost::asio::any_io_executor& get_executor() const noexcept { return ex_; }
    void shutdown();

private:
    using waiter = daftra::detail::waiter<acquire_signature>;

    boost::asio::awaitable<result<response>> run_send(std::shared_ptr<pool_impl> self, request req, send_options so);

    // What pool_state needs of the I/O layer: the connection handle, the waiter node, a factory.
    struct traits {
        using connection = std::shared_ptr<detail::connection>;
        using waiter = pool_impl::waiter;
        boost::asio::any_io_executor ex;
        std::shared_ptr<const detail::connection_settings> settings;
        connection open() const { return detail::make_connection(ex, settings); }
        static detail::connection_record& record(const connection& c) noexcept { return *c; }
    };
    using state = detail::pool_state<traits>;
    using take = state::take;

    // Under the lock: pool_state::try_take.
    take try_take_locked(std::shared_ptr<connection>& out, std::vector<std::shared_ptr<connection>>& doomed);

    template <class Token>
    auto async_acquire(clock::time_point expiry, boost::system::error_code expiry_code, Token&& token) {
        return boost::asio::async_initiate<Token, acquire_signature>(
            [this](auto handler, clock::time_point when, boost::system::error_code code) {
                start_waiting(std::make_shared<waiter>(std::move(handler), ex_), when, code);
            },
            token, expiry, expiry_code);
    }
    void start_waiting(std::shared_ptr<waiter> w, clock::time_point expiry, boost::system::error_code expiry_code);
    void on_waiter_expiry(const std::shared_ptr<waiter>& w, boost::system::error_code code);
    void cancel_waiter(const std::shared_ptr<waiter>& w);
    clock::time_point now() const { return settings_->options.clock.steady_time(); }

    // Gives the connection back: to the oldest waiter, to the idle stack, or closed (its slot then goes to
    // the oldest waiter as a new connection).
    void release(std::shared_ptr<connection> c, bool reusable);
    // Closes `c` and returns a new unconnected connection that takes its slot (used for replays).
    std::shared_ptr<connection> replace(const std::shared_ptr<connection>& c);
    static void close_async(const std::shared_ptr<connection>& c);

    boost::asio::any_io_executor ex_;
    std::shared_ptr<const detail::connection_settings> settings_;

    mutable std::mutex mutex_;
    state state_;  // guarded by mutex_
    std::atomic<std::size_t> requests_{0};  // a counter only: no lock on the hot path for it
    std::atomic<std::uint64_t> granted_{0};  // calls that got a connection (request_info::connection_order)
};

} // namespace daftra::transport
