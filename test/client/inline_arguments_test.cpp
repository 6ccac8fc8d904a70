// g++ 12 destroys the members of a braced *aggregate* twice when it sits in a statement that contains
// co_await (docs/compilers.md). The credential types have constructors so that the shape a newcomer
// writes, the client built inline in a statement that awaits the executor, is safe. Under the ASan
// configuration (g++ 12), a double destruction of the secrets (longer than std::string's small buffer, so
// on the heap) is a report and a failure here.

#include "support/async_test.hpp"

#include "daftra/client.hpp"
#include "daftra/sandbox/server.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <type_traits>

namespace inline_arguments_test {

using namespace daftra;
namespace asio = boost::asio;

// The rule the credentials rely on: none of them may become an aggregate again.
static_assert(!std::is_aggregate_v<auth::password_grant>);
static_assert(!std::is_aggregate_v<auth::refresh_grant>);
static_assert(!std::is_aggregate_v<auth::bearer_token>);
static_assert(!std::is_aggregate_v<auth::api_key>);
// And the query: `list({.limit = 5})` must not compile, `list(query().with_limit(5))` must be safe.
static_assert(!std::is_aggregate_v<query>);

namespace {

// A sandbox whose secrets are too long for the small-string buffer.
struct long_secret_sandbox {
    long_secret_sandbox() : settings(make_options()), srv(settings) {
        srv.start();
        std::random_device rd;
        ca_path = std::filesystem::temp_directory_path() / ("daftra-inline-ca-" + std::to_string(rd()) + ".pem");
        std::ofstream(ca_path) << srv.ca_pem();
        options.base_url = srv.url();
        options.pool.tls.ca_file = ca_path.string();
    }
    ~long_secret_sandbox() {
        std::error_code ec;
        std::filesystem::remove(ca_path, ec);
    }
    static daftra::sandbox::options make_options() {
        daftra::sandbox::options o;
        o.threads = 1;
        o.creds.api_key = std::string(64, 'k');
        o.creds.client_secret = std::string(64, 's');
        o.creds.password = std::string(64, 'p');
        return o;
    }

    daftra::sandbox::options settings;
    daftra::sandbox::server srv;
    std::filesystem::path ca_path;
    client_options options;
};

// Exactly the newcomer's statement: the executor awaited and the credential braced in one statement.
asio::awaitable<bool> call_with_inline_api_key(client_options o, std::string key) {
    client api(co_await asio::this_coro::executor, auth::api_key{auth::secret(key)}, o);
    auto info = co_await api.site_info();
    api.shutdown();
    co_return info.has_value();
}

asio::awaitable<bool> call_with_inline_password_grant(client_options o, daftra::sandbox::credentials c) {
    client api(co_await asio::this_coro::executor,
               auth::password_grant{c.client_id, auth::secret(c.client_secret), c.username, auth::secret(c.password)}, o);
    auto info = co_await api.site_info();
    api.shutdown();
    co_return info.has_value();
}

// The safe inline query: a class with a constructor, chained and awaited in one statement. Its strings are
// longer than the small-string buffer, so a double destruction would be an ASan report.
asio::awaitable<bool> list_with_inline_query(client_options o) {
    client api(co_await asio::this_coro::executor, auth::api_key(auth::secret(std::string(64, 'k'))), o);
    const std::string name(64, 'n');
    auto page = co_await api.clients().list(query().with_limit(5).sorted_by(std::string(40, 's')).with_filter("business_name", name));
    bool ok = page.has_value() && page->items.empty();
    auto it = api.clients().all(query().with_limit(3).with_filter("business_name", name).with_filter("client_id", 7));
    auto first = co_await it.next();
    ok = ok && !first.has_value();  // nothing matches: the range ends at once
    api.shutdown();
    co_return ok;
}

} // namespace

BOOST_AUTO_TEST_SUITE(inline_arguments)

BOOST_AUTO_TEST_CASE(query_chained_in_an_awaiting_statement) {
    long_secret_sandbox sb;
    asio::io_context io;
    BOOST_TEST(daftra::test::run(io, list_with_inline_query(sb.options)));
}

BOOST_AUTO_TEST_CASE(api_key_braced_in_an_awaiting_statement) {
    long_secret_sandbox sb;
    asio::io_context io;
    BOOST_TEST(daftra::test::run(io, call_with_inline_api_key(sb.options, sb.settings.creds.api_key)));
}

BOOST_AUTO_TEST_CASE(password_grant_braced_in_an_awaiting_statement) {
    long_secret_sandbox sb;
    asio::io_context io;
    BOOST_TEST(daftra::test::run(io, call_with_inline_password_grant(sb.options, sb.settings.creds)));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace inline_arguments_test
