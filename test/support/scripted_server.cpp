#include "scripted_server.hpp"

#include "daftra/sandbox/certificates.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace daftra::test {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::string http_response(unsigned status, const std::string& body, const std::string& extra_headers) {
    return "HTTP/1.1 " + std::to_string(status) + " OK\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

std::string write_temp_file(const std::string& stem, const std::string& text) {
    static std::atomic<unsigned> counter{0};
    std::random_device rd;
    auto path = std::filesystem::temp_directory_path() /
                (stem + "-" + std::to_string(rd()) + "-" + std::to_string(counter++) + ".pem");
    std::ofstream(path) << text;
    return path.string();
}

struct scripted_server::impl {
    script handler;
    scripted_server_options options;
    asio::io_context io;
    ssl::context ctx{ssl::context::tls_server};
    tcp::acceptor acceptor{io};
    std::string ca_path;
    std::thread thread;

    mutable std::mutex mutex;
    std::vector<seen_request> seen;
    std::size_t accepted = 0;
    std::size_t open = 0;
    std::size_t max_open = 0;
    std::set<std::shared_ptr<tcp::socket>> sockets;

    template <class Stream>
    asio::awaitable<void> serve(Stream& stream, tcp::socket& sock, std::size_t index) {
        asio::streambuf buf;
        for (std::size_t nth = 0;; ++nth) {
            error_code ec;
            std::size_t n = co_await asio::async_read_until(stream, buf, "\r\n\r\n", asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            std::string head(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(n));
            buf.consume(n);
            seen_request req;
            std::istringstream lines(head);
            std::string version;
            lines >> req.method >> req.target >> version;
            req.head = head;
            std::size_t length = 0;
            for (std::string line; std::getline(lines, line);) {
                if (line.size() > 15 && (line.rfind("Content-Length:", 0) == 0 || line.rfind("content-length:", 0) == 0))
                    length = std::stoul(line.substr(15));
            }
            if (buf.size() < length) {
                co_await asio::async_read(stream, buf, asio::transfer_exactly(length - buf.size()),
                                          asio::redirect_error(asio::use_awaitable, ec));
                if (ec) co_return;
            }
            req.body.assign(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + static_cast<std::ptrdiff_t>(length));
            buf.consume(length);
            req.connection = index;
            req.nth = nth;
            {
                std::lock_guard lock(mutex);
                seen.push_back(req);
            }
            action a = handler(req);
            asio::steady_timer timer(io);
            if (a.stall) {
                // Hold until the client closes (a read then fails) or the server stops.
                char byte;
                co_await sock.async_read_some(asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ec));
                co_return;
            }
            if (a.delay.count() > 0) {
                timer.expires_after(a.delay);
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            while (a.hold_until && !a.hold_until()) {
                timer.expires_after(std::chrono::milliseconds(1));
                co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                if (ec) co_return;  // the server is stopping
            }
            if (a.close_without_answer) co_return;
            if (!a.bytes.empty()) {
                co_await asio::async_write(stream, asio::buffer(a.bytes), asio::redirect_error(asio::use_awaitable, ec));
                if (ec) co_return;
            }
            if (a.close_after) co_return;
        }
    }

    asio::awaitable<void> session(std::shared_ptr<tcp::socket> sock) {
        std::size_t index;
        {
            std::lock_guard lock(mutex);
            index = accepted++;
            max_open = std::max(max_open, ++open);
            sockets.insert(sock);
        }
        sock->set_option(tcp::no_delay(true));
        if (options.tls) {
            ssl::stream<tcp::socket&> stream(*sock, ctx);
            error_code ec;
            co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
            if (!ec) co_await serve(stream, *sock, index);
        } else {
            co_await serve(*sock, *sock, index);
        }
        error_code ignored;
        sock->close(ignored);
        std::lock_guard lock(mutex);
        --open;
        sockets.erase(sock);
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto sock = std::make_shared<tcp::socket>(io);
            error_code ec;
            co_await acceptor.async_accept(*sock, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            asio::co_spawn(io, session(sock), asio::detached);
        }
    }
};

scripted_server::scripted_server(script s, scripted_server_options options) : impl_(std::make_unique<impl>()) {
    impl_->handler = std::move(s);
    impl_->options = std::move(options);
    if (impl_->options.tls) {
        auto id = daftra::sandbox::generate_identity(impl_->options.cert_names);
        impl_->ctx.use_certificate_chain(asio::buffer(id.cert_pem));
        impl_->ctx.use_private_key(asio::buffer(id.key_pem), ssl::context::pem);
        impl_->ca_path = write_temp_file("daftra-test-ca", id.ca_cert_pem);
    }
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(ep.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(ep);
    impl_->acceptor.listen();
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
    impl_->thread = std::thread([this] { impl_->io.run(); });
}

scripted_server::~scripted_server() {
    asio::post(impl_->io, [this] {
        error_code ignored;
        impl_->acceptor.close(ignored);
        std::lock_guard lock(impl_->mutex);
        for (auto& s : impl_->sockets) s->close(ignored);
    });
    impl_->io.stop();
    impl_->thread.join();
    if (!impl_->ca_path.empty()) std::remove(impl_->ca_path.c_str());
}

std::uint16_t scripted_server::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string scripted_server::origin() const {
    return std::string(impl_->options.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

const std::string& scripted_server::ca_file() const { return impl_->ca_path; }

std::size_t scripted_server::connections_accepted() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->accepted;
}
std::size_t scripted_server::max_concurrent_connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->max_open;
}
std::size_t scripted_server::open_connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->open;
}
std::vector<seen_request> scripted_server::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->seen;
}

} // namespace daftra::test
