#pragma once
// The Redis fleet: every process of an account shares one token (auth::redis_token_store) and one rate
// budget (redis::rate_budget) through one Redis.
//
//   client_options options = …;
//   options.fleet = daftra::redis::make_fleet(daftra::redis::fleet_options_from_url(url).value());
//   options.rate_limit.requests_per_second = 200;  // the whole account's budget (optional)
//
// or, from the environment (what the `daftra` command and the examples do):
//   if (auto f = daftra::redis::fleet_from_environment().value()) options.fleet = f;

#include "daftra/client/environment.hpp"
#include "daftra/client/fleet.hpp"
#include "daftra/redis/connection.hpp"
#include "daftra/redis/token_store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace daftra::redis {

struct fleet_options {
    /// The Redis server and the connections' timeouts (connection_options documents each default).
    connection_options connection;
    /// First part of every key's hash tag. Default "daftra"; give each environment its own (e.g.
    /// "daftra-staging") when they share a Redis.
    std::string key_prefix = "daftra";
    /// AES-256-GCM key for the stored tokens (32 bytes or 64 hex digits). Default: none, stored as they are.
    auth::secret encryption_key;
    /// The token lock's TTL: how long the others wait for a refreshing process. Default 30 s (one token
    /// request's deadline).
    std::chrono::milliseconds lock_ttl{30'000};
    /// Keep equal to auth_options::early_refresh. Default (nullopt): min(60 s, 10 % of a token's lifetime).
    std::optional<std::chrono::milliseconds> early_refresh;
    /// Share the token. Default true.
    bool share_tokens = true;
    /// Share the rate budget (used when rate_limit_options::requests_per_second is set). Default true.
    bool share_rate = true;
    /// Told when Redis becomes unavailable (the process then requests its own tokens and uses its local
    /// share of the rate: rate_limit_options::fallback_share) and when it is back. Default: none.
    std::function<void(const auth::fleet_event&)> on_event;
};

/// Options for the server at `url` (redis://, rediss:// or unix://, see endpoint.hpp), the rest default.
result<fleet_options> fleet_options_from_url(std::string_view url);

std::shared_ptr<daftra::fleet> make_fleet(fleet_options options);

/// A fleet from DAFTRA_REDIS_URL (with DAFTRA_REDIS_KEY, the encryption key, DAFTRA_REDIS_PREFIX, the
/// key prefix, and DAFTRA_REDIS_LOCK_TTL, the token lock's TTL in milliseconds, when set); nullptr when
/// DAFTRA_REDIS_URL is unset or empty; an invalid_argument error for a bad URL, key or TTL (the message
/// never holds the URL or the key).
result<std::shared_ptr<daftra::fleet>> fleet_from_environment(const environment_reader& env);
/// The same from the process's environment.
result<std::shared_ptr<daftra::fleet>> fleet_from_environment();

} // namespace daftra::redis
