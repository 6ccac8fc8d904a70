#pragma once
// A small HTTP/1.1 server for the transport tests that misbehaves on cue: every request is answered
// with whatever the test's script says (a response, garbage, a stall, a close). It runs its own
// io_context on its own thread, over TLS (with a certificate made at test time) or plain TCP.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace daftra::test {

struct seen_request {
    std::string method;
    std::string target;
    std::string head;  ///< the request line and header lines as received, CRLFs included
    std::string body;
    std::size_t connection = 0;  ///< index of the connection it arrived on (0-based, in accept order)
    std::size_t nth = 0;         ///< 0-based index of the request on its connection
};

/// What the server does with one request.
struct action {
    std::string bytes;                         ///< written as they are (a full response, or anything)
    std::chrono::milliseconds delay{0};        ///< wait before writing
    /// When set, wait (after `delay`) until it returns true, polled every millisecond on the server's
    /// thread, before writing: holds an answer back until the test has seen what it waits for.
    std::function<bool()> hold_until{};
    bool stall = false;                        ///< never answer; hold the connection until the client goes
    bool close_after = false;                  ///< close the socket (no TLS shutdown) after writing
    bool close_without_answer = false;         ///< read the request, then close without writing anything
};

/// "HTTP/1.1 <status> OK" with Content-Length and the given body and extra header lines ("Name: v\r\n").
std::string http_response(unsigned status, const std::string& body, const std::string& extra_headers = "");

struct scripted_server_options {
    bool tls = true;
    /// Names the certificate is issued for; a name the client does not use makes host-name checks fail.
    std::vector<std::string> cert_names{"localhost", "127.0.0.1"};
};

class scripted_server {
public:
    using script = std::function<action(const seen_request&)>;

    explicit scripted_server(script s, scripted_server_options options = {});
    ~scripted_server();

    std::uint16_t port() const;
    /// "https://127.0.0.1:PORT" (or http://).
    std::string origin() const;
    /// Path of a PEM file with the CA that signed the server's certificate.
    const std::string& ca_file() const;

    std::size_t connections_accepted() const;
    std::size_t max_concurrent_connections() const;
    std::size_t open_connections() const;
    std::vector<seen_request> requests() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// Writes `text` to a fresh file under the temp directory and returns its path.
std::string write_temp_file(const std::string& stem, const std::string& text);

} // namespace daftra::test
