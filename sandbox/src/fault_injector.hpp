#pragma once
// Decides, per request, which fault (if any) the networking layer injects. Deterministic:
// the n-th request's draws depend only on the seed and n.

#include "daftra/sandbox/faults.hpp"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace daftra::sandbox::detail {

enum class fault_kind : unsigned char { none, stall, reset, error, rate_limit, truncate, malformed };

struct fault_decision {
    std::uint32_t latency_ms = 0;
    fault_kind kind = fault_kind::none;
    unsigned status = 0;                 // error: 500/502/503
    std::uint32_t retry_after_seconds = 0;
    bool retry_after_http_date = false;
    std::uint32_t close_after = 0;       // connection-level: close after this many answers
};

class fault_injector {
public:
    explicit fault_injector(std::uint64_t seed) : seed_(seed) {}

    void set(const fault_config& f);
    fault_config get() const;
    /// Draws the fault for one request. Admin paths must not be passed here.
    fault_decision decide(std::string_view method, std::string_view path);

private:
    mutable std::mutex mutex_;
    fault_config cfg_;
    std::uint64_t seed_;
    std::uint64_t counter_ = 0;   // requests seen since the last set()
    std::uint64_t applied_ = 0;   // requests faulted since the last set()
    std::atomic<bool> active_{false};
};

} // namespace daftra::sandbox::detail
