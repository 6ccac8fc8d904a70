#pragma once
// In-memory data of the sandbox: named collections of JSON records with auto-increment ids.
// Thread-safe: readers share a lock, writers take it alone. No HTTP here.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace daftra::sandbox::detail {

struct collection {
    std::map<std::int64_t, boost::json::object> rows;  // ordered by id
    std::int64_t next_id = 1;
};

using collections = std::map<std::string, collection, std::less<>>;

class store {
public:
    /// Runs f(const collections&) under the shared lock and returns its result.
    template <class F>
    auto read(F&& f) const {
        std::shared_lock lock(mutex_);
        return f(static_cast<const collections&>(data_));
    }
    /// Runs f(collections&) under the exclusive lock; every write bumps generation().
    template <class F>
    auto write(F&& f) {
        std::unique_lock lock(mutex_);
        generation_.fetch_add(1, std::memory_order_relaxed);
        return f(data_);
    }
    /// Changes with every write: cached answers are valid while it stays the same.
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

    void clear();
    /// {"collections":{"invoices":{"next_id":3,"rows":[{...},...]}, ...}}
    boost::json::value to_json() const;
    /// Replaces the content; throws std::invalid_argument on a bad document.
    void load_json(const boost::json::value& v);

private:
    mutable std::shared_mutex mutex_;
    collections data_;
    std::atomic<std::uint64_t> generation_{1};
};

} // namespace daftra::sandbox::detail
