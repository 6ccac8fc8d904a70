#include "cli/environment.hpp"

#include "cli/usage_error.hpp"

#ifdef DAFTRA_HAVE_REDIS
#include "daftra/redis/fleet.hpp"
#endif

#include <stdexcept>
#include <string_view>

namespace daftra::cli {

auth::credentials credentials_from(const environment& env) {
    try {
        return credentials_from_environment(env);
    } catch (const std::invalid_argument& e) {
        throw usage_error(e.what());
    }
}

client_options client_options_from(const invocation& inv, const environment& env) {
    // The flags win over the variables: the SDK's reader sees them as the variables they replace.
    const environment with_flags = [&](const char* name) -> std::optional<std::string> {
        const std::string_view n(name);
        // A flag given empty is taken as unset, as an empty variable is.
        auto flag = [](const std::optional<std::string>& v) { return v && !v->empty() ? v : std::nullopt; };
        if (n == "DAFTRA_BASE_URL" && inv.base_url) return flag(inv.base_url);
        if (n == "DAFTRA_CA_FILE" && inv.ca_file) return flag(inv.ca_file);
        return env(name);
    };
    client_options options;
    try {
        options = client_options_from_environment(with_flags);
    } catch (const std::invalid_argument&) {
        throw usage_error("no account URL: set DAFTRA_BASE_URL or pass --base-url https://SUBDOMAIN.daftra.com");
    }
    // The SDK can speak plain HTTP (for tests on a local server); the tool never does, so that the
    // API key or password cannot cross the network in clear text.
    std::string scheme = options.base_url.substr(0, options.base_url.find(':'));
    for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (scheme == "http")
        throw usage_error(std::string(inv.base_url ? "--base-url" : "DAFTRA_BASE_URL") +
                          " is a plain http:// URL: Daftra is served over HTTPS only and the credentials "
                          "must not travel unencrypted; use https://SUBDOMAIN.daftra.com");
#ifdef DAFTRA_HAVE_REDIS
    // DAFTRA_REDIS_URL: share the token (and a rate budget, with --rate) with the account's other processes.
    auto fleet = redis::fleet_from_environment(env);
    if (!fleet) throw usage_error(fleet.error().message);
    options.fleet = *fleet;
#endif
    return options;
}

} // namespace daftra::cli
