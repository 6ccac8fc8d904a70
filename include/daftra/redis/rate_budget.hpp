#pragma once
// redis::rate_budget: one request budget for every process of an account, kept in Redis with the
// generic cell rate algorithm (GCRA). Plug it into a client's rate limiter:
//
//   options.rate_limit.requests_per_second = 200;  // the account's budget, all processes together
//   options.rate_limit.burst = 20;
//   options.rate_limit.shared = std::make_shared<redis::rate_budget>(io.get_executor(), budget_options);
//
// Each request runs one Lua script (EVALSHA; EVAL after NOSCRIPT) on one key per account,
// {<prefix>:<account>}:rate, which holds the theoretical arrival time of the next request. The script
// reads Redis's TIME (the one clock of the fleet: the processes' clocks never meet), reserves the
// request's place and returns how long to wait; the caller waits on its own timer. A wait beyond the
// caller's deadline reserves nothing. Redis unreachable: the limiter serves its local share
// (rate_limit_options::fallback_share) until it answers again.

#include "daftra/client/rate_limit.hpp"
#include "daftra/redis/connection.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace daftra::redis {

struct rate_budget_options {
    /// The Redis connection (its URL in connection.where). Default: redis://127.0.0.1:6379.
    connection_options connection;
    /// First part of the key's hash tag. Default "daftra".
    std::string key_prefix = "daftra";
    /// Which account's budget (auth::fleet_account() makes one): processes share a budget exactly when
    /// they use the same account string. Required.
    std::string account;
};

struct rate_budget_stats {
    std::uint64_t reservations = 0;  ///< requests given a place (with or without a wait)
    std::uint64_t delayed = 0;       ///< of which had to wait
    std::uint64_t refused = 0;       ///< waits longer than the caller's deadline
    std::uint64_t failures = 0;      ///< reservations Redis could not make (the limiter fell back)
};

class rate_budget final : public shared_rate_budget {
public:
    /// Throws std::invalid_argument for an empty account.
    rate_budget(boost::asio::any_io_executor ex, rate_budget_options options);

    boost::asio::awaitable<result<std::chrono::microseconds>> reserve(double per_second, double burst,
                                                                      std::chrono::microseconds max_wait) override;
    void shutdown() override { redis_.close(); }
    rate_budget_stats stats() const;
    const std::string& key() const noexcept { return key_; }

private:
    rate_budget_options options_;
    std::string key_;
    connection redis_;
    std::atomic<std::uint64_t> reservations_{0}, delayed_{0}, refused_{0}, failures_{0};
};

} // namespace daftra::redis
