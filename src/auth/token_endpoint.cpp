// Encoding a grant as a token request and reading the answer. Pure functions: no I/O here.

#include "daftra/auth/token_endpoint.hpp"
#include "daftra/auth/errors.hpp"
#include "redact.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <random>
#include <stdexcept>
#include <utility>

namespace daftra::auth {

namespace json = boost::json;

namespace {

using param = std::pair<std::string_view, std::string_view>;

// application/x-www-form-urlencoded (WHATWG URL §5.2): unreserved bytes as they are, space as '+',
// everything else %XX.
void form_encode(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '*')
            out += static_cast<char>(c);
        else if (c == ' ')
            out += '+';
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
}

// A multipart/form-data boundary (RFC 2046 section 5.1.1, RFC 7578) that none of the values contains: random,
// and drawn again in the unlikely case a value holds it.
std::string boundary_for(const std::vector<param>& params) {
    thread_local std::mt19937_64 rng(std::random_device{}());
    static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (;;) {
        std::string b = "daftra-cpp-";
        for (int i = 0; i < 24; ++i) b += digits[rng() % 36];
        if (std::none_of(params.begin(), params.end(), [&](const param& p) { return p.second.find(b) != std::string_view::npos; }))
            return b;
    }
}

// multipart/form-data (RFC 7578): one part per field, values as they are (no encoding needed).
std::string multipart_body(const std::vector<param>& params, const std::string& boundary) {
    std::string body;
    for (const auto& [k, v] : params) {
        body += "--" + boundary + "\r\n";
        body += "Content-Disposition: form-data; name=\"";
        body += k;
        body += "\"\r\n\r\n";
        body += v;
        body += "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

std::vector<param> grant_params(const credentials& creds, const grant_request& grant) {
    std::vector<param> p;
    const std::string* client_id = nullptr;
    const secret* client_secret = nullptr;
    if (const auto* pw = std::get_if<password_grant>(&creds.value())) {
        client_id = &pw->client_id;
        client_secret = &pw->client_secret;
        if (grant.grant == grant_request::kind::password) {
            p.emplace_back("grant_type", "password");
            p.emplace_back("username", pw->username);
            p.emplace_back("password", pw->password.reveal());
        }
    } else if (const auto* rg = std::get_if<refresh_grant>(&creds.value())) {
        client_id = &rg->client_id;
        client_secret = &rg->client_secret;
        if (grant.grant == grant_request::kind::password)
            throw std::invalid_argument("daftra: a password grant needs password_grant credentials");
    } else {
        throw std::invalid_argument("daftra: token requests need OAuth2 credentials (password_grant or refresh_grant)");
    }
    if (grant.grant == grant_request::kind::refresh_token) {
        p.emplace_back("grant_type", "refresh_token");
        p.emplace_back("refresh_token", grant.refresh_token.reveal());
    }
    p.emplace_back("client_id", *client_id);
    p.emplace_back("client_secret", client_secret->reveal());
    return p;
}

error auth_error(errc code, unsigned status, std::string message) {
    error e;
    e.kind = error_kind::auth;
    e.code = make_error_code(code);
    e.status = status;
    e.message = std::move(message);
    return e;
}

// expires_in as a number or a numeric string (PHP back ends send either); 0 when absent or unusable.
std::chrono::seconds read_expires_in(const json::value* v) {
    if (!v) return std::chrono::seconds(0);
    if (v->is_int64()) return std::chrono::seconds(std::max<std::int64_t>(0, v->get_int64()));
    if (v->is_uint64()) return std::chrono::seconds(static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), 1u << 30)));
    if (v->is_double()) return std::chrono::seconds(static_cast<std::int64_t>(std::max(0.0, std::min(v->get_double(), 1e9))));
    if (v->is_string()) {
        std::int64_t n = 0;
        auto s = v->get_string();
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc{} && p == s.data() + s.size() && n > 0) return std::chrono::seconds(n);
    }
    return std::chrono::seconds(0);
}

std::string string_field(const json::object* o, std::string_view key) {
    if (!o) return {};
    const auto* v = o->if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

} // namespace

transport::request make_token_request(const credentials& creds, const grant_request& grant, body_encoding encoding,
                                      std::string_view path) {
    transport::request req;
    req.method = transport::verb::post;
    req.target = std::string(path);
    req.headers.push_back({"Accept", "application/json"});
    const auto params = grant_params(creds, grant);
    if (encoding == body_encoding::json) {
        json::object o;
        for (const auto& [k, v] : params) o[k] = v;
        req.body = json::serialize(o);
        req.headers.push_back({"Content-Type", "application/json"});
    } else if (encoding == body_encoding::multipart) {
        const auto boundary = boundary_for(params);
        req.body = multipart_body(params, boundary);
        req.headers.push_back({"Content-Type", "multipart/form-data; boundary=" + boundary});
    } else {
        for (const auto& [k, v] : params) {
            if (!req.body.empty()) req.body += '&';
            form_encode(req.body, k);
            req.body += '=';
            form_encode(req.body, v);
        }
        req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    }
    return req;
}

result<issued_token> parse_token_response(const transport::response& resp, const credentials& creds,
                                          const grant_request& grant) {
    auto secrets = creds.secrets();
    if (!grant.refresh_token.empty()) secrets.push_back(grant.refresh_token.reveal());

    boost::system::error_code ec;
    const auto v = json::parse(resp.body, ec);
    const json::object* o = !ec && v.is_object() ? &v.get_object() : nullptr;

    if (resp.status >= 200 && resp.status < 300) {
        auto access = string_field(o, "access_token");
        if (access.empty())
            return auth_error(errc::bad_response, resp.status,
                              "token endpoint: HTTP " + std::to_string(resp.status) + " without an access_token");
        issued_token t;
        t.access_token = secret(std::move(access));
        t.refresh_token = secret(string_field(o, "refresh_token"));
        t.expires_in = read_expires_in(o ? o->if_contains("expires_in") : nullptr);
        return t;
    }

    // The OAuth2 error code ("invalid_grant", …) and the server's text; Daftra puts its text in "message".
    auto oauth_error = string_field(o, "error");
    auto text = string_field(o, "error_description");
    if (text.empty()) text = string_field(o, "message");

    errc code;
    if (oauth_error == "invalid_client") code = errc::invalid_client;
    else if (oauth_error == "invalid_grant") code = errc::invalid_grant;
    else if (resp.status == 408 || resp.status == 429 || resp.status >= 500) code = errc::unavailable;
    else if (resp.status == 401) code = errc::invalid_grant;  // 401 without a code: these credentials are refused
    else code = errc::rejected;

    // The status is not repeated here: error::describe() adds it.
    // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) about `const char* + std::string` here.
    std::string message = "token endpoint refused the request";
    if (!oauth_error.empty()) {
        message += ": ";
        message += detail::clip(detail::redact(std::move(oauth_error), secrets), 64);
    }
    if (!text.empty()) {
        message += ": ";
        message += detail::clip(detail::redact(std::move(text), secrets));
    }
    // Never the body: it may echo what was sent.
    return auth_error(code, resp.status, std::move(message));
}

} // namespace daftra::auth
