#pragma once
// A call's outcome reduced to what the resilience tests compare: success, or the error's kind, HTTP
// status and maybe_sent flag. Counted per kind by outcome_tally.

#include "daftra/core/error.hpp"
#include "daftra/core/result.hpp"
#include "daftra/resources/deleted.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <type_traits>

namespace daftra::test {

struct outcome {
    bool ok = false;
    error_kind kind = error_kind::transport;  ///< meaningful when !ok
    unsigned status = 0;
    bool maybe_sent = false;
    bool already_gone = false;                ///< a successful delete that found the record gone
    std::string detail;                       ///< describe() of the error, for failure messages

    template <class T>
    static outcome of(const result<T>& r) {
        outcome o;
        o.ok = r.has_value();
        if constexpr (std::is_same_v<T, deleted>) o.already_gone = o.ok && r->already_gone;
        if (!o.ok) {
            const error& e = r.error();
            o.kind = e.kind;
            o.status = e.status;
            o.maybe_sent = e.maybe_sent;
            o.detail = e.describe();
        }
        return o;
    }

    /// "ok", "ok already_gone", or e.g. "server 503 maybe_sent".
    std::string summary() const {
        if (ok) return already_gone ? "ok already_gone" : "ok";
        std::string s(to_string(kind));
        if (status) s += " " + std::to_string(status);
        if (maybe_sent) s += " maybe_sent";
        return s;
    }
};

/// Outcomes per kind, filled from many threads.
class outcome_tally {
public:
    void add(const outcome& o) {
        auto& slot = o.ok ? ok_ : by_kind_[static_cast<std::size_t>(o.kind)];
        slot.fetch_add(1, std::memory_order_relaxed);
    }
    std::uint64_t ok() const { return ok_.load(); }
    std::uint64_t of(error_kind k) const { return by_kind_[static_cast<std::size_t>(k)].load(); }
    std::uint64_t total() const {
        std::uint64_t n = ok_.load();
        for (const auto& c : by_kind_) n += c.load();
        return n;
    }
    /// "ok=49000 server=120 decode=480 …" (kinds that occurred only). Built by appending: g++ 12 -O2
    /// warns (-Wrestrict, a false positive) on `"literal" + std::to_string(…)`.
    std::string line() const {
        std::string s = "ok=";
        s += std::to_string(ok_.load());
        for (std::size_t k = 0; k < by_kind_.size(); ++k) {
            if (auto n = by_kind_[k].load()) {
                s += ' ';
                s += to_string(static_cast<error_kind>(k));
                s += '=';
                s += std::to_string(n);
            }
        }
        return s;
    }

private:
    static constexpr std::size_t kinds = static_cast<std::size_t>(error_kind::decode) + 1;
    std::atomic<std::uint64_t> ok_{0};
    std::array<std::atomic<std::uint64_t>, kinds> by_kind_{};
};

} // namespace daftra::test
