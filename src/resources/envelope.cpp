// Envelope handling shared by every resource. Lenient by design, since Daftra's two documentation
// editions disagree (docs/daftra-api.md, "Envelopes"): `result` may be
// "successful" or "success", create answers 202 or 201, ids arrive as strings or numbers, pagination
// may be missing, and v2 answers use Laravel's shapes.

#include "daftra/detail/envelope.hpp"

#include "daftra/model/lenient.hpp"
#include "daftra/detail/error_decoding.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

namespace daftra::resources {
namespace json = boost::json;

namespace {

error malformed(std::string message) {
    error e;
    e.kind = error_kind::decode;
    e.message = std::move(message);
    return e;
}

// A lenient integer out of an optional key; `fallback` when absent, null or unreadable.
std::int64_t int_or(const json::object& o, std::string_view key, std::int64_t fallback) {
    const auto* v = o.if_contains(key);
    if (!v) return fallback;
    std::optional<std::int64_t> out;
    std::string why;
    if (!model::lenient::read(*v, out, why) || !out) return fallback;
    return *out;
}

// The parsed tree lives only while the answer is decoded (models copy what they keep), so it goes into
// a monotonic arena whose first block is sized for the whole tree: one allocation instead of one per
// string and container. The parser's own stack lives in a local buffer. Nesting deeper than
// parse_options::max_depth (32; Daftra answers nest about 5 levels) is refused, which bounds the work
// a hostile answer can cause.
json::value parse_body(std::string_view body, boost::system::error_code& ec) {
    unsigned char stack[2048];
    json::parser p(json::storage_ptr(), json::parse_options(), stack, sizeof stack);
    p.reset(json::make_shared_resource<json::monotonic_resource>(2 * body.size() + 1024));
    p.write(body.data(), body.size(), ec);
    if (ec) return nullptr;
    return p.release();
}

} // namespace

std::string collection_target(const resource_info& info) {
    std::string t(info.path);
    if (info.json_suffix) t += ".json";
    return t;
}

std::string item_target(const resource_info& info, std::int64_t id) {
    std::string t(info.path);
    t += '/';
    t += std::to_string(id);
    if (info.json_suffix) t += ".json";
    return t;
}

std::string get_target(const resource_info& info, std::int64_t id) {
    if (info.get_path.empty()) return item_target(info, id);
    std::string t(info.get_path);
    if (auto at = t.find("{id}"); at != std::string::npos) t.replace(at, 4, std::to_string(id));
    return t;
}

transport::request make_request(transport::verb method, std::string target, std::string body) {
    transport::request r;
    r.method = method;
    r.target = std::move(target);
    r.headers.push_back({"Accept", "application/json"});
    if (!body.empty()) r.headers.push_back({"Content-Type", "application/json"});
    r.body = std::move(body);
    return r;
}

std::string make_body(const resource_info& info, json::object fields, json::object siblings) {
    if (info.write_key.empty()) {
        for (auto& kv : siblings) fields.emplace(kv.key(), std::move(kv.value()));
        return json::serialize(fields);
    }
    json::object body;
    body.reserve(1 + siblings.size());
    body.emplace(info.write_key, std::move(fields));
    for (auto& kv : siblings) body.emplace(kv.key(), std::move(kv.value()));
    return json::serialize(body);
}

result<json::value> parse_answer(const transport::response& response) {
    if (response.status < 200 || response.status > 299) return decode_error(response.status, response.body);
    if (response.body.empty()) return json::value();
    boost::system::error_code ec;
    json::value root = parse_body(response.body, ec);
    if (ec) {
        error e = malformed("the answer is not JSON: " + ec.message());
        e.status = response.status;
        e.maybe_sent = true;  // the server answered (a create may be stored although its answer is garbage)
        e.body.assign(std::string_view(response.body).substr(0, max_error_body));
        return e;
    }
    // Some v1 errors arrive with HTTP 200 and the real status in `code`.
    if (root.is_object()) {
        const auto& o = root.get_object();
        const auto* r = o.if_contains("result");
        if (r && r->is_string() && r->get_string() == "failed") return failed_answer(response, int_or(o, "code", 0));
    }
    return root;
}

error failed_answer(const transport::response& response, std::int64_t code) {
    unsigned status = code >= 400 && code <= 599 ? static_cast<unsigned>(code) : 400u;
    error e = decode_error(status, response.body);
    e.status = response.status;
    return e;
}

result<list_view> list_items(const json::value& root, std::int64_t requested_page) {
    if (!root.is_object()) return malformed("a list answer must be a JSON object, got " + model::lenient::excerpt(root));
    const auto& o = root.get_object();
    list_view view;
    const json::value* data = o.if_contains("data");
    if (data) {
        if (data->is_array()) {
            view.items.reserve(data->get_array().size());
            std::size_t i = 0;
            for (const auto& e : data->get_array()) {
                if (!e.is_object())
                    return malformed("data[" + std::to_string(i) + "]: expected an object, got " + model::lenient::excerpt(e));
                view.items.push_back(&e.get_object());
                ++i;
            }
        } else if (data->is_object()) {
            // PHP writes a list with non-sequential keys as an object.
            for (const auto& kv : data->get_object()) {
                if (!kv.value().is_object())
                    return malformed("data." + std::string(kv.key()) + ": expected an object, got " + model::lenient::excerpt(kv.value()));
                view.items.push_back(&kv.value().get_object());
            }
        } else if (!data->is_null()) {
            return malformed("data: expected an array, got " + model::lenient::excerpt(*data));
        }
    } else {
        return malformed("a list answer must have `data`");
    }
    auto count = static_cast<std::int64_t>(view.items.size());
    view.page = requested_page;
    view.total_results = count;
    if (const auto* p = o.if_contains("pagination"); p && p->is_object()) {
        const auto& pg = p->get_object();
        view.page = int_or(pg, "page", requested_page);
        view.total_results = int_or(pg, "total_results", count);
        view.page_count = int_or(pg, "page_count", view.page);
    } else {
        // Laravel: fields at the root (bare paginator) or in `meta` (API resources).
        const json::object* lv = &o;
        if (const auto* m = o.if_contains("meta"); m && m->is_object()) lv = &m->get_object();
        view.page = int_or(*lv, "current_page", requested_page);
        view.total_results = int_or(*lv, "total", count);
        view.page_count = int_or(*lv, "last_page", view.page);
    }
    return view;
}

result<const json::object*> single_item(const json::value& root) {
    if (!root.is_object()) return malformed("expected a JSON object, got " + model::lenient::excerpt(root));
    const auto& o = root.get_object();
    const auto* data = o.if_contains("data");
    if (!data) return &o;  // v2: the bare record
    if (data->is_object()) return &data->get_object();
    if (data->is_array() && !data->get_array().empty() && data->get_array()[0].is_object())
        return &data->get_array()[0].get_object();
    return malformed("data: expected an object, got " + model::lenient::excerpt(*data));
}

unwrapped unwrap(const json::object& item, const resource_info& info) {
    for (std::string_view key : {info.read_key, info.read_key_alt}) {
        if (key.empty()) continue;
        if (const auto* v = item.if_contains(key); v && v->is_object()) return {&v->get_object(), key};
    }
    return {&item, {}};
}

std::string document_number(const json::value* v) {
    if (!v) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->get_int64());
    if (v->is_uint64()) return std::to_string(v->get_uint64());
    return {};
}

result<created> created_answer(const json::value& root, const resource_info& info) {
    // The object that holds the id; the number is read beside it.
    const json::object* level = nullptr;
    if (root.is_object()) {
        const auto& o = root.get_object();
        if (o.contains("id")) level = &o;
        else if (const auto* d = o.if_contains("data"); d && d->is_object()) {
            if (d->get_object().contains("id")) level = &d->get_object();
            else if (auto u = unwrap(d->get_object(), info); !u.key.empty() && u.fields->contains("id")) level = u.fields;
        }
    }
    if (!level) return malformed("the create answer has no `id`");
    std::optional<std::int64_t> out;
    std::string why;
    if (!model::lenient::read(level->at("id"), out, why) || !out) return malformed("id" + (why.empty() ? ": empty" : why));
    return created{*out, document_number(level->if_contains("number"))};
}

error unsupported(const resource_info& info, std::string_view operation) {
    error e;
    e.kind = error_kind::invalid_argument;
    e.message = std::string(info.id) + " does not support " + std::string(operation);
    return e;
}

error decode_failure(error e, const transport::response& response, std::string_view at) {
    if (!at.empty()) {
        const std::string_view head = "unexpected JSON at ";
        std::string msg(head);
        msg += at;
        std::string_view rest(e.message);
        if (rest.starts_with(head)) {
            rest.remove_prefix(head.size());
            msg += '.';
        } else {
            msg += ": ";
        }
        msg += rest;
        e.message = std::move(msg);
    }
    e.status = response.status;
    e.maybe_sent = true;  // the server answered: the request reached it
    e.body.assign(std::string_view(response.body).substr(0, max_error_body));
    return e;
}

} // namespace daftra::resources
