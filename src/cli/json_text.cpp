#include "cli/json_text.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace daftra::cli {
namespace {

void append_double(std::string& out, double d) {
    char text[32];
    auto [end, ec] = std::to_chars(text, text + sizeof text, d);
    // JSON values never hold NaN or infinity, and 32 characters fit any double: ec is always ok.
    if (ec == std::errc()) out.append(text, end);
    else out += boost::json::serialize(boost::json::value(d));
}

} // namespace

void append_json(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
    case boost::json::kind::double_: append_double(out, v.get_double()); return;
    case boost::json::kind::array: {
        out += '[';
        bool first = true;
        for (const auto& element : v.get_array()) {
            if (!first) out += ',';
            first = false;
            append_json(out, element);
        }
        out += ']';
        return;
    }
    case boost::json::kind::object: {
        out += '{';
        bool first = true;
        for (const auto& member : v.get_object()) {
            if (!first) out += ',';
            first = false;
            out += boost::json::serialize(member.key());
            out += ':';
            append_json(out, member.value());
        }
        out += '}';
        return;
    }
    default: out += boost::json::serialize(v); return;
    }
}

void append_json_pretty(std::string& out, const boost::json::value& v, std::size_t indent) {
    auto new_line = [&](std::size_t level) {
        out += '\n';
        out.append(2 * level, ' ');
    };
    if (v.is_array() && !v.get_array().empty()) {
        out += '[';
        bool first = true;
        for (const auto& element : v.get_array()) {
            if (!first) out += ',';
            first = false;
            new_line(indent + 1);
            append_json_pretty(out, element, indent + 1);
        }
        new_line(indent);
        out += ']';
    } else if (v.is_object() && !v.get_object().empty()) {
        out += '{';
        bool first = true;
        for (const auto& member : v.get_object()) {
            if (!first) out += ',';
            first = false;
            new_line(indent + 1);
            out += boost::json::serialize(member.key());
            out += ": ";
            append_json_pretty(out, member.value(), indent + 1);
        }
        new_line(indent);
        out += '}';
    } else {
        append_json(out, v);  // a scalar, [] or {}
    }
}

} // namespace daftra::cli
