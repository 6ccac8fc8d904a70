#include "daftra/redis/rate_budget.hpp"

#include "lua_script.hpp"

#include <cmath>
#include <stdexcept>

namespace daftra::redis {

namespace {

// KEYS: the budget's key. ARGV: emission interval (µs per request), burst (requests), longest wait the
// caller accepts (µs). Returns the wait in µs, or -(the wait) when it is longer than that (nothing
// reserved). The key holds the theoretical arrival time (TAT) of the next request, in µs of Redis's TIME;
// a request may start once TAT - burst × interval is reached, and moves TAT on by one interval.
const detail::lua_script& gcra_script() {
    static const detail::lua_script script(R"(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat + interval - burst * interval - now
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[3]) then return -math.max(1, math.floor(wait)) end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
return math.floor(wait)
)");
    return script;
}

} // namespace

rate_budget::rate_budget(boost::asio::any_io_executor ex, rate_budget_options options)
    : options_(std::move(options)), redis_(std::move(ex), options_.connection) {
    if (options_.account.empty()) throw std::invalid_argument("redis::rate_budget: the account is required");
    key_ = "{" + options_.key_prefix + ":" + options_.account + "}:rate";
}

boost::asio::awaitable<result<std::chrono::microseconds>> rate_budget::reserve(double per_second, double burst,
                                                                               std::chrono::microseconds max_wait) {
    if (!(per_second > 0) || !(burst >= 1))
        co_return make_error(error_kind::invalid_argument, {}, "redis::rate_budget: a rate above 0 and a burst of at least 1");
    char interval[32], bursts[32];
    std::snprintf(interval, sizeof interval, "%.3f", 1e6 / per_second);
    std::snprintf(bursts, sizeof bursts, "%.3f", burst);
    std::vector<std::string> args{std::string("1"), key_, std::string(interval), std::string(bursts),
                                  std::to_string(std::max<long long>(0, max_wait.count()))};
    auto r = co_await detail::run_script(redis_, gcra_script(), std::move(args));
    if (!r) {
        ++failures_;
        co_return r.error();
    }
    if (r->type != reply_type::integer) {
        ++failures_;
        co_return make_error(error_kind::protocol, {}, "redis::rate_budget: the script answered no number");
    }
    if (r->integer < 0) {
        ++refused_;
        co_return make_error(error_kind::rate_limited, {},
                             "the account's shared rate budget has no room before the call's deadline");
    }
    ++reservations_;
    if (r->integer > 0) ++delayed_;
    co_return std::chrono::microseconds(r->integer);
}

rate_budget_stats rate_budget::stats() const {
    return rate_budget_stats{reservations_.load(), delayed_.load(), refused_.load(), failures_.load()};
}

} // namespace daftra::redis
