#include "keep_alive.hpp"
#include "header_value.hpp"

#include <boost/beast/core/string.hpp>

#include <charconv>

namespace daftra::transport::detail {
namespace {

std::optional<std::size_t> number(std::string_view s) {
    s = trim_ows(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    std::size_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

} // namespace

keep_alive_hint parse_keep_alive(std::string_view value) noexcept {
    keep_alive_hint hint;
    while (!value.empty()) {
        const auto comma = value.find(',');
        const std::string_view item = trim_ows(value.substr(0, comma));
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view key = trim_ows(item.substr(0, eq));
        const auto n = number(item.substr(eq + 1));
        if (!n) continue;
        if (boost::beast::iequals(key, "timeout")) hint.timeout = std::chrono::seconds(*n);
        else if (boost::beast::iequals(key, "max")) hint.max = *n;
    }
    return hint;
}

} // namespace daftra::transport::detail
