#pragma once
// Options of the connection pool. Every default is written next to the option with its reason.

#include "daftra/core/clock.hpp"
#include "daftra/core/compiler_check.hpp"

#include <ostream>  // before Beast's verb.hpp, which uses std::ostream without including it (Boost 1.81)
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

// Declared only: the SDK's public headers do not pull OpenSSL and Asio-SSL into every file that uses the
// client (tls_options::context is a pointer). Include <boost/asio/ssl/context.hpp> to make one.
namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace daftra::transport {

using std::chrono::milliseconds;

/// Timeouts of the phases of one request. Each phase is also bounded by the call's overall deadline.
struct phase_timeouts {
    milliseconds resolve{10'000};          ///< DNS resolution. Default 10 s.
    milliseconds connect{10'000};          ///< TCP connect, all resolved addresses together. Default 10 s.
    milliseconds handshake{10'000};        ///< TLS handshake. Default 10 s.
    milliseconds write{30'000};            ///< writing the request. Default 30 s (large bulk creates).
    milliseconds response_header{60'000};  ///< from the request written to the response header read. Default 60 s:
                                           ///< Daftra can take long on big list pages and reports.
    milliseconds body{60'000};             ///< reading the response body. Default 60 s (1000-row pages are MBs).
};

/// TLS settings. verify_peer and host-name verification are always on: there is no switch to disable them.
struct tls_options {
    /// PEM file of the CAs to trust instead of the system's default CA paths. Default: empty (system CAs).
    std::string ca_file;
    /// A context of your own (client certificates, pinned CAs, …; include <boost/asio/ssl/context.hpp>).
    /// When set, ca_file is ignored and the context is used as it is, except that the pool still requires
    /// verify_peer and checks the host name.
    std::shared_ptr<boost::asio::ssl::context> context;
};

/// What the pool reports about one finished request (see pool_options::on_request).
struct request_info;

/// Limits and behaviour of one per-origin pool.
struct pool_options {
    /// Most connections open at once (connecting ones included). Default 8: enough to saturate a single
    /// API host from one process while staying polite; callers beyond it queue in FIFO order.
    std::size_t max_connections = 8;
    /// How long a call waits for a free connection before failing with error_kind::pool_timeout.
    /// Default 30 s.
    milliseconds acquire_timeout{30'000};
    /// An idle connection older than this is closed instead of reused. Default 30 s, below the usual
    /// server keep-alive timeouts (nginx 75 s) so we close first. A server's `Keep-Alive: timeout=N`
    /// shortens it for that connection. Idle connections are checked whenever the pool is used;
    /// the pool keeps no timer of its own, so an idle client never keeps io_context::run() busy.
    milliseconds idle_timeout{30'000};
    /// Requests after which a connection is retired. 0 = no limit. Default 0. A server's
    /// `Keep-Alive: max=N` lowers it for that connection.
    std::size_t max_requests_per_connection = 0;
    /// A connection older than this is retired after its current request (spreads load after DNS
    /// changes). Default 10 min; 0 = no limit.
    milliseconds max_connection_age{600'000};
    /// Largest response body accepted; larger answers fail with error_kind::protocol. Default 256 MiB:
    /// a 1000-row invoice page is several MB, far above Beast's own 8 MB default.
    std::size_t max_response_body = 256u << 20;
    /// Largest response header accepted, counted as the fields are kept in response::headers
    /// ("name: value\r\n" each), chunked trailers included. It also bounds a connection's unread input
    /// (this plus 64 KiB): a status line, chunk-size line or trailer section that does not fit fails
    /// with a protocol error instead of being buffered. Default 64 KiB.
    std::size_t max_response_header = 64u << 10;
    /// Overall deadline of a call when send_options::deadline is not given. Default 120 s.
    milliseconds request_timeout{120'000};
    /// Per-phase timeouts.
    phase_timeouts timeouts;
    /// TLS settings (https origins only).
    tls_options tls;
    /// Ask for compressed answers (`Accept-Encoding: gzip, deflate`) and decode them with zlib, so
    /// response::body is always the plain body (the Content-Encoding and Content-Length lines are then
    /// left out of response::headers). The decoded body is bounded by max_response_body as well.
    /// Default true: list pages are large, repetitive JSON that gzip shrinks about tenfold, which
    /// outweighs the inflate cost on any network but loopback (see docs/benchmarks.md). A request that
    /// sets its own Accept-Encoding header gets the answer as the server sent it, undecoded.
    bool accept_compression = true;
    /// Sent as User-Agent. Default "daftra-cpp/<version>".
    std::string user_agent = "daftra-cpp/0.1";
    /// Called once per finished request of the pool, on the thread that completes it: a client call
    /// that is retried reports each attempt, and the token requests too. Keep it cheap; exceptions it
    /// throws are swallowed. Default: none.
    std::function<void(const request_info&)> on_request;
    /// The clock of deadlines (send_options::deadline is a time point of clock.now), the idle timeout,
    /// connection age and the wait for a free connection. Default: steady_clock. A client fills the
    /// hooks left empty here from client_options::clock.
    clock_hooks clock;
};

/// Per-request observability record passed to pool_options::on_request.
struct request_info {
    boost::beast::http::verb method = boost::beast::http::verb::unknown;  ///< the request's method
    /// The request's target (path and query) as sent. It views the request: valid only during the
    /// call of on_request (copy it to keep it). The SDK puts credentials in headers and bodies, never
    /// here, but a query written by the caller (raw()) may hold anything: redact before logging it.
    std::string_view target;
    unsigned status = 0;          ///< HTTP status, 0 on failure before an answer
    bool ok = false;              ///< a complete answer was received
    bool reused_connection = false;
    bool replayed = false;        ///< a stale reused connection failed and the request went again on a new one
    std::chrono::microseconds queued{0};     ///< waiting for a connection
    /// 0-based rank of the moment this call got its connection among all calls of the pool (calls
    /// refused before that keep 0). Connections go to waiting calls first come, first served, so on a
    /// one-thread io_context the ranks follow the order in which calls entered send().
    std::uint64_t connection_order = 0;
    std::chrono::microseconds connect{0};    ///< resolve + connect + TLS handshake (0 when reused)
    std::chrono::microseconds write{0};
    std::chrono::microseconds wait{0};       ///< request written → response header read
    std::chrono::microseconds body{0};
    std::chrono::microseconds total{0};
};

/// A snapshot of the pool's state.
struct pool_stats {
    std::size_t open = 0;      ///< connections that exist (idle + in use + connecting)
    std::size_t idle = 0;
    std::size_t in_use = 0;    ///< handed to a call (connecting ones included)
    std::size_t waiting = 0;   ///< calls queued for a connection
    std::size_t connections_opened = 0;  ///< since the pool was made
    std::size_t requests = 0;            ///< exchanges started since the pool was made
};

} // namespace daftra::transport
