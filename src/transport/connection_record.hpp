#pragma once
// What the pool's rules (pool_state.hpp) read and write of a connection: plain data, without I/O, so
// that the rules can be tested on records alone.

#include <chrono>
#include <cstddef>
#include <optional>

namespace daftra::transport::detail {

using clock = std::chrono::steady_clock;

/// What the pool's rules read and write of a connection.
struct connection_record {
    bool connected = false;             ///< set by the exchange
    clock::time_point created{};        ///< when it was opened
    clock::time_point idle_until{};     ///< set on release: reuse only before this
    clock::time_point released{};       ///< set on release: when it last finished an exchange
    std::size_t requests = 0;           ///< exchanges completed on it
    std::size_t max_requests = 0;       ///< 0 = unlimited; lowered by the server's Keep-Alive max
    std::optional<std::chrono::seconds> server_idle_timeout;  ///< from the server's Keep-Alive timeout
};

} // namespace daftra::transport::detail
