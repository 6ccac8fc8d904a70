#include "daftra/redis/endpoint.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

namespace daftra::redis {
namespace {

error bad_url(std::string message) {
    return make_error(error_kind::invalid_argument, {}, "redis URL: " + std::move(message));
}

bool parse_number(std::string_view text, unsigned long max, unsigned long& out) {
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out <= max;
}

} // namespace

std::string endpoint::describe() const {
    std::string out;
    if (transport == transport_kind::unix_socket) {
        out = "unix://" + path;
    } else {
        out = transport == transport_kind::tls ? "rediss://" : "redis://";
        out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
        out += ':';
        out += std::to_string(port);
    }
    if (database != 0) out.append(transport == transport_kind::unix_socket ? "?db=" : "/").append(std::to_string(database));
    return out;
}

result<endpoint> parse_url(std::string_view text) {
    // The URL itself never goes into a message: it may hold the password.
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) return bad_url("not a URL (expected redis://, rediss:// or unix://)");
    const boost::urls::url_view& u = *parsed;
    endpoint out;
    const std::string scheme = u.scheme();
    if (scheme == "redis") out.transport = transport_kind::tcp;
    else if (scheme == "rediss") out.transport = transport_kind::tls;
    else if (scheme == "unix") out.transport = transport_kind::unix_socket;
    else return bad_url("the scheme must be redis, rediss or unix");

    if (u.has_userinfo()) {
        out.username = u.user();
        if (u.has_password()) out.password = auth::secret(u.password());
    }
    unsigned long n = 0;
    if (out.transport == transport_kind::unix_socket) {
        out.path = u.path();
        if (out.path.empty() || out.path.front() != '/') return bad_url("unix:// needs an absolute socket path");
        auto db = u.params().find("db");
        if (db != u.params().end()) {
            if (!(*db).has_value || !parse_number((*db).value, 1'000'000, n)) return bad_url("db must be a number");
            out.database = static_cast<unsigned>(n);
        }
        return out;
    }
    out.host = u.host_address();
    if (out.host.empty()) return bad_url("no host");
    if (u.has_port()) {
        if (!parse_number(u.port(), 65535, n) || n == 0) return bad_url("the port must be 1 to 65535");
        out.port = static_cast<std::uint16_t>(n);
    }
    std::string_view path = u.encoded_path();
    if (!path.empty() && path != "/") {
        if (!parse_number(path.substr(1), 1'000'000, n)) return bad_url("the path must be a database number");
        out.database = static_cast<unsigned>(n);
    }
    return out;
}

} // namespace daftra::redis
