#pragma once
// Fault injection settings of daftra-sandbox. Set them at start (server options, command-line flags)
// or at run time (server::set_faults, POST /__sandbox/faults with the JSON form of this struct).

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>

namespace daftra::sandbox {

/// Every rate is a probability in [0, 1] drawn per request from a generator seeded by
/// `options::seed`, so a run with the same seed and the same request order injects the same faults.
/// A request gets at most one of the "answer" faults, checked in this order:
/// stall, reset, error, rate limit, truncate, malformed. Latency is added before any of them.
struct fault_config {
    // Which requests are affected: path prefix ("" = all) and method ("" = all). Admin paths never are.
    std::string path_prefix;
    std::string method;
    /// Stop injecting after this many requests were faulted (0 = no limit). Latency does not count.
    std::uint64_t times = 0;

    std::uint32_t latency_ms = 0;      ///< Fixed delay before answering.
    std::uint32_t latency_max_ms = 0;  ///< When above latency_ms: delay drawn uniformly in [latency_ms, latency_max_ms].

    double error_rate = 0;             ///< Answer with error_status and a Daftra error body.
    unsigned error_status = 500;       ///< 500, 502 or 503.

    double rate_limit_rate = 0;        ///< Answer 429 with a Retry-After header.
    std::uint32_t retry_after_seconds = 1;
    bool retry_after_http_date = false;///< Retry-After as an HTTP-date instead of seconds.

    std::uint32_t close_after = 0;     ///< Close each connection after K answered requests (0 = never).
    double stall_rate = 0;             ///< Read the request and never answer (until the client gives up).
    double reset_rate = 0;             ///< Send the headers and half the body, then reset the connection (RST).
    double truncate_rate = 0;          ///< Send the headers and half the body, then close cleanly.
    double malformed_rate = 0;         ///< Answer 200 with a body that is not valid JSON.

    bool any() const;
};

/// JSON form used by the admin endpoint and `--faults`. Unknown keys are an error.
boost::json::object to_json(const fault_config& f);
/// Throws std::invalid_argument with a readable message on a bad key or value.
fault_config fault_config_from_json(const boost::json::value& v, const fault_config& base = {});

} // namespace daftra::sandbox
