#include "daftra/redis/fleet.hpp"

#include "daftra/redis/rate_budget.hpp"
#include "token_crypto.hpp"

#include <cstdlib>


namespace daftra::redis {

namespace {

class redis_fleet final : public daftra::fleet {
public:
    explicit redis_fleet(fleet_options options) : options_(std::move(options)) {}

    fleet_parts attach(boost::asio::any_io_executor ex, const std::string& account) override {
        fleet_parts parts;
        if (options_.share_tokens) {
            auth::redis_token_store_options o;
            o.connection = options_.connection;
            o.key_prefix = options_.key_prefix;
            o.account = account;
            o.encryption_key = options_.encryption_key;
            o.lock_ttl = options_.lock_ttl;
            o.early_refresh = options_.early_refresh;
            o.on_event = options_.on_event;
            parts.tokens = std::make_shared<auth::redis_token_store>(ex, std::move(o));
        }
        if (options_.share_rate) {
            rate_budget_options o;
            o.connection = options_.connection;
            o.key_prefix = options_.key_prefix;
            o.account = account;
            parts.rate = std::make_shared<rate_budget>(ex, std::move(o));
        }
        return parts;
    }

private:
    fleet_options options_;
};

} // namespace

result<fleet_options> fleet_options_from_url(std::string_view url) {
    auto where = parse_url(url);
    if (!where) return where.error();
    fleet_options o;
    o.connection.where = std::move(*where);
    return o;
}

std::shared_ptr<daftra::fleet> make_fleet(fleet_options options) {
    if (!options.encryption_key.empty() && detail::aes_key_from(options.encryption_key.reveal()).empty())
        throw std::invalid_argument("redis fleet: encryption_key must be 32 bytes or 64 hex digits");
    return std::make_shared<redis_fleet>(std::move(options));
}

result<std::shared_ptr<daftra::fleet>> fleet_from_environment(const environment_reader& env) {
    const auto url = env("DAFTRA_REDIS_URL");
    if (!url || url->empty()) return std::shared_ptr<daftra::fleet>();
    auto o = fleet_options_from_url(*url);
    if (!o) return make_error(error_kind::invalid_argument, {}, "DAFTRA_REDIS_URL: " + o.error().message);
    if (auto key = env("DAFTRA_REDIS_KEY"); key && !key->empty()) {
        if (detail::aes_key_from(*key).empty())
            return make_error(error_kind::invalid_argument, {}, "DAFTRA_REDIS_KEY must be 32 bytes or 64 hex digits");
        o->encryption_key = auth::secret(std::move(*key));
    }
    if (auto prefix = env("DAFTRA_REDIS_PREFIX"); prefix && !prefix->empty()) o->key_prefix = *prefix;
    if (auto ttl = env("DAFTRA_REDIS_LOCK_TTL"); ttl && !ttl->empty()) {
        char* end = nullptr;
        const long long ms = std::strtoll(ttl->c_str(), &end, 10);
        if (*end != '\0' || ms < 100 || ms > 600'000)
            return make_error(error_kind::invalid_argument, {}, "DAFTRA_REDIS_LOCK_TTL must be milliseconds from 100 to 600000");
        o->lock_ttl = std::chrono::milliseconds(ms);
    }
    return make_fleet(std::move(*o));
}

result<std::shared_ptr<daftra::fleet>> fleet_from_environment() { return fleet_from_environment(process_environment()); }

} // namespace daftra::redis
