#pragma once
// Where the client's settings come from: the DAFTRA_* environment variables, overridden by
// --base-url and --ca. See `daftra --help` for the variables and which credentials win.

#include "cli/arguments.hpp"

#include "daftra/auth/credentials.hpp"
#include "daftra/client.hpp"

#include <functional>
#include <optional>
#include <string>

namespace daftra::cli {

/// Reads one variable; an unset or empty variable is nullopt.
using environment = std::function<std::optional<std::string>(const char* name)>;

/// The process's own environment.
environment process_environment();

/// DAFTRA_API_KEY when set, else the password grant of DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET,
/// DAFTRA_USERNAME and DAFTRA_PASSWORD. Throws usage_error naming the missing variables.
auth::credentials credentials_from(const environment& env);

/// base_url from --base-url or DAFTRA_BASE_URL (required), the CA file from --ca or DAFTRA_CA_FILE;
/// everything else keeps the SDK's defaults. Throws usage_error without a base URL.
client_options client_options_from(const invocation& inv, const environment& env);

} // namespace daftra::cli
