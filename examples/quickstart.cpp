// Quick start: talk to a Daftra tenant (or daftra-sandbox) through the SDK's connection pool:
// log in with the OAuth2 password grant, read the site info, create a client, list clients.
//
// Configuration comes from the environment, defaulting to daftra-sandbox's defaults:
//   DAFTRA_BASE_URL        https://127.0.0.1:PORT or https://yourcompany.daftra.com   (required)
//   DAFTRA_CA_FILE         PEM file of the CA to trust (default: the system's CAs)
//   DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, DAFTRA_USERNAME, DAFTRA_PASSWORD

#include <daftra/transport/pool.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>

namespace asio = boost::asio;
namespace json = boost::json;
using daftra::transport::request;
using daftra::transport::verb;

namespace {

std::string env(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

// Prints the failure and returns false, or returns true for a 2xx answer.
bool check(const daftra::result<daftra::transport::response>& r, const char* what) {
    if (!r) {
        std::cerr << what << " failed: " << r.error().describe() << "\n";
        return false;
    }
    if (r->status / 100 != 2) {
        std::cerr << what << " failed: HTTP " << r->status << " " << r->body << "\n";
        return false;
    }
    return true;
}

asio::awaitable<int> run(daftra::transport::pool& api) {
    // 1. Log in: OAuth2 password grant.
    request login{verb::post, "/v2/oauth/token", {{"Content-Type", "application/json"}}, ""};
    login.body = json::serialize(json::object{{"grant_type", "password"},
                                              {"client_id", env("DAFTRA_CLIENT_ID", "1")},
                                              {"client_secret", env("DAFTRA_CLIENT_SECRET", "sandbox-secret")},
                                              {"username", env("DAFTRA_USERNAME", "user@example.com")},
                                              {"password", env("DAFTRA_PASSWORD", "sandbox-password")}});
    auto token = co_await api.send(login);
    if (!check(token, "login")) co_return 1;
    const auto access = json::parse(token->body).at("access_token").as_string();
    std::cout << "logged in (token expires in " << json::parse(token->body).at("expires_in") << " s)\n";

    const std::vector<daftra::transport::header> auth{{"Authorization", "Bearer " + std::string(access)},
                                                      {"Accept", "application/json"},
                                                      {"Content-Type", "application/json"}};

    // 2. Site info.
    // Requests are named before co_await: g++ 12 mis-destroys braced temporaries inside co_await expressions.
    const request site_info{verb::get, "/api2/site_info.json", auth, ""};
    auto site = co_await api.send(site_info);
    if (!check(site, "site info")) co_return 1;
    std::cout << "site info: " << site->body.substr(0, 160) << (site->body.size() > 160 ? "…" : "") << "\n";

    // 3. Create a client (POST: never replayed by the pool once it may have reached the server).
    request create{verb::post, "/api2/clients.json", auth, ""};
    create.body = json::serialize(json::object{
        {"Client", json::object{{"business_name", "Quickstart Trading"}, {"email", "owner@example.com"}}}});
    auto created = co_await api.send(create);
    if (!check(created, "create client")) co_return 1;
    std::cout << "created client id " << json::parse(created->body).at("id") << "\n";

    // 4. List clients, first page.
    const request first_page{verb::get, "/api2/clients.json?page=1&limit=10", auth, ""};
    auto list = co_await api.send(first_page);
    if (!check(list, "list clients")) co_return 1;
    const auto page = json::parse(list->body).as_object();
    std::cout << "clients: " << page.at("pagination").at("total_results") << " in total\n";

    // 5. A validation error, shown as the server reports it.
    request invalid{verb::post, "/api2/clients.json", auth, R"({"Client":{}})"};
    auto rejected = co_await api.send(invalid);
    if (rejected) std::cout << "validation error (HTTP " << rejected->status << "): " << rejected->body << "\n";

    const auto st = api.stats();
    std::cout << "pool: " << st.connections_opened << " connection(s) opened for " << st.requests << " requests\n";
    co_return 0;
}

} // namespace

int main() {
    const std::string base = env("DAFTRA_BASE_URL", "");
    if (base.empty()) {
        std::cerr << "set DAFTRA_BASE_URL (e.g. the URL daftra-sandbox prints)\n";
        return 2;
    }
    asio::io_context io;
    daftra::transport::pool_options options;
    options.tls.ca_file = env("DAFTRA_CA_FILE", "");
    try {
        daftra::transport::pool api(io.get_executor(), base, options);
        auto done = asio::co_spawn(io, run(api), asio::use_future);
        io.run();
        return done.get();
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
}
