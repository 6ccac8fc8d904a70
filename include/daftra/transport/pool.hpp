#pragma once
// An awaitable per-origin pool of HTTP/1.1 keep-alive connections (HTTPS or plain HTTP).
//
// Thread safety: a pool may be shared by coroutines running on any threads of an io_context. As everywhere
// in Asio, a caller that cancels (e.g. `||` with a timer) on a multi-threaded io_context must run on a
// strand (`co_spawn(asio::make_strand(io), …)`): a cancellation slot cannot be emitted and re-armed at once.
// Cancellation: send() honours the caller's cancellation slot (e.g. `co_await (p.send(r) || timer)`):
// a waiting call leaves the queue, a call in the middle of an exchange closes that connection; in both
// cases the call completes with error_kind::cancelled and no slot is leaked.
// Destruction: destroying the pool completes every call in flight with error_kind::cancelled; the
// io_context must keep running until they finish.

#include "daftra/core/completion.hpp"
#include "daftra/core/result.hpp"
#include "daftra/transport/http.hpp"
#include "daftra/transport/options.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string_view>

namespace daftra::transport {

class pool_impl;

class pool {
public:
    /// `origin` is "https://host[:port]" or "http://host[:port]"; a path, if present, is ignored.
    /// Throws std::invalid_argument for any other form, and when the TLS settings cannot be loaded
    /// (e.g. an unreadable ca_file).
    pool(boost::asio::any_io_executor executor, std::string_view origin, pool_options options = {});
    ~pool();
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;

    /// Sends one request and reads the whole answer. Any HTTP status is a success here: the caller
    /// decides what a 4xx means. Fails with a typed error for transport, TLS, timeout, protocol,
    /// cancellation and pool_timeout. An idempotent request that fails on a reused connection before any
    /// answer byte arrives is replayed once on a new connection; a POST or PATCH is never replayed once
    /// it may have been sent (error::maybe_sent tells).
    boost::asio::awaitable<result<response>> send(request req, send_options options);
    /// The same with default send_options. (An overload, not a default argument: g++ 12 destroys
    /// default-argument temporaries of an awaited call twice.)
    boost::asio::awaitable<result<response>> send(request req);

    /// send() with any completion token, completed with void(result<response>): a callback,
    /// boost::asio::use_future, boost::asio::deferred, … (daftra/core/completion.hpp says where the
    /// handler runs and how it cancels).
    template <completion_token_for<result<response>> Token>
    auto send(request req, send_options options, Token&& token) {
        return complete_with(get_executor(), send(std::move(req), options), std::forward<Token>(token));
    }
    template <completion_token_for<result<response>> Token>
    auto send(request req, Token&& token) {
        return complete_with(get_executor(), send(std::move(req)), std::forward<Token>(token));
    }

    /// The executor given to the constructor: where the pool's own work runs.
    boost::asio::any_io_executor get_executor() const noexcept;

    /// A snapshot of the counters.
    pool_stats stats() const;

    /// The options in force.
    const pool_options& options() const noexcept;

    /// Closes idle connections and fails every waiting and running call with error_kind::cancelled.
    /// Later calls fail at once. Also done by the destructor.
    void shutdown();

private:
    std::shared_ptr<pool_impl> impl_;
};

} // namespace daftra::transport
