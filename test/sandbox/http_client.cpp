#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include <cctype>
#include <functional>
#include <optional>

namespace sandbox_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

boost::json::value reply::json() const { return boost::json::parse(body); }

std::string reply::header(const std::string& name) const {
    std::string k;
    for (char c : name) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = headers.find(k);
    return it == headers.end() ? std::string{} : it->second;
}

struct client::impl {
    std::uint16_t port;
    bool tls;
    asio::io_context ioc;
    std::optional<ssl::context> ctx;
    std::optional<tcp::socket> sock;
    std::optional<ssl::stream<tcp::socket&>> stream;
    beast::flat_buffer buf;

    // Runs the io_context until `done` or the timeout; on timeout the socket is closed.
    bool run(bool& done, std::chrono::milliseconds timeout) {
        ioc.restart();
        ioc.run_for(timeout);
        if (!done) {
            boost::system::error_code ec;
            if (sock) sock->close(ec);
            ioc.restart();
            ioc.run();
            return false;
        }
        return true;
    }

    void reset() {
        stream.reset();
        if (sock) {
            boost::system::error_code ec;
            sock->close(ec);
        }
        sock.reset();
        buf.clear();
    }

    template <class Stream>
    reply exchange(Stream& s, http::request<http::string_body>& req, std::chrono::milliseconds timeout) {
        reply out;
        bool done = false;
        boost::system::error_code ec;
        http::async_write(s, req, [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        if (!run(done, timeout)) {
            out.error = "timeout writing";
            return out;
        }
        if (ec) {
            out.error = "write: " + ec.message();
            return out;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(64u << 20);
        done = false;
        http::async_read(s, buf, parser, [&](boost::system::error_code e, std::size_t) {
            ec = e;
            done = true;
        });
        if (!run(done, timeout)) {
            out.error = "timeout";
            return out;
        }
        if (ec) {
            out.error = "read: " + ec.message();
            if (parser.is_header_done()) {
                out.status = 0;
                out.truncated = true;
                out.body = parser.get().body();
            }
            return out;
        }
        auto& res = parser.get();
        out.status = static_cast<int>(res.result_int());
        out.body = res.body();
        for (const auto& f : res) {
            std::string k;
            for (char c : f.name_string()) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.headers[k] = std::string(f.value());
        }
        if (!res.keep_alive()) reset();
        return out;
    }
};

client::client(std::uint16_t port, bool tls, std::string ca_pem) : impl_(std::make_unique<impl>()) {
    impl_->port = port;
    impl_->tls = tls;
    if (tls) {
        impl_->ctx.emplace(ssl::context::tls_client);
        impl_->ctx->set_verify_mode(ssl::verify_peer);
        impl_->ctx->add_certificate_authority(asio::buffer(ca_pem));
    }
}

client::~client() = default;

bool client::connected() const { return impl_->sock && impl_->sock->is_open(); }

void client::close() { impl_->reset(); }

reply client::request(const std::string& method, const std::string& target, const std::string& body,
                      const header_list& headers) {
    auto& i = *impl_;
    if (!connected()) {
        i.reset();
        i.sock.emplace(i.ioc);
        boost::system::error_code ec;
        i.sock->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), i.port), ec);
        if (ec) {
            i.reset();
            return reply{0, {}, {}, "connect: " + ec.message()};
        }
        ++connects_;
        if (i.tls) {
            i.stream.emplace(*i.sock, *i.ctx);
            i.stream->set_verify_callback(ssl::host_name_verification("localhost"));
            SSL_set_tlsext_host_name(i.stream->native_handle(), "localhost");
            i.stream->handshake(ssl::stream_base::client, ec);
            if (ec) {
                i.reset();
                return reply{0, {}, {}, "handshake: " + ec.message()};
            }
        }
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "localhost");
    req.set(http::field::accept, "application/json");
    for (const auto& [k, v] : default_headers) req.set(k, v);
    bool has_ct = false;
    for (const auto& [k, v] : headers) {
        req.set(k, v);
        if (beast::iequals(k, "content-type")) has_ct = true;
    }
    if (!body.empty() && !has_ct) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    reply r = i.tls ? i.exchange(*i.stream, req, timeout) : i.exchange(*i.sock, req, timeout);
    if (r.status == 0) i.reset();
    return r;
}

std::string client::raw(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    tcp::socket sock(ioc);
    boost::system::error_code ec;
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return {};
    asio::write(sock, asio::buffer(bytes), ec);
    std::string out;
    char buf[4096];
    std::function<void()> read_more;
    read_more = [&] {
        sock.async_read_some(asio::buffer(buf), [&](boost::system::error_code e, std::size_t n) {
            out.append(buf, n);
            if (!e) read_more();
        });
    };
    read_more();
    ioc.run_for(timeout);
    return out;
}

} // namespace sandbox_test
