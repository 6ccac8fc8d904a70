#pragma once
// Error codes of the auth layer. A failed token request reaches callers as a daftra::error with
// kind == error_kind::auth and `code` set to one of these, so callers can tell wrong credentials
// (stop, fix the configuration) from an unreachable token endpoint (try again later).

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace daftra::auth {

enum class errc {
    invalid_client = 1,  ///< the token endpoint rejected the client id / secret (OAuth2 invalid_client)
    invalid_grant,       ///< the username / password or the refresh token was rejected (invalid_grant)
    rejected,            ///< any other 4xx from the token endpoint (bad request, unsupported grant, …)
    unavailable,         ///< the token endpoint could not be reached or answered 408/429/5xx
    bad_response,        ///< the token endpoint answered 2xx without a usable token
    no_credentials,      ///< nothing left to obtain a token with (refresh token rejected, no password)
};

const boost::system::error_category& auth_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), auth_category()}; }

/// True for failures that a later attempt cannot fix without new credentials.
bool is_credentials_error(const boost::system::error_code& ec) noexcept;

} // namespace daftra::auth

template <>
struct boost::system::is_error_code_enum<daftra::auth::errc> : std::true_type {};
