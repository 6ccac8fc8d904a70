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

/// Reads one variable; an unset or empty variable is nullopt (the SDK's reader).
using environment = environment_reader;
using daftra::process_environment;

/// daftra::credentials_from_environment(), its errors as usage_error.
auth::credentials credentials_from(const environment& env);

/// base_url from --base-url or DAFTRA_BASE_URL (required), the CA file from --ca or DAFTRA_CA_FILE
/// (daftra::client_options_from_environment() with the flags over it); everything else keeps the SDK's
/// defaults. Throws usage_error without a base URL, or with a plain http:// one.
client_options client_options_from(const invocation& inv, const environment& env);

} // namespace daftra::cli
