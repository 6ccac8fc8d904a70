// The networking layer: Beast HTTP/1.1 over TCP or TLS, keep-alive, one coroutine per connection,
// fault injection at the byte level. Everything else happens in service (JSON only).
#include "daftra/sandbox/server.hpp"

#include "daftra/sandbox/certificates.hpp"
#include "gzip.hpp"
#include "service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace daftra::sandbox {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto tok = asio::as_tuple(asio::use_awaitable);

// State shared by the server object and every coroutine, so that either may outlive the other.
struct shared_state {
    explicit shared_state(const options& o) : opt(o), svc(o) {}
    options opt;
    detail::service svc;
    std::optional<ssl::context> tls;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::atomic<bool> stopping{false};
    // With the server's own threads: one single-threaded io_context per thread, connections dealt
    // out round-robin (no strands, no scheduler contention). On a caller's io_context, whose thread
    // count is unknown, each connection gets a strand instead.
    std::vector<asio::io_context::executor_type> pool;
    std::size_t next_in_pool = 0;  // only touched by the accept loop

    std::mutex mutex;
    std::uint64_t next_conn = 0;
    std::map<std::uint64_t, std::function<void()>> closers;  // close each live connection (on its strand)

    std::uint64_t add_closer(std::function<void()> f) {
        std::lock_guard lock(mutex);
        closers.emplace(++next_conn, std::move(f));
        return next_conn;
    }
    void remove_closer(std::uint64_t id) {
        std::lock_guard lock(mutex);
        closers.erase(id);
    }
    void close_all() {
        std::map<std::uint64_t, std::function<void()>> all;
        {
            std::lock_guard lock(mutex);
            all = closers;
        }
        for (auto& [id, f] : all) f();
    }
};

std::string_view reason(unsigned status) {
    switch (status) {
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 429: return "Too Many Requests";
    default: return "Error";
    }
}

std::string http_date_in(std::uint32_t seconds) {
    std::time_t t = std::time(nullptr) + seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

http::response<http::string_body> to_beast(detail::response&& r, unsigned version, bool keep_alive,
                                           std::chrono::seconds idle) {
    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "daftra-sandbox");
    res.set(http::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res.set(k, v);
    res.keep_alive(keep_alive);
    if (keep_alive && version == 11) res.set("Keep-Alive", "timeout=" + std::to_string(idle.count()));
    res.body() = std::move(r.body);
    res.prepare_payload();
    return res;
}

// A handler that throws (it should not) answers 500 instead of ending the connection's coroutine.
template <class F>
detail::response guarded(F&& f) {
    try {
        return f();
    } catch (const std::exception&) {
        return detail::error_response(500, "Internal Server Error");
    }
}

// Runs an io_context until it is stopped, surviving an exception escaping a handler.
void run_context(asio::io_context& ioc) {
    for (;;) {
        try {
            ioc.run();
            return;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "daftra-sandbox: unexpected exception: %s\n", e.what());
        }
    }
}

template <class Stream>
void close_hard(Stream& stream, bool reset) {
    auto& sock = beast::get_lowest_layer(stream).socket();
    boost::system::error_code ec;
    if (reset) sock.set_option(asio::socket_base::linger(true, 0), ec);
    else sock.shutdown(tcp::socket::shutdown_both, ec);
    sock.close(ec);
}

// After an early answer (413, 400) the client may still be sending: stop sending, then read and drop
// what comes for a while, so that the client can finish its write and read the answer instead of
// getting a reset.
template <class Stream>
asio::awaitable<void> linger(Stream& stream) {
    auto& lowest = beast::get_lowest_layer(stream);
    boost::system::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest.expires_after(std::chrono::seconds(2));
    std::vector<char> scratch(16384);
    std::size_t total = 0;
    while (total < (64u << 20)) {
        auto [rec, n] = co_await lowest.async_read_some(asio::buffer(scratch), tok);
        if (rec) break;
        total += n;
    }
}

template <class Stream>
asio::awaitable<void> session(std::shared_ptr<shared_state> st, std::shared_ptr<Stream> stream) {
    auto& svc = st->svc;
    auto& lowest = beast::get_lowest_layer(*stream);
    struct active_guard {
        shared_state& st;
        std::uint64_t id;
        ~active_guard() {
            st.svc.stats.connections_active.fetch_sub(1, std::memory_order_relaxed);
            st.remove_closer(id);
        }
    } guard{*st, st->add_closer([weak = std::weak_ptr<Stream>(stream)] {
        if (auto s = weak.lock())
            asio::post(s->get_executor(), [s] {
                boost::system::error_code ec;
                beast::get_lowest_layer(*s).socket().close(ec);
            });
    })};
    svc.stats.connections_active.fetch_add(1, std::memory_order_relaxed);

    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
        lowest.expires_after(std::chrono::seconds(10));
        auto [ec] = co_await stream->async_handshake(ssl::stream_base::server, tok);
        if (ec) co_return;
    }

    beast::flat_buffer buf;
    std::uint32_t served = 0;
    const auto idle = st->opt.idle_timeout;
    for (;;) {
        if (st->stopping.load(std::memory_order_relaxed)) break;
        http::request_parser<http::string_body> parser;
        parser.body_limit(st->opt.max_body_bytes);
        parser.header_limit(32 * 1024);
        lowest.expires_after(idle);
        auto [ec, n] = co_await http::async_read_header(*stream, buf, parser, tok);
        if (!ec && !parser.is_done()) {
            const auto& h = parser.get();
            if (auto e = h.find(http::field::expect); e != h.end() && beast::iequals(e->value(), "100-continue")) {
                static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
                auto [wec, wn] = co_await asio::async_write(*stream, asio::buffer(cont.data(), cont.size()), tok);
                if (wec) break;
            }
            std::tie(ec, n) = co_await http::async_read(*stream, buf, parser, tok);
        }
        if (ec) {
            unsigned status = 0;
            if (ec == http::error::body_limit) status = 413;
            else if (ec == http::error::header_limit) status = 431;
            else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
                     ec != http::error::end_of_stream && ec != http::error::partial_message)
                status = 400;
            if (status) {
                svc.stats.count_status(status);
                auto res = to_beast(detail::error_response(status, status == 413 ? "Request Entity Too Large"
                                                               : status == 431 ? "Request Header Fields Too Large"
                                                                               : "Bad Request"),
                                    11, false, idle);
                lowest.expires_after(std::chrono::seconds(5));
                auto [wec, wn] = co_await http::async_write(*stream, res, tok);
                if (!wec) co_await linger(*stream);
            }
            break;
        }
        auto& msg = parser.get();
        const auto received = std::chrono::steady_clock::now();
        const bool keep_alive = msg.keep_alive();
        detail::request req;
        req.method = msg.method_string();
        req.target = msg.target();
        req.body = msg.body();
        if (auto it = msg.find(http::field::content_type); it != msg.end()) req.content_type = it->value();
        if (auto it = msg.find(http::field::authorization); it != msg.end()) req.authorization = it->value();
        if (auto it = msg.find("apikey"); it != msg.end()) req.apikey = it->value();
        const auto path = req.target.substr(0, req.target.find('?'));
        bool gzip_accepted = false;
        if (st->opt.gzip) {
            std::string accept_encoding;  // every Accept-Encoding line, as one list
            for (auto [it, end] = msg.equal_range(http::field::accept_encoding); it != end; ++it)
                (accept_encoding += accept_encoding.empty() ? "" : ", ") += it->value();
            gzip_accepted = detail::accepts_gzip(accept_encoding);
        }

        detail::response resp;
        detail::fault_decision fault;
        const bool admin = detail::service::is_admin(path);
        if (admin) {
            resp = guarded([&] { return svc.handle_admin(req); });
        } else {
            svc.stats.requests.fetch_add(1, std::memory_order_relaxed);
            fault = svc.faults.decide(req.method, path);
            if (fault.latency_ms) {
                asio::steady_timer timer(co_await asio::this_coro::executor);
                timer.expires_after(std::chrono::milliseconds(fault.latency_ms));
                co_await timer.async_wait(tok);
            }
            if (fault.kind != detail::fault_kind::none) svc.stats.faults_injected.fetch_add(1, std::memory_order_relaxed);
            switch (fault.kind) {
            case detail::fault_kind::stall: {
                // Never answer; drain whatever comes until the peer (or the idle timeout) closes.
                char scratch[1024];
                for (;;) {
                    lowest.expires_after(idle);
                    auto [rec, rn] = co_await stream->async_read_some(asio::buffer(scratch), tok);
                    if (rec) break;
                }
                co_return;
            }
            case detail::fault_kind::error:
                resp = detail::error_response(fault.status, reason(fault.status));
                break;
            case detail::fault_kind::rate_limit:
                resp = detail::error_response(429, "Too Many Requests");
                resp.headers.emplace_back("Retry-After", fault.retry_after_http_date
                                                             ? http_date_in(fault.retry_after_seconds)
                                                             : std::to_string(fault.retry_after_seconds));
                break;
            default: {
                // A body the malformed fault will cut is compressed after the cut, never taken
                // from (or put into) the cache's gzip forms.
                const bool gzip = gzip_accepted && fault.kind != detail::fault_kind::malformed;
                resp = guarded([&] { return svc.handle(req, gzip); });
            }
            }
        }
        if (fault.kind == detail::fault_kind::malformed) {
            auto half = resp.body.size() / 2;
            resp.body.resize(half);
            resp.body += "<!-- daftra-sandbox: malformed -->";
            resp.status = 200;
        }
        // Answers the service has not compressed (admin, errors, writes, faulted ones) are compressed
        // here; a gzip answer from the service already has Content-Encoding and is left alone.
        if (st->opt.gzip && detail::maybe_gzip(resp, gzip_accepted))
            svc.stats.gzip_compressions.fetch_add(1, std::memory_order_relaxed);
        svc.stats.count_status(resp.status);
        if (st->opt.log_requests) {
            auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - received).count();
            std::fprintf(stderr, "daftra-sandbox: %.*s %.*s -> %u (%lld us)%s\n", static_cast<int>(req.method.size()),
                         req.method.data(), static_cast<int>(req.target.size()), req.target.data(), resp.status,
                         static_cast<long long>(us), fault.kind != detail::fault_kind::none ? " [fault]" : "");
        }
        const bool keep = keep_alive && !resp.close && !st->stopping.load(std::memory_order_relaxed);
        auto res = to_beast(std::move(resp), msg.version(), keep, idle);
        lowest.expires_after(std::chrono::seconds(30));
        if (fault.kind == detail::fault_kind::truncate || fault.kind == detail::fault_kind::reset) {
            // Headers promise the whole body; half of it is sent, then the connection ends.
            http::response_serializer<http::string_body> sr{res};
            auto [hec, hn] = co_await http::async_write_header(*stream, sr, tok);
            if (!hec) {
                const auto& body = res.body();
                co_await asio::async_write(*stream, asio::buffer(body.data(), body.size() / 2), tok);
            }
            close_hard(*stream, fault.kind == detail::fault_kind::reset);
            co_return;
        }
        auto [wec, wn] = co_await http::async_write(*stream, res, tok);
        if (wec) break;
        if (!admin) ++served;
        if (!keep) break;
        if (fault.close_after && served >= fault.close_after) {
            close_hard(*stream, false);  // without Connection: close, as a server that drops idle sockets
            co_return;
        }
    }
    boost::system::error_code ec;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest.socket().close(ec);
}

asio::awaitable<void> accept_loop(std::shared_ptr<shared_state> st) {
    auto& acc = *st->acceptor;
    for (;;) {
        asio::any_io_executor ex = !st->pool.empty()
                                       ? asio::any_io_executor(st->pool[st->next_in_pool++ % st->pool.size()])
                                       : asio::any_io_executor(asio::make_strand(acc.get_executor()));
        auto [ec, sock] = co_await acc.async_accept(ex, tok);
        if (ec) {
            if (ec == asio::error::operation_aborted || !acc.is_open() || st->stopping) co_return;
            // e.g. too many open files: back off a little instead of spinning
            asio::steady_timer t(acc.get_executor(), std::chrono::milliseconds(50));
            co_await t.async_wait(tok);
            continue;
        }
        boost::system::error_code oec;
        sock.set_option(tcp::no_delay(true), oec);
        st->svc.stats.connections_accepted.fetch_add(1, std::memory_order_relaxed);
        if (st->tls) {
            // beast::ssl_stream coalesces the header and body buffers into one TLS record per write.
            auto s = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(sock), *st->tls);
            asio::co_spawn(s->get_executor(), session(st, s), asio::detached);
        } else {
            auto s = std::make_shared<beast::tcp_stream>(std::move(sock));
            asio::co_spawn(s->get_executor(), session(st, s), asio::detached);
        }
    }
}

} // namespace

struct server::impl {
    std::shared_ptr<shared_state> st;
    std::string ca;
    std::uint16_t port = 0;
    bool started = false;
    bool stopped = false;
    std::vector<std::unique_ptr<asio::io_context>> own;  // one per thread
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    asio::io_context* ioc = nullptr;
};

server::server(options opt) : impl_(std::make_unique<impl>()) {
    impl_->st = std::make_shared<shared_state>(opt);
    auto& st = *impl_->st;
    if (!opt.data_file.empty()) st.svc.load_data(opt.data_file);
    if (opt.tls) {
        st.tls.emplace(ssl::context::tls_server);
        auto& ctx = *st.tls;
        ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        // Prefer AES-128-GCM (cheaper, the harness nginx's only suite); the others stay available.
        SSL_CTX_set_ciphersuites(ctx.native_handle(), "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");
        SSL_CTX_set_options(ctx.native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
        if (!opt.cert_file.empty() || !opt.key_file.empty()) {
            if (opt.cert_file.empty() || opt.key_file.empty())
                throw std::invalid_argument("--cert and --key go together");
            ctx.use_certificate_chain_file(opt.cert_file);
            ctx.use_private_key_file(opt.key_file, ssl::context::pem);
        } else {
            std::vector<std::string> names{"localhost", "127.0.0.1", "::1"};
            if (opt.host != "127.0.0.1" && opt.host != "localhost" && opt.host != "::1" && !opt.host.empty())
                names.push_back(opt.host);
            auto id = generate_identity(names);
            ctx.use_certificate_chain(asio::buffer(id.cert_pem));
            ctx.use_private_key(asio::buffer(id.key_pem), ssl::context::pem);
            impl_->ca = std::move(id.ca_cert_pem);
        }
    }
}

server::~server() {
    try {
        stop();
    } catch (...) {
    }
}

void server::start() {
    if (impl_->started) throw std::logic_error("server already started");
    const unsigned threads = std::max(1u, impl_->st->opt.threads);
    for (unsigned i = 0; i < threads; ++i) {
        impl_->own.push_back(std::make_unique<asio::io_context>(1));
        impl_->st->pool.push_back(impl_->own.back()->get_executor());
        impl_->work.emplace_back(impl_->own.back()->get_executor());
    }
    start(*impl_->own.front());
    for (auto& ioc : impl_->own) impl_->threads.emplace_back([p = ioc.get()] { run_context(*p); });
}

void server::start(asio::io_context& ioc) {
    if (impl_->started && impl_->ioc) throw std::logic_error("server already started");
    auto& st = *impl_->st;
    auto addr = asio::ip::make_address(st.opt.host == "localhost" ? "127.0.0.1" : st.opt.host);
    auto acc = std::make_unique<tcp::acceptor>(asio::make_strand(ioc));
    tcp::endpoint ep(addr, st.opt.port);
    acc->open(ep.protocol());
    acc->set_option(asio::socket_base::reuse_address(true));
    acc->bind(ep);
    acc->listen(asio::socket_base::max_listen_connections);
    impl_->port = acc->local_endpoint().port();
    st.svc.set_origin(url());  // before serving: the file URLs in answers point here
    st.acceptor = std::move(acc);
    impl_->ioc = &ioc;
    impl_->started = true;
    asio::co_spawn(st.acceptor->get_executor(), accept_loop(impl_->st), asio::detached);
}

void server::stop() {
    auto& i = *impl_;
    if (!i.started || i.stopped) return;
    i.stopped = true;
    auto st = i.st;
    st->stopping = true;
    if (!i.own.empty()) {
        for (auto& ioc : i.own) ioc->stop();
        for (auto& t : i.threads) t.join();
        i.threads.clear();
        i.work.clear();
        st->acceptor.reset();
        st->pool.clear();
        i.own.clear();  // destroys the pending coroutines (and closes their sockets)
    } else {
        asio::post(st->acceptor->get_executor(), [st] {
            boost::system::error_code ec;
            st->acceptor->close(ec);
        });
        st->close_all();
    }
    if (!st->opt.data_file.empty()) st->svc.save_data(st->opt.data_file);
}

std::uint16_t server::port() const { return impl_->port; }

std::string server::url() const {
    auto host = impl_->st->opt.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return std::string(impl_->st->opt.tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->port);
}

const std::string& server::ca_pem() const { return impl_->ca; }

boost::json::object server::stats() const { return impl_->st->svc.stats.to_json(); }

fault_config server::faults() const { return impl_->st->svc.faults.get(); }

void server::set_faults(const fault_config& f) { impl_->st->svc.faults.set(f); }

void server::reset() { impl_->st->svc.reset(); }

} // namespace daftra::sandbox
