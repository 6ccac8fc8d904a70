// Leaf conversions of the lenient converter. Daftra's CakePHP back end sends numbers as strings,
// booleans as 0/1 and empty values as "" or [], so every reader accepts those spellings, and fails
// only when taking the value would lose information.

#include "daftra/model/lenient.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <cmath>
#include <limits>

namespace daftra::model::lenient {
namespace json = boost::json;

namespace {

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// True for the values PHP uses for "nothing": "" (and, for non-array members, only that).
bool is_blank_string(const json::value& v) noexcept {
    return v.is_string() && trim(v.get_string()).empty();
}

std::string_view text_of(const json::value& v) noexcept {
    return std::string_view(v.get_string().data(), v.get_string().size());
}

bool fail(std::string& why, const char* expected, const json::value& v) {
    why = ": expected ";
    why += expected;
    why += ", got ";
    why += excerpt(v);
    return false;
}

// Integral doubles within int64 range convert exactly; anything else would lose information.
bool double_to_int(double d, std::int64_t& out) noexcept {
    if (!std::isfinite(d) || std::trunc(d) != d) return false;
    // 2^63 is exactly representable; the valid range is [-2^63, 2^63).
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

} // namespace

bool parse_int(std::string_view text, std::int64_t& out) noexcept {
    text = trim(text);
    if (text.empty()) return false;
    if (text.front() == '+') text.remove_prefix(1);
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size()) {
        out = value;
        return true;
    }
    // "7.0", "1e3": integral values written as decimals.
    double d = 0;
    return parse_double(text, d) && double_to_int(d, out);
}

bool parse_double(std::string_view text, double& out) noexcept {
    text = trim(text);
    if (text.empty()) return false;
    if (text.front() == '+') text.remove_prefix(1);
    double value = 0;
    // Only the plain decimal grammar: from_chars alone would also take "inf", "nan" and hex forms.
    for (char c : text)
        if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+')) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return false;
    out = value;
    return true;
}

std::string excerpt(const json::value& v) {
    std::string text = json::serialize(v);
    if (text.size() > 40) {
        text.resize(37);
        text += "...";
    }
    return text;
}

bool read_text(std::string_view text, std::optional<std::int64_t>& out) noexcept {
    if (trim(text).empty()) {
        out.reset();
        return true;
    }
    std::int64_t i = 0;
    if (!parse_int(text, i)) return false;
    out = i;
    return true;
}

bool read_text(std::string_view text, std::optional<double>& out) noexcept {
    if (trim(text).empty()) {
        out.reset();
        return true;
    }
    double d = 0;
    if (!parse_double(text, d)) return false;
    out = d;
    return true;
}

bool read_text(std::string_view text, std::optional<bool>& out) noexcept {
    const std::string_view s = trim(text);
    if (s.empty()) out.reset();
    else if (s == "1" || s == "true") out = true;
    else if (s == "0" || s == "false") out = false;
    else return false;
    return true;
}

bool read(const json::value& v, std::optional<std::int64_t>& out, std::string& why) {
    switch (v.kind()) {
    case json::kind::null: out.reset(); return true;
    case json::kind::int64: out = v.get_int64(); return true;
    case json::kind::uint64:
        if (v.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return fail(why, "an integer", v);
        out = static_cast<std::int64_t>(v.get_uint64());
        return true;
    case json::kind::double_: {
        std::int64_t i = 0;
        if (!double_to_int(v.get_double(), i)) return fail(why, "an integer", v);
        out = i;
        return true;
    }
    case json::kind::bool_: out = v.get_bool() ? 1 : 0; return true;
    case json::kind::string:
        if (!read_text(text_of(v), out)) return fail(why, "an integer", v);
        return true;
    default: return fail(why, "an integer", v);
    }
}

bool read(const json::value& v, std::optional<double>& out, std::string& why) {
    switch (v.kind()) {
    case json::kind::null: out.reset(); return true;
    case json::kind::int64: out = static_cast<double>(v.get_int64()); return true;
    case json::kind::uint64: out = static_cast<double>(v.get_uint64()); return true;
    case json::kind::double_: out = v.get_double(); return true;
    case json::kind::string:
        if (!read_text(text_of(v), out)) return fail(why, "a number", v);
        return true;
    default: return fail(why, "a number", v);
    }
}

bool read(const json::value& v, std::optional<bool>& out, std::string& why) {
    switch (v.kind()) {
    case json::kind::null: out.reset(); return true;
    case json::kind::bool_: out = v.get_bool(); return true;
    case json::kind::int64:
        if (v.get_int64() != 0 && v.get_int64() != 1) return fail(why, "a boolean (0/1)", v);
        out = v.get_int64() == 1;
        return true;
    case json::kind::uint64:
        if (v.get_uint64() > 1) return fail(why, "a boolean (0/1)", v);
        out = v.get_uint64() == 1;
        return true;
    case json::kind::string:
        if (!read_text(text_of(v), out)) return fail(why, "a boolean (0/1)", v);
        return true;
    default: return fail(why, "a boolean (0/1)", v);
    }
}

bool read(const json::value& v, std::optional<std::string>& out, std::string& why) {
    switch (v.kind()) {
    case json::kind::null: out.reset(); return true;
    case json::kind::string: out.emplace(v.get_string()); return true;
    case json::kind::int64: out = std::to_string(v.get_int64()); return true;
    case json::kind::uint64: out = std::to_string(v.get_uint64()); return true;
    case json::kind::double_: {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
        if (ec != std::errc()) return fail(why, "a string", v);
        out.emplace(buf, end);
        return true;
    }
    case json::kind::bool_:
        // One character constructed in place: assigning a literal trips g++ 12's false -Wrestrict.
        out.emplace(std::size_t{1}, v.get_bool() ? '1' : '0');
        return true;
    default: return fail(why, "a string", v);
    }
}

bool read(const json::value& v, std::optional<json::array>& out, std::string& why) {
    if (v.is_null() || is_blank_string(v) || (v.is_object() && v.get_object().empty())) {
        out.reset();
        return true;
    }
    if (!v.is_array()) return fail(why, "an array", v);
    // Copy into the default storage: a plain copy would share the answer's parse arena and keep the
    // whole answer alive as long as the model.
    out.emplace(v.get_array(), json::storage_ptr());
    return true;
}

bool read(const json::value& v, std::optional<json::value>& out, std::string&) {
    if (v.is_null()) out.reset();
    else out.emplace(v, json::storage_ptr());  // default storage, as above
    return true;
}

} // namespace daftra::model::lenient
