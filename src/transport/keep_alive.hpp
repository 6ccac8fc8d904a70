#pragma once
// Reads the server's `Keep-Alive: timeout=N, max=M` header (RFC 2068 §19.7.1, still sent by servers).

#include <chrono>
#include <optional>
#include <string_view>

namespace daftra::transport::detail {

struct keep_alive_hint {
    std::optional<std::chrono::seconds> timeout;  ///< the server closes idle connections after this
    std::optional<std::size_t> max;               ///< requests the server still accepts on this connection
};

keep_alive_hint parse_keep_alive(std::string_view value) noexcept;

} // namespace daftra::transport::detail
