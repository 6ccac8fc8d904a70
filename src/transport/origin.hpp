#pragma once
// The scheme, host and port a pool talks to, parsed once from the user's URL with Boost.URL.

#include <cstdint>
#include <string>
#include <string_view>

namespace daftra::transport::detail {

struct origin {
    bool tls = true;
    std::string host;        ///< without brackets for IPv6 literals
    std::uint16_t port = 443;
    std::string host_header; ///< "host" or "host:port" when the port is not the scheme's default
    bool host_is_ip = false;

    /// Throws std::invalid_argument unless `url` is an absolute http(s) URL with a host.
    static origin parse(std::string_view url);
};

} // namespace daftra::transport::detail
