#pragma once
// OAuth2 token endpoint (password and refresh_token grants) and the per-request credential check
// (Bearer token or apikey header). No HTTP library here.

#include "daftra/sandbox/server.hpp"
#include "message.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

namespace daftra::sandbox::detail {

/// How a token request's body is encoded, by its Content-Type (anything but the two forms is read as JSON,
/// which the docs' curl sends as text/plain).
enum class token_body { multipart, form, json };
token_body token_body_of(std::string_view content_type);

class auth {
public:
    auth(credentials creds, std::chrono::seconds ttl, std::uint64_t seed);

    /// POST /api2/oauth/token, /v2/oauth/token: JSON, form-encoded or multipart body.
    response token_endpoint(const request& req);
    /// True for a known, unexpired Bearer token or the configured apikey.
    bool authorized(const request& req) const;
    void revoke_all();

private:
    using clock = std::chrono::steady_clock;
    std::string random_token();
    response issue(std::unique_lock<std::mutex>& lock);

    credentials creds_;
    std::chrono::seconds ttl_;
    mutable std::mutex mutex_;
    std::mt19937_64 rng_;
    std::unordered_map<std::string, clock::time_point> access_;   // token -> expiry
    std::unordered_map<std::string, bool> refresh_;               // refresh token -> valid
};

} // namespace daftra::sandbox::detail
