#pragma once
// The creates check: every create carries a unique marker (the client record's business_name); the
// ledger keeps what each create reported, and check() compares it with what the store holds.
//   lost:        reported created, but not stored (or stored under another id)
//   duplicated:  stored more than once, whatever was reported
//   phantom:     reported "not sent" (error without maybe_sent), but stored
// A create that failed with maybe_sent may or may not be stored: at most once.

#include "daftra/client.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace daftra::test {

/// Marker -> ids of the records that carry it.
using stored_markers = std::map<std::string, std::vector<std::int64_t>>;

struct ledger_verdict {
    std::uint64_t reported_ok = 0;
    std::uint64_t reported_failed = 0;
    std::uint64_t failed_maybe_sent = 0;
    std::uint64_t failed_but_stored = 0;  ///< failed with maybe_sent, and the server did store it
    std::uint64_t lost = 0;
    std::uint64_t duplicated = 0;
    std::uint64_t phantom = 0;
    std::uint64_t stored = 0;             ///< records found with a marker of this ledger
    std::string first_problem;            ///< a readable example, empty when there is none

    bool clean() const { return lost == 0 && duplicated == 0 && phantom == 0; }
};

class create_ledger {
public:
    /// Records what a create reported. Thread-safe.
    void record(const std::string& marker, const result<std::int64_t>& r) {
        std::lock_guard lock(mutex_);
        entry& e = entries_[marker];
        e.ok = r.has_value();
        e.id = r ? *r : 0;
        e.maybe_sent = !r && r.error().maybe_sent;
    }

    /// A delete of the record was attempted: it may be gone, so only duplicates are checked for it.
    void deleting(const std::string& marker) {
        std::lock_guard lock(mutex_);
        entries_[marker].delete_attempted = true;
    }

    ledger_verdict check(const stored_markers& stored) const {
        std::lock_guard lock(mutex_);
        ledger_verdict v;
        for (const auto& [marker, e] : entries_) {
            auto it = stored.find(marker);
            const std::size_t copies = it == stored.end() ? 0 : it->second.size();
            v.stored += copies;
            auto problem = [&](std::uint64_t& counter, const char* what) {
                ++counter;
                if (v.first_problem.empty())
                    v.first_problem = std::string(what) + ": " + marker + " stored " + std::to_string(copies) + " times";
            };
            if (e.ok) ++v.reported_ok;
            else ++v.reported_failed;
            if (!e.ok && e.maybe_sent) ++v.failed_maybe_sent;
            if (!e.ok && e.maybe_sent && copies == 1) ++v.failed_but_stored;

            if (copies > 1) problem(v.duplicated, "duplicated");
            else if (e.delete_attempted) continue;
            else if (e.ok && (copies == 0 || it->second.front() != e.id)) problem(v.lost, "lost");
            else if (!e.ok && !e.maybe_sent && copies != 0) problem(v.phantom, "stored although reported not sent");
        }
        return v;
    }

private:
    struct entry {
        bool ok = false;
        std::int64_t id = 0;
        bool maybe_sent = false;
        bool delete_attempted = false;
    };
    mutable std::mutex mutex_;
    std::map<std::string, entry> entries_;
};

/// Every client record whose business_name starts with `prefix`, read page by page (1000 a page).
/// Run it with no faults injected: a failed page fails the read.
inline boost::asio::awaitable<result<stored_markers>> read_stored_markers(const client& api, std::string prefix) {
    stored_markers found;
    query q;
    q.limit = 1000;
    for (std::int64_t page_number = 1;; ++page_number) {
        q.page = page_number;
        auto page = co_await api.clients().list(q);
        if (!page) co_return page.error();
        for (const auto& record : page->items)
            if (record.business_name && record.business_name->starts_with(prefix) && record.id)
                found[*record.business_name].push_back(*record.id);
        if (page->last()) break;
    }
    co_return found;
}

} // namespace daftra::test
