#include "stats.hpp"

namespace daftra::sandbox::detail {

namespace json = boost::json;

void stats::count_create(std::string_view resource) {
    std::lock_guard lock(mutex_);
    auto it = creates_.find(resource);
    if (it == creates_.end()) it = creates_.emplace(std::string(resource), 0).first;
    ++it->second;
}

void stats::reset() {
    requests = 0;
    token_requests = 0;
    connections_accepted = 0;
    faults_injected = 0;
    for (auto& s : statuses_) s = 0;
    std::lock_guard lock(mutex_);
    creates_.clear();
}

json::object stats::to_json() const {
    json::object o;
    o["requests"] = requests.load();
    o["token_requests"] = token_requests.load();
    o["connections_accepted"] = connections_accepted.load();
    o["connections_active"] = connections_active.load();
    o["faults_injected"] = faults_injected.load();
    json::object by_status;
    for (std::size_t i = 0; i < statuses_.size(); ++i)
        if (auto n = statuses_[i].load()) by_status[std::to_string(i)] = n;
    o["status"] = std::move(by_status);
    json::object creates;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, n] : creates_) creates[name] = n;
    }
    o["creates"] = std::move(creates);
    return o;
}

} // namespace daftra::sandbox::detail
