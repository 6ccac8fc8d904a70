#pragma once
// What every example shares: client configuration from the environment, a main() that runs one
// coroutine on an io_context, the two ways an example fails (a call failed, or its answer was not
// what the example expected), and daftra-sandbox's admin calls. Kept out of the examples so that
// each one reads as SDK usage only.
//
// Environment (the defaults are daftra-sandbox's own):
//   DAFTRA_BASE_URL       https://yourcompany.daftra.com or the URL daftra-sandbox prints (required)
//   DAFTRA_CA_FILE        PEM file of the CA to trust (default: the system's CAs)
//   DAFTRA_API_KEY        when set, the examples that accept either credential use this API key
//   DAFTRA_CLIENT_ID      OAuth2 client id        (default "1")
//   DAFTRA_CLIENT_SECRET  OAuth2 client secret    (default "sandbox-secret")
//   DAFTRA_USERNAME       account e-mail          (default "user@example.com")
//   DAFTRA_PASSWORD       account password        (default "sandbox-password")

#include <daftra/client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace example {

/// The variable's value, or `fallback` when it is unset or empty.
inline std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : std::move(fallback);
}

/// Thrown when DAFTRA_BASE_URL is missing: main() exits with status 2 (a usage error).
struct configuration_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Thrown by require() and check(): the example failed. main() prints it and exits with status 1.
struct example_failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// client_options for DAFTRA_BASE_URL and DAFTRA_CA_FILE; everything else keeps the SDK's defaults.
inline daftra::client_options options_from_env() {
    daftra::client_options options;
    options.base_url = env_or("DAFTRA_BASE_URL", "");
    if (options.base_url.empty())
        throw configuration_error("set DAFTRA_BASE_URL (e.g. the URL daftra-sandbox prints, or run the "
                                  "example through scripts/with-sandbox.sh)");
    options.pool.tls.ca_file = env_or("DAFTRA_CA_FILE", "");
    return options;
}

/// The OAuth2 password grant from the environment. The secrets go straight into auth::secret, which
/// cannot be printed, so they never reach a log line.
inline daftra::auth::password_grant password_grant_from_env() {
    return daftra::auth::password_grant{
        env_or("DAFTRA_CLIENT_ID", "1"),
        daftra::auth::secret(env_or("DAFTRA_CLIENT_SECRET", "sandbox-secret")),
        env_or("DAFTRA_USERNAME", "user@example.com"),
        daftra::auth::secret(env_or("DAFTRA_PASSWORD", "sandbox-password")),
    };
}

/// DAFTRA_API_KEY when set, otherwise the password grant.
inline daftra::auth::credentials credentials_from_env() {
    const std::string key = env_or("DAFTRA_API_KEY", "");
    if (!key.empty()) return daftra::auth::api_key{daftra::auth::secret(key)};
    return password_grant_from_env();
}

/// The value of a successful call, or an example_failure saying which step failed and why
/// (error::describe() never contains a secret).
template <class T>
T& require(daftra::result<T>& r, std::string_view step) {
    if (!r) throw example_failure(std::string(step) + " failed: " + r.error().describe());
    return *r;
}
inline void require(daftra::result<void>& r, std::string_view step) {
    if (!r) throw example_failure(std::string(step) + " failed: " + r.error().describe());
}

/// An example checks what it gets back: a wrong answer is a failure, not something to print and ignore.
inline void check(bool ok, std::string_view expectation) {
    if (!ok) throw example_failure("check failed: " + std::string(expectation));
}

// daftra-sandbox's admin endpoints (docs/sandbox.md), reached with client::raw() like any path the
// typed layer does not cover. They exist only on the sandbox, not on a Daftra tenant.

/// Replaces the sandbox's fault configuration (POST /__sandbox/faults); an empty object clears it.
inline boost::asio::awaitable<void> set_sandbox_faults(const daftra::client& api, boost::json::object faults) {
    const std::string path = "/__sandbox/faults";
    std::optional<boost::json::value> body(std::move(faults));
    auto answer = co_await api.raw(daftra::transport::verb::post, path, body);
    require(answer, "set the sandbox's faults (is DAFTRA_BASE_URL a daftra-sandbox?)");
}

/// Clears every sandbox fault (POST /__sandbox/faults with an empty object).
inline boost::asio::awaitable<void> clear_sandbox_faults(const daftra::client& api) {
    boost::json::object none;  // named: g++ 12 mishandles braced temporaries inside co_await
    co_await set_sandbox_faults(api, std::move(none));
}

/// The sandbox's counters (GET /__sandbox/stats): requests, token_requests, faults_injected, …
inline boost::asio::awaitable<boost::json::object> sandbox_stats(const daftra::client& api) {
    const std::string path = "/__sandbox/stats";
    auto answer = co_await api.raw(daftra::transport::verb::get, path);  // the overload without a body
    const auto& stats = require(answer, "read the sandbox's statistics (is DAFTRA_BASE_URL a daftra-sandbox?)");
    check(stats.is_object(), "the sandbox's statistics are a JSON object");
    co_return stats.as_object();
}

/// One counter of sandbox_stats(), 0 when absent.
inline std::int64_t counter(const boost::json::object& stats, std::string_view name) {
    const auto* v = stats.if_contains(name);
    return v && v->is_number() ? v->to_number<std::int64_t>() : 0;
}

/// Runs `body` and turns its outcome into the exit status: 0 when it returns, 1 when a call failed
/// or a check did not hold, 2 for a configuration error.
inline int exit_status_of(const std::function<void()>& body) {
    try {
        body();
        return 0;
    } catch (const configuration_error& e) {
        std::cerr << e.what() << "\n";
        return 2;
    } catch (const daftra::api_error& e) {  // from result::value(), if an example lets one escape
        std::cerr << "error: " << e.error().describe() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}

/// Runs `body` (a coroutine, started on the io_context) on `threads` threads; its outcome is the exit
/// status (exit_status_of). The coroutine creates its clients itself, so they are destroyed while the
/// io_context still runs, as daftra::client requires.
inline int run(unsigned threads, std::function<boost::asio::awaitable<void>()> body) {
    boost::asio::io_context io(static_cast<int>(std::max(1u, threads)));
    auto done = boost::asio::co_spawn(io, body(), boost::asio::use_future);
    std::vector<std::thread> helpers;
    for (unsigned i = 1; i < threads; ++i) helpers.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : helpers) t.join();
    return exit_status_of([&] { done.get(); });
}

} // namespace example
