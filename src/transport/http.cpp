#include "daftra/transport/http.hpp"

#include <boost/beast/core/string.hpp>

namespace daftra::transport {

bool request::idempotent() const noexcept {
    switch (method) {
    case verb::get:
    case verb::head:
    case verb::put:
    case verb::delete_:
    case verb::options: return true;
    default: return false;
    }
}

std::optional<std::string_view> response::header(std::string_view name) const noexcept {
    std::string_view rest(headers);
    while (!rest.empty()) {
        const auto eol = rest.find("\r\n");
        const std::string_view line = rest.substr(0, eol);
        rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || !boost::beast::iequals(line.substr(0, colon), name)) continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        return value;
    }
    return std::nullopt;
}

} // namespace daftra::transport
