#include "stats.hpp"

namespace daftra::sandbox::detail {

namespace json = boost::json;

namespace {
// Plain JSON integers (int64), the same kind a parser gives back for these numbers.
std::int64_t i64(std::uint64_t n) { return static_cast<std::int64_t>(n); }
} // namespace

void stats::count_create(std::string_view resource) {
    std::lock_guard lock(mutex_);
    auto it = creates_.find(resource);
    if (it == creates_.end()) it = creates_.emplace(std::string(resource), 0).first;
    ++it->second;
}

void stats::reset() {
    requests = 0;
    token_requests = 0;
    token_multipart = 0;
    token_form = 0;
    token_json = 0;
    connections_accepted = 0;
    faults_injected = 0;
    gzip_compressions = 0;
    gzip_cache_hits = 0;
    for (auto& s : statuses_) s = 0;
    std::lock_guard lock(mutex_);
    creates_.clear();
}

json::object stats::to_json() const {
    json::object o;
    o["requests"] = i64(requests.load());
    o["token_requests"] = i64(token_requests.load());
    o["token_bodies"] = json::object{{"multipart", i64(token_multipart.load())},
                                     {"form", i64(token_form.load())},
                                     {"json", i64(token_json.load())}};
    o["connections_accepted"] = i64(connections_accepted.load());
    o["connections_active"] = i64(connections_active.load());
    o["faults_injected"] = i64(faults_injected.load());
    o["gzip_compressions"] = i64(gzip_compressions.load());
    o["gzip_cache_hits"] = i64(gzip_cache_hits.load());
    json::object by_status;
    for (std::size_t i = 0; i < statuses_.size(); ++i)
        if (auto n = statuses_[i].load()) by_status[std::to_string(i)] = i64(n);
    o["status"] = std::move(by_status);
    json::object creates;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, n] : creates_) creates[name] = i64(n);
    }
    o["creates"] = std::move(creates);
    return o;
}

} // namespace daftra::sandbox::detail
