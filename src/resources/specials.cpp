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
    for (std::string_view posted : {"credit_usage", "credit_type", "credit_charge", "package"})
        if (entity == posted) return v2_edit::post_with_id;
    return v2_edit::put_to_record;
}

transport::request v2_update_request(std::string_view entity, std::int64_t id, json::object body) {
    body["id"] = id;
    if (v2_edit_form(entity) == v2_edit::post_with_id)
        return make_request(transport::verb::post, v2_base(entity), json::serialize(body));
    return make_request(transport::verb::put, v2_base(entity) + "/" + std::to_string(id), json::serialize(body));
}

} // namespace daftra::resources
