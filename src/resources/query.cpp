// Query strings are built with Boost.URL. Keys and values are percent-encoded down to RFC 3986's
// unreserved characters first: Boost.URL alone leaves '+' and '=' as they are (legal in a query),
// but PHP, which Daftra runs on, reads '+' as a space.

#include "daftra/resources/query.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

namespace daftra::resources {

namespace {

void append(boost::urls::url& u, std::string_view key, std::string_view value) {
    std::string k = boost::urls::encode(key, boost::urls::unreserved_chars);
    std::string v = boost::urls::encode(value, boost::urls::unreserved_chars);
    u.encoded_params().append({k, v});
}

} // namespace

std::string with_query(std::string_view path, const query& q) {
    boost::urls::url u;
    u.set_encoded_path(path);
    if (q.page) append(u, "page", std::to_string(*q.page));
    if (q.limit) append(u, "limit", std::to_string(*q.limit));
    if (!q.sort.empty()) append(u, "sort", q.sort);
    if (q.direction != sort_direction::server_default)
        append(u, "direction", q.direction == sort_direction::asc ? "ASC" : "DESC");
    for (const auto& [key, value] : q.filters) append(u, key, value);
    return std::string(u.buffer());
}

} // namespace daftra::resources
