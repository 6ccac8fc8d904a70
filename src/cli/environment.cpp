#include "cli/environment.hpp"

#include "cli/usage_error.hpp"

#include <cstdlib>

namespace daftra::cli {

environment process_environment() {
    return [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        if (!value || !*value) return std::nullopt;
        return std::string(value);
    };
}

auth::credentials credentials_from(const environment& env) {
    if (auto key = env("DAFTRA_API_KEY")) return auth::api_key{auth::secret(std::move(*key))};

    auto client_id = env("DAFTRA_CLIENT_ID");
    auto client_secret = env("DAFTRA_CLIENT_SECRET");
    auto username = env("DAFTRA_USERNAME");
    auto password = env("DAFTRA_PASSWORD");
    if (client_id && client_secret && username && password)
        return auth::password_grant{std::move(*client_id), auth::secret(std::move(*client_secret)), std::move(*username),
                                    auth::secret(std::move(*password))};

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
    if (!client_id && !client_secret && !username && !password)
        throw usage_error("no credentials: set DAFTRA_API_KEY, or DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, "
                          "DAFTRA_USERNAME and DAFTRA_PASSWORD");
    throw usage_error("incomplete password grant credentials: " + missing + " not set (or set DAFTRA_API_KEY)");
}

client_options client_options_from(const invocation& inv, const environment& env) {
    client_options options;
    if (inv.base_url) options.base_url = *inv.base_url;
    else if (auto url = env("DAFTRA_BASE_URL")) options.base_url = std::move(*url);
    if (options.base_url.empty())
        throw usage_error("no account URL: set DAFTRA_BASE_URL or pass --base-url https://SUBDOMAIN.daftra.com");
    // The SDK can speak plain HTTP (for tests on a local server); the tool never does, so that the
    // API key or password cannot cross the network in clear text.
    std::string scheme = options.base_url.substr(0, options.base_url.find(':'));
    for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (scheme == "http")
        throw usage_error(std::string(inv.base_url ? "--base-url" : "DAFTRA_BASE_URL") +
                          " is a plain http:// URL: Daftra is served over HTTPS only and the credentials "
                          "must not travel unencrypted; use https://SUBDOMAIN.daftra.com");

    if (inv.ca_file) options.pool.tls.ca_file = *inv.ca_file;
    else if (auto ca = env("DAFTRA_CA_FILE")) options.pool.tls.ca_file = std::move(*ca);
    return options;
}

} // namespace daftra::cli
