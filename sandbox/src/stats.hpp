#pragma once
// Counters behind GET /__sandbox/stats. Lock-free except the per-resource create counts.

#include <boost/json/object.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace daftra::sandbox::detail {

class stats {
public:
    std::atomic<std::uint64_t> requests{0};             // API requests (admin requests not counted)
    std::atomic<std::uint64_t> token_requests{0};
    // Token requests by body encoding (Content-Type): multipart/form-data, urlencoded form, anything else
    // (read as JSON).
    std::atomic<std::uint64_t> token_multipart{0};
    std::atomic<std::uint64_t> token_form{0};
    std::atomic<std::uint64_t> token_json{0};
    std::atomic<std::uint64_t> connections_accepted{0};
    std::atomic<std::uint64_t> connections_active{0};
    std::atomic<std::uint64_t> faults_injected{0};
    std::atomic<std::uint64_t> gzip_compressions{0};    // answer bodies gzip-compressed
    std::atomic<std::uint64_t> gzip_cache_hits{0};      // gzip answers sent from the read cache as they were

    void count_status(unsigned status) {
        if (status < statuses_.size()) statuses_[status].fetch_add(1, std::memory_order_relaxed);
    }
    void count_create(std::string_view resource);
    void reset();  // zeroes everything but connections_active
    boost::json::object to_json() const;

private:
    std::array<std::atomic<std::uint64_t>, 600> statuses_{};
    mutable std::mutex mutex_;
    std::map<std::string, std::uint64_t, std::less<>> creates_;
};

} // namespace daftra::sandbox::detail
