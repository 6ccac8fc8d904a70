#pragma once
// Options of the auth layer. Every default is written next to the option with its reason.

#include "daftra/auth/token_store.hpp"
#include "daftra/core/clock.hpp"
#include "daftra/core/compiler_check.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace daftra::auth {

class shared_token_store;  // auth/shared_token_store.hpp

using std::chrono::milliseconds;
using wall_clock = std::chrono::system_clock;

/// How the grant is encoded in the token request body (docs/daftra-api.md, "Authentication").
enum class body_encoding {
    multipart,  ///< multipart/form-data: what Daftra's current documentation sends
    form,       ///< application/x-www-form-urlencoded: OAuth2's own encoding (RFC 6749, section 4.3), in no Daftra document
    json,       ///< application/json: what Daftra's older API documentation sends
};

/// Which header carries the credential on API requests.
enum class header_style {
    automatic,  ///< `Authorization: Bearer <token>` for tokens, `apikey: <key>` for an API key
    bearer,     ///< always `Authorization: Bearer <value>`
    apikey,     ///< always `apikey: <value>` (what older integrations send, even with a token)
};

/// Exponential backoff with "equal" jitter: the n-th delay is uniform in [d/2, d], d = min(max, initial · 2ⁿ).
/// Not full jitter ([0, d]): a delay of 0 would let a failing token endpoint be hit again at once.
struct backoff_options {
    milliseconds initial{200};  ///< Default 200 ms: a blip of the token endpoint costs callers little.
    milliseconds max{30'000};   ///< Default 30 s: a token endpoint that is down sees at most a few requests a minute.
};

struct auth_options {
    /// Token endpoint paths on the client's origin, tried in order: a 404 moves on to the next path,
    /// and the first one that answers otherwise is kept. Default: "/v2/oauth/token" (the current docs)
    /// then "/api2/oauth/token" (Daftra's older documentation and existing integrations); see
    /// docs/daftra-api.md, "Authentication".
    std::vector<std::string> token_paths{"/v2/oauth/token", "/api2/oauth/token"};
    /// Body encoding of token requests. Default multipart: what the current documentation sends (its
    /// examples post multipart/form-data). Urlencoded form, OAuth2's standard, is documented nowhere
    /// for Daftra, so it is an option, not the default.
    body_encoding encoding = body_encoding::multipart;
    /// Header style of API requests. Default automatic (Bearer for tokens, apikey for an API key).
    header_style header = header_style::automatic;
    /// How long before expiry a background refresh starts while the old token keeps being served.
    /// Default (nullopt): min(60 s, 10 % of the token's lifetime), so a one-hour token refreshes one
    /// minute early and a 10-second test token one second early.
    std::optional<milliseconds> early_refresh;
    /// Token requests one refresh makes before giving up (transient failures only: wrong credentials
    /// are never retried). Default 3.
    unsigned refresh_attempts = 3;
    /// Delays between those attempts, and the pause after a refresh failed (consecutive failed refreshes
    /// double it) during which callers without a valid token fail at once with errc::backing_off
    /// instead of starting a new token request.
    backoff_options backoff;
    /// Deadline of one token request. Default 30 s.
    milliseconds token_timeout{30'000};
    /// Where the token is kept across refreshes (and processes). Default: nullptr = in memory only.
    std::shared_ptr<token_store> store;
    /// A token shared by the processes of one account (auth/shared_token_store.hpp; the Redis one is
    /// auth::redis_token_store in daftra::redis). Each refresh asks it once, instead of requesting a token
    /// directly; a 401 discards the failed token there too. Default: nullptr = this process alone.
    std::shared_ptr<shared_token_store> shared_store;
    /// The clock of token expiry (clock.wall_now: wall time, because tokens are stored and shared
    /// across processes) and the pauses between token requests (clock.sleep). Default: the real ones. A
    /// client fills the hooks left empty here from client_options::clock. Tests set it to expire tokens
    /// and back off without waiting.
    clock_hooks clock;
};

} // namespace daftra::auth
