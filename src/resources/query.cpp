// Query strings are built with Boost.URL's params view, which percent-encodes each key and value;
// hand-written concatenation would break on '&', '=', '+' or non-ASCII filter values.

#include "daftra/resources/query.hpp"

#include <boost/url/url.hpp>

namespace daftra::resources {

std::string with_query(std::string_view path, const query& q) {
    boost::urls::url u;
    u.set_encoded_path(path);
    auto params = u.params();
    if (q.page) params.append({"page", std::to_string(*q.page)});
    if (q.limit) params.append({"limit", std::to_string(*q.limit)});
    if (!q.sort.empty()) params.append({"sort", q.sort});
    if (q.direction != sort_direction::server_default)
        params.append({"direction", q.direction == sort_direction::asc ? "ASC" : "DESC"});
    for (const auto& [key, value] : q.filters) params.append({key, value});
    return std::string(u.buffer());
}

} // namespace daftra::resources
