// TLS verification: the right CA and name pass; a wrong CA or a wrong host name fail, every time.

#include "support/async_test.hpp"
#include "support/scripted_server.hpp"

#include "daftra/sandbox/certificates.hpp"
#include "daftra/transport/pool.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>

namespace tls_test {

using namespace daftra;
using namespace daftra::transport;
using daftra::test::action;
using daftra::test::http_response;
using daftra::test::run;
using daftra::test::scripted_server;
using daftra::test::seen_request;
namespace asio = boost::asio;

namespace {

action ok(const seen_request&) { return action{http_response(200, "{}")}; }

request get() {
    request r;
    r.target = "/api2/site_info.json";
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(right_ca_by_ip_and_by_name) {
    scripted_server server(ok);
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = server.ca_file();
    pool by_ip(io.get_executor(), server.origin(), o);
    BOOST_TEST(run(io, by_ip.send(get())).has_value());
    pool by_name(io.get_executor(), "https://localhost:" + std::to_string(server.port()), o);
    BOOST_TEST(run(io, by_name.send(get())).has_value());
}

BOOST_AUTO_TEST_CASE(wrong_ca_fails) {
    scripted_server server(ok);
    auto other = daftra::sandbox::generate_identity();
    const auto wrong_ca = daftra::test::write_temp_file("wrong-ca", other.ca_cert_pem);
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = wrong_ca;
    pool p(io.get_executor(), server.origin(), o);
    for (int i = 0; i < 3; ++i) {
        auto r = run(io, p.send(get()));
        BOOST_REQUIRE(r.has_error());
        BOOST_TEST(to_string(r.error().kind) == "tls");
        BOOST_TEST(r.error().message.find("certificate verification failed") != std::string::npos, r.error().message);
    }
    BOOST_TEST(server.requests().empty());
    std::remove(wrong_ca.c_str());
}

BOOST_AUTO_TEST_CASE(right_ca_wrong_host_name_fails) {
    daftra::test::scripted_server_options so;
    so.cert_names = {"wrong-name.invalid"};
    scripted_server server(ok, so);
    asio::io_context io;
    pool_options o;
    o.tls.ca_file = server.ca_file();
    for (const std::string host : {"127.0.0.1", "localhost"}) {
        pool p(io.get_executor(), "https://" + host + ":" + std::to_string(server.port()), o);
        auto r = run(io, p.send(get()));
        BOOST_REQUIRE(r.has_error());
        BOOST_TEST(to_string(r.error().kind) == "tls");
        BOOST_TEST(r.error().message.find("certificate verification failed") != std::string::npos, r.error().message);
    }
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(user_supplied_context) {
    scripted_server server(ok);
    asio::io_context io;
    pool_options o;
    o.tls.context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    o.tls.context->load_verify_file(server.ca_file());
    pool p(io.get_executor(), server.origin(), o);
    BOOST_TEST(run(io, p.send(get())).has_value());

    // A user context that trusts nothing still verifies: the pool never turns verification off.
    pool_options none;
    none.tls.context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    pool q(io.get_executor(), server.origin(), none);
    BOOST_TEST(to_string(run(io, q.send(get())).error().kind) == "tls");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace tls_test
