#pragma once
// One keep-alive connection and the exchange of one request on it. This header is free of Beast so
// that only connection.cpp pays for Beast's templates; pool.cpp sees an opaque connection.

#include "daftra/core/result.hpp"
#include "daftra/transport/http.hpp"
#include "daftra/transport/options.hpp"
#include "connection_record.hpp"
#include "origin.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace daftra::transport::detail {

/// What one exchange produced, and what it means for the connection.
struct exchange_outcome {
    result<response> answer{error{}};
    bool reusable = false;        ///< complete keep-alive exchange: the connection may serve again
    bool received_any = false;    ///< at least one answer byte arrived
    bool maybe_sent = false;      ///< at least one request byte was handed to the socket
    bool stale_candidate = false; ///< failed like a connection the server had already closed
    std::chrono::microseconds connect{0}, write{0}, wait{0}, body{0};
};

class connection : public connection_record {
public:
    connection() = default;  // make_connection sets `created` on the pool's clock
    virtual ~connection() = default;

    /// The connection's strand: every operation on its socket runs there.
    virtual const boost::asio::any_io_executor& executor() const noexcept = 0;

    /// Connects first when needed, then writes `req` and reads the whole answer. Runs on executor().
    /// Never throws; the outcome carries any error.
    virtual boost::asio::awaitable<exchange_outcome> exchange(const request& req, clock::time_point deadline) = 0;

    /// Closes the socket at once (no TLS shutdown) and makes later exchanges fail. Call on executor(),
    /// or from any thread when no exchange is running.
    virtual void close() noexcept = 0;

    /// For an idle connection: false when the peer has closed it or sent something unasked.
    virtual bool looks_alive() const noexcept = 0;
    // The pool's bookkeeping (connected, created, requests, …) is the connection_record base.
};

/// Shared, read-only settings of all connections of a pool.
struct connection_settings {
    origin where;
    pool_options options;
    std::shared_ptr<void> tls_context;  ///< boost::asio::ssl::context, type-erased to keep Beast out
};

/// Makes an unconnected connection on its own strand of `ex`.
std::shared_ptr<connection> make_connection(const boost::asio::any_io_executor& ex,
                                            std::shared_ptr<const connection_settings> settings);

/// Builds the TLS context from the options (verify_peer, TLS >= 1.2, CA file or default paths).
/// Throws std::invalid_argument when the CA file cannot be loaded.
std::shared_ptr<void> make_tls_context(const tls_options& tls);

} // namespace daftra::transport::detail
