// Daftra's error bodies come in several shapes (docs/daftra-api.md, "Errors"): the v1 object with
// `validation_errors` as one string per field, Laravel's `errors` as lists per field, messages
// nested one level deeper on some v2 401s. All are read; nothing in the body is required.

#include "daftra/detail/error_decoding.hpp"

#include <boost/json/serialize.hpp>

#include <boost/json/parse.hpp>

namespace daftra::resources {
namespace json = boost::json;

namespace {

std::string text_of(const json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    return json::serialize(v);
}

std::string join(std::string_view prefix, std::string_view key) {
    std::string out(prefix);
    if (!out.empty() && !key.empty()) out += '.';
    out += key;
    return out;
}

void collect(const json::value& v, const std::string& field, std::vector<field_error>& out, int depth);

// One entry of an `errors` / `validation_errors` array: a message, or {"field":…,"message":…}.
void collect_array(const json::array& a, const std::string& field, std::vector<field_error>& out, int depth) {
    for (const auto& e : a) {
        if (e.is_object()) {
            const auto& o = e.get_object();
            const auto* name = o.if_contains("field");
            const auto* msg = o.if_contains("message");
            if (msg) {
                out.push_back({name ? join(field, text_of(*name)) : field, text_of(*msg)});
                continue;
            }
        }
        collect(e, field, out, depth + 1);
    }
}

void collect(const json::value& v, const std::string& field, std::vector<field_error>& out, int depth) {
    // Error bodies are tiny; the depth cap only guards against hostile nesting.
    if (depth > 8) return;
    switch (v.kind()) {
    case json::kind::object:
        for (const auto& kv : v.get_object()) collect(kv.value(), join(field, kv.key()), out, depth + 1);
        break;
    case json::kind::array: collect_array(v.get_array(), field, out, depth); break;
    case json::kind::null: break;
    default: out.push_back({field, text_of(v)}); break;
    }
}

std::string message_of(const json::object& o) {
    const auto* m = o.if_contains("message");
    if (!m) return {};
    if (m->is_string()) return std::string(m->get_string());
    if (m->is_object()) return message_of(m->get_object());  // v2 401: the v1 object inside message
    if (m->is_null()) return {};
    return json::serialize(*m);
}

} // namespace

error decode_error(unsigned status, std::string_view body) {
    error e;
    e.kind = kind_for_status(status);
    e.status = status;
    e.maybe_sent = true;  // the server answered: the request reached it
    e.body.assign(body.substr(0, max_error_body));
    boost::system::error_code ec;
    json::value root = json::parse(body, ec);
    if (!ec && root.is_object()) {
        const auto& o = root.get_object();
        e.message = message_of(o);
        for (const char* key : {"validation_errors", "errors"})
            if (const auto* v = o.if_contains(key)) collect(*v, std::string(), e.fields, 0);
        if (const auto* t = o.if_contains("error_type"); t && !t->is_null()) e.error_type = text_of(*t);
        if (const auto* x = o.if_contains("extra_data"); x && !x->is_null()) e.extra_data = json::serialize(*x);
    }
    if (e.message.empty()) e.message = "HTTP " + std::to_string(status);
    return e;
}

} // namespace daftra::resources
