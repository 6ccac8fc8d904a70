#pragma once
// A Redis connection for the SDK's fleet features (a token and a rate budget shared by the processes of
// one account), usable on its own:
//
//   redis::connection redis(io.get_executor(), {.where = redis::parse_url("redis://127.0.0.1:6379").value()});
//   result<redis::reply> r = co_await redis.exec({"GET", "key"});
//
// - One socket (TCP, TLS or Unix), pipelined: commands from any number of callers are written in the
//   order they were started, coalesced into one write when they arrive together, and matched with their
//   replies in that order (a FIFO of pending commands). hiredis's reader parses the replies.
// - Connected on first use; AUTH and SELECT are sent first when the endpoint asks for them.
// - Lost connections are reopened: once at once, then with an exponential backoff (reconnect_min up to
//   reconnect_max, with jitter). While a reconnection attempt has failed and the next is not due, calls
//   fail at once with error_kind::transport instead of waiting: callers that have a fallback (the SDK's
//   token store and rate limiter) take it without delay.
// - Each command has a deadline (command_timeout unless the call gives one) and honours its completion
//   handler's cancellation slot (terminal cancellation). A command that was never written is simply
//   dropped; one that was written has its reply read and discarded when it arrives.
// - Every failure is a daftra::error: transport (refused, reset, unavailable), timeout, cancelled,
//   tls, protocol (a reply hiredis cannot parse, or over the limits), auth (AUTH refused),
//   invalid_argument (an empty command), server (a Redis error reply: `error_type` is its first word,
//   e.g. "NOSCRIPT", "WRONGTYPE"). A failed command that may have reached Redis has `maybe_sent` set;
//   the connection never sends a command twice.
// - Thread-safe: exec may be called from any thread. The socket lives on a strand of the executor.
// - While connected, a pending read keeps io_context::run() busy: close() (or the destructor) ends it.

#include "daftra/core/completion.hpp"
#include "daftra/core/result.hpp"
#include "daftra/redis/command.hpp"
#include "daftra/redis/endpoint.hpp"
#include "daftra/redis/reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace daftra::redis {

using std::chrono::milliseconds;

namespace detail {
class link;

/// What a connection or subscriber holds of its link: closes it when destroyed or replaced by a move
/// (the link itself lives on until its pending work has ended).
class link_owner {
public:
    explicit link_owner(std::shared_ptr<link> l) noexcept : link_(std::move(l)) {}
    ~link_owner();
    link_owner(link_owner&&) noexcept = default;
    link_owner& operator=(link_owner&& other) noexcept;

    const std::shared_ptr<link>& get() const noexcept { return link_; }
    link* operator->() const noexcept { return link_.get(); }

private:
    std::shared_ptr<link> link_;
};
} // namespace detail

/// What happened to the connection (see connection_options::on_event).
struct connection_event {
    enum class kind : unsigned char {
        connected,       ///< connected, logged in, ready (after a failure too: the store may re-read)
        disconnected,    ///< an open connection was lost; `cause` says why
        connect_failed,  ///< an attempt to connect failed; calls fail at once until the next one
    };
    kind what = kind::connected;
    error cause;  ///< disconnected and connect_failed only
};

struct connection_stats {
    std::uint64_t connects = 0;         ///< successful connections (logged in and ready)
    std::uint64_t connect_failures = 0; ///< failed attempts
    std::uint64_t disconnects = 0;      ///< open connections lost
    std::uint64_t commands = 0;         ///< commands written
    std::uint64_t replies = 0;          ///< replies read (discarded ones of cancelled commands included)
};

struct connection_options {
    /// The server (redis::parse_url). Default: redis://127.0.0.1:6379, no AUTH, database 0.
    endpoint where;
    /// Connecting, the TLS handshake and AUTH/SELECT together. Default 2 s: Redis answers a local
    /// network in well under a millisecond, and a caller with a fallback should not wait long for it.
    milliseconds connect_timeout{2'000};
    /// A command's deadline when exec is given none. Default 1 s: the SDK sends small commands (GET,
    /// SET NX, short Lua scripts); one that takes a second means the server or the network is in trouble.
    milliseconds command_timeout{1'000};
    /// When a written command's deadline passes, close the connection and open a new one. Replies come
    /// in order, so every command written after it would wait as long; a server that stopped answering
    /// is found out by the first deadline instead of by TCP's timeouts. Default true.
    bool reset_on_timeout = true;
    /// Backoff between failed connection attempts: doubled from reconnect_min up to reconnect_max, each
    /// wait chosen at random in [half, whole]. Defaults 50 ms and 2 s.
    milliseconds reconnect_min{50};
    milliseconds reconnect_max{2'000};
    /// Largest reply, in bytes buffered before it is complete; more fails with error_kind::protocol and
    /// closes the connection. Default 64 MiB: the SDK's own replies are under a kilobyte.
    std::size_t max_reply_bytes = 64u << 20;
    /// Most array elements in one reply, nested ones included. The reader makes room for an array when
    /// its header arrives, so this bounds what a few bytes (`*65536\r\n`) can make it allocate: about
    /// 72 bytes per element. Default 65,536 (under 5 MB): the SDK's replies have a handful; raise it for
    /// large LRANGE or SCAN replies of your own.
    std::size_t max_reply_elements = 1u << 16;
    /// rediss:// only. PEM file of the CAs to trust instead of the system's. Default: empty.
    std::string ca_file;
    /// rediss:// only. A context of your own (client certificates, …); verify_peer and the host name
    /// check are still applied. Default: none (one is made from ca_file or the system's CAs).
    std::shared_ptr<boost::asio::ssl::context> tls_context;
    /// Told of connections made and lost, on the connection's strand; must not block. Default: none.
    std::function<void(const connection_event&)> on_event;
};

/// A pipelined Redis connection. Movable, not copyable; destroying it is close().
class connection {
public:
    connection(boost::asio::any_io_executor ex, connection_options options);
    ~connection();
    connection(connection&&) noexcept;
    connection& operator=(connection&&) noexcept;

    /// Sends `cmd` and returns its reply. A Redis error reply at the top level is an error of kind
    /// server; inside an array it is an element of type reply_type::error.
    boost::asio::awaitable<result<reply>> exec(command cmd);
    /// The same with its own deadline instead of command_timeout.
    boost::asio::awaitable<result<reply>> exec(command cmd, milliseconds timeout);
    /// With any completion token: the handler gets void(result<reply>).
    template <completion_token_for<result<reply>> Token>
    auto exec(command cmd, Token&& token) {
        return complete_with(get_executor(), exec(std::move(cmd)), std::forward<Token>(token));
    }
    template <completion_token_for<result<reply>> Token>
    auto exec(command cmd, milliseconds timeout, Token&& token) {
        return complete_with(get_executor(), exec(std::move(cmd), timeout), std::forward<Token>(token));
    }

    /// Closes the socket; pending and later commands fail with error_kind::cancelled.
    void close();
    connection_stats stats() const;
    const connection_options& options() const noexcept;
    const boost::asio::any_io_executor& get_executor() const noexcept;

private:
    detail::link_owner link_;
};

/// A second connection, for SUBSCRIBE (a subscribed connection can run no other command). Channels
/// are subscribed again after a reconnection; messages published meanwhile are lost, which
/// connection_event::connected tells (a subscriber re-reads what it watches then).
class subscriber {
public:
    /// Called on the connection's strand for each message; must not block. Never called once close() (or
    /// the destructor) has returned, so it may use objects that die with the subscriber.
    using message_handler = std::function<void(std::string_view channel, std::string_view message)>;

    subscriber(boost::asio::any_io_executor ex, connection_options options, message_handler on_message);
    ~subscriber();
    subscriber(subscriber&&) noexcept;
    subscriber& operator=(subscriber&&) noexcept;

    /// Subscribes to `channel`; completes when Redis confirmed it (or failed: the channel stays in the
    /// set and is subscribed again on the next connection).
    boost::asio::awaitable<result<void>> subscribe(std::string channel);
    template <completion_token_for<result<void>> Token>
    auto subscribe(std::string channel, Token&& token) {
        return complete_with(get_executor(), subscribe(std::move(channel)), std::forward<Token>(token));
    }

    void close();
    connection_stats stats() const;
    const boost::asio::any_io_executor& get_executor() const noexcept;

private:
    detail::link_owner link_;
};

} // namespace daftra::redis
