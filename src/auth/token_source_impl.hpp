#pragma once
// The refresher's I/O layer: its rules (token_state.hpp) under a mutex, the waiting callers' handlers,
// and the refresh task. Everything below `mutex_` is guarded by it; the refresh task runs on `strand_`
// and is the only code that calls the fetcher and the store (after construction).

#include "token_state.hpp"
#include "../core/waiter.hpp"
#include "../core/waiter_queue.hpp"

#include "daftra/auth/token_source.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/strand.hpp>

#include <mutex>
#include <vector>

namespace daftra::auth {

class token_source_impl : public std::enable_shared_from_this<token_source_impl> {
public:
    using signature = void(result<auth_header>);
    using handler_type = boost::asio::any_completion_handler<signature>;

    token_source_impl(boost::asio::any_io_executor ex, credentials creds, auth_options options, token_fetcher fetch);
    const boost::asio::any_io_executor& get_executor() const noexcept { return ex_; }

    std::optional<auth_header> try_get();

    /// Completes with a header or an error, on the handler's associated executor. Never completes inline.
    template <class Token>
    auto async_get(Token&& token) {
        return boost::asio::async_initiate<Token, signature>(
            [this](auto handler) { start_get(std::make_shared<waiter>(std::move(handler), ex_)); }, token);
    }

    void invalidate(std::uint64_t generation);
    bool refreshable() const noexcept { return refreshable_; }
    token_source_stats stats() const;
    void shutdown();

private:
    using time_point = wall_clock::time_point;
    using fresh_token = detail::fresh_token;

    using waiter = daftra::detail::waiter<signature>;

    time_point now() const { return options_.clock.wall_time(); }
    auth_header header_locked() const;

    void start_get(std::shared_ptr<waiter> w);
    void cancel_waiter(const std::shared_ptr<waiter>& w);

    void spawn_refresh();
    static boost::asio::awaitable<void> run_refresh(std::shared_ptr<token_source_impl> self);
    boost::asio::awaitable<result<fresh_token>> refresh();
    boost::asio::awaitable<result<fresh_token>> request_once();
    boost::asio::awaitable<result<fresh_token>> fetch(const grant_request& grant);
    boost::asio::awaitable<void> pause(std::chrono::milliseconds d);
    std::optional<fresh_token> adopt_from_store();
    void finish(result<fresh_token> r);

    boost::asio::any_io_executor ex_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    const credentials creds_;
    const auth_options options_;
    const token_fetcher fetch_;
    const bool refreshable_;

    mutable std::mutex mutex_;
    detail::token_state state_;
    std::shared_ptr<boost::asio::cancellation_signal> flight_signal_;  // set while a task runs; emitted on the strand
    daftra::detail::waiter_queue<waiter> waiters_;
};

} // namespace daftra::auth
