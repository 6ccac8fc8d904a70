#include "daftra/client/environment.hpp"

#include "daftra/client.hpp"

#include <cstdlib>
#include <stdexcept>

namespace daftra {

environment_reader process_environment() {
    return [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        if (!value || !*value) return std::nullopt;
        return std::string(value);
    };
}

auth::credentials credentials_from_environment(const environment_reader& env) {
    if (auto key = env("DAFTRA_API_KEY")) return auth::api_key{auth::secret(std::move(*key))};

    auto client_id = env("DAFTRA_CLIENT_ID");
    auto client_secret = env("DAFTRA_CLIENT_SECRET");
    auto username = env("DAFTRA_USERNAME");
    auto password = env("DAFTRA_PASSWORD");
    if (client_id && client_secret && username && password)
        return auth::password_grant{std::move(*client_id), auth::secret(std::move(*client_secret)), std::move(*username),
                                    auth::secret(std::move(*password))};

    if (!client_id && !client_secret && !username && !password)
        throw std::invalid_argument("no credentials: set DAFTRA_API_KEY, or DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, "
                                    "DAFTRA_USERNAME and DAFTRA_PASSWORD");
    // Name what is missing (never what is set: some of it is secret).
    std::string missing;
    auto note = [&](const std::optional<std::string>& v, const char* name) {
        if (v) return;
        if (!missing.empty()) missing += ", ";
        missing += name;
    };
    note(client_id, "DAFTRA_CLIENT_ID");
    note(client_secret, "DAFTRA_CLIENT_SECRET");
    note(username, "DAFTRA_USERNAME");
    note(password, "DAFTRA_PASSWORD");
    throw std::invalid_argument("incomplete password grant credentials: " + missing + " not set (or set DAFTRA_API_KEY)");
}

auth::credentials credentials_from_environment() { return credentials_from_environment(process_environment()); }

client_options client_options_from_environment(const environment_reader& env) {
    client_options options;
    auto url = env("DAFTRA_BASE_URL");
    if (!url) throw std::invalid_argument("no account URL: set DAFTRA_BASE_URL (https://SUBDOMAIN.daftra.com)");
    options.base_url = std::move(*url);
    if (auto ca = env("DAFTRA_CA_FILE")) options.pool.tls.ca_file = std::move(*ca);
    return options;
}

client_options client_options_from_environment() { return client_options_from_environment(process_environment()); }

} // namespace daftra
