// Query strings are built with Boost.URL. Keys and values are percent-encoded down to RFC 3986's
// unreserved characters first: Boost.URL alone leaves '+' and '=' as they are (legal in a query),
// but PHP, which Daftra runs on, reads '+' as a space.

#include "daftra/resources/query.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

namespace daftra::resources {

namespace {

// The query's parameters, each key and value encoded down to the unreserved characters, in the
// order with_query documents; `add` is called once per parameter.
template <class Add>
void for_each_param(std::string_view path, const query& q, Add&& add) {
    if (q.page) add("page", std::to_string(*q.page));
    if (q.limit) add(page_size_parameter(path), std::to_string(*q.limit));
    if (!q.sort.empty()) add("sort", q.sort);
    if (q.direction != sort_direction::server_default) add("direction", q.direction == sort_direction::asc ? "ASC" : "DESC");
    if (q.recursive) add("recursive", std::to_string(static_cast<int>(*q.recursive)));
    for (const auto& [key, value] : q.filters) add(key, value);
}

// A path Boost.URL would keep exactly as it is: absolute, not "//…" (which it would have to protect
// from reading as an authority), and only unreserved characters and '/'.
bool plain_path(std::string_view path) noexcept {
    if (path.empty() || path.front() != '/' || path.starts_with("//")) return false;
    for (char c : path)
        if (c != '/' && !boost::urls::unreserved_chars(c)) return false;
    return true;
}

} // namespace

std::string_view page_size_parameter(std::string_view path) noexcept {
    return path.starts_with("/v2/api/") ? "per_page" : "limit";
}

std::string with_query(std::string_view path, const query& q) {
    if (plain_path(path)) {
        // The common case without a url object: the text Boost.URL would produce for it.
        std::string out(path);
        char separator = '?';
        for_each_param(path, q, [&](std::string_view key, std::string_view value) {
            out += separator;
            out += boost::urls::encode(key, boost::urls::unreserved_chars);
            out += '=';
            out += boost::urls::encode(value, boost::urls::unreserved_chars);
            separator = '&';
        });
        return out;
    }
    boost::urls::url u;
    u.set_encoded_path(path);
    for_each_param(path, q, [&](std::string_view key, std::string_view value) {
        std::string k = boost::urls::encode(key, boost::urls::unreserved_chars);
        std::string v = boost::urls::encode(value, boost::urls::unreserved_chars);
        u.encoded_params().append({k, v});
    });
    return std::string(u.buffer());
}

} // namespace daftra::resources
