// Token request encoding and answer parsing (pure functions), and the proof that no secret reaches an
// error message, describe() or what() on any failure path.

#include "fakes.hpp"
#include "support/async_test.hpp"

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/auth/token_endpoint.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <type_traits>

namespace token_endpoint_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
namespace json = boost::json;

namespace {

const std::string password = "p@ss w&rd=Sekr3t";
const std::string client_secret = "cs-0123456789abcdef";
const std::string refresh_value = "rt-fedcba9876543210";

password_grant creds() { return {"42", secret(client_secret), "user@example.com", secret(password)}; }

grant_request refresh_request() { return {grant_request::kind::refresh_token, secret(refresh_value)}; }

transport::response answer(unsigned status, std::string body) {
    transport::response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

template <class T, class = void>
struct streamable : std::false_type {};
template <class T>
struct streamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>> : std::true_type {};

// Fails the test when any secret appears in the error's message, body, describe() or what().
void check_clean(const error& e, const std::vector<std::string>& secrets) {
    const std::string what = api_error(e).what();
    for (const auto& s : secrets) {
        BOOST_TEST(e.message.find(s) == std::string::npos, "secret in message: " << e.kind);
        BOOST_TEST(e.body.find(s) == std::string::npos, "secret in body");
        BOOST_TEST(e.describe().find(s) == std::string::npos, "secret in describe()");
        BOOST_TEST(what.find(s) == std::string::npos, "secret in what()");
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(token_endpoint)

BOOST_AUTO_TEST_CASE(password_grant_as_form) {
    auto req = make_token_request(creds(), {}, body_encoding::form, "/v2/oauth/token");
    BOOST_TEST(req.method == transport::verb::post);
    BOOST_TEST(req.target == "/v2/oauth/token");
    BOOST_TEST(req.body == "grant_type=password&username=user%40example.com&password=p%40ss+w%26rd%3DSekr3t"
                           "&client_id=42&client_secret=cs-0123456789abcdef");
    bool form = false;
    for (const auto& h : req.headers) form |= h.name == "Content-Type" && h.value == "application/x-www-form-urlencoded";
    BOOST_TEST(form);
}

BOOST_AUTO_TEST_CASE(password_grant_as_multipart_by_default) {
    BOOST_TEST((auth_options{}.encoding == body_encoding::multipart));
    auto req = make_token_request(creds(), {}, auth_options{}.encoding, "/v2/oauth/token");
    std::string boundary;
    for (const auto& h : req.headers)
        if (h.name == "Content-Type" && h.value.starts_with("multipart/form-data; boundary="))
            boundary = h.value.substr(std::string_view("multipart/form-data; boundary=").size());
    BOOST_TEST_REQUIRE(!boundary.empty());
    // Each field a part, its value as it is: no percent-encoding inside multipart.
    std::string expected;
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
             {"grant_type", "password"}, {"username", "user@example.com"}, {"password", "p@ss w&rd=Sekr3t"},
             {"client_id", "42"}, {"client_secret", "cs-0123456789abcdef"}})
        expected += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    expected += "--" + boundary + "--\r\n";
    BOOST_TEST(req.body == expected);
    // A boundary is drawn per request.
    auto again = make_token_request(creds(), {}, body_encoding::multipart, "/v2/oauth/token");
    BOOST_TEST(again.body.find(boundary) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(refresh_grant_as_json) {
    auto req = make_token_request(creds(), refresh_request(), body_encoding::json, "/api2/oauth/token");
    auto o = json::parse(req.body).as_object();
    BOOST_TEST(o.at("grant_type").as_string() == "refresh_token");
    BOOST_TEST(o.at("refresh_token").as_string() == refresh_value);
    BOOST_TEST(o.at("client_id").as_string() == "42");
    BOOST_TEST(o.at("client_secret").as_string() == client_secret);
    BOOST_TEST(!o.contains("password"));
}

BOOST_AUTO_TEST_CASE(non_oauth_credentials_cannot_make_token_requests) {
    BOOST_CHECK_THROW(make_token_request(api_key{secret("k")}, {}, body_encoding::form, "/t"), std::invalid_argument);
    BOOST_CHECK_THROW(make_token_request(refresh_grant{"1", secret("s"), secret("r")}, {}, body_encoding::form, "/t"),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(parses_a_token_and_a_string_expires_in) {
    auto r = parse_token_response(
        answer(200, R"({"token_type":"Bearer","expires_in":"1800","access_token":"A","refresh_token":"R"})"), creds(), {});
    BOOST_REQUIRE(r);
    BOOST_TEST(r->access_token.reveal() == "A");
    BOOST_TEST(r->refresh_token.reveal() == "R");
    BOOST_TEST(r->expires_in.count() == 1800);
    auto no_refresh = parse_token_response(answer(200, R"({"access_token":"A","expires_in":60})"), creds(), {});
    BOOST_TEST(no_refresh->refresh_token.empty());
}

BOOST_AUTO_TEST_CASE(classifies_failures) {
    auto code = [](unsigned status, std::string body) {
        auto r = parse_token_response(answer(status, std::move(body)), creds(), {});
        BOOST_REQUIRE(!r);
        BOOST_TEST(r.error().kind == error_kind::auth);
        BOOST_TEST(r.error().status == status);
        return r.error().code;
    };
    BOOST_TEST(code(401, R"({"error":"invalid_client","message":"Unauthorized"})") == errc::invalid_client);
    BOOST_TEST(code(400, R"({"error":"invalid_grant"})") == errc::invalid_grant);
    BOOST_TEST(code(401, "") == errc::invalid_grant);
    BOOST_TEST(code(400, R"({"error":"unsupported_grant_type"})") == errc::rejected);
    BOOST_TEST(code(503, "<html>busy</html>") == errc::unavailable);
    BOOST_TEST(code(429, "") == errc::unavailable);
    BOOST_TEST(code(200, R"({"token_type":"Bearer"})") == errc::bad_response);
    BOOST_TEST(code(200, "not json") == errc::bad_response);
    BOOST_TEST(!is_credentials_error(errc::unavailable));
    BOOST_TEST(is_credentials_error(errc::invalid_grant));
}

BOOST_AUTO_TEST_CASE(secret_type_cannot_be_printed) {
    static_assert(!streamable<secret>::value, "a secret must not be streamable");
    static_assert(!std::is_convertible_v<secret, std::string>, "nor convertible to a string");
    BOOST_TEST(!streamable<secret>::value);
}

BOOST_AUTO_TEST_CASE(no_secret_in_any_error) {
    // A server that echoes everything it was sent, in every field it has.
    auto echo_json = [](const grant_request& g) {
        std::string echo = "got " + password + " and " + client_secret + " and " + g.refresh_token.reveal();
        return R"({"error":")" + echo + R"(","error_description":")" + echo + R"(","message":")" + echo + R"("})";
    };
    const std::vector<std::string> secrets{password, client_secret, refresh_value, "tok-1", "access-XYZ"};
    for (unsigned status : {400u, 401u, 403u, 404u, 429u, 500u, 503u}) {
        for (const auto& g : {grant_request{}, refresh_request()}) {
            auto r = parse_token_response(answer(status, echo_json(g)), creds(), g);
            BOOST_REQUIRE(!r);
            check_clean(r.error(), secrets);
        }
    }
    // A 2xx answer that holds a token but is otherwise broken: the body is never copied into the error.
    auto bad = parse_token_response(answer(200, R"({"access":"access-XYZ","refresh_token":")" + refresh_value + R"("})"),
                                     creds(), {});
    BOOST_REQUIRE(!bad);
    check_clean(bad.error(), secrets);

    // Through the refresher (every failure kind), and a 401 on a request that echoes the token.
    boost::asio::io_context io;
    test_options topt;
    fake_endpoint endpoint;
    for (auto code : {errc::invalid_client, errc::invalid_grant, errc::rejected, errc::unavailable, errc::bad_response}) {
        endpoint.fallback = [&](const grant_request& g) {
            return parse_token_response(answer(code == errc::unavailable ? 503 : code == errc::bad_response ? 200 : 400,
                                               code == errc::bad_response ? "{}" : echo_json(g)),
                                        creds(), g);
        };
        token_source src(io.get_executor(), creds(), topt.make(), endpoint.fetcher());
        auto r = daftra::test::run(io, src.get());
        BOOST_REQUIRE(!r);
        check_clean(r.error(), secrets);
    }
    endpoint.fallback = [&](const grant_request&) { return endpoint.issue(); };
    token_source src(io.get_executor(), creds(), topt.make(), endpoint.fetcher());
    send_function echo_401 = [](transport::request req, transport::send_options) -> boost::asio::awaitable<result<transport::response>> {
        std::string sent;
        for (const auto& h : req.headers)
            if (h.name == "Authorization") sent = h.value;
        transport::response resp;
        resp.status = 401;
        resp.body = R"({"message":"bad token )" + sent + R"("})";
        co_return resp;
    };
    transport::request req;
    req.target = "/x";
    auto r = daftra::test::run(io, authenticated_send(echo_401, src, req));
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().kind == error_kind::unauthorized);
    check_clean(r.error(), {"tok-1", "tok-2"});
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace token_endpoint_test
