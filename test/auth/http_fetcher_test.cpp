// The real token fetcher against a scripted server: the documented token paths are tried in order on
// 404 and the one that answered is kept; transport failures become errc::unavailable without secrets.

#include "fakes.hpp"
#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/auth/token_endpoint.hpp"
#include "daftra/transport/pool.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

namespace http_fetcher_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::scripted_server;
using daftra::test::seen_request;

BOOST_AUTO_TEST_SUITE(http_fetcher)

BOOST_AUTO_TEST_CASE(falls_back_to_the_older_path_on_404_and_keeps_it) {
    scripted_server server([](const seen_request& r) {
        action a;
        a.bytes = r.target == "/api2/oauth/token"
                      ? http_response(200, R"({"token_type":"Bearer","expires_in":3600,"access_token":"A","refresh_token":"R"})")
                      : http_response(404, R"({"result":"failed","code":404,"message":"Invalid Endpoint"})");
        return a;
    });
    boost::asio::io_context io;
    transport::pool_options po;
    po.tls.ca_file = server.ca_file();
    transport::pool pool(io.get_executor(), server.origin(), po);
    auto fetch = http_token_fetcher(pool, test_password_credentials(), auth_options{});
    auto first = daftra::test::run(io, fetch(grant_request{}));
    BOOST_REQUIRE(first);
    BOOST_TEST(first->access_token.reveal() == "A");
    auto second = daftra::test::run(io, fetch(grant_request{}));
    BOOST_REQUIRE(second);
    auto seen = server.requests();
    BOOST_REQUIRE(seen.size() == 3u);  // 404, 200, then straight to the path that worked
    BOOST_TEST(seen[0].target == "/v2/oauth/token");
    BOOST_TEST(seen[1].target == "/api2/oauth/token");
    BOOST_TEST(seen[2].target == "/api2/oauth/token");
    // The default body: multipart/form-data, one part per field.
    BOOST_TEST(seen[0].body.find("Content-Disposition: form-data; name=\"grant_type\"\r\n\r\npassword\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreachable_endpoint_is_unavailable_and_leaks_nothing) {
    boost::asio::io_context io;
    // A port of our own, bound but not listening: refused for sure (a fixed port could be taken).
    boost::asio::ip::tcp::socket holder(io);
    holder.open(boost::asio::ip::tcp::v4());
    holder.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    transport::pool pool(io.get_executor(), "http://127.0.0.1:" + std::to_string(holder.local_endpoint().port()));
    auto creds = test_password_credentials();
    auto fetch = http_token_fetcher(pool, creds, auth_options{});
    auto r = daftra::test::run(io, fetch(grant_request{}));
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::auth);
    BOOST_TEST(r.error().code == errc::unavailable);
    BOOST_TEST(!is_credentials_error(r.error().code));
    const std::string what = api_error(r.error()).what();
    BOOST_TEST(what.find("hunter2-password") == std::string::npos);
    BOOST_TEST(what.find("client-secret-XYZ") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace http_fetcher_test
