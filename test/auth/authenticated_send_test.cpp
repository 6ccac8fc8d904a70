// The 401 rule of authenticated_send, with a fake send function and the fake token endpoint.

#include "fakes.hpp"
#include "support/async_test.hpp"

#include "daftra/auth/authenticated_send.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

namespace authenticated_send_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

struct fixture {
    asio::io_context io;
    test_options topt;
    fake_endpoint endpoint;
    std::vector<std::string> sent_credentials;  // the Authorization/apikey value of each request sent
    std::function<unsigned(const std::string&)> status_for = [](const std::string&) { return 200u; };
    std::function<asio::awaitable<void>()> before_answer;  // runs inside the fake send, before it answers

    send_function send = [this](transport::request r, transport::send_options) -> asio::awaitable<result<transport::response>> {
        std::string cred;
        for (const auto& h : r.headers)
            if (h.name == "Authorization" || h.name == "apikey") cred = h.value;
        sent_credentials.push_back(cred);
        if (before_answer) {
            auto f = std::move(before_answer);
            before_answer = nullptr;
            co_await f();
        }
        transport::response resp;
        resp.status = status_for(cred);
        resp.body = resp.status == 401 ? R"({"result":"failed","code":401,"message":"Unauthorized"})" : R"({"ok":1})";
        co_return resp;
    };

    std::unique_ptr<token_source> make(credentials c = test_password_credentials()) {
        return std::make_unique<token_source>(io.get_executor(), std::move(c), topt.make(), endpoint.fetcher());
    }
    result<transport::response> call(token_source& s, transport::send_options o = {}) {
        transport::request r;
        r.target = "/api2/invoices.json";
        return daftra::test::run(io, authenticated_send(send, s, r, o));
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(authenticated_send_rules, fixture)

BOOST_AUTO_TEST_CASE(adds_the_header_and_passes_other_statuses_through) {
    auto src = make();
    status_for = [](const std::string&) { return 404u; };
    auto r = call(*src);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->status == 404u);
    BOOST_TEST(sent_credentials == std::vector<std::string>{"Bearer tok-1"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_401_refreshes_once_and_retries_with_the_new_token) {
    auto src = make();
    status_for = [](const std::string& c) { return c == "Bearer tok-1" ? 401u : 200u; };
    auto r = call(*src);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->status == 200u);
    std::vector<std::string> expected{"Bearer tok-1", "Bearer tok-2"};
    BOOST_TEST(sent_credentials == expected, boost::test_tools::per_element());
    BOOST_TEST(endpoint.calls == 2);
}

BOOST_AUTO_TEST_CASE(a_second_401_is_returned_as_unauthorized) {
    auto src = make();
    status_for = [](const std::string&) { return 401u; };
    auto r = call(*src);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::unauthorized);
    BOOST_TEST(r.error().status == 401u);
    BOOST_TEST(r.error().message == "Unauthorized");
    BOOST_TEST(sent_credentials.size() == 2u);  // retried once, not more
    BOOST_TEST(endpoint.calls == 2);
}

BOOST_AUTO_TEST_CASE(a_401_for_a_stale_token_does_not_refresh_again) {
    auto src = make();
    // While the first request is out with tok-1, another request's 401 already replaced the token.
    before_answer = [&]() -> asio::awaitable<void> {
        src->invalidate(1);
        auto h = co_await src->get();
        BOOST_TEST(h->generation == 2u);
    };
    status_for = [](const std::string& c) { return c == "Bearer tok-1" ? 401u : 200u; };
    auto r = call(*src);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->status == 200u);
    std::vector<std::string> expected{"Bearer tok-1", "Bearer tok-2"};
    BOOST_TEST(sent_credentials == expected, boost::test_tools::per_element());
    BOOST_TEST(endpoint.calls == 2);  // not 3: the late 401 named generation 1, which was already gone
}

BOOST_AUTO_TEST_CASE(static_credentials_are_not_retried_on_401) {
    auto src = make(api_key{secret("k-123")});
    status_for = [](const std::string&) { return 401u; };
    auto r = call(*src);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::unauthorized);
    BOOST_TEST(sent_credentials == std::vector<std::string>{"k-123"}, boost::test_tools::per_element());
    BOOST_TEST(endpoint.calls == 0);
}

BOOST_AUTO_TEST_CASE(token_errors_are_returned_without_sending) {
    auto src = make();
    endpoint.fallback = [](const grant_request&) { return result<issued_token>(endpoint_error(errc::invalid_client, 401)); };
    auto r = call(*src);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::auth);
    BOOST_TEST(sent_credentials.empty());
}

BOOST_AUTO_TEST_CASE(waiting_for_a_token_is_bounded_by_the_deadline) {
    auto src = make();
    endpoint.hold();
    transport::send_options o;
    o.deadline = std::chrono::steady_clock::now() + 20ms;
    transport::request req;
    req.target = "/x";
    result<transport::response> r = error{};
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { r = co_await authenticated_send(send, *src, req, o); },
                   asio::detached);
    // Run until the call has finished, then let the held refresh go.
    while (!(r.has_error() && r.error().kind == error_kind::timeout) && io.run_one()) {}
    BOOST_TEST(r.error().kind == error_kind::timeout);
    BOOST_TEST(sent_credentials.empty());
    endpoint.release();
    io.run();
    io.restart();
    BOOST_TEST(src->try_get()->generation == 1u);  // the refresh itself was not cancelled
    BOOST_TEST(!endpoint.cancelled);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace authenticated_send_test
