#pragma once
// The one implementation behind redis::connection and redis::subscriber: a socket, the FIFO of pending
// commands and the loop that keeps the socket connected. All of its state lives on one strand; callers on
// other threads reach it by posting. Only link.cpp sees the sockets and Asio-SSL.

#include "../core/waiter.hpp"
#include "daftra/redis/connection.hpp"
#include "reply_reader.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <deque>
#include <mutex>
#include <memory>
#include <random>
#include <set>
#include <string>

namespace daftra::redis::detail {

using reply_signature = void(result<reply>);

// One command between its start and its reply (or its failure). Touched on the strand only.
struct pending {
    template <class Handler>
    pending(Handler&& handler, const boost::asio::any_io_executor& strand, command c)
        : cmd(std::move(c)) {
        waiter.emplace(std::forward<Handler>(handler), strand);
    }
    explicit pending(command c) : cmd(std::move(c)) {}  // the link's own (a resubscription): no caller

    command cmd;
    std::optional<daftra::detail::waiter<reply_signature>> waiter;
    std::string channel;   // SUBSCRIBE: the channel it adds
    bool written = false;  // on the wire: its reply will come, and must be read
    bool finished = false; // its caller has been answered (or it has none)
};

struct stream;  // the socket: link.cpp

class link : public std::enable_shared_from_this<link> {
public:
    using message_handler = subscriber::message_handler;

    /// `on_message` set: a subscriber's link (pushes go to it, the channels are resubscribed).
    link(boost::asio::any_io_executor ex, connection_options options, message_handler on_message);
    ~link();

    /// Sends `cmd` with a deadline `timeout` from now.
    static boost::asio::awaitable<result<reply>> exec(std::shared_ptr<link> self, command cmd,
                                                      std::chrono::milliseconds timeout);
    /// SUBSCRIBE `channel`, kept in the set of channels subscribed again on each connection.
    static boost::asio::awaitable<result<reply>> subscribe(std::shared_ptr<link> self, std::string channel);
    /// The execution context is shutting down: drop every pending handler uncalled (as Asio drops its
    /// operations'), so that a caller's frame that owns the connection is not kept alive by its own call.
    void abandon() noexcept;
    void close();
    connection_stats stats() const;
    const connection_options& options() const noexcept { return options_; }
    const boost::asio::any_io_executor& get_executor() const noexcept { return ex_; }

private:
    static boost::asio::awaitable<result<reply>> send(std::weak_ptr<link> weak, command cmd,
                                                      std::chrono::milliseconds timeout, std::string channel);
    enum class state { idle, connecting, up, down, closed };

    void start(std::shared_ptr<pending> p, std::chrono::milliseconds timeout);  // on the caller's thread
    void enqueue(std::shared_ptr<pending> p, std::chrono::milliseconds timeout); // on the strand
    void finish(pending& p, result<reply> r);
    void on_deadline(const std::shared_ptr<pending>& p);
    void on_cancel(const std::shared_ptr<pending>& p);
    void fail_queued(const error& e);
    void fail_in_flight(const error& e);
    void drop_connection();
    void wake_writer();
    void notify(connection_event::kind what, const error* cause);
    std::chrono::milliseconds next_backoff();

    static boost::asio::awaitable<void> run(std::shared_ptr<link> self);
    boost::asio::awaitable<result<void>> connect_once();
    boost::asio::awaitable<result<void>> log_in();
    boost::asio::awaitable<error> read_loop();
    boost::asio::awaitable<error> write_loop();
    bool deliver(reply r);  // false: a reply nobody asked for

    boost::asio::any_io_executor ex_;        // the strand
    connection_options options_;
    const bool subscriber_;                  // a subscriber's link: pushes, resubscription
    std::recursive_mutex handler_mutex_;     // on_message_ is cleared by close(), on any thread
    message_handler on_message_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    error tls_setup_error_;                  // a ca_file that could not be read: every connect fails with it

    state state_ = state::idle;
    std::unique_ptr<stream> stream_;
    reply_reader reader_;
    std::deque<std::shared_ptr<pending>> queued_;    // not written yet, in start order
    std::deque<std::shared_ptr<pending>> in_flight_; // written, in write order = reply order
    std::set<std::string> channels_;                 // a subscriber's channels
    std::string write_buffer_;
    boost::asio::steady_timer wake_;         // the writer waits on it; cancelled when there is work
    boost::asio::steady_timer backoff_timer_;
    boost::asio::steady_timer guard_;        // the connect timeout
    bool connect_timed_out_ = false;
    bool reset_by_us_ = false;               // the connection was closed after a deadline, not lost
    std::chrono::milliseconds backoff_{0};
    error last_failure_;                     // why the last attempt failed (calls fail with it while down)
    std::minstd_rand jitter_;

    std::atomic<std::uint64_t> connects_{0}, connect_failures_{0}, disconnects_{0}, commands_{0}, replies_{0};
};

} // namespace daftra::redis::detail
