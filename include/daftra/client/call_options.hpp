#pragma once
// Options of particular calls, applied through a handle: `auto fast = api.with(opts);` (client.hpp).

#include "daftra/client/retry.hpp"

#include <chrono>
#include <optional>

namespace daftra {

/// What a handle made by client::with() changes for the calls made through it. Fields left empty keep
/// the client's settings (client_options).
struct call_options {
    /// Budget of each call, counted from when it starts: waiting for the rate limiter, every attempt and
    /// the waits between attempts. When it runs out the call fails with error_kind::timeout.
    /// Default: client_options::pool.request_timeout (120 s).
    std::optional<std::chrono::milliseconds> timeout;
    /// A fixed point in time by which every call through the handle must be over, e.g. the budget of the
    /// request you are serving, or of a whole all() range: each page's fetch is bounded by it, so the
    /// range ends with error_kind::timeout once it has passed. Applies together with `timeout`
    /// (whichever comes first). Default: none.
    std::optional<std::chrono::steady_clock::time_point> deadline;
    /// Attempts and backoff of these calls instead of client_options::retry. A create (POST) is still
    /// never sent twice once it may have reached the server. Default: the client's.
    std::optional<retry_options> retry;
};

} // namespace daftra
