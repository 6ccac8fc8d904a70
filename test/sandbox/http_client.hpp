#pragma once
// A tiny synchronous HTTP/1.1 client for the sandbox tests (Beast inside http_client.cpp only).
// Deliberately not the SDK: the sandbox is checked with plain requests so the two cannot share
// one misunderstanding of the Daftra API.

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sandbox_test {

struct reply {
    int status = 0;                            // 0: transport error (see error)
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string error;
    bool truncated = false;                    // the connection ended before the promised body

    boost::json::value json() const;           // throws on invalid JSON
    std::string header(const std::string& name) const;
};

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One keep-alive connection (reopened on the next call after an error or a close).
class client {
public:
    explicit client(std::uint16_t port, bool tls = false, std::string ca_pem = {});
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// Headers sent with every request (e.g. apikey).
    header_list default_headers;
    /// A hang guard: a request returns as soon as its answer is complete, and a test that wants a
    /// timeout to fire sets its own, so this one is far above what a loaded sanitizer run takes.
    std::chrono::milliseconds timeout{30000};

    reply request(const std::string& method, const std::string& target, const std::string& body = {},
                  const header_list& headers = {});
    reply get(const std::string& target) { return request("GET", target); }
    reply post(const std::string& target, const std::string& body) { return request("POST", target, body); }
    reply put(const std::string& target, const std::string& body) { return request("PUT", target, body); }
    reply del(const std::string& target) { return request("DELETE", target); }

    bool connected() const;
    int connects() const { return connects_; }  // connections opened so far
    void close();

    /// Sends raw bytes on a fresh connection and returns whatever comes back until the server closes
    /// (or the timeout). For requests no well-behaved client would write. The default timeout is a hang
    /// guard: a test that needs the answer makes the server close (an error answer, Connection: close).
    static std::string raw(std::uint16_t port, const std::string& bytes,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));

    struct impl;

private:
    std::unique_ptr<impl> impl_;
    int connects_ = 0;
};

} // namespace sandbox_test
