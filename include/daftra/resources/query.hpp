#pragma once
// What a list call asks for: page, page size, order and filters. Encoded into the query string
// with Boost.URL, so any value (spaces, '&', Arabic text) arrives intact.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daftra {

/// Order of a sorted list.
enum class sort_direction : unsigned char {
    server_default,  ///< send nothing: the server's order (invoices: DESC, most recent first)
    asc,             ///< direction=ASC
    desc,            ///< direction=DESC
};

/// Parameters of a list call. Every member left at its default is not sent, so the server's
/// documented defaults apply. (The `{}` initializers let `{.page = 2}` compile without
/// -Wmissing-field-initializers warnings.)
struct query {
    /// 1-based page number. Default: not sent (the server starts at page 1).
    std::optional<std::int64_t> page{};
    /// Rows per page. Default: not sent (the server's default is 20; most lists accept at most 1000).
    std::optional<std::int64_t> limit{};
    /// Field to sort by, e.g. "date". Default: empty, not sent (the server's default order).
    std::string sort{};
    /// Sort direction. Default: server_default, not sent.
    sort_direction direction = sort_direction::server_default;
    /// Further query parameters, sent in this order after the ones above, exactly as named:
    /// {"client_id", "7"}, {"payment_status", "2"}, or repeated keys such as {"tags[]", "vip"}.
    std::vector<std::pair<std::string, std::string>> filters{};
};

namespace resources {

/// `path` followed by the URL-encoded query ("?page=2&limit=100&…"), or `path` alone when the
/// query sends nothing. `path` must be an origin-form path without a query.
std::string with_query(std::string_view path, const query& q);

} // namespace resources
} // namespace daftra
