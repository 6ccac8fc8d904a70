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
//   DAFTRA_REDIS_URL      share the token and rate budget with other processes through this Redis
//                         (built with daftra::redis; DAFTRA_REDIS_KEY, DAFTRA_REDIS_PREFIX as for `daftra`)

#include <daftra/client.hpp>
#ifdef DAFTRA_HAVE_REDIS
#include <daftra/redis/fleet.hpp>
#endif

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
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
#include <variant>
#include <thread>
#include <vector>

namespace example {

/// Thrown when DAFTRA_BASE_URL is missing: main() exits with status 2 (a usage error).
struct configuration_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Thrown by require() and check(): the example failed. main() prints it and exits with status 1.
struct example_failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// daftra-sandbox's own credentials (daftra::sandbox::credentials), the defaults of the password
/// grant's variables here, so that the examples run against a sandbox with DAFTRA_BASE_URL and
/// DAFTRA_CA_FILE alone.
inline std::optional<std::string> sandbox_default(std::string_view name) {
    if (name == "DAFTRA_CLIENT_ID") return "1";
    if (name == "DAFTRA_CLIENT_SECRET") return "sandbox-secret";
    if (name == "DAFTRA_USERNAME") return "user@example.com";
    if (name == "DAFTRA_PASSWORD") return "sandbox-password";
    return std::nullopt;
}

/// The process's environment with the sandbox's defaults, as the SDK's readers take it.
inline daftra::environment_reader environment() {
    return [env = daftra::process_environment()](const char* name) {
        auto value = env(name);
        return value ? value : sandbox_default(name);
    };
}

/// client_options for DAFTRA_BASE_URL and DAFTRA_CA_FILE (daftra::client_options_from_environment);
/// everything else keeps the SDK's defaults.
inline daftra::client_options options_from_env() {
    daftra::client_options options;
    try {
        options = daftra::client_options_from_environment(environment());
    } catch (const std::invalid_argument&) {
        throw configuration_error("set DAFTRA_BASE_URL (e.g. the URL daftra-sandbox prints, or run the "
                                  "example through scripts/with-sandbox.sh)");
    }
#ifdef DAFTRA_HAVE_REDIS
    // DAFTRA_REDIS_URL: the example shares its token (and rate budget) with the account's other processes.
    auto fleet = daftra::redis::fleet_from_environment(environment());
    if (!fleet) throw configuration_error(fleet.error().message);
    options.fleet = *fleet;
#endif
    return options;
}

/// The OAuth2 password grant from the environment (without DAFTRA_API_KEY's say). The secrets go
/// straight into auth::secret, which cannot be printed, so they never reach a log line.
inline daftra::auth::password_grant password_grant_from_env() {
    auto env = environment();
    const daftra::auth::credentials c =
        daftra::credentials_from_environment([&env](const char* name) -> std::optional<std::string> {
            if (std::string_view(name) == "DAFTRA_API_KEY") return std::nullopt;
            return env(name);
        });
    return std::get<daftra::auth::password_grant>(c.value());  // what the reader gives without an API key
}

/// DAFTRA_API_KEY when set, otherwise the password grant (daftra::credentials_from_environment).
inline daftra::auth::credentials credentials_from_env() { return daftra::credentials_from_environment(environment()); }

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

/// An io_context run by a thread of its own, for the examples whose calls come from plain threads
/// (futures, composed). Destroy what uses it (the client) first: the destructor lets the io_context run
/// out of work and joins its thread.
class background_io {
public:
    background_io() : work_(boost::asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
    ~background_io() {
        work_.reset();
        thread_.join();
    }
    background_io(const background_io&) = delete;
    background_io& operator=(const background_io&) = delete;

    boost::asio::io_context::executor_type get_executor() noexcept { return io_.get_executor(); }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

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
