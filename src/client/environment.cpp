#include "daftra/client/environment.hpp"

#include "daftra/client.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string_view>

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
    if (auto token = env("DAFTRA_BEARER_TOKEN")) return auth::bearer_token{auth::secret(std::move(*token))};

    auto client_id = env("DAFTRA_CLIENT_ID");
    auto client_secret = env("DAFTRA_CLIENT_SECRET");
    auto username = env("DAFTRA_USERNAME");
    auto password = env("DAFTRA_PASSWORD");
    auto refresh = env("DAFTRA_REFRESH_TOKEN");
    if (client_id && client_secret && username && password)
        return auth::password_grant{std::move(*client_id), auth::secret(std::move(*client_secret)), std::move(*username),
                                    auth::secret(std::move(*password))};
    const bool refresh_form = refresh && !username && !password;
    if (refresh_form && client_id && client_secret)
        return auth::refresh_grant{std::move(*client_id), auth::secret(std::move(*client_secret)),
                                   auth::secret(std::move(*refresh))};

    if (!client_id && !client_secret && !username && !password && !refresh)
        throw std::invalid_argument("no credentials: set DAFTRA_API_KEY, DAFTRA_BEARER_TOKEN, or DAFTRA_CLIENT_ID and "
                                    "DAFTRA_CLIENT_SECRET with DAFTRA_USERNAME and DAFTRA_PASSWORD (or DAFTRA_REFRESH_TOKEN)");
    // Name what is missing (never what is set: some of it is secret).
    std::string missing;
    auto note = [&](const std::optional<std::string>& v, const char* name) {
        if (v) return;
        if (!missing.empty()) missing += ", ";
        missing += name;
    };
    note(client_id, "DAFTRA_CLIENT_ID");
    note(client_secret, "DAFTRA_CLIENT_SECRET");
    if (refresh_form) {
        throw std::invalid_argument("incomplete refresh grant credentials: " + missing + " not set");
    }
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
    if (auto paths = env("DAFTRA_TOKEN_PATH")) {
        options.auth.token_paths.clear();
        std::string_view rest = *paths;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view one = rest.substr(0, comma);
            while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
            while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
            if (!one.empty()) {
                if (one.front() != '/')
                    throw std::invalid_argument("DAFTRA_TOKEN_PATH: a path starts with / (e.g. /v2/oauth/token)");
                options.auth.token_paths.emplace_back(one);
            }
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        if (options.auth.token_paths.empty()) throw std::invalid_argument("DAFTRA_TOKEN_PATH names no path");
    }
    return options;
}

client_options client_options_from_environment() { return client_options_from_environment(process_environment()); }

} // namespace daftra
