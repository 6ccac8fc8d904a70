// The only translation unit of the library that instantiates Beast's HTTP and TLS stream templates.

#include "connection.hpp"

#include "body_cache.hpp"

#include "content_coding.hpp"
#include "keep_alive.hpp"
#include "response_reader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <tuple>
#include <type_traits>

namespace daftra::transport::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using request_message = http::request<http::span_body<const char>, http::basic_fields<fields_allocator>>;

enum class phase { resolve, connect, handshake, write, response_header, body };

const char* phase_name(phase p) {
    switch (p) {
    case phase::resolve: return "resolving the host";
    case phase::connect: return "connecting";
    case phase::handshake: return "the TLS handshake";
    case phase::write: return "writing the request";
    case phase::response_header: return "waiting for the response header";
    case phase::body: return "reading the response body";
    }
    return "?";
}

microseconds since(clock::time_point t) { return duration_cast<microseconds>(clock::now() - t); }

bool is_http_error(const error_code& ec) { return ec.category() == http::make_error_code(http::error::end_of_stream).category(); }

template <class Stream>
class basic_connection final : public connection, public std::enable_shared_from_this<basic_connection<Stream>> {
public:
    static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

    basic_connection(asio::any_io_executor strand, std::shared_ptr<const connection_settings> settings)
        : strand_(std::move(strand)), settings_(std::move(settings)), stream_(make_stream()) {
        // A fully read response never grows flat_buffer past its 512-byte start, so every answer would
        // take several SSL_read calls; reserve once per connection instead.
        buffer_.reserve(16 * 1024);
        answer_limits limits;
        limits.max_header = settings_->options.max_response_header;
        buffer_.max_size(read_buffer_limit(limits));
    }

    const asio::any_io_executor& executor() const noexcept override { return strand_; }

    // One coroutine for the whole exchange (no nested frame). Never throws: the outcome carries any error.
    asio::awaitable<exchange_outcome> exchange(const request& req, clock::time_point deadline) override {
        // The frame's locals give memory back to this connection's header arena when they die, which may
        // be when an io_context destroys a suspended frame: keep the connection alive until then.
        const auto self = this->shared_from_this();
        exchange_outcome out;
        try {
            const auto& opt = settings_->options;
            if (closed_) {
                out.answer = make_error(error_kind::cancelled, asio::error::operation_aborted, "the pool was shut down");
                co_return finish(out);
            }
            const bool reused = connected;
            if (!connected) {
                const auto t0 = clock::now();
                if (auto failure = co_await connect(deadline)) {
                    out.answer = std::move(*failure);
                    co_return finish(out);
                }
                connected = true;
                out.connect = since(t0);
            }

            // The body is referenced, not copied: the caller keeps `req` alive for a possible replay anyway.
            // The header fields are carved from the connection's arena (no heap allocation per field).
            request_message msg(std::piecewise_construct, std::make_tuple(), std::make_tuple(fields_allocator(&arena_)));
            msg.method(req.method);
            msg.target(req.target);
            msg.version(11);
            msg.set(http::field::host, settings_->where.host_header);
            msg.set(http::field::user_agent, opt.user_agent);
            bool decode_compressed = opt.accept_compression;
            for (const auto& h : req.headers) {
                msg.insert(h.name, h.value);
                if (beast::iequals(h.name, "accept-encoding")) decode_compressed = false;  // the caller's own choice
            }
            if (req.body_to) decode_compressed = false;  // a streamed file arrives as stored, unencoded
            if (decode_compressed) msg.set(http::field::accept_encoding, accepted_encodings);
            msg.body() = {req.body.data(), req.body.size()};
            msg.prepare_payload();

            error_code ec;
            auto t = clock::now();
            if (!arm(opt.timeouts.write, deadline)) {
                out.answer = timeout_error(phase::write, deadline);
                co_return finish(out);
            }
            const std::size_t written = co_await http::async_write(stream_, msg, asio::redirect_error(asio::use_awaitable, ec));
            out.write = since(t);
            if (ec) {
                // The kernel refusing the very first bytes of a reused connection means the peer had gone.
                const bool refused = written == 0 && (ec == asio::error::broken_pipe || ec == asio::error::connection_reset ||
                                                      ec == asio::error::eof || ec == ssl::error::stream_truncated);
                out.maybe_sent = !refused;
                out.stale_candidate = reused && refused;
                out.answer = classify(phase::write, ec, deadline, false);
                co_return finish(out);
            }
            out.maybe_sent = true;

            response_parser parser{fields_allocator(&arena_)};
            answer_limits limits;
            limits.max_header = opt.max_response_header;
            limits.max_body = opt.max_response_body;
            limits.head_request = req.method == verb::head;
            configure(parser, limits);
            parser.get().body() = reusable_body();  // the memory of an answer already decoded, if any

            t = clock::now();
            if (!arm(opt.timeouts.response_header, deadline)) {
                out.answer = timeout_error(phase::response_header, deadline);
                co_return finish(out);
            }
            co_await http::async_read_header(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
            out.wait = since(t);
            if (ec) {
                out.received_any = parser.got_some() || buffer_.size() > 0;
                // Closed or reset before a single answer byte, on a connection that had served before: the
                // classic stale keep-alive race (the server closed it while we were sending).
                out.stale_candidate = reused && !out.received_any &&
                                      (ec == http::error::end_of_stream || ec == asio::error::eof ||
                                       ec == asio::error::connection_reset || ec == ssl::error::stream_truncated);
                out.answer = classify(phase::response_header, ec, deadline, out.received_any);
                co_return finish(out);
            }
            out.received_any = true;
            if (req.body_to && parser.get().result_int() / 100 == 2 && !limits.head_request) {
                co_await stream_body(parser, req, deadline, out);
                co_return finish(out);
            }

            t = clock::now();
            if (!parser.is_done()) {
                if (!arm(opt.timeouts.body, deadline)) {
                    out.answer = timeout_error(phase::body, deadline);
                    co_return finish(out);
                }
                co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
            }
            out.body = since(t);
            if (ec) {
                out.answer = classify(phase::body, ec, deadline, true);
                co_return finish(out);
            }
            tcp().expires_never();

            parsed_answer got = take_answer(parser);
            note_complete_answer(got, out);
            if (decode_compressed) {
                if (auto undecodable = decode_content(got.answer, opt.max_response_body)) {
                    out.answer = std::move(*undecodable);  // a complete answer whose body is unusable
                    co_return finish(out);
                }
            }
            out.answer = std::move(got.answer);
            co_return finish(out);
        } catch (const boost::system::system_error& e) {
            // Only reached when cancellation interrupts an awaited operation.
            out.answer = make_error(error_kind::cancelled, e.code(), "the request was cancelled");
            out.reusable = false;
        } catch (const std::exception& e) {
            out.answer = make_error(error_kind::transport, {}, e.what());
            out.reusable = false;
        }
        co_return finish(out);
    }

    void close() noexcept override {
        closed_ = true;
        error_code ignored;
        if (resolver_) resolver_->cancel();
        beast::get_lowest_layer(stream_).socket().close(ignored);
    }

    bool looks_alive() const noexcept override {
        if (closed_) return false;
        if (!connected) return true;
        // An idle keep-alive socket must have nothing to read: readable means the peer closed it (EOF, a
        // TLS close_notify, a reset) or sent bytes nobody asked for. One poll() instead of a failed request.
        auto& self = const_cast<basic_connection&>(*this);
        pollfd p{self.tcp().socket().native_handle(), POLLIN, 0};
        return ::poll(&p, 1, 0) == 0;
    }

private:
    // After a complete answer: count it, and decide from its keep-alive signals whether the connection
    // may serve again. Reuse only after a complete keep-alive exchange with nothing left in the buffer.
    void note_complete_answer(const parsed_answer& got, exchange_outcome& out) {
        ++requests;
        out.reusable = got.keep_alive && buffer_.size() == 0 && !closed_;
        if (got.hint.timeout) server_idle_timeout = *got.hint.timeout;
        if (got.hint.max) {
            const std::size_t limit = requests + *got.hint.max;
            max_requests = max_requests == 0 ? limit : std::min(max_requests, limit);
            if (*got.hint.max == 0) out.reusable = false;
        }
    }

    // A 2xx answer's body handed to req.body_to piece by piece (a download), in a buffer of its own that
    // exists only while it runs. The sink's begin() comes first, so a sink written by an earlier attempt
    // starts over. A sink's error closes the connection: the rest of the body is not read.
    asio::awaitable<void> stream_body(response_parser& header_read, const request& req, clock::time_point deadline,
                                      exchange_outcome& out) {
        const auto& opt = settings_->options;
        streaming_parser parser(std::move(header_read));
        const std::uint64_t limit = req.max_streamed_body ? req.max_streamed_body : opt.max_response_body;
        parser.body_limit(limit);  // chunked and read-to-EOF bodies; Beast checks a Content-Length at the header only
        auto too_big = [&] {
            return make_error(error_kind::protocol, http::error::body_limit,
                              "the streamed body exceeds its limit (" + std::to_string(limit) + " bytes)");
        };
        if (auto length = parser.content_length(); length && *length > limit) {
            out.answer = too_big();
            close();
            co_return;
        }
        parsed_answer head = take_head(parser);
        if (auto started = req.body_to->begin(head.answer); !started) {
            out.answer = started.error();
            close();
            co_return;
        }
        constexpr std::size_t piece = 64u << 10;
        const std::unique_ptr<char[]> buffer(new char[piece]);
        const auto t = clock::now();
        error_code ec;
        while (!parser.is_done()) {
            if (!arm(opt.timeouts.body, deadline)) {
                out.answer = timeout_error(phase::body, deadline);
                close();
                co_return;
            }
            parser.get().body().data = buffer.get();
            parser.get().body().size = piece;
            co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == http::error::need_buffer) ec = {};  // the piece is full: hand it over, read on
            if (const std::size_t got = piece - parser.get().body().size)
                if (auto written = req.body_to->write({buffer.get(), got}); !written) {
                    out.answer = written.error();
                    close();
                    co_return;
                }
            if (ec == http::error::body_limit) {
                out.answer = too_big();
                close();
                co_return;
            }
            if (ec) {
                out.answer = classify(phase::body, ec, deadline, true);
                co_return;
            }
        }
        out.body = since(t);
        tcp().expires_never();
        parsed_answer done = take_head(parser);  // again: chunked trailers may have added fields
        note_complete_answer(done, out);
        out.answer = std::move(done.answer);
    }

    Stream make_stream() {
        if constexpr (is_tls)
            return Stream(strand_, *static_cast<ssl::context*>(settings_->tls_context.get()));
        else
            return Stream(strand_);
    }

    beast::tcp_stream& tcp() noexcept { return beast::get_lowest_layer(stream_); }

    // Arms the stream's timer for one phase, bounded by the call's deadline. False when no time is left.
    bool arm(milliseconds phase_limit, clock::time_point deadline) {
        const auto left = deadline - settings_->options.clock.steady_time();
        if (left <= clock::duration::zero()) return false;
        tcp().expires_after(std::min<clock::duration>(phase_limit, left));
        return true;
    }

    error timeout_error(phase p, clock::time_point deadline) const {
        const bool by_deadline = settings_->options.clock.steady_time() + milliseconds(1) >= deadline;
        return make_error(error_kind::timeout, asio::error::timed_out,
                          std::string(by_deadline ? "the call's deadline expired while " : "timed out while ") +
                              phase_name(p));
    }

    // Maps an I/O failure in phase `p` to a typed error.
    error classify(phase p, error_code ec, clock::time_point deadline, bool received_any) const {
        if (ec == beast::error::timeout) return timeout_error(p, deadline);
        if (closed_ || ec == asio::error::operation_aborted)
            return make_error(error_kind::cancelled, ec, std::string("cancelled while ") + phase_name(p));
        if (ec == http::error::body_limit)
            return make_error(error_kind::protocol, ec,
                              "response body exceeds max_response_body (" +
                                  std::to_string(settings_->options.max_response_body) + " bytes)");
        if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
            return make_error(error_kind::protocol, ec,
                              "response header, chunk line or trailers exceed max_response_header (" +
                                  std::to_string(settings_->options.max_response_header) + " bytes)");
        if (p == phase::handshake) return handshake_error(ec);
        if (received_any && (ec == http::error::partial_message || ec == asio::error::eof ||
                             ec == ssl::error::stream_truncated))
            // The connection was lost mid-answer, as with a reset: transport (replayable for idempotent
            // calls), not protocol: nothing says the server broke HTTP rather than a network or proxy.
            return make_error(error_kind::transport, ec, "the server closed the connection before the response was complete");
        if (is_http_error(ec) && ec != http::error::end_of_stream)
            return make_error(error_kind::protocol, ec, "the server's answer is not valid HTTP/1.1: " + ec.message());
        return make_error(error_kind::transport, ec, std::string("connection failed while ") + phase_name(p) + ": " + ec.message());
    }

    error handshake_error(error_code ec) const {
        std::string msg = "TLS handshake with " + settings_->where.host + " failed: ";
        if constexpr (is_tls) {
            const long verify = SSL_get_verify_result(const_cast<Stream&>(stream_).native_handle());
            if (verify != X509_V_OK) {
                msg += "certificate verification failed: ";
                msg += X509_verify_cert_error_string(verify);
                return make_error(error_kind::tls, ec, std::move(msg));
            }
        }
        msg += ec.message();
        return make_error(error_kind::tls, ec, std::move(msg));
    }

    asio::awaitable<std::optional<error>> connect(clock::time_point deadline) {
        const auto& where = settings_->where;
        const auto& opt = settings_->options;
        error_code ec;
        std::vector<tcp::endpoint> endpoints;
        if (where.host_is_ip) {
            endpoints.emplace_back(asio::ip::make_address(where.host, ec), where.port);
            if (ec) co_return make_error(error_kind::invalid_argument, ec, "bad IP address in the origin");
        } else {
            const auto left = deadline - opt.clock.steady_time();
            if (left <= clock::duration::zero()) co_return timeout_error(phase::resolve, deadline);
            resolver_ = std::make_shared<tcp::resolver>(strand_);
            asio::steady_timer timer(strand_, std::min<clock::duration>(opt.timeouts.resolve, left));
            bool timed_out = false;
            timer.async_wait([r = resolver_, &timed_out](error_code e) {
                if (!e) {
                    timed_out = true;
                    r->cancel();
                }
            });
            auto results = co_await resolver_->async_resolve(where.host, std::to_string(where.port),
                                                             asio::redirect_error(asio::use_awaitable, ec));
            timer.cancel();
            resolver_.reset();
            if (timed_out) co_return timeout_error(phase::resolve, deadline);
            if (closed_) co_return make_error(error_kind::cancelled, ec, "cancelled while resolving the host");
            if (ec)
                co_return make_error(error_kind::transport, ec, "cannot resolve " + where.host + ": " + ec.message());
            for (const auto& r : results) endpoints.push_back(r.endpoint());
        }

        if (!arm(opt.timeouts.connect, deadline)) co_return timeout_error(phase::connect, deadline);
        co_await tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return classify(phase::connect, ec, deadline, false);
        tcp().socket().set_option(tcp::no_delay(true), ec);

        if constexpr (is_tls) {
            SSL* ssl_handle = stream_.native_handle();
            // SNI and host-name verification on every connection; IP literals are checked as IPs.
            if (where.host_is_ip) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), where.host.c_str());
            } else {
                SSL_set_tlsext_host_name(ssl_handle, where.host.c_str());
                SSL_set1_host(ssl_handle, where.host.c_str());
            }
            SSL_set_verify(ssl_handle, SSL_VERIFY_PEER, nullptr);
            // Asio asks OpenSSL to free its record buffers whenever they run empty, which costs several
            // malloc/free pairs per request on a keep-alive connection. A pooled connection is reused
            // at once, so keep them (about 34 KiB per open connection).
            SSL_clear_mode(ssl_handle, SSL_MODE_RELEASE_BUFFERS);
            if (!arm(opt.timeouts.handshake, deadline)) co_return timeout_error(phase::handshake, deadline);
            co_await stream_.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return classify(phase::handshake, ec, deadline, false);
        }
        co_return std::nullopt;
    }

    // The end of every exchange: a connection that cannot serve again is closed at once.
    exchange_outcome finish(exchange_outcome& out) noexcept {
        if (!out.reusable) close();
        return std::move(out);
    }

    asio::any_io_executor strand_;
    std::shared_ptr<const connection_settings> settings_;
    Stream stream_;
    beast::flat_buffer buffer_;
    header_arena arena_;  // the header fields of the current exchange (one at a time)
    std::shared_ptr<tcp::resolver> resolver_;
    bool closed_ = false;
};

} // namespace

std::shared_ptr<connection> make_connection(const asio::any_io_executor& ex,
                                            std::shared_ptr<const connection_settings> settings) {
    // A strand over the concrete io_context executor fits any_io_executor's small-object buffer; a strand
    // over any_io_executor does not, and then every work-tracking copy of it allocates (~48 per request).
    asio::any_io_executor strand;
    if (const auto* io = ex.target<asio::io_context::executor_type>()) strand = asio::make_strand(*io);
    else strand = asio::make_strand(ex);
    const auto created = settings->options.clock.steady_time();  // its age is read on the pool's clock
    std::shared_ptr<connection> c;
    if (settings->where.tls) c = std::make_shared<basic_connection<tls_stream>>(std::move(strand), std::move(settings));
    else c = std::make_shared<basic_connection<beast::tcp_stream>>(std::move(strand), std::move(settings));
    c->created = created;
    return c;
}

std::shared_ptr<void> make_tls_context(const tls_options& tls) {
    if (tls.context) {
        tls.context->set_verify_mode(ssl::verify_peer);
        return tls.context;
    }
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (!tls.ca_file.empty()) {
        ctx->load_verify_file(tls.ca_file, ec);
        if (ec) throw std::invalid_argument("daftra: cannot load CA file '" + tls.ca_file + "': " + ec.message());
    } else {
        ctx->set_default_verify_paths(ec);
        if (ec) throw std::invalid_argument("daftra: cannot load the system CA paths: " + ec.message());
    }
    return ctx;
}

} // namespace daftra::transport::detail
