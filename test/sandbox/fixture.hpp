#pragma once
// An in-process sandbox on a free port (plain HTTP unless asked), and a client that knows the
// default API key.

#include "http_client.hpp"

#include "daftra/sandbox/server.hpp"

#include <boost/json.hpp>

#include <string>

namespace sandbox_test {

namespace json = boost::json;

inline daftra::sandbox::options plain_options() {
    daftra::sandbox::options o;
    o.tls = false;
    o.port = 0;
    o.threads = 1;
    return o;
}

struct sandbox_fixture {
    explicit sandbox_fixture(daftra::sandbox::options o = plain_options()) : srv(o), api(start(srv)) {
        api.default_headers = {{"apikey", "sandbox-api-key"}};
    }

    static std::uint16_t start(daftra::sandbox::server& s) {
        s.start();
        return s.port();
    }

    /// POST body to path; returns the new id (fails the test when not 202).
    std::int64_t create(const std::string& path, const std::string& body);

    daftra::sandbox::server srv;
    client api;
};

inline std::int64_t to_int(const json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
    if (v.is_string()) return std::stoll(std::string(v.get_string()));
    throw std::runtime_error("not an integer: " + json::serialize(v));
}

} // namespace sandbox_test
