// Entity API v2 (/v2/api/entity/{entity}/...): flat bodies, Laravel-style answers. Entities that
// match a v1 resource share its collection; any other entity key gets a collection of its own.
#include "service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <cctype>

namespace daftra::sandbox::detail {

namespace json = boost::json;

namespace {

response v2_error(unsigned status, std::string_view message) {
    return json_response(status, json::object{{"message", message}});
}

bool valid_entity(std::string_view e) {
    if (e.empty() || e.size() > 100) return false;
    for (char c : e)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    return true;
}

json::value url_or_null(std::string_view path, std::int64_t page, bool exists) {
    if (!exists) return nullptr;
    return json::value(std::string(path) + "?page=" + std::to_string(page));
}

// The level segment: 1 (and -1, also documented) answers the record's own fields, 2 to 4 add its
// relations (the sandbox has one level of them). "show" is answered like level 1. nullopt: not a level.
std::optional<service::depth> level_depth(std::string_view level) {
    if (level.empty() || level == "1" || level == "-1" || level == "show") return service::depth::header;
    if (level == "2" || level == "3" || level == "4") return service::depth::full;
    return std::nullopt;
}

} // namespace

response service::v2_entity(const request& req, const route& rt) {
    const auto& s = rt.seg;  // v2 api entity {entity} ...
    if (s.size() < 4 || !valid_entity(s[3])) return v2_error(404, "Entity not found");
    const std::string entity(s[3]);
    resource_def dynamic{};
    const std::string dynamic_id = "v2_" + entity;
    const resource_def* r = by_v2(entity);
    if (!r) {
        dynamic.id = dynamic_id;
        dynamic.response_wrapper = entity;
        dynamic.wrapper = entity;
        dynamic.ops = op_list | op_get | op_create | op_update;
        r = &dynamic;
    }
    const auto n = s.size();
    const bool is_list = (n == 5 || n == 6) && s[4] == "list";
    if (is_list || (n == 4 && req.method == "GET")) {
        if (req.method != "GET") return method_not_allowed("GET");
        const auto shown = level_depth(n == 6 ? s[5] : std::string_view{});
        if (!shown) return v2_error(404, "Entity not found");
        auto v1 = v1_list(*r, rt, {}, {}, shown);
        if (v1.status != 200 || r->id == "follow_up_statuses") return v1;  // documented with the v1 envelope
        boost::system::error_code ec;
        auto parsed = json::parse(v1.body, ec);
        if (ec) return v1;
        auto& o = parsed.get_object();
        json::array data;
        for (auto& row : o["data"].get_array()) {
            auto& wrapped = row.get_object();
            if (!wrapped.empty()) data.emplace_back(std::move(wrapped.begin()->value()));
        }
        const auto& p = o["pagination"].get_object();
        const auto page = p.at("page").to_number<std::int64_t>();
        const auto last = p.at("page_count").to_number<std::int64_t>();
        const auto total = p.at("total_results").to_number<std::int64_t>();
        std::int64_t per_page = 20;
        if (auto params = parse_params(rt.query, true))
            for (const auto& [k, v] : *params)
                if (k == "per_page")
                    if (auto x = parse_id(v); x && *x > 0) per_page = std::min<std::int64_t>(*x, 1000);
        const auto count = static_cast<std::int64_t>(data.size());
        const auto from = (page - 1) * per_page + 1;
        return json_response(200, json::object{
                                      {"current_page", page},
                                      {"data", std::move(data)},
                                      {"first_page_url", url_or_null(rt.path, 1, true)},
                                      {"from", count ? json::value(from) : json::value(nullptr)},
                                      {"last_page", last},
                                      {"last_page_url", url_or_null(rt.path, last, true)},
                                      {"links", json::array{}},
                                      {"next_page_url", url_or_null(rt.path, page + 1, page < last)},
                                      {"path", rt.path},
                                      {"per_page", per_page},
                                      {"prev_page_url", url_or_null(rt.path, page - 1, page > 1)},
                                      {"to", count ? json::value(from + count - 1) : json::value(nullptr)},
                                      {"total", total},
                                  });
    }
    if (n == 4) {
        if (req.method != "POST") return method_not_allowed("GET, POST");
        auto body = parse_body(req);
        if (!body) return v2_error(400, "Malformed JSON");
        if (!body->is_object()) return v2_error(400, "The body must be a JSON object");
        // Some entities edit with POST and the id in the body.
        if (const auto* idv = body->get_object().if_contains("id"); idv && (idv->is_int64() || idv->is_string())) {
            auto id = idv->is_int64() ? std::optional<std::int64_t>(idv->get_int64()) : parse_id(idv->get_string());
            bool exists = id && db_.read([&](const collections& data) {
                auto c = data.find(r->id);
                return c != data.end() && c->second.rows.contains(*id);
            });
            if (exists) {
                auto b = build(*r, body->get_object(), true, false);
                db_.write([&](collections& data) {
                    auto& row = data[std::string(r->id)].rows[*id];
                    for (auto& [k, v] : b.fields) row[k] = std::move(v);
                    row["modified"] = now_string();
                    return 0;
                });
                return json_response(200, json::object{{"message", "Entity updated successfully"}, {"id", *id}});
            }
        }
        auto b = build(*r, body->get_object(), true, true);
        if (!b.errors.empty()) {
            json::object errors;
            for (auto& [k, v] : b.errors) errors[k] = json::array{v};
            return json_response(422, json::object{{"message", "Entity not saved"}, {"errors", std::move(errors)}});
        }
        auto id = insert(r->id, std::move(b.fields));
        stats.count_create(r->id);
        return json_response(200, json::object{{"message", "Entity saved successfully"}, {"id", id}});
    }
    // {entity}/{id}[/{level}|/show]
    if (n > 6) return v2_error(404, "Entity not found");
    auto id = parse_id(s[4]);
    if (req.method == "GET") {
        const auto shown = level_depth(n == 6 ? s[5] : std::string_view{});
        if (!shown) return v2_error(404, "Entity not found");
        if (!id) return v2_error(404, "Record not found");
        return db_.read([&](const collections& data) {
            auto c = data.find(r->id);
            if (c == data.end()) return v2_error(404, "Record not found");
            auto row = c->second.rows.find(*id);
            if (row == c->second.rows.end()) return v2_error(404, "Record not found");
            json::value rec = render(*r, row->second, data, *shown);
            finish_numbers(rec);
            return json_response(200, rec);
        });
    }
    if ((req.method == "PUT" || req.method == "PATCH") && n == 5) {
        auto body = parse_body(req);
        if (!body) return v2_error(400, "Malformed JSON");
        if (!body->is_object()) return v2_error(400, "The body must be a JSON object");
        auto b = build(*r, body->get_object(), true, false);
        if (!b.errors.empty()) {
            json::object errors;
            for (auto& [k, v] : b.errors) errors[k] = json::array{v};
            return json_response(422, json::object{{"message", "Entity not saved"}, {"errors", std::move(errors)}});
        }
        bool found = id && db_.write([&](collections& data) {
            auto c = data.find(r->id);
            if (c == data.end()) return false;
            auto row = c->second.rows.find(*id);
            if (row == c->second.rows.end()) return false;
            for (auto& [k, v] : b.fields) row->second[k] = std::move(v);
            row->second["modified"] = now_string();
            return true;
        });
        if (!found) return v2_error(404, "Record not found");
        return json_response(200, json::object{{"message", "Entity updated successfully"}, {"id", *id}});
    }
    return method_not_allowed(n == 5 ? "GET, PUT" : "GET");
}

response service::v2_multi(const request& req) {
    if (req.method != "POST") return method_not_allowed("POST");
    auto body = parse_body(req);
    if (!body || !body->is_array()) return v2_error(400, "Expected a JSON array of {key, action, options, alias}");
    json::object out;
    for (const auto& item : body->get_array()) {
        if (!item.is_object()) return v2_error(400, "Each element must be an object");
        const auto& o = item.get_object();
        const auto* key = o.if_contains("key");
        const auto* action = o.if_contains("action");
        if (!key || !key->is_string() || !action || !action->is_string()) return v2_error(400, "key and action are required");
        std::string level = "1";
        if (const auto* l = o.if_contains("data_level"); l && l->is_int64()) level = std::to_string(l->get_int64());
        std::string target = "/v2/api/entity/" + std::string(key->get_string());
        const auto* opts = o.if_contains("options");
        if (action->get_string() == "show") {
            const json::value* id = opts && opts->is_object() ? opts->get_object().if_contains("id") : nullptr;
            if (!id) return v2_error(400, "show needs options.id");
            target += '/';
            if (id->is_string()) target += id->get_string();
            else if (id->is_int64()) target += std::to_string(id->get_int64());
            else return v2_error(400, "options.id must be an integer or a string");
            target += '/';
            target += level;
        } else if (action->get_string() == "list") {
            target += "/list/";
            target += level;
            if (opts && opts->is_object()) {
                char sep = '?';
                for (const auto& [k, v] : opts->get_object()) {
                    if (!v.is_string() && !v.is_int64()) continue;
                    target += sep;
                    target += k;
                    target += '=';
                    target += v.is_string() ? std::string(v.get_string()) : std::to_string(v.get_int64());
                    sep = '&';
                }
            }
        } else {
            return v2_error(400, "action must be show or list");
        }
        request sub = req;
        sub.method = "GET";
        sub.target = target;
        sub.body = {};
        auto r = handle(sub);
        boost::system::error_code ec;
        auto v = json::parse(r.body, ec);
        const auto* alias = o.if_contains("alias");
        std::string name = alias && alias->is_string() ? std::string(alias->get_string()) : std::string(key->get_string());
        out[name] = ec ? json::value(nullptr) : std::move(v);
    }
    return json_response(200, out);
}

} // namespace daftra::sandbox::detail
