#include "link.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <mutex>
#include <utility>
#include <variant>
#include <vector>

namespace daftra::redis::detail {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;
using local_socket = asio::local::stream_protocol::socket;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// The socket of one connection, whichever kind the endpoint asks for.
struct stream {
    std::variant<tcp::socket, ssl::stream<tcp::socket>, local_socket> s;

    template <class Buffer>
    auto read_some(const Buffer& b) {
        return std::visit([&](auto& s) { return s.async_read_some(b, use_tuple); }, s);
    }
    template <class Buffer>
    auto write(const Buffer& b) {
        return std::visit([&](auto& s) { return asio::async_write(s, b, use_tuple); }, s);
    }
    void close() {
        error_code ignored;
        std::visit(
            [&](auto& s) {
                if constexpr (requires { s.next_layer(); }) s.next_layer().close(ignored);  // no TLS goodbye
                else s.close(ignored);
            },
            s);
    }
};

namespace {

error transport_error(error_code ec, const endpoint& where, std::string_view what) {
    return make_error(error_kind::transport, ec,
                      "redis at " + where.describe() + ": " + std::string(what) + ": " + ec.message());
}

error cancelled_error() { return make_error(error_kind::cancelled, asio::error::operation_aborted, "redis: the connection was closed"); }

} // namespace

link::link(asio::any_io_executor ex, connection_options options, message_handler on_message)
    : ex_(asio::make_strand(ex)), options_(std::move(options)), subscriber_(static_cast<bool>(on_message)),
      on_message_(std::move(on_message)),
      reader_(reader_limits{options_.max_reply_bytes, options_.max_reply_elements}), wake_(ex_), backoff_timer_(ex_),
      guard_(ex_), jitter_(std::random_device{}()) {
    backoff_ = options_.reconnect_min;
    if (options_.where.transport == transport_kind::tls) {
        if (options_.tls_context) {
            tls_ = options_.tls_context;
        } else {
            tls_ = std::make_shared<ssl::context>(ssl::context::tls_client);
            error_code ec;
            if (options_.ca_file.empty()) tls_->set_default_verify_paths(ec);
            else tls_->load_verify_file(options_.ca_file, ec);
            if (ec) tls_setup_error_ = make_error(error_kind::tls, ec, "redis: cannot load the CAs to trust: " + ec.message());
        }
        tls_->set_verify_mode(ssl::verify_peer);
    }
}

link::~link() = default;

asio::awaitable<result<reply>> link::exec(std::shared_ptr<link> self, command cmd, milliseconds timeout) {
    return send(self, std::move(cmd), timeout, {});
}

asio::awaitable<result<reply>> link::subscribe(std::shared_ptr<link> self, std::string channel) {
    command cmd{"SUBSCRIBE", channel};
    const auto timeout = self->options_.command_timeout;
    return send(self, std::move(cmd), timeout, std::move(channel));
}

// The caller's frame holds the link weakly: the link holds the frame (through the pending command's
// handler), and the owner of the link (a connection, the run loop) keeps it alive while it matters.
asio::awaitable<result<reply>> link::send(std::weak_ptr<link> weak, command cmd, milliseconds timeout,
                                          std::string channel) {
    if (cmd.wire().empty()) co_return make_error(error_kind::invalid_argument, {}, "redis: an empty command");
    auto op = asio::async_initiate<const asio::use_awaitable_t<>, reply_signature>(
        [weak](auto handler, command c, milliseconds t, std::string ch) {
            auto self = weak.lock();
            if (!self) {
                auto ex = asio::get_associated_executor(handler);
                asio::post(ex, [h = std::move(handler)]() mutable { std::move(h)(result<reply>(cancelled_error())); });
                return;
            }
            auto p = std::make_shared<pending>(std::move(handler), self->ex_, std::move(c));
            p->channel = std::move(ch);
            self->start(std::move(p), t);
        },
        asio::use_awaitable, std::move(cmd), timeout, std::move(channel));
    co_return co_await std::move(op);
}

// Links register with their execution context, which tells them when it shuts down.
class link_service : public asio::execution_context::service {
public:
    static asio::execution_context::id id;
    explicit link_service(asio::execution_context& ctx) : asio::execution_context::service(ctx) {}
    void add(const std::shared_ptr<link>& l) {
        std::lock_guard lock(mutex_);
        std::erase_if(links_, [](const std::weak_ptr<link>& w) { return w.expired(); });
        links_.push_back(l);
    }
    void shutdown() override {
        std::vector<std::weak_ptr<link>> links;
        {
            std::lock_guard lock(mutex_);
            links.swap(links_);
        }
        for (auto& w : links)
            if (auto l = w.lock()) l->abandon();
    }

private:
    std::mutex mutex_;
    std::vector<std::weak_ptr<link>> links_;
};
asio::execution_context::id link_service::id;

void link::abandon() noexcept {
    state_ = state::closed;
    queued_.clear();
    in_flight_.clear();
}

void link::start(std::shared_ptr<pending> p, milliseconds timeout) {
    // The cancellation slot belongs to the caller's thread: hooked here, acted on in the strand.
    p->waiter->on_cancellation([self = shared_from_this(), weak = std::weak_ptr<pending>(p)](asio::cancellation_type) {
        asio::post(self->ex_, [self, weak] {
            if (auto p = weak.lock()) self->on_cancel(p);
        });
    });
    asio::post(ex_, [self = shared_from_this(), p = std::move(p), timeout]() mutable { self->enqueue(std::move(p), timeout); });
}

void link::enqueue(std::shared_ptr<pending> p, milliseconds timeout) {
    if (p->finished) return;  // cancelled before it got here
    switch (state_) {
    case state::closed: return finish(*p, cancelled_error());
    case state::down: {
        error e = last_failure_;
        e.maybe_sent = false;
        return finish(*p, std::move(e));
    }
    default: break;
    }
    if (subscriber_ && p->cmd.name() == "SUBSCRIBE") channels_.insert(p->channel);
    p->waiter->arm_deadline(timeout, [self = shared_from_this(), weak = std::weak_ptr<pending>(p)] {
        if (auto p = weak.lock()) self->on_deadline(p);
    });
    queued_.push_back(std::move(p));
    if (state_ == state::idle) {
        state_ = state::connecting;
        asio::use_service<link_service>(asio::query(ex_, asio::execution::context)).add(shared_from_this());
        asio::co_spawn(ex_, run(shared_from_this()), asio::detached);
    } else if (state_ == state::up) {
        wake_writer();
    }
}

void link::finish(pending& p, result<reply> r) {
    if (p.finished) return;
    p.finished = true;
    if (!p.waiter) return;
    p.waiter->disarm();
    p.waiter->complete(std::move(r));
}

void link::on_deadline(const std::shared_ptr<pending>& p) {
    if (p->finished) return;
    error e = make_error(error_kind::timeout, asio::error::timed_out,
                         "redis " + p->cmd.name() + ": no reply within its deadline");
    e.maybe_sent = p->written;
    finish(*p, std::move(e));
    // Replies come in order: every command written after this one waits as long. A server that stopped
    // answering is left now, not after TCP gives up.
    if (p->written && options_.reset_on_timeout && state_ == state::up) {
        reset_by_us_ = true;  // not the server's doing: reconnect at once, without a backoff
        drop_connection();
    }
}

void link::on_cancel(const std::shared_ptr<pending>& p) {
    if (p->finished) return;
    error e = make_error(error_kind::cancelled, asio::error::operation_aborted, "redis " + p->cmd.name() + ": cancelled");
    e.maybe_sent = p->written;  // its reply, if it comes, is read and dropped
    finish(*p, std::move(e));
}

void link::fail_queued(const error& e) {
    auto queued = std::move(queued_);
    queued_.clear();
    for (auto& p : queued) finish(*p, e);
}

void link::fail_in_flight(const error& e) {
    auto flying = std::move(in_flight_);
    in_flight_.clear();
    error sent = e;
    sent.maybe_sent = true;
    for (auto& p : flying) finish(*p, sent);
}

void link::drop_connection() {
    if (stream_) stream_->close();  // the read and the write fail; run() takes it from there
    wake_.cancel();
}

void link::wake_writer() { wake_.cancel(); }

void link::notify(connection_event::kind what, const error* cause) {
    if (!options_.on_event) return;
    connection_event ev;
    ev.what = what;
    if (cause) ev.cause = *cause;
    options_.on_event(ev);
}

milliseconds link::next_backoff() {
    const auto whole = backoff_;
    backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
    const auto half = whole.count() / 2;
    std::uniform_int_distribution<long long> pick(half, std::max<long long>(half, whole.count()));
    return milliseconds(pick(jitter_));
}

void link::close() {
    {
        // From here on the handler is never called: the subscriber's owner may be gone once close()
        // returns. Recursive: close() may come from inside the handler.
        std::lock_guard lock(handler_mutex_);
        on_message_ = nullptr;
    }
    asio::post(ex_, [self = shared_from_this()] {
        if (self->state_ == state::closed) return;
        self->state_ = state::closed;
        const error e = cancelled_error();
        self->fail_queued(e);
        self->fail_in_flight(e);
        if (self->stream_) self->stream_->close();
        self->wake_.cancel();
        self->backoff_timer_.cancel();
        self->guard_.cancel();
    });
}

connection_stats link::stats() const {
    return connection_stats{connects_.load(), connect_failures_.load(), disconnects_.load(), commands_.load(),
                            replies_.load()};
}

// The connection's life: connect, serve until the socket fails, fail what was in flight, reconnect at
// once; after a failed attempt, fail what waits and wait out the backoff (calls fail at once meanwhile).
asio::awaitable<void> link::run(std::shared_ptr<link> self) {
    auto clock_now = [] { return std::chrono::steady_clock::now(); };
    while (self->state_ != state::closed) {
        self->state_ = state::connecting;
        auto connected = co_await self->connect_once();
        if (self->state_ == state::closed) break;
        if (!connected) {
            ++self->connect_failures_;
            self->last_failure_ = connected.error();
            self->state_ = state::down;
            self->stream_.reset();
            self->fail_queued(self->last_failure_);
            self->notify(connection_event::kind::connect_failed, &self->last_failure_);
            self->backoff_timer_.expires_after(self->next_backoff());
            co_await self->backoff_timer_.async_wait(use_tuple);
            continue;
        }
        ++self->connects_;
        self->state_ = state::up;
        self->notify(connection_event::kind::connected, nullptr);
        const auto up_since = clock_now();
        error lost;
        {
            using namespace boost::asio::experimental::awaitable_operators;
            auto outcome = co_await (self->read_loop() || self->write_loop());
            lost = std::visit([](error& e) { return std::move(e); }, outcome);
        }
        if (self->state_ == state::closed) break;
        ++self->disconnects_;
        self->stream_->close();
        self->stream_.reset();
        self->fail_in_flight(lost);
        self->notify(connection_event::kind::disconnected, &lost);
        // A connection that failed soon after it opened waits out a backoff before the next attempt, so a
        // server that accepts and drops at once is not hammered; one that served a while retries at once.
        const bool ours = std::exchange(self->reset_by_us_, false);
        if (!ours && clock_now() - up_since < self->options_.reconnect_max) {
            self->state_ = state::down;
            self->last_failure_ = lost;
            self->fail_queued(lost);
            self->backoff_timer_.expires_after(self->next_backoff());
            co_await self->backoff_timer_.async_wait(use_tuple);
        } else {
            self->backoff_ = self->options_.reconnect_min;
        }
    }
    self->stream_.reset();
}

asio::awaitable<result<void>> link::connect_once() {
    if (!tls_setup_error_.message.empty()) co_return tls_setup_error_;
    reader_.reset();
    const endpoint& where = options_.where;
    // One timer bounds the whole attempt: when it fires it closes the socket, which fails what is pending.
    connect_timed_out_ = false;
    guard_.expires_after(options_.connect_timeout);
    guard_.async_wait([self = shared_from_this()](error_code ec) {
        if (ec) return;
        self->connect_timed_out_ = true;
        if (self->stream_) self->stream_->close();
    });
    auto failed = [&](error_code ec, std::string_view what) -> error {
        guard_.cancel();
        if (connect_timed_out_)
            return make_error(error_kind::timeout, asio::error::timed_out,
                              "redis at " + where.describe() + ": no connection within connect_timeout");
        return transport_error(ec, where, what);
    };

    if (where.transport == transport_kind::unix_socket) {
        stream_ = std::make_unique<stream>(stream{local_socket(ex_)});
        auto [ec] = co_await std::get<local_socket>(stream_->s).async_connect(
            asio::local::stream_protocol::endpoint(where.path), use_tuple);
        if (ec) co_return failed(ec, "connect");
    } else {
        tcp::resolver resolver(ex_);
        auto [rec, results] = co_await resolver.async_resolve(where.host, std::to_string(where.port), use_tuple);
        if (rec) co_return failed(rec, "resolve");
        if (connect_timed_out_) co_return failed({}, "resolve");
        if (where.transport == transport_kind::tls) stream_ = std::make_unique<stream>(stream{ssl::stream<tcp::socket>(ex_, *tls_)});
        else stream_ = std::make_unique<stream>(stream{tcp::socket(ex_)});
        tcp::socket& socket = where.transport == transport_kind::tls
                                  ? std::get<ssl::stream<tcp::socket>>(stream_->s).next_layer()
                                  : std::get<tcp::socket>(stream_->s);
        auto [cec, ep] = co_await asio::async_connect(socket, results, use_tuple);
        if (cec) co_return failed(cec, "connect");
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);  // small commands, one per round trip
        if (where.transport == transport_kind::tls) {
            auto& tls = std::get<ssl::stream<tcp::socket>>(stream_->s);
            SSL* handle = tls.native_handle();
            error_code aec;
            asio::ip::make_address(where.host, aec);
            if (!aec) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), where.host.c_str());
            } else {
                SSL_set_tlsext_host_name(handle, where.host.c_str());
                SSL_set1_host(handle, where.host.c_str());
            }
            SSL_set_verify(handle, SSL_VERIFY_PEER, nullptr);
            auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, use_tuple);
            if (hec) {
                guard_.cancel();
                if (connect_timed_out_) co_return failed(hec, "handshake");
                std::string msg = "redis at " + where.describe() + ": TLS handshake failed: " + hec.message();
                const long verify = SSL_get_verify_result(handle);
                if (verify != X509_V_OK) msg.append(" (").append(X509_verify_cert_error_string(verify)).append(")");
                co_return make_error(error_kind::tls, hec, std::move(msg));
            }
        }
    }
    auto logged_in = co_await log_in();
    guard_.cancel();
    if (!logged_in && connect_timed_out_) co_return failed({}, "log in");
    co_return logged_in;
}

// AUTH and SELECT, pipelined, answered before any caller's command is written; a subscriber's channels
// follow as commands of the link's own, first in the queue.
asio::awaitable<result<void>> link::log_in() {
    const endpoint& where = options_.where;
    std::string wire;
    std::vector<std::string> names;
    if (!where.password.empty()) {
        command c = where.username.empty() ? command{"AUTH", where.password.reveal()}
                                           : command{"AUTH", where.username, where.password.reveal()};
        wire += c.wire();
        names.push_back("AUTH");
    }
    if (where.database != 0) {
        wire += command{"SELECT", std::to_string(where.database)}.wire();
        names.push_back("SELECT");
    }
    if (!wire.empty()) {
        auto [wec, wn] = co_await stream_->write(asio::buffer(wire));
        if (wec) co_return transport_error(wec, where, "write");
        std::array<char, 4096> buf;
        for (std::size_t got = 0; got < names.size();) {
            reply r;
            auto st = reader_.next(r);
            if (st == reply_reader::status::failed) co_return reader_.failure();
            if (st == reply_reader::status::need_more) {
                auto [rec, n] = co_await stream_->read_some(asio::buffer(buf));
                if (rec) co_return transport_error(rec, where, "read");
                if (!reader_.feed(std::string_view(buf.data(), n))) co_return reader_.failure();
                continue;
            }
            if (r.type == reply_type::error) {
                const bool auth = names[got] == "AUTH";
                error e = make_error(auth ? error_kind::auth : error_kind::invalid_argument, {},
                                     "redis at " + where.describe() + " refused " + names[got] + ": " + r.text);
                e.error_type = r.text.substr(0, r.text.find(' '));
                co_return e;
            }
            ++got;
        }
    }
    if (subscriber_) {
        for (auto it = channels_.rbegin(); it != channels_.rend(); ++it) {
            auto p = std::make_shared<pending>(command{"SUBSCRIBE", *it});
            p->finished = true;  // nobody waits for it
            queued_.push_front(std::move(p));
        }
    }
    co_return result<void>{};
}

asio::awaitable<error> link::read_loop() {
    std::array<char, 16384> buf;
    for (;;) {
        auto [ec, n] = co_await stream_->read_some(asio::buffer(buf));
        if (ec) {
            if (ec == asio::error::eof || ec == ssl::error::stream_truncated)
                co_return transport_error(ec, options_.where, "the server closed the connection");
            co_return transport_error(ec, options_.where, "read");
        }
        if (!reader_.feed(std::string_view(buf.data(), n))) co_return reader_.failure();
        for (;;) {
            reply r;
            auto st = reader_.next(r);
            if (st == reply_reader::status::need_more) break;
            if (st == reply_reader::status::failed) co_return reader_.failure();
            ++replies_;
            if (!deliver(std::move(r)))
                co_return make_error(error_kind::protocol, {}, "redis at " + options_.where.describe() +
                                                                   ": a reply to no command");
        }
    }
}

bool link::deliver(reply r) {
    if (subscriber_ && r.type == reply_type::array && !r.elements.empty() &&
        r.elements[0].str() == "message") {
        std::lock_guard lock(handler_mutex_);
        if (r.elements.size() == 3 && on_message_) on_message_(r.elements[1].text, r.elements[2].text);
        return true;
    }
    if (in_flight_.empty()) return false;
    auto p = std::move(in_flight_.front());
    in_flight_.pop_front();
    if (!p->finished) finish(*p, reply_result(std::move(r), p->cmd.name()));
    return true;
}

asio::awaitable<error> link::write_loop() {
    for (;;) {
        if (queued_.empty()) {
            wake_.expires_at(asio::steady_timer::time_point::max());
            co_await wake_.async_wait(use_tuple);
            auto cs = co_await asio::this_coro::cancellation_state;
            if (cs.cancelled() != asio::cancellation_type::none || !stream_)
                co_return make_error(error_kind::cancelled, asio::error::operation_aborted, "redis: writer stopped");
            continue;
        }
        // Everything queued goes out in one write: callers arriving together share a system call.
        write_buffer_.clear();
        while (!queued_.empty()) {
            auto p = std::move(queued_.front());
            queued_.pop_front();
            if (p->finished && p->waiter) continue;  // cancelled or timed out before it was written
            p->written = true;
            write_buffer_ += p->cmd.wire();
            in_flight_.push_back(std::move(p));
            ++commands_;
        }
        if (write_buffer_.empty()) continue;
        auto [ec, n] = co_await stream_->write(asio::buffer(write_buffer_));
        if (ec) co_return transport_error(ec, options_.where, "write");
    }
}

} // namespace daftra::redis::detail
