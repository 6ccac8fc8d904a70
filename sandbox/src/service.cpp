#include "service.hpp"

#include "gzip.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace daftra::sandbox::detail {

namespace json = boost::json;

service::service(const options& opt)
    : faults(opt.seed),
      user_name_(opt.creds.username),
      numbers_as_strings_(opt.numbers_as_strings),
      require_auth_(opt.require_auth),
      auth_(opt.creds, opt.token_ttl, opt.seed) {
    faults.set(opt.faults);
    seed();
}

bool service::is_token(std::string_view path) {
    return path == "/api2/oauth/token" || path == "/v2/oauth/token" || path == "/api2/v2/oauth/token" ||
           path == "/oauth/token";
}

namespace {

route split(std::string_view target) {
    route rt;
    auto q = target.find('?');
    rt.path = target.substr(0, q);
    if (q != std::string_view::npos) rt.query = target.substr(q + 1);
    std::string_view p = rt.path;
    while (!p.empty()) {
        if (p.front() == '/') {
            p.remove_prefix(1);
            continue;
        }
        auto slash = p.find('/');
        rt.seg.push_back(p.substr(0, slash));
        p = slash == std::string_view::npos ? std::string_view{} : p.substr(slash);
    }
    if (!rt.seg.empty() && rt.seg.back().ends_with(".json")) {
        rt.seg.back().remove_suffix(5);
        rt.json_suffix = true;
    }
    return rt;
}

bool is_read(std::string_view method) { return method == "GET"; }

constexpr std::size_t cache_max_bytes = 64u << 20;       // plain and gzip forms together
constexpr std::size_t cache_max_entry_bytes = 8u << 20;  // larger answers are not cached

} // namespace

response service::handle(const request& req, bool gzip) {
    if (req.target.empty() || req.target.front() != '/') return error_response(400, "Bad Request");
    route rt = split(req.target);
    if (is_token(rt.path)) {
        stats.token_requests.fetch_add(1, std::memory_order_relaxed);
        switch (token_body_of(req.content_type)) {
        case token_body::multipart: stats.token_multipart.fetch_add(1, std::memory_order_relaxed); break;
        case token_body::form: stats.token_form.fetch_add(1, std::memory_order_relaxed); break;
        case token_body::json: stats.token_json.fetch_add(1, std::memory_order_relaxed); break;
        }
        return auth_.token_endpoint(req);
    }
    if (require_auth_ && !auth_.authorized(req)) return error_response(401, "Unauthorized");

    if (!is_read(req.method)) return dispatch_guarded(req, rt);

    // Reads are answered from a cache that stays valid until the next write to the store: an entry
    // is served only while the store's generation is the one read before its answer was made. The
    // gzip form of an entry is made on the first request that wants it and lives and dies with the
    // plain form (a newer plain form replaces the entry, gzip form and all). Handlers and compression
    // run outside the lock, so two requests may make the same answer (or its gzip form) at once; the
    // first gzip form stored stays. An entry of the current generation was made after every write
    // it reflects, so whichever body a gzip form came from, it is the current answer.
    const std::string key(req.target);
    const std::uint64_t generation = db_.generation();
    response r;
    bool hit = false;
    {
        std::lock_guard lock(cache_mutex_);
        auto it = cache_.find(key);
        if (it != cache_.end() && it->second.generation == generation) {
            if (gzip && !it->second.gzip.empty()) {
                use_gzip_body(r, it->second.gzip);
                stats.gzip_cache_hits.fetch_add(1, std::memory_order_relaxed);
                return r;
            }
            r.body = it->second.body;
            hit = true;
        }
    }
    if (!hit) {
        r = dispatch_guarded(req, rt);
        if (r.status != 200 || !r.headers.empty()) return r;  // not cached
        std::lock_guard lock(cache_mutex_);
        // Bounded by entries and bytes (both forms); when full it simply starts over.
        if (cache_.size() >= 4096 || cache_bytes_ + r.body.size() > cache_max_bytes) {
            cache_.clear();
            cache_bytes_ = 0;
        }
        if (r.body.size() <= cache_max_entry_bytes) {
            auto& slot = cache_[key];
            cache_bytes_ = cache_bytes_ - slot.body.size() - slot.gzip.size() + r.body.size();
            slot = cached{generation, r.body, {}};
        }
    }
    if (!gzip || !gzip_applies(r)) return r;
    std::string packed = gzip_answer_body(r.body);
    stats.gzip_compressions.fetch_add(1, std::memory_order_relaxed);
    {
        std::lock_guard lock(cache_mutex_);
        // Only into an entry of the generation this body was made for, and only while the byte
        // bound allows; otherwise the next request compresses again.
        auto it = cache_.find(key);
        if (it != cache_.end() && it->second.generation == generation && it->second.gzip.empty() &&
            cache_bytes_ + packed.size() <= cache_max_bytes) {
            it->second.gzip = packed;
            cache_bytes_ += packed.size();
        }
    }
    use_gzip_body(r, std::move(packed));
    return r;
}

response service::dispatch_guarded(const request& req, const route& rt) {
    try {
        return dispatch(req, rt);
    } catch (const std::exception&) {
        return error_response(500, "Internal Server Error");
    }
}

response service::dispatch(const request& req, const route& rt) {
    const auto& s = rt.seg;
    if (s.empty()) return error_response(404, "Invalid Endpoint");
    if (s[0] == "api2" && s.size() >= 2) {
        const auto name = s[1];
        if (name == "site_info" && s.size() == 2) return req.method == "GET" ? site_info() : method_not_allowed("GET");
        if (name == "listing" && s.size() == 3) return req.method == "GET" ? listing(s[2]) : method_not_allowed("GET");
        if (name == "bookings") return bookings(req, rt);
        if (name == "branches" && s.size() == 2) return req.method == "GET" ? branches(rt) : method_not_allowed("GET");
        if (name == "follow_up_statuses") return follow_up(*by_id("follow_up_statuses"), req, rt, 1);
        if (name == "follow_up_actions") return follow_up(*by_id("follow_up_actions"), req, rt, 1);
        if (name == "client-attendance-log" && s.size() == 3 && s[2] == "store") {
            if (req.method != "POST") return method_not_allowed("POST");
            auto body = parse_body(req);
            if (!body) return error_response(400, "Malformed JSON");
            return v1_create(*by_id("client_attendance_log"), *body);
        }
        if (name == "invoices" && s.size() == 3 && s[2] == "add_bulk") return bulk_create(*by_id("invoices"), req);
        if (name == "notes" && s.size() == 4) {
            if (req.method != "POST") return method_not_allowed("POST");
            auto body = parse_body(req);
            if (!body) return error_response(400, "Malformed JSON");
            json::object over;
            if (auto t = parse_id(s[2])) over["item_type"] = *t;
            else if (s[2] == "client") over["item_type"] = 1;
            else over["item_type"] = s[2];
            if (auto i = parse_id(s[3])) over["item_id"] = *i;
            else return not_found();
            return v1_create(*by_id("notes"), *body, over);
        }
        std::string path = "/api2/";
        path += name;
        if (const auto* r = by_path(path)) {
            if (s.size() == 2) return v1_collection(*r, req, rt);
            if (s.size() == 3) return v1_item(*r, req, rt, s[2]);
        }
        return error_response(404, "Invalid Endpoint");
    }
    if (s[0] == "sandbox-files") return document_file(req, rt);
    if (s[0] == "follow_up_statuses") return follow_up(*by_id("follow_up_statuses"), req, rt, 0);
    if (s[0] == "follow_up_actions") return follow_up(*by_id("follow_up_actions"), req, rt, 0);
    if (s[0] == "v2" && s.size() >= 3 && s[1] == "api") {
        if (s[2] == "entity") return v2_entity(req, rt);
        if (s[2] == "multi-entity" && s.size() == 3) return v2_multi(req);
        if (s[2] == "app-manager" && s.size() == 5 && s[3] == "is_active")
            return req.method == "GET" ? app_is_active(s[4]) : method_not_allowed("GET");
    }
    return error_response(404, "Invalid Endpoint");
}

response service::handle_admin(const request& req) {
    auto rt = split(req.target);
    const auto what = rt.seg.size() == 2 ? rt.seg[1] : std::string_view{};
    if (what == "stats") {
        if (req.method != "GET") return method_not_allowed("GET");
        return json_response(200, stats.to_json());
    }
    if (what == "reset") {
        if (req.method != "POST") return method_not_allowed("POST");
        reset();
        if (rt.query.find("tokens=1") != std::string_view::npos) auth_.revoke_all();
        return json_response(200, json::object{{"result", "successful"}});
    }
    if (what == "faults") {
        if (req.method == "GET") return json_response(200, to_json(faults.get()));
        if (req.method != "POST" && req.method != "PUT") return method_not_allowed("GET, POST");
        boost::system::error_code ec;
        auto v = req.body.empty() ? json::value(json::object{}) : json::parse(req.body, ec);
        if (ec) return error_response(400, "Malformed JSON");
        try {
            // POST replaces the configuration (keys left out get their defaults); PUT merges.
            auto f = fault_config_from_json(v, req.method == "PUT" ? faults.get() : fault_config{});
            faults.set(f);
            return json_response(200, to_json(f));
        } catch (const std::exception& e) {
            return error_response(400, e.what());
        }
    }
    if (what == "revoke-tokens") {
        if (req.method != "POST") return method_not_allowed("POST");
        auth_.revoke_all();
        return json_response(200, json::object{{"result", "successful"}});
    }
    if (what == "data") {
        if (req.method != "GET") return method_not_allowed("GET");
        return json_response(200, db_.to_json());
    }
    return error_response(404, "Invalid Endpoint");
}

void service::reset() {
    db_.clear();
    seed();
    stats.reset();
    faults.set({});
    std::lock_guard lock(cache_mutex_);
    cache_.clear();
    cache_bytes_ = 0;
}

void service::seed() {
    // Read-only resources (no write endpoint) get a few rows so that list/get have something to show.
    db_.write([&](collections& data) {
        auto now = now_string();
        auto& staff = data["staff"];
        if (staff.rows.empty()) {
            staff.rows[1] = json::object{{"id", 1}, {"name", "Sandbox Owner"}, {"email_address", user_name_},
                                         {"role_id", 1}, {"active", 1}, {"created", now}};
            staff.next_id = 2;
        }
        auto& cats = data["product_categories"];
        if (cats.rows.empty()) {
            cats.rows[1] = json::object{{"id", 1}, {"name", "General"}, {"category_type", 1}, {"parent_id", nullptr}, {"created", now}};
            cats.rows[2] = json::object{{"id", 2}, {"name", "Services"}, {"category_type", 1}, {"parent_id", nullptr}, {"created", now}};
            cats.next_id = 3;
        }
        auto& branches = data["branches"];
        if (branches.rows.empty()) {
            branches.rows[1] = json::object{{"id", 1}, {"name", "Main Branch"}, {"status", 1}, {"created", now}};
            branches.next_id = 2;
        }
        auto& actions = data["follow_up_actions"];
        if (actions.rows.empty()) {
            actions.rows[1] = json::object{{"id", 1}, {"name", "Call"}, {"item_type", 1}, {"created", now}};
            actions.rows[2] = json::object{{"id", 2}, {"name", "Meeting"}, {"item_type", 1}, {"created", now}};
            actions.next_id = 3;
        }
        return 0;
    });
}

void service::load_data(const std::string& file) {
    std::ifstream in(file);
    if (!in) return;  // first run: nothing saved yet
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    auto v = json::parse(ss.str(), ec);
    if (ec) throw std::runtime_error("data file " + file + ": " + ec.message());
    db_.load_json(v);
    seed();
}

void service::save_data(const std::string& file) const {
    std::string tmp = file + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp);
        out << json::serialize(db_.to_json());
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), file.c_str()) != 0) throw std::runtime_error("cannot replace " + file);
}

const resource_def* service::by_path(std::string_view path) {
    for (const auto& r : resource_table())
        if (!r.path.empty() && r.path == path) return &r;
    return nullptr;
}

const resource_def* service::by_id(std::string_view id) {
    for (const auto& r : resource_table())
        if (r.id == id) return &r;
    return nullptr;
}

const resource_def* service::by_v2(std::string_view entity) {
    for (const auto& r : resource_table())
        if (r.v2_entity == entity) return &r;
    return nullptr;
}

std::optional<std::int64_t> service::parse_id(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

std::optional<json::value> service::parse_body(const request& req) {
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec) return std::nullopt;
    return v;
}

response service::validation_failed(json::object errors) {
    return json_response(400, json::object{{"result", "failed"},
                                           {"code", 400},
                                           {"message", "Bad Request"},
                                           {"validation_errors", std::move(errors)}});
}

} // namespace daftra::sandbox::detail
