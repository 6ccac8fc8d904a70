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

/// How much of a sales document (invoice, estimate, credit note, refund receipt) an answer carries:
/// Daftra's `recursive` parameter, documented on the invoice list.
enum class recursion : signed char {
    header_only = -1,  ///< the document's own fields only
    with_client = 0,   ///< the document and its Client record: what a list answers when nothing is sent
    full = 1,          ///< also its rows: InvoiceItem, payments, taxes, documents, custom fields (what a
                       ///< single get answers when nothing is sent)
};

/// Parameters of a list call. Every member left at its default is not sent, so the server's
/// documented defaults apply.
///
/// Two ways to write one, both safe with every supported compiler:
///
///   daftra::query q;                                  // named, then awaited
///   q.limit = 100;
///   auto page = co_await api.invoices().list(q);
///
///   auto page = co_await api.invoices().list(daftra::query().with_limit(100).with_filter("client_id", 7));
///
/// `query` has a constructor, so it is not an aggregate: `list({.limit = 100})` does not compile. That is
/// on purpose: g++ 12 destroys a braced aggregate twice when it is created in a statement that contains
/// co_await (a double free; docs/compilers.md), and that is where a query is usually written. The chained
/// form creates a class with a constructor and passes it on by reference, which g++ 12 handles correctly.
struct query {
    query() = default;

    /// 1-based page number. Default: not sent (the server starts at page 1).
    std::optional<std::int64_t> page{};
    /// Rows per page. Default: not sent (the server's default is 20; most lists accept at most 1000).
    /// Sent as `limit` to v1 lists and as `per_page` to the v2 entity API's (follow_up_statuses().list(),
    /// v2_list()).
    std::optional<std::int64_t> limit{};
    /// Field to sort by, e.g. "date". Default: empty, not sent (the server's default order).
    std::string sort{};
    /// Sort direction. Default: server_default, not sent.
    sort_direction direction = sort_direction::server_default;
    /// `recursive=-1|0|1`: how much of each sales document the answer carries (see recursion). Default:
    /// not sent, so a list answers with_client (no rows: a record's `InvoiceItem` stays empty) and a
    /// get answers full. Also taken by get(id, q) and all().
    std::optional<recursion> recursive{};
    /// Further query parameters, sent in this order after the ones above, exactly as named:
    /// {"client_id", "7"}, {"payment_status", "2"}, or repeated keys such as {"tags[]", "vip"}.
    /// Filters are not validated: a key the server does not know is usually ignored by it, so a
    /// misspelt filter returns the unfiltered list. The documented filters of each resource are listed
    /// by `daftra RESOURCE list --help`.
    std::vector<std::pair<std::string, std::string>> filters{};

    // Chainable setters, on a named query (`q.with_limit(5)`) or on a temporary (`query().with_limit(5)`).
    query& with_page(std::int64_t n) & { page = n; return *this; }
    query&& with_page(std::int64_t n) && { page = n; return std::move(*this); }
    query& with_limit(std::int64_t n) & { limit = n; return *this; }
    query&& with_limit(std::int64_t n) && { limit = n; return std::move(*this); }
    query& sorted_by(std::string field, sort_direction d = sort_direction::server_default) & {
        sort = std::move(field);
        direction = d;
        return *this;
    }
    query&& sorted_by(std::string field, sort_direction d = sort_direction::server_default) && {
        return std::move(sorted_by(std::move(field), d));
    }
    query& with_recursive(recursion r) & { recursive = r; return *this; }
    query&& with_recursive(recursion r) && { recursive = r; return std::move(*this); }
    /// Adds one filter (a key may repeat: "tags[]").
    query& with_filter(std::string key, std::string value) & {
        filters.emplace_back(std::move(key), std::move(value));
        return *this;
    }
    query&& with_filter(std::string key, std::string value) && {
        return std::move(with_filter(std::move(key), std::move(value)));
    }
    query& with_filter(std::string key, std::int64_t value) & { return with_filter(std::move(key), std::to_string(value)); }
    query&& with_filter(std::string key, std::int64_t value) && {
        return std::move(with_filter(std::move(key), std::to_string(value)));
    }
};

namespace resources {

/// `path` followed by the URL-encoded query ("?page=2&limit=100&…"), or `path` alone when the
/// query sends nothing. `path` must be an origin-form path without a query. query::limit is sent under
/// page_size_parameter(path)'s name.
std::string with_query(std::string_view path, const query& q);

/// The name a list at `path` takes its page size under: "per_page" on the v2 entity API (paths under
/// /v2/api/, a Laravel paginator, which ignores `limit`), "limit" on v1 (/api2/…).
std::string_view page_size_parameter(std::string_view path) noexcept;

} // namespace resources
} // namespace daftra
