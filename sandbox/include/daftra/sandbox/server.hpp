#pragma once
// daftra-sandbox as a library: a Daftra-compatible HTTP(S) server that tests can embed in-process.
//
//   daftra::sandbox::options opt;            // TLS with a generated certificate, port 0 = any free port
//   daftra::sandbox::server srv(opt);
//   srv.start();                              // runs on opt.threads threads of its own
//   std::string base = srv.url();             // "https://127.0.0.1:PORT"
//   std::string ca = srv.ca_pem();            // what a client must trust
//   srv.set_faults({.times = 2, .error_rate = 1, .error_status = 503});  // next 2 requests: 503
//   ...
//   srv.stop();                               // also done by the destructor

#include "daftra/sandbox/faults.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace daftra::sandbox {

struct credentials {
    std::string client_id = "1";
    std::string client_secret = "sandbox-secret";
    std::string username = "user@example.com";
    std::string password = "sandbox-password";
    std::string api_key = "sandbox-api-key";
};

struct options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;              ///< 0 picks a free port; read it back with server::port().
    bool tls = true;                     ///< false: plain HTTP.
    std::string cert_file, key_file;     ///< PEM files to serve; empty: a certificate is generated at start.
    unsigned threads = 1;                ///< Threads of the server's own io_context (start()).
    credentials creds;
    std::chrono::seconds token_ttl{3600};
    bool require_auth = true;            ///< false: every request is accepted without a token.
    bool numbers_as_strings = false;     ///< Answer every number as a string, as CakePHP back ends do.
    std::size_t max_body_bytes = 8u << 20;   ///< Larger request bodies get 413.
    std::chrono::seconds idle_timeout{60};   ///< A connection idle this long is closed.
    std::uint64_t seed = 1;              ///< Seeds fault injection and token generation.
    fault_config faults;
    std::string data_file;               ///< Load the store from it at start, save it at stop ("" = none).
    bool log_requests = false;           ///< One line per request on stderr: method, target, status, time.
    bool gzip = true;                    ///< gzip answers of 1 KiB or more when Accept-Encoding allows it.
};

class server {
public:
    explicit server(options opt);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Binds, listens and serves on `threads` threads of its own. Throws on failure (port in use, bad cert).
    void start();
    /// Binds and listens, serving on the caller's io_context (the caller runs it).
    void start(boost::asio::io_context& ioc);
    /// Stops accepting, closes every connection, saves the data file, joins the server's threads.
    /// Idempotent; called by the destructor.
    void stop();

    std::uint16_t port() const;
    std::string url() const;             ///< "https://127.0.0.1:PORT" or "http://…"
    const std::string& ca_pem() const;   ///< The generated CA certificate (empty with cert_file or plain HTTP).

    boost::json::object stats() const;   ///< Same as GET /__sandbox/stats.
    fault_config faults() const;
    void set_faults(const fault_config& f);
    void reset();                        ///< Same as POST /__sandbox/reset: empty store, zero stats, no faults.

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

} // namespace daftra::sandbox
