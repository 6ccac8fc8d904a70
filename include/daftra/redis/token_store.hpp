#pragma once
// auth::redis_token_store: one token for every process of an account, kept in Redis.
//
//   auto store = std::make_shared<daftra::auth::redis_token_store>(io.get_executor(), store_options);
//   auth_options.shared_store = store;   // (client_options::fleet sets this up for a client)
//
// The protocol (docs/design.md, "a fleet's token in Redis"), all keys under one hash tag per account so
// that Redis Cluster keeps them on one slot: {<prefix>:<account>}:token (a hash: generation, issued and
// expiry times, the token's fingerprint, the token itself, encrypted when a key is given; its TTL is the
// token's remaining lifetime), …:lock, …:generation, and the channel …:refreshed.
// - A refresh runs one script: it returns the stored token when it is not the one this process is
//   replacing and not due for refresh itself, else takes the lock (SET NX PX) or says who holds it.
// - The lock's winner requests the token and stores it with a second script, which writes only if no
//   newer generation was stored meanwhile, releases the lock only if still its own, and publishes.
// - The others wait for that message (or at most the lock's remaining time: a dead winner's lock
//   expires) and run the first script again.
// - A 401 deletes the token only if it is still the one that failed (compare-and-delete by fingerprint).
// - Redis unreachable or failing: this process requests its token itself (at most one request per
//   refresh, as without Redis), the on_event hook and stats().fallbacks say so, and the next refresh
//   tries Redis again.
// The lock is for efficiency, not correctness: two processes that both request a token (a lock that
// expired under a slow request) cost one extra token request, never a wrong answer.

#include "daftra/auth/credentials.hpp"
#include "daftra/auth/shared_token_store.hpp"
#include "daftra/client/fleet.hpp"
#include "daftra/redis/connection.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace daftra::auth {

/// What the store tells of itself (redis_token_store_options::on_event).
struct fleet_event {
    enum class kind : unsigned char {
        redis_unavailable,    ///< a refresh could not use Redis and requested its token alone; `cause` says why
        redis_recovered,      ///< the first refresh that used Redis again after redis_unavailable
        undecryptable_token,  ///< the stored token did not decrypt with our key (a wrong key): refetched
    };
    kind what = kind::redis_unavailable;
    error cause;
};

struct redis_token_store_stats {
    std::uint64_t adopted = 0;       ///< refreshes served by a token another process stored
    std::uint64_t fetched = 0;       ///< refreshes in which this process requested the token (lock won)
    std::uint64_t waits = 0;         ///< times a refresh waited for another process's token
    std::uint64_t woken = 0;         ///< of which ended by the publish, not by the lock's time running out
    std::uint64_t fallbacks = 0;     ///< refreshes that requested their token without Redis
    std::uint64_t undecryptable = 0; ///< stored tokens that did not decrypt
    std::uint64_t discards = 0;      ///< 401s that deleted the stored token (it was still the failed one)
    std::uint64_t discard_checks = 0;///< compare-and-deletes run (deleting or not)
};

struct redis_token_store_options {
    /// The Redis connection (its URL in connection.where). Default: redis://127.0.0.1:6379.
    redis::connection_options connection;
    /// First part of the keys' hash tag. Default "daftra".
    std::string key_prefix = "daftra";
    /// Which account's token: "<tenant>:<client_id>:<username>" (auth::fleet_account() makes it). Processes
    /// share a token exactly when they use the same account string. Required.
    std::string account;
    /// AES-256-GCM key for the stored tokens: 32 bytes, or 64 hex digits. Default: empty, tokens are
    /// stored as they are (Redis is then as secret as the credentials: protect it like them).
    secret encryption_key;
    /// How long a refresh holds the lock: the others wait at most this long for its token. Default 30 s,
    /// the default deadline of one token request (auth_options::token_timeout).
    std::chrono::milliseconds lock_ttl{30'000};
    /// The early-refresh window, as auth_options::early_refresh (keep the two equal): a stored token
    /// this close to expiry is not adopted but refreshed. Default (nullopt): min(60 s, 10 % of its lifetime).
    std::optional<std::chrono::milliseconds> early_refresh;
    /// Told when Redis is unavailable or back, and of tokens that do not decrypt. Default: none.
    std::function<void(const fleet_event&)> on_event;
};

class redis_token_store final : public shared_token_store, public std::enable_shared_from_this<redis_token_store> {
public:
    /// Throws std::invalid_argument for an empty account or an encryption key of the wrong size.
    redis_token_store(boost::asio::any_io_executor ex, redis_token_store_options options);
    ~redis_token_store() override;

    boost::asio::awaitable<result<issued_token>> obtain(const grant_request& grant, const token_fetcher& fetch,
                                                        const secret& held) override;
    void discard(const secret& failed) override;
    void shutdown() override;

    redis_token_store_stats stats() const;
    /// The keys and channel in use (for operators and tests).
    const std::string& token_key() const noexcept { return token_key_; }
    const std::string& lock_key() const noexcept { return lock_key_; }
    const std::string& channel() const noexcept { return channel_; }

private:
    struct waiting;
    boost::asio::awaitable<result<issued_token>> fall_back(const grant_request& grant, const token_fetcher& fetch,
                                                           const error& cause);
    boost::asio::awaitable<result<redis::reply>> run_script(int which, std::vector<std::string> args);
    boost::asio::awaitable<bool> wait_for_publish(std::chrono::milliseconds at_most, std::uint64_t seen);
    void on_message();
    void note_redis_ok();

    redis_token_store_options options_;
    std::string token_key_, lock_key_, generation_key_, channel_;
    std::string key_bytes_;  // the AES key, raw; empty: no encryption
    redis::connection redis_;
    redis::subscriber subscriber_;
    bool subscribed_ = false;  // set on the first refresh's strand-free path, guarded by mutex_

    std::mutex mutex_;
    std::vector<std::shared_ptr<waiting>> waiting_;
    std::atomic<std::uint64_t> messages_{0};
    std::atomic<bool> unavailable_{false};
    std::atomic<std::uint64_t> adopted_{0}, fetched_{0}, waits_{0}, woken_{0}, fallbacks_{0}, undecryptable_{0},
        discards_{0}, discard_checks_{0};
};

} // namespace daftra::auth
