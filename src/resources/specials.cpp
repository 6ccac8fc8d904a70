// Special endpoints. Path segments that come from callers (owner types, entity names) are
// percent-encoded, so a value cannot change the path it is put into.

#include "daftra/resources/specials.hpp"

#include "daftra/model/codec.hpp"
#include "daftra/detail/error_decoding.hpp"
#include "daftra/resources/table.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace daftra::resources {
namespace json = boost::json;

namespace {

std::string segment(std::string_view s) { return boost::urls::encode(s, boost::urls::unreserved_chars); }

std::string v2_base(std::string_view entity) { return "/v2/api/entity/" + segment(entity); }

// Request body of one invoice: `{"Invoice":{...}, "InvoiceItem":[...], ...}` as an object.
json::object invoice_body(const invoice& inv) {
    json::object fields, siblings;
    model::encode(inv, fields, &siblings, model::encoding::request);
    json::object body;
    body.emplace(invoices.write_key, std::move(fields));
    for (auto& kv : siblings) body.emplace(kv.key(), std::move(kv.value()));
    return body;
}

} // namespace

transport::request note_create_request(std::string_view owner_type, std::int64_t owner_id, const note& n) {
    json::object fields, siblings;
    model::encode(n, fields, &siblings, model::encoding::request);
    std::string target = "/api2/notes/" + segment(owner_type) + "/" + std::to_string(owner_id) + ".json";
    return make_request(transport::verb::post, std::move(target), make_body(notes, std::move(fields), std::move(siblings)));
}

transport::request follow_up_actions_request(std::string_view type, const query& q) {
    return make_request(transport::verb::get, with_query("/api2/follow_up_actions/" + segment(type) + ".json", q));
}

transport::request bulk_invoice_request(std::span<const invoice> list, const query& q) {
    json::array bodies;
    bodies.reserve(list.size());
    for (const auto& inv : list) bodies.emplace_back(invoice_body(inv));
    return make_request(transport::verb::post, with_query("/api2/invoices/add_bulk.json", q), json::serialize(bodies));
}

result<std::vector<result<created>>> bulk_invoice_answer(const transport::response& response) {
    auto root = parse_answer(response);
    if (!root) return root.error();
    if (!root->is_array()) {
        error e;
        e.kind = error_kind::decode;
        e.message = "unexpected JSON: a bulk create answers with an array";
        return decode_failure(std::move(e), response, {});
    }
    std::vector<result<created>> out;
    out.reserve(root->get_array().size());
    for (const auto& item : root->get_array()) {
        const json::object* o = item.if_object();
        const json::value* outcome = o ? o->if_contains("result") : nullptr;
        const bool failed = outcome && outcome->is_string() && outcome->get_string() == "failed";
        if (!o || failed || !o->contains("id")) {
            std::int64_t code = 400;
            if (o)
                if (const auto* c = o->if_contains("code"); c && c->is_int64() && c->get_int64() >= 400 && c->get_int64() <= 599)
                    code = c->get_int64();
            out.emplace_back(decode_error(static_cast<unsigned>(code), json::serialize(item)));
            continue;
        }
        out.emplace_back(created_answer(item, invoices));
    }
    return out;
}

transport::request booking_status_request(std::int64_t id, int status) {
    return make_request(transport::verb::get,
                        "/api2/bookings/change_status/" + std::to_string(id) + "/" + std::to_string(status));
}

transport::request booking_convert_request(std::int64_t id) {
    return make_request(transport::verb::get, "/api2/bookings/convert_to_invoice/" + std::to_string(id));
}

transport::request v2_list_request(std::string_view entity, int level, const query& q) {
    return make_request(transport::verb::get, with_query(v2_base(entity) + "/list/" + std::to_string(level), q));
}

result<page<json::object>> v2_list_answer(const transport::response& response, std::int64_t requested_page) {
    auto root = parse_answer(response);
    if (!root) return root.error();
    auto view = list_items(*root, requested_page);
    if (!view) return decode_failure(view.error(), response, {});
    page<json::object> out;
    out.page = view->page;
    out.page_count = view->page_count;
    out.total_results = view->total_results;
    out.items.reserve(view->items.size());
    for (const auto* item : view->items) out.items.emplace_back(*item, json::storage_ptr());
    return out;
}

transport::request v2_get_request(std::string_view entity, std::int64_t id, int level) {
    return make_request(transport::verb::get, v2_base(entity) + "/" + std::to_string(id) + "/" + std::to_string(level));
}

transport::request v2_show_request(std::string_view entity, std::int64_t id) {
    return make_request(transport::verb::get, v2_base(entity) + "/" + std::to_string(id) + "/show");
}

result<json::object> v2_get_answer(const transport::response& response) {
    auto root = parse_answer(response);
    if (!root) return root.error();
    auto item = single_item(*root);
    if (!item) return decode_failure(item.error(), response, {});
    return json::object(**item, json::storage_ptr());
}

transport::request v2_create_request(std::string_view entity, const json::object& body) {
    return make_request(transport::verb::post, v2_base(entity), json::serialize(body));
}

v2_edit v2_edit_form(std::string_view entity) noexcept {
    // The resource table says which entities edit by POST (its v2 lines' update_as): one list, not two.
    constexpr std::string_view v2_root = "/v2/api/entity/";
    v2_edit form = v2_edit::put_to_record;
    for_each_resource([&](const resource_info& spec) {
        if (spec.update_as == update_form::post_with_id && spec.path.starts_with(v2_root) && spec.path.substr(v2_root.size()) == entity)
            form = v2_edit::post_with_id;
    });
    return form;
}

transport::request v2_update_request(std::string_view entity, std::int64_t id, json::object body) {
    body["id"] = id;
    if (v2_edit_form(entity) == v2_edit::post_with_id)
        return make_request(transport::verb::post, v2_base(entity), json::serialize(body));
    return make_request(transport::verb::put, v2_base(entity) + "/" + std::to_string(id), json::serialize(body));
}

namespace {

// A part answered with something else than what it asked for: the server's message when it gave one.
error multi_part_failure(const json::value* part, std::string_view alias) {
    error e;
    e.kind = part ? error_kind::client : error_kind::decode;
    const json::object* o = part ? part->if_object() : nullptr;
    const json::value* m = o ? o->if_contains("message") : nullptr;
    if (m && m->is_string()) e.message = m->get_string();
    else e.message = part ? "unexpected JSON for multi-entity part '" + std::string(alias) + "'"
                          : "the multi-entity answer has no part '" + std::string(alias) + "'";
    if (part) e.body = json::serialize(*part);
    return e;
}

} // namespace

result<transport::request> v2_multi_request(std::span<const v2_multi_part> parts) {
    if (parts.empty()) return make_error(error_kind::invalid_argument, {}, "a multi-entity call needs at least one part");
    json::array body;
    body.reserve(parts.size());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& p = parts[i];
        if (p.key.empty()) return make_error(error_kind::invalid_argument, {}, "multi-entity part " + std::to_string(i) + " has no key");
        for (std::size_t j = 0; j < i; ++j)
            if (parts[j].answer_key() == p.answer_key())
                return make_error(error_kind::invalid_argument, {}, "two multi-entity parts are answered under '" + p.answer_key() + "': give them an alias");
        json::object options;
        if (p.action == v2_multi_part::action_kind::show) {
            options["id"] = p.id;
        } else {
            const query& q = p.options;
            if (q.page) options["page"] = *q.page;
            if (q.limit) options["per_page"] = *q.limit;
            if (!q.sort.empty()) options["sort"] = q.sort;
            if (q.direction != sort_direction::server_default) options["direction"] = q.direction == sort_direction::asc ? "ASC" : "DESC";
            for (const auto& [k, v] : q.filters) options[k] = v;
        }
        json::object item{{"key", p.key},
                          {"action", p.action == v2_multi_part::action_kind::show ? "show" : "list"},
                          {"options", std::move(options)},
                          {"data_level", p.data_level}};
        if (!p.alias.empty()) item["alias"] = p.alias;
        body.emplace_back(std::move(item));
    }
    return make_request(transport::verb::post, "/v2/api/multi-entity", json::serialize(body));
}

result<v2_multi_answer> v2_multi_answer_of(const transport::response& response, std::span<const v2_multi_part> parts) {
    auto root = parse_answer(response);
    if (!root) return root.error();
    const json::object* all = root->if_object();
    if (!all) {
        error e;
        e.kind = error_kind::decode;
        e.message = "unexpected JSON: a multi-entity call answers with an object of parts";
        return decode_failure(std::move(e), response, {});
    }
    v2_multi_answer out;
    for (const auto& p : parts) {
        const std::string& alias = p.answer_key();
        const json::value* part = all->if_contains(alias);
        if (p.action == v2_multi_part::action_kind::show) {
            auto item = part && part->is_object() && part->get_object().contains("id") ? single_item(*part)
                                                                                        : result<const json::object*>(multi_part_failure(part, alias));
            if (item) out.records.emplace(alias, json::object(**item, json::storage_ptr()));
            else out.records.emplace(alias, item.error());
        } else {
            const bool paged = part && part->is_object() && part->get_object().contains("data");
            auto view = paged ? list_items(*part, p.options.page.value_or(1)) : result<list_view>(multi_part_failure(part, alias));
            if (!view) {
                out.pages.emplace(alias, view.error());
                continue;
            }
            page<json::object> pg;
            pg.page = view->page;
            pg.page_count = view->page_count;
            pg.total_results = view->total_results;
            pg.items.reserve(view->items.size());
            for (const auto* item : view->items) pg.items.emplace_back(*item, json::storage_ptr());
            out.pages.emplace(alias, std::move(pg));
        }
    }
    return out;
}

} // namespace daftra::resources
