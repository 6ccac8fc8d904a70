#include "auth.hpp"

#include "util.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include <cstdio>

namespace daftra::sandbox::detail {

namespace json = boost::json;

auth::auth(credentials creds, std::chrono::seconds ttl, std::uint64_t seed)
    : creds_(std::move(creds)), ttl_(ttl), rng_(seed ^ std::random_device{}()) {}

std::string auth::random_token() {
    std::string s;
    char buf[17];
    for (int i = 0; i < 3; ++i) {
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng_()));
        s += buf;
    }
    return s;
}

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

} // namespace

token_body token_body_of(std::string_view content_type) {
    if (starts_with_ci(content_type, "multipart/form-data")) return token_body::multipart;
    if (starts_with_ci(content_type, "application/x-www-form-urlencoded")) return token_body::form;
    return token_body::json;
}

namespace {

const std::string* find(const param_list& p, std::string_view key) {
    for (const auto& [k, v] : p)
        if (k == key) return &v;
    return nullptr;
}

bool equals(const param_list& p, std::string_view key, const std::string& expected) {
    const auto* v = find(p, key);
    return v && *v == expected;
}

response token_error(unsigned status, std::string_view error, std::string_view message) {
    return json_response(status, json::object{{"result", "failed"}, {"code", status}, {"message", message}, {"error", error}});
}

} // namespace

response auth::token_endpoint(const request& req) {
    if (req.method != "POST") return method_not_allowed("POST");
    param_list params;
    const auto ct = req.content_type;
    const auto kind = token_body_of(ct);
    if (kind == token_body::form) {
        auto p = parse_params(req.body, true);
        if (!p) return error_response(400, "Malformed form body");
        params = std::move(*p);
    } else if (kind == token_body::multipart) {
        auto p = parse_multipart(req.body, ct);
        if (!p) return error_response(400, "Malformed multipart body");
        params = std::move(*p);
    } else {
        boost::system::error_code ec;
        auto v = json::parse(req.body, ec);
        if (ec || !v.is_object()) return error_response(400, "Malformed JSON");
        for (const auto& [k, val] : v.get_object()) {
            if (val.is_string()) params.emplace_back(std::string(k), std::string(val.get_string()));
            else if (val.is_int64()) params.emplace_back(std::string(k), std::to_string(val.get_int64()));
            else if (val.is_uint64()) params.emplace_back(std::string(k), std::to_string(val.get_uint64()));
        }
    }
    const auto* grant = find(params, "grant_type");
    if (!grant) return token_error(400, "invalid_request", "grant_type is required");
    if (!equals(params, "client_id", creds_.client_id) || !equals(params, "client_secret", creds_.client_secret))
        return token_error(401, "invalid_client", "Unauthorized");
    std::unique_lock lock(mutex_);
    if (*grant == "password") {
        if (!equals(params, "username", creds_.username) || !equals(params, "password", creds_.password))
            return token_error(401, "invalid_grant", "Unauthorized");
        return issue(lock);
    }
    if (*grant == "refresh_token") {
        const auto* rt = find(params, "refresh_token");
        auto it = rt ? refresh_.find(*rt) : refresh_.end();
        if (it == refresh_.end()) return token_error(401, "invalid_grant", "Unauthorized");
        refresh_.erase(it);  // refresh tokens are single use: a new one comes with the answer
        return issue(lock);
    }
    return token_error(400, "unsupported_grant_type", "Unsupported grant_type");
}

response auth::issue(std::unique_lock<std::mutex>&) {
    auto now = clock::now();
    // Forget expired tokens now and then so the table stays small.
    if (access_.size() > 10000)
        std::erase_if(access_, [&](const auto& kv) { return kv.second <= now; });
    auto access = random_token();
    auto refresh = random_token();
    access_[access] = now + ttl_;
    refresh_[refresh] = true;
    return json_response(200, json::object{{"token_type", "Bearer"},
                                           {"expires_in", ttl_.count()},
                                           {"access_token", access},
                                           {"refresh_token", refresh}});
}

bool auth::authorized(const request& req) const {
    if (!req.apikey.empty() && req.apikey == creds_.api_key) return true;
    auto a = req.authorization;
    if (!starts_with_ci(a, "Bearer ")) return false;
    a.remove_prefix(7);
    while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
    std::lock_guard lock(mutex_);
    auto it = access_.find(std::string(a));
    return it != access_.end() && it->second > clock::now();
}

void auth::revoke_all() {
    std::lock_guard lock(mutex_);
    access_.clear();
    refresh_.clear();
}

} // namespace daftra::sandbox::detail
