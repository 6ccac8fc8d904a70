#include "util.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

#include <cctype>
#include <charconv>
#include <ctime>

namespace daftra::sandbox::detail {

namespace json = boost::json;

response json_response(unsigned status, const json::value& body) {
    response r;
    r.status = status;
    r.body = json::serialize(body);
    return r;
}

response error_response(unsigned status, std::string_view message) {
    return json_response(status, json::object{{"result", "failed"}, {"code", status}, {"message", message}});
}

response method_not_allowed(std::string_view allow) {
    auto r = error_response(405, "Method Not Allowed");
    r.headers.emplace_back("Allow", std::string(allow));
    return r;
}

std::optional<param_list> parse_params(std::string_view query, bool plus_as_space) {
    param_list out;
    if (query.empty()) return out;
    // Boost.URL 1.81's parse_query / params_view read their string_view argument as a C string
    // (strlen), past the end of a view that is not null-terminated (a Beast target is followed by
    // " HTTP/1.1"): give them a null-terminated copy.
    const std::string copy(query);
    auto parsed = boost::urls::parse_query(copy);
    if (!parsed) return std::nullopt;
    boost::urls::encoding_opts opt;
    opt.space_as_plus = plus_as_space;
    try {
        boost::urls::params_view view(copy, opt);
        for (auto p : view) out.emplace_back(std::string(p.key), std::string(p.value));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return out;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Value of a `key=value` (or key="value") parameter inside a header value.
std::string_view header_param(std::string_view header, std::string_view key) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto semi = header.find(';', pos);
        auto part = trim(header.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
        pos = semi == std::string_view::npos ? header.size() : semi + 1;
        auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        if (!iequals(trim(part.substr(0, eq)), key)) continue;
        auto v = trim(part.substr(eq + 1));
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
        return v;
    }
    return {};
}

} // namespace

std::optional<param_list> parse_multipart(std::string_view body, std::string_view content_type) {
    auto boundary = header_param(content_type, "boundary");
    if (boundary.empty() || boundary.size() > 200) return std::nullopt;
    const std::string delim = "--" + std::string(boundary);
    param_list out;
    auto pos = body.find(delim);
    if (pos == std::string_view::npos) return std::nullopt;
    for (;;) {
        pos += delim.size();
        if (body.substr(pos, 2) == "--") return out;  // closing delimiter
        if (body.substr(pos, 2) != "\r\n") return std::nullopt;
        pos += 2;
        auto head_end = body.find("\r\n\r\n", pos);
        if (head_end == std::string_view::npos) return std::nullopt;
        auto headers = body.substr(pos, head_end - pos);
        auto next = body.find("\r\n" + delim, head_end + 4);
        if (next == std::string_view::npos) return std::nullopt;
        auto value = body.substr(head_end + 4, next - head_end - 4);
        std::string_view name;
        std::size_t hp = 0;
        while (hp < headers.size()) {
            auto eol = headers.find("\r\n", hp);
            auto line = headers.substr(hp, eol == std::string_view::npos ? std::string_view::npos : eol - hp);
            hp = eol == std::string_view::npos ? headers.size() : eol + 2;
            auto colon = line.find(':');
            if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), "Content-Disposition"))
                name = header_param(line.substr(colon + 1), "name");
        }
        if (!name.empty()) out.emplace_back(std::string(name), std::string(value));
        pos = next + 2;
    }
}

void stringify_numbers(json::value& v) {
    switch (v.kind()) {
    case json::kind::int64: v = std::to_string(v.get_int64()); break;
    case json::kind::uint64: v = std::to_string(v.get_uint64()); break;
    case json::kind::double_: {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
        v = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
        break;
    }
    case json::kind::array:
        for (auto& e : v.get_array()) stringify_numbers(e);
        break;
    case json::kind::object:
        for (auto& kv : v.get_object()) stringify_numbers(kv.value());
        break;
    default: break;
    }
}

std::string now_string() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

} // namespace daftra::sandbox::detail
