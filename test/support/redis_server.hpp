#pragma once
// A real redis-server (Debian's), started by a test in a temporary directory and stopped after: on a
// Unix socket and a free TCP port, optionally with a password and a TLS port. Nothing is persisted.
// No mock: the tests of daftra::redis talk to the server users run.

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace daftra::test {

struct redis_server_options {
    std::string password;  ///< requirepass; empty: none
    bool tls = false;      ///< also listen with TLS (a certificate for localhost/127.0.0.1 made at start)
};

class redis_server {
public:
    explicit redis_server(redis_server_options options = {});
    ~redis_server();
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;

    /// "unix:///tmp/…/redis.sock", "redis://127.0.0.1:PORT", "rediss://127.0.0.1:TLS_PORT" (no password in them).
    std::string unix_url() const;
    std::string tcp_url() const;
    std::string tls_url() const;
    /// PEM file of the CA that signed the TLS certificate.
    const std::string& ca_file() const { return ca_file_; }
    std::uint16_t port() const { return port_; }

    /// SIGKILL: the server is gone at once, with its data (nothing is persisted).
    void kill();
    /// Starts it again on the same socket and ports. Waits until it answers.
    void start();
    bool running() const { return pid_ > 0; }

private:
    redis_server_options options_;
    std::string dir_, socket_, ca_file_, cert_file_, key_file_;
    std::uint16_t port_ = 0, tls_port_ = 0;
    pid_t pid_ = -1;
};

} // namespace daftra::test
