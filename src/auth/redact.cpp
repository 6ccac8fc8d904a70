#include "redact.hpp"

namespace daftra::auth::detail {

std::string redact(std::string text, const std::vector<std::string_view>& secrets) {
    for (auto s : secrets) {
        // Very short values (e.g. a password "1") would mask innocent text; they are still masked,
        // because leaking one is worse than an odd-looking message.
        if (s.empty()) continue;
        for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos + 3))
            text.replace(pos, s.size(), "***");
    }
    return text;
}

std::string clip(std::string text, std::size_t max) {
    if (text.size() > max) {
        text.resize(max);
        text += "…";
    }
    return text;
}

} // namespace daftra::auth::detail
