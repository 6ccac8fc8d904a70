// The hand-written half of documented_filters.hpp; the table itself is generated.
#include "cli/documented_filters.hpp"

#include "cli/suggest.hpp"

namespace daftra::cli {
namespace {

// "filter[<field>]" matches "filter[" + anything + "]"; a key without <…> matches only itself.
bool matches(std::string_view key, std::string_view pattern) {
    const auto open = pattern.find('<');
    const auto close = open == std::string_view::npos ? open : pattern.find('>', open);
    if (close == std::string_view::npos) return key == pattern;
    const std::string_view prefix = pattern.substr(0, open);
    const std::string_view suffix = pattern.substr(close + 1);
    return key.size() > prefix.size() + suffix.size() && key.starts_with(prefix) && key.ends_with(suffix);
}

} // namespace

bool is_documented_filter(std::string_view key, std::span<const std::string_view> documented) noexcept {
    for (std::string_view pattern : documented)
        if (matches(key, pattern)) return true;
    return false;
}

std::string undocumented_filter_warning(std::string_view id, std::string_view key) {
    const auto documented = documented_filters(id);
    if (!documented || is_documented_filter(key, *documented)) return {};
    std::string out = "warning: '" + std::string(key) + "' is not a filter the API reference documents for " +
                      std::string(id) + did_you_mean(key, *documented) + " (it is sent as is; ";
    if (documented->empty()) {
        out += "none are documented)";
        return out;
    }
    out += "documented: ";
    for (std::size_t i = 0; i < documented->size(); ++i) {
        if (i) out += ", ";
        out += (*documented)[i];
    }
    out += ')';
    return out;
}

} // namespace daftra::cli
