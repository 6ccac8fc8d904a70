// daftra: the command-line client. Reads the line, checks it completely, then runs one call on a
// single-threaded io_context. Exit status: 0 success, 1 API/transport error, 2 usage error.
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/environment.hpp"
#include "cli/help.hpp"
#include "cli/output.hpp"
#include "cli/usage_error.hpp"
#include "cli/verbose.hpp"

#include "daftra/client.hpp"
#include "daftra/version.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace daftra::cli;

constexpr int exit_ok = 0;
constexpr int exit_failed = 1;
constexpr int exit_usage = 2;

// The line printed for a failed call: the error, and for a certificate that did not verify, where
// the CAs to trust come from. The token request of the password grant reports a TLS failure as an
// auth error whose message holds the transport's "tls: …".
std::string failure_line(const daftra::error& e, const std::string& ca) {
    std::string line = e.describe();
    const bool tls = e.kind == daftra::error_kind::tls ||
                     (e.kind == daftra::error_kind::auth && e.message.find("tls: ") != std::string::npos);
    if (tls) {
        line += ca.empty() ? "; if the server's certificate is issued by a private CA, pass --ca FILE or set "
                             "DAFTRA_CA_FILE to a PEM file of that CA"
                           : "; the CAs of '" + ca + "' (--ca FILE or DAFTRA_CA_FILE) do not vouch for the "
                             "server's certificate: is it the right CA file?";
    }
    return line;
}

// The secret values in the environment, never to be printed (--verbose masks them).
std::vector<std::string> secrets_in(const environment& env) {
    std::vector<std::string> out;
    for (const char* name : {"DAFTRA_API_KEY", "DAFTRA_BEARER_TOKEN", "DAFTRA_REFRESH_TOKEN", "DAFTRA_CLIENT_SECRET", "DAFTRA_PASSWORD"})
        if (auto value = env(name)) out.push_back(std::move(*value));
    return out;
}

int run(const action& act, const invocation& inv, const environment& env, daftra::auth::credentials credentials,
        daftra::client_options options) {
    output out(inv.format);
    if (inv.verbose) {
        options.pool.on_request = [&out, origin = origin_of(options.base_url),
                                   secrets = secrets_in(env)](const daftra::transport::request_info& info) {
            out.trace(trace_line(info, origin, secrets));
        };
    }

    const std::string ca_file = options.pool.tls.ca_file;
    boost::asio::io_context io;
    std::optional<daftra::client> api;
    try {
        api.emplace(io.get_executor(), std::move(credentials), std::move(options));
    } catch (const std::invalid_argument& e) {  // a bad URL or an unreadable CA file: nothing was sent
        std::string_view why = e.what();
        if (why.starts_with("daftra: ")) why.remove_prefix(8);  // the SDK's messages carry our prefix already
        throw usage_error(std::string(why));
    }

    int status = exit_ok;
    boost::asio::co_spawn(io, act(*api, out), [&](std::exception_ptr failure) {
        out.end_progress();
        if (failure) {
            status = exit_failed;
            try {
                std::rethrow_exception(failure);
            } catch (const daftra::api_error& e) {
                std::cerr << "daftra: " << failure_line(e.error(), ca_file) << '\n';
            } catch (const std::exception& e) {
                std::cerr << "daftra: " << e.what() << '\n';
            }
        }
        api->shutdown();  // stops the token refresher, closes idle connections: run() can return
    });
    io.run();
    api.reset();
    io.restart();
    io.run();  // whatever the shutdown cancelled finishes here
    return status;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    try {
        const invocation inv = parse_arguments(args);
        if (inv.help) {
            std::cout << help_for(inv);
            return exit_ok;
        }
        if (inv.version) {
            std::cout << "daftra " DAFTRA_VERSION_STRING "\n";
            return exit_ok;
        }
        const action act = prepare(inv);
        const environment env = process_environment();
        daftra::client_options options = client_options_from(inv, env);
        return run(act, inv, env, credentials_from(env), std::move(options));
    } catch (const usage_error& e) {
        std::cerr << "daftra: " << e.what() << "\nTry '" << e.help_command() << "'.\n";
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "daftra: " << e.what() << '\n';
        return exit_failed;
    }
}
