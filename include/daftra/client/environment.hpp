#pragma once
// The client's settings from the DAFTRA_* environment variables: one reader for the `daftra` command,
// the examples and programs of one's own.
//
//   daftra::client api(io.get_executor(), daftra::credentials_from_environment(),
//                      daftra::client_options_from_environment());
//
//   DAFTRA_BASE_URL       the account's origin, https://SUBDOMAIN.daftra.com (required)
//   DAFTRA_CA_FILE        PEM file of the CAs to trust (default: the system's)
//   DAFTRA_API_KEY        the `apikey` credential; when set, it wins over everything below
//   DAFTRA_BEARER_TOKEN   a Bearer token managed elsewhere, sent as it is (never refreshed)
//   DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, DAFTRA_USERNAME, DAFTRA_PASSWORD
//                         the OAuth2 password grant (all four are needed)
//   DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, DAFTRA_REFRESH_TOKEN
//                         an OAuth2 refresh token obtained elsewhere (when no username/password is set)
//   DAFTRA_TOKEN_PATH     the token endpoint's path, or several separated by commas, tried in order
//                         (default: auth_options::token_paths, /v2/oauth/token then /api2/oauth/token)
//
// An unset variable and an empty one are the same. Errors name the variables that are missing, never
// the values of those that are set (some are secret).

#include "daftra/auth/credentials.hpp"

#include <functional>
#include <optional>
#include <string>

namespace daftra {

struct client_options;

/// Reads one variable: its value, or nullopt when it is unset or empty. Tests (and programs with
/// defaults of their own) pass their own reader.
using environment_reader = std::function<std::optional<std::string>(const char* name)>;

/// The process's environment (std::getenv).
environment_reader process_environment();

/// The first that is set of: DAFTRA_API_KEY; DAFTRA_BEARER_TOKEN; the password grant of DAFTRA_CLIENT_ID,
/// DAFTRA_CLIENT_SECRET, DAFTRA_USERNAME and DAFTRA_PASSWORD; the refresh grant of DAFTRA_CLIENT_ID,
/// DAFTRA_CLIENT_SECRET and DAFTRA_REFRESH_TOKEN. Throws std::invalid_argument naming what is missing.
auth::credentials credentials_from_environment(const environment_reader& env);
auth::credentials credentials_from_environment();

/// client_options with base_url from DAFTRA_BASE_URL, pool.tls.ca_file from DAFTRA_CA_FILE and
/// auth.token_paths from DAFTRA_TOKEN_PATH; every other option keeps its default. Throws std::invalid_argument when DAFTRA_BASE_URL is not set.
client_options client_options_from_environment(const environment_reader& env);
client_options client_options_from_environment();

} // namespace daftra
