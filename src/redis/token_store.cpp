#include "daftra/redis/token_store.hpp"

#include "lua_script.hpp"
#include "token_crypto.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <stdexcept>

namespace daftra::auth {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// The scripts run atomically in Redis; all their keys share the account's hash tag.
// KEYS: token, lock, generation. ARGV: fingerprint of the token being replaced, now (ms since the
// epoch), lock id, lock TTL (ms), early-refresh window (ms; -1: min(60 s, 10 % of the lifetime)).
// The stored token when it is usable, else the lock, else who holds it and for how long.
constexpr const char* acquire_text = R"(
local t = redis.call('HMGET', KEYS[1], 'issued', 'expires', 'fp', 'data')
if t[1] and t[2] and t[3] and t[4] then
  local issued, expires = tonumber(t[1]), tonumber(t[2])
  local early = tonumber(ARGV[5])
  if early < 0 then early = math.min(60000, math.floor((expires - issued) / 10)) end
  if t[3] ~= ARGV[1] and tonumber(ARGV[2]) < expires - early then
    return {'token', t[1], t[2], t[4], t[3]}
  end
end
local gen = redis.call('GET', KEYS[3]) or '0'
if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return {'lock', gen} end
return {'wait', tostring(redis.call('PTTL', KEYS[2])), gen}
)";

// KEYS: token, lock, generation. ARGV: lock id, generation seen when the lock was taken, issued, expires,
// fingerprint, data, TTL (ms), channel. Stores only if no other token was stored since (a newer one wins),
// releases the lock only if it is still ours, and tells the waiting processes.
constexpr const char* store_text = R"(
local stored = 0
if (redis.call('GET', KEYS[3]) or '0') == ARGV[2] then
  stored = redis.call('INCR', KEYS[3])
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'gen', stored, 'issued', ARGV[3], 'expires', ARGV[4], 'fp', ARGV[5], 'data', ARGV[6])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[8], tostring(stored))
return stored
)";

// KEYS: lock. ARGV: lock id, channel. A failed refresh gives the lock back (if still its own).
constexpr const char* release_text = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('PUBLISH', ARGV[2], '0')
return 1
)";

// KEYS: token. ARGV: fingerprint. Compare-and-delete after a 401.
constexpr const char* discard_text = R"(
if redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)";

enum which_script { acquire_script, store_script, release_script, discard_script };

const redis::detail::lua_script& script_for(int which) {
    static const redis::detail::lua_script all[] = {redis::detail::lua_script(acquire_text), redis::detail::lua_script(store_text),
                                                    redis::detail::lua_script(release_text), redis::detail::lua_script(discard_text)};
    return all[which];
}

long long wall_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point from_ms(long long ms) {
    return std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(milliseconds(ms)));
}

// The token's fingerprint: what the compare-and-delete compares, never the token itself.
std::string fingerprint(const secret& token) { return redis::detail::sha256_hex(token.reveal()).substr(0, 32); }

long long to_number(const std::string& text) {
    try {
        return std::stoll(text);
    } catch (...) {
        return 0;
    }
}

} // namespace

struct redis_token_store::waiting {
    explicit waiting(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
};

redis_token_store::redis_token_store(asio::any_io_executor ex, redis_token_store_options options)
    : options_(std::move(options)), redis_(ex, options_.connection),
      subscriber_(ex, options_.connection, [this](std::string_view, std::string_view) { on_message(); }) {
    if (options_.account.empty()) throw std::invalid_argument("redis_token_store: the account is required");
    if (!options_.encryption_key.empty()) {
        key_bytes_ = redis::detail::aes_key_from(options_.encryption_key.reveal());
        if (key_bytes_.empty())
            throw std::invalid_argument("redis_token_store: encryption_key must be 32 bytes or 64 hex digits");
    }
    const std::string tag = "{" + options_.key_prefix + ":" + options_.account + "}";
    token_key_ = tag + ":token";
    lock_key_ = tag + ":lock";
    generation_key_ = tag + ":generation";
    channel_ = tag + ":refreshed";
}

redis_token_store::~redis_token_store() {
    // First: once close() returns the message handler (which uses the members below) is never called.
    subscriber_.close();
    // OPENSSL_cleanse through secret: the key bytes are wiped with it.
    auth::secret wipe(std::move(key_bytes_));
}

redis_token_store_stats redis_token_store::stats() const {
    return redis_token_store_stats{adopted_.load(), fetched_.load(),       waits_.load(),   woken_.load(),
                                   fallbacks_.load(), undecryptable_.load(), discards_.load(), discard_checks_.load()};
}

void redis_token_store::on_message() {
    // On the subscriber's strand. A waiting refresh runs on its own strand: the cancel is posted there.
    ++messages_;
    std::lock_guard lock(mutex_);
    for (auto& w : waiting_) asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
}

void redis_token_store::note_redis_ok() {
    if (unavailable_.exchange(false) && options_.on_event)
        options_.on_event(fleet_event{fleet_event::kind::redis_recovered, {}});
}

asio::awaitable<result<issued_token>> redis_token_store::fall_back(const grant_request& grant,
                                                                   const token_fetcher& fetch, const error& cause) {
    ++fallbacks_;
    if (!unavailable_.exchange(true) && options_.on_event)
        options_.on_event(fleet_event{fleet_event::kind::redis_unavailable, cause});
    co_return co_await fetch(grant);
}

asio::awaitable<result<redis::reply>> redis_token_store::run_script(int which, std::vector<std::string> args) {
    return redis::detail::run_script(redis_, script_for(which), std::move(args));
}

asio::awaitable<bool> redis_token_store::wait_for_publish(milliseconds at_most, std::uint64_t seen) {
    auto w = std::make_shared<waiting>(co_await asio::this_coro::executor);
    {
        std::lock_guard lock(mutex_);
        if (messages_ != seen) co_return true;  // published while we asked
        waiting_.push_back(w);
    }
    w->timer.expires_after(at_most);
    (void)co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    {
        std::lock_guard lock(mutex_);
        std::erase(waiting_, w);
    }
    co_return messages_ != seen;
}

asio::awaitable<result<issued_token>> redis_token_store::obtain(const grant_request& grant, const token_fetcher& fetch,
                                                                const secret& held) {
    auto self = shared_from_this();  // the refresh may outlive the client's last reference to the store
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        first = !std::exchange(subscribed_, true);
    }
    // Subscribed before the first refresh asks, and for good (the subscriber resubscribes after a
    // reconnection); a failure here only means waits run to the lock's TTL.
    if (first) (void)co_await subscriber_.subscribe(channel_);

    std::string held_fp = held.empty() ? std::string("-") : fingerprint(held);
    const std::string early = options_.early_refresh ? std::to_string(options_.early_refresh->count()) : "-1";
    for (int round = 0; round < 32; ++round) {
        const std::uint64_t seen = messages_.load();
        const std::string lock_id = redis::detail::random_hex(16);
        std::vector<std::string> acquire_args{std::string("3"), token_key_, lock_key_, generation_key_, held_fp,
                                              std::to_string(wall_ms(std::chrono::system_clock::now())), lock_id,
                                              std::to_string(options_.lock_ttl.count()), early};
        auto r = co_await run_script(acquire_script, std::move(acquire_args));
        if (!r) co_return co_await fall_back(grant, fetch, r.error());
        if (r->type != redis::reply_type::array || r->elements.size() < 2)
            co_return co_await fall_back(grant, fetch, make_error(error_kind::protocol, {}, "redis: unexpected reply to the token script"));
        note_redis_ok();
        const std::string& what = r->elements[0].text;

        if (what == "token" && r->elements.size() == 5) {
            const std::string& data = r->elements[3].text;
            result<std::string> plain = std::string();
            if (!data.empty() && data[0] == 'e' && !key_bytes_.empty()) plain = redis::detail::open(key_bytes_, std::string_view(data).substr(1), token_key_);
            else if (!data.empty() && data[0] == 'p' && key_bytes_.empty()) plain = data.substr(1);
            else plain = make_error(error_kind::decode, {}, key_bytes_.empty() ? "the stored token is encrypted and no encryption_key is set"
                                                                              : "the stored token is not encrypted but an encryption_key is set");
            if (!plain) {
                ++undecryptable_;
                if (options_.on_event) options_.on_event(fleet_event{fleet_event::kind::undecryptable_token, plain.error()});
                held_fp = r->elements[4].text;  // skip it: take the lock and replace it
                continue;
            }
            const auto nl = plain->find('\n');
            issued_token t;
            t.access_token = secret(plain->substr(0, nl));
            if (nl != std::string::npos) t.refresh_token = secret(plain->substr(nl + 1));
            t.issued_at = from_ms(to_number(r->elements[1].text));
            t.expires_at = from_ms(to_number(r->elements[2].text));
            auth::secret wipe(std::move(*plain));
            ++adopted_;
            co_return t;
        }

        if (what == "lock") {
            const std::string seen_generation = r->elements[1].text;
            const auto sent = std::chrono::system_clock::now();
            auto t = co_await fetch(grant);
            if (!t) {
                std::vector<std::string> release_args{std::string("1"), lock_key_, lock_id, channel_};
                (void)co_await run_script(release_script, std::move(release_args));
                co_return t;
            }
            ++fetched_;
            const auto lifetime = t->expires_in.count() > 0 ? std::chrono::duration_cast<milliseconds>(t->expires_in)
                                                            : milliseconds(3'600'000);
            t->issued_at = sent;
            t->expires_at = sent + lifetime;  // what every process adopts: one early-refresh window for all
            std::string plain = t->access_token.reveal() + "\n" + t->refresh_token.reveal();
            std::string data = key_bytes_.empty() ? "p" + plain : "e" + redis::detail::seal(key_bytes_, plain, token_key_);
            auth::secret wipe(std::move(plain));
            const auto ttl = std::max<long long>(1, lifetime.count() - (wall_ms(std::chrono::system_clock::now()) - wall_ms(sent)));
            // A failed store costs the others a wait for the lock's TTL, not a wrong token: ignored.
            std::vector<std::string> store_args{std::string("3"), token_key_, lock_key_, generation_key_, lock_id,
                                                seen_generation, std::to_string(wall_ms(sent)),
                                                std::to_string(wall_ms(*t->expires_at)), fingerprint(t->access_token),
                                                std::move(data), std::to_string(ttl), channel_};
            (void)co_await run_script(store_script, std::move(store_args));
            co_return t;
        }

        if (what == "wait") {
            ++waits_;
            const auto left = milliseconds(std::max<long long>(0, to_number(r->elements[1].text)));
            if (co_await wait_for_publish(std::min(left + 20ms, options_.lock_ttl), seen)) ++woken_;
            continue;
        }
        co_return co_await fall_back(grant, fetch, make_error(error_kind::protocol, {}, "redis: unexpected reply to the token script"));
    }
    co_return co_await fall_back(grant, fetch, make_error(error_kind::timeout, {}, "redis: no token after 32 rounds"));
}

void redis_token_store::shutdown() {
    redis_.close();
    subscriber_.close();
}

void redis_token_store::discard(const secret& failed) {
    asio::co_spawn(redis_.get_executor(),
                   [self = shared_from_this(), fp = fingerprint(failed)]() -> asio::awaitable<void> {
                       std::vector<std::string> args{std::string("1"), self->token_key_, fp};
                       auto r = co_await self->run_script(discard_script, std::move(args));
                       if (r && r->integer == 1) ++self->discards_;
                       ++self->discard_checks_;
                   },
                   asio::detached);
}

} // namespace daftra::auth
