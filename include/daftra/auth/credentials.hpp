#pragma once
// How the SDK proves who it is. One of four forms (see ../shared/api/README.md §2):
//   password_grant  OAuth2 password grant; the SDK fetches, refreshes and caches the Bearer token.
//   refresh_grant   an OAuth2 refresh token obtained elsewhere; used until the server rejects it.
//   bearer_token    a token managed by the application; sent as it is, never refreshed.
//   api_key         the legacy `apikey` header; nothing to refresh.
// Every secret is a daftra::auth::secret, so printing credentials is a compile error.

#include "daftra/auth/secret.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace daftra::auth {

struct password_grant {
    std::string client_id;
    secret client_secret;
    std::string username;  ///< the account e-mail
    secret password;
};

struct refresh_grant {
    std::string client_id;
    secret client_secret;
    secret refresh_token;
};

struct bearer_token {
    secret token;
};

struct api_key {
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
