#pragma once
// Where a Redis server is and how to log in: parsed from a URL.
//   redis://[[user]:password@]host[:port][/db]    TCP (port 6379 by default)
//   rediss://[[user]:password@]host[:port][/db]   TLS, the server's certificate verified against its host
//   unix:///path/to/redis.sock[?db=N]            a Unix socket (a password as in unix://:pw@/path)
// The password is a secret: it never appears in describe(), an error or a log line.

#include "daftra/auth/secret.hpp"
#include "daftra/core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace daftra::redis {

enum class transport_kind : unsigned char { tcp, tls, unix_socket };

struct endpoint {
    transport_kind transport = transport_kind::tcp;
    std::string host = "127.0.0.1";  ///< tcp and tls
    std::uint16_t port = 6379;       ///< tcp and tls
    std::string path;                ///< unix_socket
    std::string username;            ///< AUTH's user (Redis 6 ACL); empty: the default user
    auth::secret password;           ///< AUTH's password; empty: no AUTH is sent
    unsigned database = 0;           ///< SELECT's index; 0 sends no SELECT

    /// "redis://host:port/db", "rediss://…" or "unix:///path", without the password.
    std::string describe() const;
};

/// Parses one of the URLs above. A wrong scheme, port, database or a missing host or path is an
/// error_kind::invalid_argument (its message never holds the password).
result<endpoint> parse_url(std::string_view url);

} // namespace daftra::redis
