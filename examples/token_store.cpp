// Token store: keep the OAuth2 token across runs, so a restarted process does not log in again.
//
//   token_store [--file PATH]
//
// auth_options::store decides where a client keeps its token. auth::file_token_store writes it to a
// JSON file only its owner can read (mode 0600), replaced atomically on each refresh; a client built
// later with a store on the same file starts from the saved token, and several processes can share
// the file. Here a first client logs in, is destroyed, and a second client - standing in for the next
// run of a program - reuses the token without a token request. daftra-sandbox counts the token
// requests (GET /__sandbox/stats), which proves it.
//
// Without --file a fresh temporary file is used and removed at the end; with --file PATH the token
// stays in PATH, and the next run reuses it too. Needs daftra-sandbox (for the statistics).
// Configuration: see examples/common/example.hpp (this example always uses the password grant).

#include "common/example.hpp"

#include <daftra/auth/token_store.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

namespace asio = boost::asio;
namespace fs = std::filesystem;
using example::check;
using example::require;

namespace {

// Logs in (if the store has no usable token), makes one call, and returns the sandbox's count of
// token requests so far. The client is destroyed on return, like a process that exits.
asio::awaitable<std::int64_t> run_client(const char* name, const fs::path& file) {
    daftra::client_options options = example::options_from_env();
    // A store of its own on the same file, as a new process would make.
    options.auth.store = std::make_shared<daftra::auth::file_token_store>(file);
    daftra::client api(co_await asio::this_coro::executor, example::password_grant_from_env(), options);

    auto site = co_await api.site_info();
    require(site, std::string(name) + ": site info");
    const auto stats = co_await example::sandbox_stats(api);
    const auto token_requests = example::counter(stats, "token_requests");
    std::cout << name << ": site info read; the sandbox has answered " << token_requests << " token request(s) so far\n";
    co_return token_requests;
}

// The token in the file, if any. Printed without the token itself (a secret has no operator<<).
std::optional<daftra::auth::stored_token> show_store(const fs::path& file) {
    daftra::auth::file_token_store store(file);
    auto saved = store.load();
    if (!saved) {
        std::cout << "the store " << file << " holds no token\n";
        return saved;
    }
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(saved->expires_at - std::chrono::system_clock::now());
    std::cout << "the store " << file << " holds a token valid for " << left.count() << " more seconds"
              << (saved->refresh_token.empty() ? "" : ", and a refresh token") << "\n";
    return saved;
}

asio::awaitable<void> token_store(fs::path file, bool keep) {
    const auto before = show_store(file);

    const std::int64_t after_first = co_await run_client("client 1", file);
    const auto saved = show_store(file);
    check(saved.has_value(), "client 1 saved its token in the file");
    const auto perms = fs::status(file).permissions();
    check((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none, "only the owner can read the token file");
    if (before)  // an earlier run with --file PATH saved one
        std::cout << (before->access_token == saved->access_token
                          ? "client 1 reused the token of an earlier run\n"
                          : "client 1 found the earlier token refused (a new sandbox forgets its tokens) and logged in again\n");

    const std::int64_t after_second = co_await run_client("client 2", file);
    check(after_second == after_first, "client 2 reused the saved token without a token request");
    const auto still = show_store(file);
    check(still && still->access_token == saved->access_token, "the file still holds the token client 1 saved");
    std::cout << "client 2 made no token request: it started from the token client 1 saved\n";

    if (!keep) fs::remove(file);
}

} // namespace

int main(int argc, char** argv) {
    fs::path file;
    bool keep = false;
    if (argc == 3 && std::string_view(argv[1]) == "--file") {
        file = argv[2];
        keep = true;
    } else if (argc == 1) {
        std::random_device random;
        file = fs::temp_directory_path() / ("daftra-example-token-" + std::to_string(random()) + ".json");
    } else {
        std::cerr << "usage: token_store [--file PATH]\n";
        return 2;
    }
    const int status = example::run(1, [file, keep] { return token_store(file, keep); });
    if (!keep) {
        std::error_code ignored;
        fs::remove(file, ignored);  // also after a failure
    }
    return status;
}
