// Mode "naive": the baseline without a pool, written by hand with Beast the way a user would write a
// first client: every request resolves the host, connects, does the TLS handshake (peer and host-name
// verification, SNI), writes GET <url> with `Connection: close`, reads the whole answer and closes the
// socket. C coroutines do this at once, so up to C connections are open at a time; N is not used.
// It is not SDK code: it shows what the connection pool saves.
//
// The close is the socket's alone, without a TLS close_notify exchange: waiting for the server's
// close_notify would only make the baseline slower.

#include "bench.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

namespace daftra::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

constexpr auto phase_timeout = std::chrono::seconds(30);  // each of connect, handshake, write, read

// Where every request goes, taken from the URL once.
struct destination {
    bool tls = true;
    bool ip_literal = false;  // no SNI for an address
    std::string host;         // for the resolver and the certificate check
    std::string port;
    std::string host_header;  // host[:port] as the URL wrote it
    std::string target;
};

destination destination_of(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) throw std::invalid_argument("not an absolute URL: '" + url + "'");
    destination d;
    if (u->scheme() == "https") d.tls = true;
    else if (u->scheme() == "http") d.tls = false;
    else throw std::invalid_argument("naive mode: the URL must be http:// or https://, not '" + url + "'");
    d.ip_literal = u->host_type() == boost::urls::host_type::ipv4 || u->host_type() == boost::urls::host_type::ipv6;
    d.host = u->host_address();
    d.port = u->has_port() ? std::string(u->port()) : std::string(d.tls ? "443" : "80");
    d.host_header = u->encoded_host_and_port();
    d.target = target_of(url);
    return d;
}

ssl::context client_context(const std::string& ca_file) {
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (ca_file.empty()) ctx.set_default_verify_paths(ec);
    else ctx.load_verify_file(ca_file, ec);
    if (ec) throw std::invalid_argument("cannot load the CAs from '" + ca_file + "': " + ec.message());
    return ctx;
}

struct shared_state {
    destination where;
    ssl::context tls;
    http::request<http::empty_body> request;  // the same for every connection; each write only reads it
    std::atomic<std::size_t> taken{0};
    std::atomic<std::size_t> connections{0};  // TCP connections established
};

template <class Stream>
asio::awaitable<unsigned> write_and_read(Stream& stream, const http::request<http::empty_body>& req) {
    beast::get_lowest_layer(stream).expires_after(phase_timeout);
    co_await http::async_write(stream, req, use_awaitable);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    beast::get_lowest_layer(stream).expires_after(phase_timeout);
    co_await http::async_read(stream, buffer, res, use_awaitable);
    co_return res.result_int();
}

void close(beast::tcp_stream& socket_layer) {
    boost::system::error_code ignored;
    socket_layer.socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket_layer.socket().close(ignored);
}

// One request on a connection of its own; throws on any failure, returns the HTTP status.
asio::awaitable<unsigned> fetch_once(shared_state& st) {
    const auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    const auto endpoints = co_await resolver.async_resolve(st.where.host, st.where.port, use_awaitable);

    if (!st.where.tls) {
        beast::tcp_stream stream(executor);
        stream.expires_after(phase_timeout);
        co_await stream.async_connect(endpoints, use_awaitable);
        st.connections.fetch_add(1, std::memory_order_relaxed);
        const unsigned status = co_await write_and_read(stream, st.request);
        close(stream);
        co_return status;
    }

    beast::ssl_stream<beast::tcp_stream> stream(executor, st.tls);
    if (!st.where.ip_literal && !SSL_set_tlsext_host_name(stream.native_handle(), st.where.host.c_str()))
        throw std::runtime_error("cannot set the TLS server name");
    stream.set_verify_callback(ssl::host_name_verification(st.where.host));
    beast::get_lowest_layer(stream).expires_after(phase_timeout);
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, use_awaitable);
    st.connections.fetch_add(1, std::memory_order_relaxed);
    beast::get_lowest_layer(stream).expires_after(phase_timeout);
    co_await stream.async_handshake(ssl::stream_base::client, use_awaitable);
    const unsigned status = co_await write_and_read(stream, st.request);
    close(beast::get_lowest_layer(stream));
    co_return status;
}

asio::awaitable<void> worker(shared_state& st, std::size_t total, recorder& rec) {
    while (st.taken.fetch_add(1, std::memory_order_relaxed) < total) {
        const auto start = clock::now();
        unsigned status = 0;
        std::string failure;
        bool failed = false;
        try {
            status = co_await fetch_once(st);
        } catch (const std::exception& e) {
            failed = true;
            failure = e.what();
        }
        const auto end = clock::now();
        if (failed) rec.failure(start, end, failure);
        else if (status < 200 || status > 299) rec.failure(start, end, "HTTP " + std::to_string(status));
        else rec.success(start, end);
    }
}

} // namespace

summary run_naive(const config& cfg) {
    asio::io_context io(static_cast<int>(cfg.threads));
    shared_state st{destination_of(cfg.url), client_context(cfg.ca_file), {}};
    st.request.method(http::verb::get);
    st.request.target(st.where.target);
    st.request.version(11);
    st.request.set(http::field::host, st.where.host_header);
    st.request.set(http::field::user_agent, "daftra-bench-naive");
    st.request.set(http::field::connection, "close");

    std::vector<recorder> workers = recorders_for(cfg);
    for (auto& rec : workers)
        asio::co_spawn(io, worker(st, cfg.requests, rec), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    run_io(io, cfg.threads);

    if (cfg.verbose)
        std::fprintf(stderr, "daftra_bench: naive opened %zu connections for %zu requests\n", st.connections.load(),
                     cfg.requests);
    return summary::of(workers);
}

} // namespace daftra::bench
