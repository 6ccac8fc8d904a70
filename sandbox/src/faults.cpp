#include "fault_injector.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>
#include <string>

namespace daftra::sandbox {

namespace json = boost::json;

bool fault_config::any() const {
    return latency_ms || latency_max_ms || error_rate > 0 || rate_limit_rate > 0 || close_after || stall_rate > 0 ||
           reset_rate > 0 || truncate_rate > 0 || malformed_rate > 0;
}

json::object to_json(const fault_config& f) {
    return json::object{
        {"path_prefix", f.path_prefix},
        {"method", f.method},
        {"times", f.times},
        {"latency_ms", f.latency_ms},
        {"latency_max_ms", f.latency_max_ms},
        {"error_rate", f.error_rate},
        {"error_status", f.error_status},
        {"rate_limit_rate", f.rate_limit_rate},
        {"retry_after_seconds", f.retry_after_seconds},
        {"retry_after_http_date", f.retry_after_http_date},
        {"close_after", f.close_after},
        {"stall_rate", f.stall_rate},
        {"reset_rate", f.reset_rate},
        {"truncate_rate", f.truncate_rate},
        {"malformed_rate", f.malformed_rate},
    };
}

namespace {

[[noreturn]] void bad(std::string_view key, std::string_view what) {
    throw std::invalid_argument("fault " + std::string(key) + ": " + std::string(what));
}

double to_double(std::string_view key, const json::value& v) {
    if (v.is_double()) return v.get_double();
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_bool()) return v.get_bool() ? 1.0 : 0.0;
    bad(key, "expected a number");
}

double rate(std::string_view key, const json::value& v) {
    double d = to_double(key, v);
    if (!(d >= 0 && d <= 1)) bad(key, "expected a rate between 0 and 1");
    return d;
}

std::uint64_t count(std::string_view key, const json::value& v, std::uint64_t max) {
    double d = to_double(key, v);
    if (!(d >= 0 && d <= static_cast<double>(max)) || d != static_cast<double>(static_cast<std::uint64_t>(d)))
        bad(key, "expected a non-negative integer");
    return static_cast<std::uint64_t>(d);
}

std::string text(std::string_view key, const json::value& v) {
    if (!v.is_string()) bad(key, "expected a string");
    return std::string(v.get_string());
}

} // namespace

fault_config fault_config_from_json(const json::value& v, const fault_config& base) {
    if (!v.is_object()) throw std::invalid_argument("faults: expected a JSON object");
    fault_config f = base;
    for (const auto& [k, val] : v.get_object()) {
        const std::string_view key = k;
        if (key == "path_prefix") f.path_prefix = text(key, val);
        else if (key == "method") f.method = text(key, val);
        else if (key == "times") f.times = count(key, val, UINT32_MAX);
        else if (key == "latency_ms") f.latency_ms = static_cast<std::uint32_t>(count(key, val, 3600000));
        else if (key == "latency_max_ms") f.latency_max_ms = static_cast<std::uint32_t>(count(key, val, 3600000));
        else if (key == "error_rate") f.error_rate = rate(key, val);
        else if (key == "error_status") {
            auto s = count(key, val, 599);
            if (s < 400) bad(key, "expected an HTTP error status such as 500, 502 or 503");
            f.error_status = static_cast<unsigned>(s);
        } else if (key == "rate_limit_rate") f.rate_limit_rate = rate(key, val);
        else if (key == "retry_after_seconds") f.retry_after_seconds = static_cast<std::uint32_t>(count(key, val, 86400));
        else if (key == "retry_after_http_date") {
            if (!val.is_bool()) bad(key, "expected true or false");
            f.retry_after_http_date = val.get_bool();
        } else if (key == "close_after") f.close_after = static_cast<std::uint32_t>(count(key, val, UINT32_MAX));
        else if (key == "stall_rate") f.stall_rate = rate(key, val);
        else if (key == "reset_rate") f.reset_rate = rate(key, val);
        else if (key == "truncate_rate") f.truncate_rate = rate(key, val);
        else if (key == "malformed_rate") f.malformed_rate = rate(key, val);
        else bad(key, "unknown key");
    }
    return f;
}

namespace detail {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Uniform in [0, 1) for draw number `slot` of request `n`.
double draw(std::uint64_t seed, std::uint64_t n, std::uint64_t slot) {
    return static_cast<double>(splitmix64(seed ^ splitmix64(n * 16 + slot)) >> 11) * 0x1.0p-53;
}

} // namespace

void fault_injector::set(const fault_config& f) {
    std::lock_guard lock(mutex_);
    cfg_ = f;
    counter_ = 0;
    applied_ = 0;
    active_.store(f.any(), std::memory_order_release);
}

fault_config fault_injector::get() const {
    std::lock_guard lock(mutex_);
    return cfg_;
}

fault_decision fault_injector::decide(std::string_view method, std::string_view path) {
    fault_decision d;
    if (!active_.load(std::memory_order_acquire)) return d;
    std::lock_guard lock(mutex_);
    const auto& c = cfg_;
    if (!c.path_prefix.empty() && !path.starts_with(c.path_prefix)) return d;
    if (!c.method.empty() && c.method != method) return d;
    if (c.times && applied_ >= c.times) return d;
    const std::uint64_t n = counter_++;
    d.close_after = c.close_after;
    d.latency_ms = c.latency_ms;
    if (c.latency_max_ms > c.latency_ms)
        d.latency_ms += static_cast<std::uint32_t>(draw(seed_, n, 0) * (c.latency_max_ms - c.latency_ms + 1));
    if (draw(seed_, n, 1) < c.stall_rate) d.kind = fault_kind::stall;
    else if (draw(seed_, n, 2) < c.reset_rate) d.kind = fault_kind::reset;
    else if (draw(seed_, n, 3) < c.error_rate) {
        d.kind = fault_kind::error;
        d.status = c.error_status;
    } else if (draw(seed_, n, 4) < c.rate_limit_rate) {
        d.kind = fault_kind::rate_limit;
        d.retry_after_seconds = c.retry_after_seconds;
        d.retry_after_http_date = c.retry_after_http_date;
    } else if (draw(seed_, n, 5) < c.truncate_rate) d.kind = fault_kind::truncate;
    else if (draw(seed_, n, 6) < c.malformed_rate) d.kind = fault_kind::malformed;
    if (d.kind != fault_kind::none) ++applied_;
    return d;
}

} // namespace detail
} // namespace daftra::sandbox
