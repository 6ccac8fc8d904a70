#pragma once
// The plain HTTP request and response values that travel through the pool. They hold no Beast
// types beyond the verb enum, so including them stays cheap for users.

#include <boost/beast/http/verb.hpp>

#include "daftra/core/result.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::transport {

using verb = boost::beast::http::verb;

/// One extra request header.
struct header {
    std::string name;
    std::string value;
};

struct response;

/// Receives a successful answer's body piece by piece as it arrives, instead of response::body: how a
/// file of any size is downloaded in bounded memory (request::body_to). Called on the connection's
/// strand, one call at a time.
class body_sink {
public:
    virtual ~body_sink() = default;
    /// A 2xx answer's body is about to arrive; `head` has its status and headers (its body is empty).
    /// Called once per attempt, before that attempt's first write(): a sink written by an earlier attempt
    /// of the same request (the pool's replay, the client's retry) must start over. An error fails the
    /// call with it.
    virtual result<void> begin(const response& head) = 0;
    /// The next piece of the body, in order. An error stops reading (the connection is closed) and fails
    /// the call with it.
    virtual result<void> write(std::string_view bytes) = 0;
};

/// A request to the pool's origin. Host, User-Agent, Content-Length and Connection are set by the pool.
struct request {
    verb method = verb::get;
    std::string target;           ///< origin-form: path and query, e.g. "/api2/invoices.json?page=2"
    std::vector<header> headers;  ///< extra headers (Authorization, Content-Type, Accept, …)
    std::string body;             ///< sent with Content-Length when non-empty or when method is POST/PUT/PATCH
    /// When set, a 2xx answer's body goes to this sink as it arrives and response::body stays empty;
    /// other answers are read into response::body as usual (their error). The request then asks for no
    /// compression, so the sink gets the bytes as the server stores them. Default: none.
    std::shared_ptr<body_sink> body_to;
    /// Most bytes a streamed body may have (body_to only); beyond it the call fails with
    /// error_kind::protocol. Default 0: pool_options::max_response_body.
    std::uint64_t max_streamed_body = 0;

    /// GET, HEAD, PUT, DELETE and OPTIONS may be sent twice without changing the outcome (RFC 9110 §9.2.2).
    bool idempotent() const noexcept;
};

/// A complete answer. `headers` keeps the response header lines as "name: value\r\n" in one string,
/// so a response costs one allocation for its headers whatever their number.
struct response {
    unsigned status = 0;
    std::string headers;
    std::string body;
    /// True when an earlier attempt of the same request may have reached the server and ended without
    /// a definite answer: its answer was lost or cut short, it timed out, or a gateway answered 502 or
    /// 504 (the server behind it may have acted on it). Set by the pool when it replays a request on a
    /// new connection and by the client's retry loop; false (the default) on a first attempt and after
    /// attempts that were answered definitely (e.g. 503, 429) or provably never sent. A DELETE answered
    /// 404 with this flag most likely took effect on that earlier attempt (see resource::remove).
    bool after_unknown_outcome = false;

    /// The value of the first header named `name` (case-insensitive), if present.
    std::optional<std::string_view> header(std::string_view name) const noexcept;
};

/// Gives the memory of an answer's body back to the transport, which reads a later answer on this
/// thread into it. For bodies of tens of KB this saves more than an allocation: glibc hands such a
/// buffer back to the system when it is freed at the top of the heap, and a fresh one costs a page
/// fault per 4 KiB on its first write (about a third of a raw call's CPU time on a 60 KB page; see
/// docs/benchmarks.md). The typed calls do this once they have decoded an answer. Optional: a response
/// simply destroyed frees its body as usual. Each thread keeps at most 8 bodies of at most 4 MiB.
void recycle(response&& answer) noexcept;

/// Per-call settings for pool::send.
struct send_options {
    /// Absolute deadline for the whole call (waiting for a connection, connecting, the exchange and a
    /// replay). Default: now + pool_options::request_timeout.
    std::optional<std::chrono::steady_clock::time_point> deadline;
};

} // namespace daftra::transport
