// The one generic mechanism behind every v1 resource: validation and coercion from the table,
// list with filters/sort/pagination, get, create, update, delete.
#include "service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <variant>
#include <cstdio>
#include <cmath>

namespace daftra::sandbox::detail {

namespace json = boost::json;

namespace {

bool is_blank(const json::value& v) {
    return v.is_null() || (v.is_string() && v.get_string().empty());
}

// Coerces a value to the documented type where that is lossless: "15" -> 15 for integers,
// true -> 1 for booleans (documented as 0/1). Anything else is kept as sent.
json::value coerce(field_type t, const json::value& v) {
    if (v.is_string() && (t == field_type::integer || t == field_type::number)) {
        std::string_view s = v.get_string();
        if (s.empty()) return v;
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
        if (ec == std::errc{} && p == s.data() + s.size()) return i;
        if (t == field_type::number) {
            double d = 0;
            auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
            if (ec2 == std::errc{} && p2 == s.data() + s.size() && std::isfinite(d)) return d;
        }
        return v;
    }
    if (v.is_bool() && t == field_type::boolean) return v.get_bool() ? 1 : 0;
    if (v.is_string() && t == field_type::boolean) {
        std::string_view s = v.get_string();
        if (s == "1" || s == "true") return 1;
        if (s == "0" || s == "false") return 0;
    }
    return v;
}

json::object coerce_object(std::span<const field_def> fields, const json::object& in) {
    json::object out;
    out.reserve(in.size() + 4);
    for (const auto& [k, v] : in) {
        if (k == "id") continue;  // ids belong to the server
        const field_def* f = nullptr;
        for (const auto& fd : fields)
            if (fd.name == k) {
                f = &fd;
                break;
            }
        out[k] = f ? coerce(f->type, v) : v;
    }
    return out;
}

void require(std::span<const field_def> fields, const json::object& obj, std::string_view prefix, json::object& errors) {
    for (const auto& f : fields) {
        if (!f.required) continue;
        const auto* v = obj.if_contains(f.name);
        if (!v || is_blank(*v)) {
            std::string key(prefix);
            key += f.name;
            errors[key] = "This field is required";
        }
    }
}

double as_number(const json::value& v) {
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_double()) return v.get_double();
    if (v.is_string()) {
        double d = 0;
        std::string_view s = v.get_string();
        std::from_chars(s.data(), s.data() + s.size(), d);
        return d;
    }
    return 0;
}

json::value money(double d) {
    double r = std::round(d * 100) / 100;
    if (r == std::floor(r) && std::fabs(r) < 1e15) return static_cast<std::int64_t>(r);
    return r;
}

// Sales documents: totals and payment status from the line and payment rows, as Daftra computes them.
void compute_totals(json::object& rec) {
    auto* items = rec.if_contains("InvoiceItem");
    if (!items || !items->is_array()) return;
    double subtotal = 0;
    for (auto& row : items->get_array()) {
        if (!row.is_object()) continue;
        auto& o = row.get_object();
        double line = 0;
        if (auto* p = o.if_contains("unit_price"))
            if (auto* q = o.if_contains("quantity")) line = as_number(*p) * as_number(*q);
        o["subtotal"] = money(line);
        subtotal += line;
    }
    double discount = 0;
    if (auto* d = rec.if_contains("discount_amount"); d && !is_blank(*d)) discount = as_number(*d);
    else if (auto* p = rec.if_contains("discount"); p && !is_blank(*p)) discount = subtotal * as_number(*p) / 100;
    double total = subtotal - discount;
    double paid = 0;
    for (const char* key : {"InvoicePayment", "Payment"})
        if (auto* pays = rec.if_contains(key); pays && pays->is_array())
            for (const auto& row : pays->get_array())
                if (row.is_object())
                    if (auto* a = row.get_object().if_contains("amount")) paid += as_number(*a);
    rec["summary_subtotal"] = money(subtotal);
    rec["summary_discount"] = money(discount);
    rec["summary_total"] = money(total);
    rec["summary_paid"] = money(paid);
    rec["summary_unpaid"] = money(std::max(0.0, total - paid));
    if (rec.contains("payment_status")) {
        int status = paid <= 0 ? 0 : (paid + 0.005 < total ? 1 : (paid > total + 0.005 ? 4 : 2));
        rec["payment_status"] = status;
    }
}

} // namespace

service::build_result service::build(const resource_def& r, const json::object& body, bool v2, bool create) {
    build_result out;
    const json::object* main = &body;
    json::object empty;
    if (!v2) {
        const json::value* w = body.if_contains(r.wrapper);
        if (!w && r.response_wrapper != r.wrapper) w = body.if_contains(r.response_wrapper);
        if (w && !w->is_object()) {
            out.errors[r.wrapper] = "Must be an object";
            return out;
        }
        main = w ? &w->get_object() : &empty;
    }
    out.fields = coerce_object(r.fields, *main);
    if (create) {
        require(r.fields, out.fields, "", out.errors);
        if (r.name_rule) {
            bool named = false;
            for (const char* k : {"business_name", "first_name", "last_name", "name"})
                if (auto* v = out.fields.if_contains(k); v && !is_blank(*v)) named = true;
            if (!named) out.errors["business_name"] = "Client name is required (business_name or first_name/last_name)";
        }
    } else {
        for (const auto& f : r.fields)
            if (f.required)
                if (auto* v = out.fields.if_contains(f.name); v && is_blank(*v)) out.errors[f.name] = "This field is required";
    }
    for (const auto& c : r.children) {
        const json::value* rows = body.if_contains(c.key);
        if (!rows && c.out_key != c.key) rows = body.if_contains(c.out_key);
        if (!rows && v2) continue;
        if (!rows) {
            if (v2) continue;
            // A v1 record always carries its child arrays in answers.
            if (create) out.fields[c.out_key] = json::array{};
            continue;
        }
        json::array list;
        auto add = [&](const json::value& row, std::size_t i) {
            std::string prefix = std::string(c.key) + "." + std::to_string(i) + ".";
            if (!row.is_object()) {
                out.errors[prefix.substr(0, prefix.size() - 1)] = "Must be an object";
                return;
            }
            auto o = coerce_object(c.fields, row.get_object());
            require(c.fields, o, prefix, out.errors);
            o["id"] = child_ids_.fetch_add(1, std::memory_order_relaxed);
            list.emplace_back(std::move(o));
        };
        if (rows->is_array()) {
            std::size_t i = 0;
            for (const auto& row : rows->get_array()) add(row, i++);
        } else if (rows->is_object()) {
            add(*rows, 0);  // e.g. an advance payment sends Payment as one object
        } else if (!rows->is_null()) {
            out.errors[c.key] = "Must be an array";
        }
        out.fields[c.out_key] = std::move(list);
    }
    if (create && !r.defaults.empty()) {
        boost::system::error_code ec;
        auto d = json::parse(r.defaults, ec);
        if (!ec && d.is_object())
            for (const auto& [k, v] : d.get_object())
                if (!out.fields.contains(k)) out.fields[k] = v;
    }
    if (create) compute_totals(out.fields);
    return out;
}

std::int64_t service::insert(std::string_view coll, json::object fields, std::string* number) {
    auto now = now_string();
    return db_.write([&](collections& data) {
        auto it = data.find(coll);
        if (it == data.end()) it = data.emplace(std::string(coll), collection{}).first;
        auto& c = it->second;
        std::int64_t id = c.next_id++;
        json::object row;
        row.reserve(fields.size() + 3);
        row["id"] = id;
        for (auto& [k, v] : fields) row[k] = std::move(v);
        if (!row.contains("created")) row["created"] = now;
        row["modified"] = now;
        if (number) {
            const auto* no = row.if_contains("no");
            if (!no || no->is_null() || (no->is_string() && no->get_string().empty())) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(id));
                row["no"] = buf;
                no = row.if_contains("no");
            }
            *number = no->is_string() ? std::string(no->get_string()) : json::serialize(*no);
        }
        c.rows[id] = std::move(row);
        return id;
    });
}

bool service::has_recursive(const resource_def& r) {
    return r.id == "invoices" || r.id == "estimates" || r.id == "credit_notes" || r.id == "refund_receipts";
}

json::object service::render(const resource_def& r, const json::object& row, const collections& data, depth shown) const {
    json::object out = row;
    if (shown != depth::full)
        for (const auto& c : r.children) out.erase(c.out_key);
    if (shown == depth::header && !r.ref_key.empty()) out.erase(r.ref_key);
    if (!r.ref_key.empty() && shown != depth::header) {
        json::value ref = json::object{};
        if (const auto* fk = row.if_contains(r.ref_field)) {
            std::optional<std::int64_t> id;
            if (fk->is_int64()) id = fk->get_int64();
            else if (fk->is_string()) id = parse_id(fk->get_string());
            auto c = data.find(r.ref_collection);
            if (id && c != data.end())
                if (auto rr = c->second.rows.find(*id); rr != c->second.rows.end()) ref = rr->second;
        }
        out[r.ref_key] = std::move(ref);
    }
    if (shown == depth::full)
        for (auto k : r.empty_nested)
            if (!out.contains(k)) out[k] = json::array{};
    if (auto urls = file_urls(r, row)) {
        out["invoice_pdf_url"] = urls->first;
        out["invoice_html_url"] = urls->second;
    }
    return out;
}

void service::append_rendered(std::string& out, const resource_def& r, const json::object& row,
                              const collections& data, depth shown) const {
    if (shown != depth::full || numbers_as_strings_ || (!r.ref_key.empty() && row.contains(r.ref_key))) {
        json::value rec = render(r, row, data, shown);
        finish_numbers(rec);
        out += json::serialize(rec);
        return;
    }
    // Fast path: serialize the stored record as it is and append the added members before its
    // closing brace, without copying the record (the keys added are plain identifiers).
    const auto start = out.size();
    out += json::serialize(row);
    out.pop_back();  // '}'
    bool comma = out.size() - start > 1;
    auto member = [&](std::string_view key) {
        if (comma) out += ',';
        comma = true;
        out += '"';
        out += key;
        out += "\":";
    };
    if (!r.ref_key.empty()) {
        const json::object* ref = nullptr;
        if (const auto* fk = row.if_contains(r.ref_field)) {
            std::optional<std::int64_t> id;
            if (fk->is_int64()) id = fk->get_int64();
            else if (fk->is_string()) id = parse_id(fk->get_string());
            auto c = data.find(r.ref_collection);
            if (id && c != data.end())
                if (auto rr = c->second.rows.find(*id); rr != c->second.rows.end()) ref = &rr->second;
        }
        member(r.ref_key);
        out += ref ? json::serialize(*ref) : std::string("{}");
    }
    for (auto k : r.empty_nested)
        if (!row.contains(k)) {
            member(k);
            out += "[]";
        }
    if (auto urls = file_urls(r, row)) {
        member("invoice_pdf_url");
        out += json::serialize(json::string(urls->first));
        member("invoice_html_url");
        out += json::serialize(json::string(urls->second));
    }
    out += '}';
}

response service::v1_collection(const resource_def& r, const request& req, const route& rt) {
    if (req.method == "GET" && r.has(op_list)) return v1_list(r, rt);
    if (req.method == "POST" && r.has(op_create)) {
        auto body = parse_body(req);
        if (!body) return error_response(400, "Malformed JSON");
        return v1_create(r, *body);
    }
    std::string allow;
    if (r.has(op_list)) allow = "GET";
    if (r.has(op_create)) allow += allow.empty() ? "POST" : ", POST";
    return method_not_allowed(allow);
}

response service::v1_item(const resource_def& r, const request& req, const route& rt, std::string_view id) {
    if (req.method == "GET" && r.has(op_get)) return v1_get(r, id, rt.query);
    if ((req.method == "PUT" || (req.method == "POST" && r.has(op_update))) && r.has(op_update)) {
        auto body = parse_body(req);
        if (!body) return error_response(400, "Malformed JSON");
        return v1_update(r, id, *body);
    }
    if (req.method == "DELETE" && r.has(op_delete)) return v1_delete(r, id);
    std::string allow;
    for (auto [o, m] : {std::pair{op_get, "GET"}, std::pair{op_update, "PUT, POST"}, std::pair{op_delete, "DELETE"}})
        if (r.has(o)) allow += (allow.empty() ? "" : ", ") + std::string(m);
    return method_not_allowed(allow);
}

namespace {

std::string text_of(const json::value& v) {
    switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
        return std::string(buf, r.ptr);
    }
    case json::kind::bool_: return v.get_bool() ? "1" : "0";
    default: return {};
    }
}

bool numeric(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

struct list_query {
    std::int64_t page = 1;
    std::int64_t limit = 20;
    std::string sort;
    bool desc = false;
    std::vector<std::pair<std::string, std::string>> equals;
    std::string date_from, date_to;
    bool drafts_only = false;
};

// The page links keep every parameter of the request and change only `page`.
json::value page_link(std::string_view path, std::string_view query, std::int64_t page) {
    std::string s(path);
    s += '?';
    std::size_t pos = 0;
    while (pos <= query.size() && !query.empty()) {
        auto amp = query.find('&', pos);
        auto part = query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
        if (!part.empty() && !part.starts_with("page=") && part != "page") {
            s += part;
            s += '&';
        }
        if (amp == std::string_view::npos) break;
        pos = amp + 1;
    }
    s += "page=" + std::to_string(page);
    return json::value(s);
}

} // namespace

namespace {

// `recursive=-1|0|1` as a depth; nullopt when absent, an error answer when malformed.
std::variant<std::optional<service::depth>, response> recursive_param(std::string_view value) {
    if (value == "-1") return std::optional(service::depth::header);
    if (value == "0") return std::optional(service::depth::with_ref);
    if (value == "1") return std::optional(service::depth::full);
    return error_response(400, "recursive must be -1, 0 or 1");
}

} // namespace

response service::v1_list(const resource_def& r, const route& rt, std::string_view filter_field, std::string_view filter_value,
                          std::optional<depth> shown) {
    auto params = parse_params(rt.query, true);
    if (!params) return error_response(400, "Malformed query string");
    if (!shown) shown = has_recursive(r) ? depth::with_ref : depth::full;  // documented default: 0
    list_query q;
    q.desc = r.default_desc;
    bool direction_given = false;
    // The page size is `limit` on v1 lists and `per_page` on the v2 entity API's (a Laravel paginator):
    // each ignores the other's name, as the real servers do, so a client that sends the wrong one gets
    // the default page size.
    const std::string_view page_size_key = rt.path.starts_with("/v2/") ? "per_page" : "limit";
    for (const auto& [k, v] : *params) {
        if (k == "page") {
            auto n = parse_id(v);
            if (!n || *n < 1) return error_response(400, "page must be a positive integer");
            q.page = *n;
        } else if (k == page_size_key) {
            auto n = parse_id(v);
            if (!n || *n < 1) return error_response(400, std::string(page_size_key) + " must be a positive integer");
            q.limit = std::min<std::int64_t>(*n, 1000);
        } else if (k == "sort") {
            q.sort = v;
            if (!direction_given) q.desc = true;  // documented default direction: DESC
        } else if (k == "direction") {
            direction_given = true;
            if (iequals(v, "asc")) q.desc = false;
            else if (iequals(v, "desc")) q.desc = true;
            else return error_response(400, "direction must be ASC or DESC");
        } else if (k == "date_from") q.date_from = v;
        else if (k == "date_to") q.date_to = v;
        else if (k == "payment_status" && v == "-1") q.drafts_only = true;
        else if (k == "draft" && v == "0") q.equals.emplace_back("draft", "0");
        else if (k == "draft" && v == "1") q.drafts_only = true;
        else if (k == "recursive" && has_recursive(r) && !rt.path.starts_with("/v2/")) {
            auto d = recursive_param(v);
            if (auto* bad = std::get_if<response>(&d)) return std::move(*bad);
            shown = std::get<0>(d);
        } else if (k == "id" || r.field(k)) q.equals.emplace_back(k, v);
        else if (k.starts_with("filter[") && k.ends_with("]")) q.equals.emplace_back(k.substr(7, k.size() - 8), v);
        // other parameters (keywords, ...) are accepted and ignored
    }
    if (!filter_field.empty()) q.equals.emplace_back(std::string(filter_field), std::string(filter_value));

    return db_.read([&](const collections& data) {
        std::vector<const json::object*> rows;
        if (auto c = data.find(r.id); c != data.end()) {
            rows.reserve(c->second.rows.size());
            for (const auto& [id, row] : c->second.rows) {
                bool ok = true;
                for (const auto& [k, v] : q.equals) {
                    const auto* f = row.if_contains(k);
                    if (!f || text_of(*f) != v) {
                        ok = false;
                        break;
                    }
                }
                if (ok && q.drafts_only) {
                    const auto* d = row.if_contains("draft");
                    ok = d && text_of(*d) == "1";
                }
                if (ok && (!q.date_from.empty() || !q.date_to.empty())) {
                    const auto* d = row.if_contains("date");
                    std::string date = d ? text_of(*d).substr(0, 10) : std::string{};
                    if (!q.date_from.empty() && date < q.date_from) ok = false;
                    if (!q.date_to.empty() && (date.empty() || date > q.date_to)) ok = false;
                }
                if (ok) rows.push_back(&row);
            }
        }
        if (!q.sort.empty() && q.sort != "id") {
            const std::string& key = q.sort;
            std::stable_sort(rows.begin(), rows.end(), [&](const json::object* a, const json::object* b) {
                const auto* va = a->if_contains(key);
                const auto* vb = b->if_contains(key);
                if (!va || !vb) return va == nullptr && vb != nullptr;  // missing values first
                if (numeric(*va) && numeric(*vb)) return as_number(*va) < as_number(*vb);
                return text_of(*va) < text_of(*vb);
            });
        }
        if (q.desc) std::reverse(rows.begin(), rows.end());

        const auto total = static_cast<std::int64_t>(rows.size());
        const std::int64_t page_count = std::max<std::int64_t>(1, (total + q.limit - 1) / q.limit);
        std::string items;  // the rendered rows, serialized straight from the store
        const std::int64_t first = (q.page - 1) * q.limit;
        if (first < total) {
            const auto last = std::min(total, first + q.limit);
            for (auto i = first; i < last; ++i) {
                items += i == first ? "{\"" : ",{\"";
                items += r.response_wrapper;
                items += "\":";
                append_rendered(items, r, *rows[static_cast<std::size_t>(i)], data, *shown);
                items += '}';
            }
        }
        json::object pagination{
            {"page", q.page},
            {"page_count", page_count},
            {"total_results", total},
            {"prev", q.page > 1 ? page_link(rt.path, rt.query, std::min(q.page - 1, page_count)) : json::value(nullptr)},
            {"next", q.page < page_count ? page_link(rt.path, rt.query, q.page + 1) : json::value(nullptr)},
        };
        response res;
        res.body.reserve(items.size() + 256);
        res.body = R"({"code":200,"result":"successful","data":[)";
        res.body += items;
        res.body += R"(],"pagination":)";
        res.body += json::serialize(pagination);
        res.body += '}';
        return res;
    });
}

response service::not_found(const resource_def& r) {
    if (r.id != "requisitions") return not_found();
    return json_response(404, json::object{{"result", "failed"}, {"code", 404}, {"message", "Item not found"},
                                           {"error_type", "not_found"}, {"extra_data", json::object{}}});
}

response service::v1_get(const resource_def& r, std::string_view id_text, std::string_view query, std::optional<depth> shown) {
    auto id = parse_id(id_text);
    if (!id) return not_found(r);
    if (!shown) {
        shown = depth::full;  // a single get nests everything unless `recursive` says otherwise
        auto params = parse_params(query, true);
        if (!params) return error_response(400, "Malformed query string");
        for (const auto& [k, v] : *params)
            if (k == "recursive" && has_recursive(r)) {
                auto d = recursive_param(v);
                if (auto* bad = std::get_if<response>(&d)) return std::move(*bad);
                shown = std::get<0>(d);
            }
    }
    return db_.read([&](const collections& data) {
        auto c = data.find(r.id);
        if (c == data.end()) return not_found(r);
        auto row = c->second.rows.find(*id);
        if (row == c->second.rows.end()) return not_found(r);
        // "GET single returns only standard invoices (type 0); other document types give 404".
        if (r.id == "invoices")
            if (const auto* t = row->second.if_contains("type"); t && text_of(*t) != "0" && !text_of(*t).empty())
                return error_response(404, "Invoice not found");
        response res;
        res.body = R"({"code":200,"result":"successful","data":{")";
        res.body += r.response_wrapper;
        res.body += "\":";
        append_rendered(res.body, r, row->second, data, *shown);
        res.body += "}}";
        return res;
    });
}

namespace {

// An advance payment (an invoice of type 19) carries its `Payment` as one object, as documented; an
// array there is the mistake of sending it like an ordinary invoice's payments.
bool advance_payment_with_payment_list(const json::object& body, std::string_view wrapper) {
    const auto* inv = body.if_contains(wrapper);
    const auto* type = inv && inv->is_object() ? inv->get_object().if_contains("type") : nullptr;
    if (!type || text_of(*type) != "19") return false;
    const auto* pay = body.if_contains("Payment");
    if (!pay) pay = inv->get_object().if_contains("Payment");
    return pay && pay->is_array();
}

} // namespace

response service::v1_create(const resource_def& r, const json::value& body, const json::object& overrides) {
    if (!body.is_object()) return error_response(400, "Bad Request: the body must be a JSON object");
    if (r.id == "invoices" && advance_payment_with_payment_list(body.get_object(), r.wrapper))
        return validation_failed(json::object{{"Payment", "An advance payment takes one Payment object, not a list"}});
    auto b = build(r, body.get_object(), false, true);
    for (const auto& [k, v] : overrides) b.fields[k] = v;
    if (!b.errors.empty()) return validation_failed(std::move(b.errors));
    std::string number;
    auto id = insert(r.id, std::move(b.fields), r.field("no") ? &number : nullptr);
    stats.count_create(r.id);
    json::value idv = id;
    finish_numbers(idv);
    json::object answer{{"code", 202}, {"result", "successful"}, {"id", std::move(idv)}};
    // "Returns the new id and number" is documented for invoices only; the number sits beside the id.
    if (r.id == "invoices") answer["number"] = number;
    return json_response(202, std::move(answer));
}

response service::v1_update(const resource_def& r, std::string_view id_text, const json::value& body) {
    auto id = parse_id(id_text);
    if (!id) return not_found(r);
    if (!body.is_object()) return error_response(400, "Bad Request: the body must be a JSON object");
    auto b = build(r, body.get_object(), false, false);
    if (!b.errors.empty()) return validation_failed(std::move(b.errors));
    auto now = now_string();
    bool found = db_.write([&](collections& data) {
        auto c = data.find(r.id);
        if (c == data.end()) return false;
        auto row = c->second.rows.find(*id);
        if (row == c->second.rows.end()) return false;
        // Submitted fields overwrite; submitted child rows replace the old ones.
        for (auto& [k, v] : b.fields) row->second[k] = std::move(v);
        row->second["modified"] = now;
        compute_totals(row->second);
        return true;
    });
    if (!found) return not_found(r);
    return json_response(200, json::object{{"code", 200}, {"result", "successful"}});
}

response service::v1_delete(const resource_def& r, std::string_view id_text) {
    auto id = parse_id(id_text);
    if (!id) return not_found(r);
    bool found = db_.write([&](collections& data) {
        auto c = data.find(r.id);
        return c != data.end() && c->second.rows.erase(*id) > 0;
    });
    if (!found) return not_found(r);
    json::object o{{"code", 200}, {"result", "successful"}};
    if (!r.delete_message.empty()) o["message"] = r.delete_message;
    return json_response(200, o);
}

} // namespace daftra::sandbox::detail
