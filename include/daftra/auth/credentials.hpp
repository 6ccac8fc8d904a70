#pragma once
// How the SDK proves who it is. One of four forms (what Daftra documents: docs/daftra-api.md,
// "Authentication"):
//   password_grant  OAuth2 password grant; the SDK fetches, refreshes and caches the Bearer token.
//   refresh_grant   an OAuth2 refresh token obtained elsewhere; used until the server rejects it.
//   bearer_token    a token managed by the application; sent as it is, never refreshed.
//   api_key         the legacy `apikey` header; nothing to refresh.
// Every secret is a daftra::auth::secret, so printing credentials is a compile error.

#include "daftra/auth/secret.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace daftra::auth {

// Each form has constructors, so none is an aggregate: g++ 12 destroys the members of a braced
// aggregate twice when it sits in a statement that contains co_await (see docs/compilers.md), and a
// credential is often written inline, e.g. `client api(co_await this_coro::executor, api_key{…}, o)`.
// With constructors, `api_key{secret(k)}` there is an ordinary constructor call, safe on every compiler.

struct password_grant {
    password_grant() = default;
    password_grant(std::string client_id, secret client_secret, std::string username, secret password)
        : client_id(std::move(client_id)), client_secret(std::move(client_secret)), username(std::move(username)),
          password(std::move(password)) {}

    std::string client_id;
    secret client_secret;
    std::string username;  ///< the account e-mail
    secret password;
};

struct refresh_grant {
    refresh_grant() = default;
    refresh_grant(std::string client_id, secret client_secret, secret refresh_token)
        : client_id(std::move(client_id)), client_secret(std::move(client_secret)),
          refresh_token(std::move(refresh_token)) {}

    std::string client_id;
    secret client_secret;
    secret refresh_token;
};

struct bearer_token {
    bearer_token() = default;
    explicit bearer_token(secret token) : token(std::move(token)) {}

    secret token;
};

struct api_key {
    api_key() = default;
    explicit api_key(secret key) : key(std::move(key)) {}

    secret key;
};

class credentials {
public:
    using value_type = std::variant<password_grant, refresh_grant, bearer_token, api_key>;

    credentials(password_grant g) : value_(std::move(g)) {}
    credentials(refresh_grant g) : value_(std::move(g)) {}
    credentials(bearer_token t) : value_(std::move(t)) {}
    credentials(api_key k) : value_(std::move(k)) {}

    /// True for the OAuth2 forms, whose token the SDK obtains and refreshes itself.
    bool refreshable() const noexcept { return value_.index() < 2; }
    const value_type& value() const noexcept { return value_; }

    /// Every secret held (for redaction of messages); empty ones left out.
    std::vector<std::string_view> secrets() const;

private:
    value_type value_;
};

} // namespace daftra::auth
