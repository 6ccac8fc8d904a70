#pragma once
// Talking to the OAuth2 token endpoint. The refresher only sees a token_fetcher: one function that
// makes one token request. The real one goes through transport::pool; unit tests inject a fake one,
// so the refresher's rules are tested without sockets.

#include "daftra/auth/credentials.hpp"
#include "daftra/auth/options.hpp"
#include "daftra/core/result.hpp"
#include "daftra/transport/http.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <optional>
#include <functional>

namespace daftra::transport { class pool; }

namespace daftra::auth {

/// Which grant one token request uses. The client id and secret (and the username and password)
/// come from the credentials the fetcher was made with.
struct grant_request {
    enum class kind { password, refresh_token };
    kind grant = kind::password;
    secret refresh_token;  ///< set for kind::refresh_token
};

/// A token as the endpoint issued it.
struct issued_token {
    secret access_token;
    secret refresh_token;            ///< empty when the answer had none
    std::chrono::seconds expires_in{0};  ///< 0 when the answer did not say (the refresher then assumes 1 h)
    /// Set for a token adopted from a shared store (another process requested it): when it was issued and
    /// when it expires, exactly (expires_in would round to seconds, and every process must see the same
    /// early-refresh window). expires_in is then ignored.
    std::optional<std::chrono::system_clock::time_point> issued_at, expires_at;
};

/// Makes one token request. Fails with error_kind::auth and an auth::errc code (invalid_client,
/// invalid_grant, rejected, unavailable, bad_response). May be called again only after the previous
/// call finished. Its cancellation slot is the refresher's, never a caller's.
using token_fetcher = std::function<boost::asio::awaitable<result<issued_token>>(const grant_request&)>;

/// The token request for `grant`: POST to `path` with the body in `encoding`. Throws
/// std::invalid_argument when the credentials are not an OAuth2 form.
transport::request make_token_request(const credentials& creds, const grant_request& grant,
                                      body_encoding encoding, std::string_view path);

/// Reads a token endpoint answer. Errors carry the HTTP status, the OAuth2 error code and the server's
/// message with every secret of `creds` and `grant` masked; never the body (a 2xx body holds tokens).
result<issued_token> parse_token_response(const transport::response& resp, const credentials& creds,
                                          const grant_request& grant);

/// The real fetcher: token requests through `pool` (which must outlive it) to options.token_paths.
token_fetcher http_token_fetcher(transport::pool& pool, credentials creds, const auth_options& options);

} // namespace daftra::auth
