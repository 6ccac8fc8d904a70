// The documented endpoints that are not plain CRUD: bulk invoice create, general listing,
// site info, bookings, and the mixed v1/v2 follow-up statuses and actions. They reuse the
// generic create/list/get/delete of resources.cpp.
#include "service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

namespace daftra::sandbox::detail {

namespace json = boost::json;

response service::bulk_create(const resource_def& r, const request& req) {
    if (req.method != "POST") return method_not_allowed("POST");
    auto body = parse_body(req);
    if (!body) return error_response(400, "Malformed JSON");
    const json::array* list = body->if_array();
    if (!list && body->is_object()) {
        // Also accept {"Invoices":[...]} / {"data":[...]}: the first array member.
        for (const auto& [k, v] : body->get_object())
            if (v.is_array()) {
                list = &v.get_array();
                break;
            }
    }
    if (!list) return error_response(400, "Bad Request: expected a JSON array of invoices");
    if (list->size() > 1000) return error_response(400, "Bad Request: at most 1000 invoices per call");
    json::array results;
    for (const auto& item : *list) {
        auto one = v1_create(r, item);
        boost::system::error_code ec;
        auto v = json::parse(one.body, ec);
        results.emplace_back(ec ? json::value(nullptr) : std::move(v));
    }
    return json_response(200, results);
}

response service::listing(std::string_view model) {
    json::object l;
    if (model == "Branch") l = {{"1", "Main Branch"}};
    else if (model == "Timezone") l = {{"1", "(GMT+00:00) UTC"}, {"2", "(GMT+02:00) Cairo"}, {"3", "(GMT+03:00) Riyadh"}};
    else if (model == "dateFormats") l = {{"0", "dd/mm/yyyy"}, {"1", "mm/dd/yyyy"}, {"2", "yyyy-mm-dd"}};
    else if (model == "InvoiceLayout") l = {{"1", "Default layout"}};
    else if (model == "GroupPrice") l = {{"1", "Retail"}, {"2", "Wholesale"}};
    else if (model == "Role") l = {{"1", "Admin"}, {"2", "Sales"}};
    else if (model == "languageCodes") l = {{"en", "English"}, {"ar", "Arabic"}};
    else if (model == "TimeActivity") l = {{"1", "Development"}, {"2", "Meeting"}};
    else {
        // Any resource by its wrapper name: id -> name (Store, Treasury, Tax, Client, Product, ...).
        const resource_def* res = nullptr;
        for (const auto& r : resource_table())
            if (r.response_wrapper == model || r.wrapper == model) {
                res = &r;
                break;
            }
        if (!res) return error_response(404, "Invalid Endpoint");
        l = db_.read([&](const collections& data) {
            json::object out;
            if (auto c = data.find(res->id); c != data.end())
                for (const auto& [id, row] : c->second.rows) {
                    json::value title = "";
                    for (const char* k : {"name", "business_name", "title", "first_name"})
                        if (auto* v = row.if_contains(k); v && v->is_string() && !v->get_string().empty()) {
                            title = *v;
                            break;
                        }
                    out[std::to_string(id)] = title;
                }
            return out;
        });
    }
    return json_response(200, json::object{{"code", 200}, {"result", "successful"}, {"data", json::object{{"Listing", l}}}});
}

response service::site_info() {
    json::value site = json::object{
        {"id", 1},
        {"business_name", "Daftra Sandbox"},
        {"first_name", "Sandbox"},
        {"last_name", "Owner"},
        {"subdomain", "sandbox"},
        {"site_logo", ""},
        {"invoice_logo", ""},
        {"address1", "1 Test Street"},
        {"address2", ""},
        {"city", "Cairo"},
        {"state", ""},
        {"postal_code", "11511"},
        {"phone1", "0100000000"},
        {"phone2", ""},
        {"country_code", "EG"},
        {"timezone", 1},
        {"date_format", 2},
        {"currency_code", "USD"},
        {"language_code", "en"},
        {"email", user_name_},
        {"staff_id", 0},
        {"currencyFormat", "$%s"},
        {"numberFormat", json::array{2, ".", ","}},
        {"SITE_HASH", "sandbox"},
    };
    finish_numbers(site);
    return json_response(200, json::object{{"code", 200}, {"result", "successful"}, {"data", json::object{{"Site", site}}}});
}

response service::branches(const route& rt) {
    // GET /api2/branches: filed under v2 but documented with the v1 envelope (data[].Branch, pagination).
    static constexpr resource_def def{"branches", "/api2/branches", "Branch", "Branch", "", op_list, {}, {}, {},
                                      "", "", "", false, false, "", ""};
    return v1_list(def, rt);
}

response service::app_is_active(std::string_view id) {
    // GET /v2/api/app-manager/is_active/{id}: "activation status of an app". The answer's shape is not
    // documented; the sandbox answers every app id as active, in the v2 style of a bare object.
    auto n = parse_id(id);
    if (!n) return json_response(404, json::object{{"message", "App not found"}});
    json::value idv = *n;
    finish_numbers(idv);
    return json_response(200, json::object{{"id", std::move(idv)}, {"is_active", true}});
}

response service::bookings(const request& req, const route& rt) {
    // /api2/bookings/add, /api2/bookings/{id}, /api2/bookings/change_status/{id}/{status},
    // /api2/bookings/convert_to_invoice/{id}; list/get go through v2 `booking` only (no v1 list or get
    // is documented, so none is served).
    const auto& r = *by_id("bookings");
    const auto& s = rt.seg;
    if (s.size() == 2) return not_found();
    if (s.size() == 3 && s[2] == "add") {
        if (req.method != "POST") return method_not_allowed("POST");
        auto body = parse_body(req);
        if (!body) return error_response(400, "Malformed JSON");
        return v1_create(r, *body, json::object{{"status", 0}});
    }
    if (s.size() == 3) {
        if (req.method == "DELETE") return v1_delete(r, s[2]);
        return method_not_allowed("DELETE");
    }
    if (s.size() == 5 && s[2] == "change_status") {
        if (req.method != "GET" && req.method != "POST") return method_not_allowed("GET");
        auto id = parse_id(s[3]);
        auto status = parse_id(s[4]);
        if (!status || (*status != 1 && *status != 3 && *status != 4))
            return error_response(400, "Invalid status (1 confirmed, 3 canceled, 4 done)");
        bool found = id && db_.write([&](collections& data) {
            auto c = data.find("bookings");
            if (c == data.end()) return false;
            auto row = c->second.rows.find(*id);
            if (row == c->second.rows.end()) return false;
            row->second["status"] = *status;
            return true;
        });
        if (!found) return not_found();
        return json_response(200, json::object{{"code", 200}, {"result", "successful"}});
    }
    if (s.size() == 4 && s[2] == "convert_to_invoice") {
        if (req.method != "GET" && req.method != "POST") return method_not_allowed("GET");
        auto id = parse_id(s[3]);
        std::optional<json::object> booking;
        if (id)
            booking = db_.read([&](const collections& data) -> std::optional<json::object> {
                auto c = data.find("bookings");
                if (c == data.end()) return std::nullopt;
                auto row = c->second.rows.find(*id);
                if (row == c->second.rows.end()) return std::nullopt;
                return row->second;
            });
        if (!booking) return not_found();
        json::object inv = *booking;
        inv.erase("id");
        inv.erase("created");
        inv["type"] = 0;
        inv["source_type"] = 8;
        inv["source_id"] = *id;
        inv.erase("no");  // the invoice gets a number of its own
        std::string number;
        auto new_id = insert("invoices", std::move(inv), &number);
        stats.count_create("invoices");
        db_.write([&](collections& data) {
            auto& rows = data["bookings"].rows;
            if (auto row = rows.find(*id); row != rows.end()) row->second["converted"] = 1;
            return 0;
        });
        json::value idv = new_id;
        finish_numbers(idv);
        return json_response(200, json::object{{"code", 200}, {"result", "successful"}, {"id", idv}});
    }
    return error_response(404, "Invalid Endpoint");
}

response service::follow_up(const resource_def& r, const request& req, const route& rt, std::size_t first) {
    // [/api2]/follow_up_statuses[/{id}], [/api2]/follow_up_actions[/{type-or-id}]: v1 envelopes.
    const auto& s = rt.seg;
    const auto n = s.size() - first;
    if (n == 1) {
        if (req.method == "GET") return v1_list(r, rt);
        if (req.method == "POST" && r.has(op_create)) {
            auto body = parse_body(req);
            if (!body) return error_response(400, "Malformed JSON");
            return v1_create(r, *body);
        }
        return method_not_allowed(r.has(op_create) ? "GET, POST" : "GET");
    }
    if (n != 2) return error_response(404, "Invalid Endpoint");
    const auto key = s[first + 1];
    if (req.method == "DELETE") return v1_delete(r, key);
    if (req.method != "GET") return method_not_allowed("GET, DELETE");
    // /follow_up_actions/X is both "get X" and "list of type X": an existing id wins.
    if (r.id == "follow_up_actions") {
        auto id = parse_id(key);
        bool exists = id && db_.read([&](const collections& data) {
            auto c = data.find(r.id);
            return c != data.end() && c->second.rows.contains(*id);
        });
        if (!exists) return v1_list(r, rt, "item_type", key);
    }
    return v1_get(r, key);
}

} // namespace daftra::sandbox::detail
