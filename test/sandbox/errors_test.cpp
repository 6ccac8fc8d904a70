// Auth, bad input and pagination edges of the sandbox, with plain HTTP requests.
#define BOOST_TEST_MODULE sandbox_errors
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

#include <set>
#include <thread>

using namespace sandbox_test;

std::int64_t sandbox_fixture::create(const std::string& path, const std::string& body) {
    auto r = api.post(path, body);
    BOOST_REQUIRE_MESSAGE(r.status == 202, path << " -> " << r.status << " " << r.body);
    return to_int(r.json().at("id"));
}

namespace {

const std::string password_json =
    R"({"client_id": "1", "client_secret": "sandbox-secret", "grant_type": "password", "username": "user@example.com", "password": "sandbox-password"})";

void check_unauthorized(const reply& r) {
    BOOST_TEST(r.status == 401);
    auto v = r.json();
    BOOST_TEST(v.at("result").as_string() == "failed");
    BOOST_TEST(v.at("code").as_int64() == 401);
    BOOST_TEST(v.at("message").as_string() == "Unauthorized");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(auth, sandbox_fixture)

BOOST_AUTO_TEST_CASE(missing_unknown_and_valid_credentials) {
    client anon(srv.port());
    check_unauthorized(anon.get("/api2/invoices.json"));
    check_unauthorized(anon.request("GET", "/api2/invoices.json", "", {{"Authorization", "Bearer nope"}}));
    check_unauthorized(anon.request("GET", "/api2/invoices.json", "", {{"apikey", "wrong"}}));
    check_unauthorized(anon.request("GET", "/v2/api/entity/invoice/list/1", "", {}));
    BOOST_TEST(anon.request("GET", "/api2/invoices.json", "", {{"APIKEY", "sandbox-api-key"}}).status == 200);
    BOOST_TEST(srv.stats().at("status").at("401").as_int64() == 4);
}

BOOST_AUTO_TEST_CASE(token_json_form_multipart_and_refresh) {
    client anon(srv.port());
    for (const char* path : {"/api2/oauth/token", "/v2/oauth/token"}) {
        auto r = anon.post(path, password_json);
        BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
        auto v = r.json();
        BOOST_TEST(v.at("token_type").as_string() == "Bearer");
        BOOST_TEST(v.at("expires_in").as_int64() == 3600);
        auto token = std::string(v.at("access_token").as_string());
        BOOST_TEST(anon.request("GET", "/api2/clients.json", "", {{"Authorization", "Bearer " + token}}).status == 200);
    }
    auto form = anon.request("POST", "/api2/oauth/token",
                             "client_id=1&client_secret=sandbox-secret&grant_type=password&username=user%40example.com&password=sandbox-password",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
    BOOST_REQUIRE_MESSAGE(form.status == 200, form.body);
    const std::string b = "XyZb0undary";
    std::string mp;
    for (auto [k, v] : {std::pair{"client_id", "1"}, {"client_secret", "sandbox-secret"}, {"grant_type", "password"},
                        {"username", "user@example.com"}, {"password", "sandbox-password"}})
        mp += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    mp += "--" + b + "--\r\n";
    auto multi = anon.request("POST", "/v2/oauth/token", mp, {{"Content-Type", "multipart/form-data; boundary=" + b}});
    BOOST_REQUIRE_MESSAGE(multi.status == 200, multi.body);

    // refresh_token grant: a new pair; the old refresh token is spent.
    auto refresh = std::string(form.json().at("refresh_token").as_string());
    auto body = R"({"client_id": "1", "client_secret": "sandbox-secret", "grant_type": "refresh_token", "refresh_token": ")" + refresh + "\"}";
    auto r2 = anon.post("/api2/oauth/token", body);
    BOOST_REQUIRE_MESSAGE(r2.status == 200, r2.body);
    BOOST_TEST(r2.json().at("access_token").as_string() != form.json().at("access_token").as_string());
    BOOST_TEST(anon.post("/api2/oauth/token", body).status == 401);

    BOOST_TEST(srv.stats().at("token_requests").as_int64() == 6);
}

BOOST_AUTO_TEST_CASE(bad_token_requests) {
    client anon(srv.port());
    auto wrong_pw = anon.post("/api2/oauth/token", R"({"client_id": "1", "client_secret": "sandbox-secret", "grant_type": "password", "username": "user@example.com", "password": "x"})");
    check_unauthorized(wrong_pw);
    auto wrong_secret = anon.post("/api2/oauth/token", R"({"client_id": "1", "client_secret": "x", "grant_type": "password", "username": "user@example.com", "password": "sandbox-password"})");
    check_unauthorized(wrong_secret);
    BOOST_TEST(anon.post("/api2/oauth/token", R"({"client_id": "1", "client_secret": "sandbox-secret", "grant_type": "magic"})").status == 400);
    BOOST_TEST(anon.post("/api2/oauth/token", "{not json").status == 400);
    BOOST_TEST(anon.get("/api2/oauth/token").status == 405);
}

BOOST_AUTO_TEST_CASE(revoked_tokens) {
    client anon(srv.port());
    auto token = std::string(anon.post("/api2/oauth/token", password_json).json().at("access_token").as_string());
    BOOST_TEST(anon.request("GET", "/api2/clients.json", "", {{"Authorization", "Bearer " + token}}).status == 200);
    BOOST_TEST(anon.post("/__sandbox/revoke-tokens", "").status == 200);
    check_unauthorized(anon.request("GET", "/api2/clients.json", "", {{"Authorization", "Bearer " + token}}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(expired_tokens) {
    auto o = plain_options();
    o.token_ttl = std::chrono::seconds(2);
    sandbox_fixture f(o);
    client anon(f.srv.port());
    auto token = std::string(anon.post("/api2/oauth/token", password_json).json().at("access_token").as_string());
    BOOST_TEST(anon.request("GET", "/api2/clients.json", "", {{"Authorization", "Bearer " + token}}).status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    check_unauthorized(anon.request("GET", "/api2/clients.json", "", {{"Authorization", "Bearer " + token}}));
}

BOOST_AUTO_TEST_CASE(custom_credentials) {
    auto o = plain_options();
    o.creds.api_key = "k2";
    o.creds.username = "me@x.com";
    sandbox_fixture f(o);
    client anon(f.srv.port());
    BOOST_TEST(anon.request("GET", "/api2/clients.json", "", {{"apikey", "k2"}}).status == 200);
    BOOST_TEST(anon.request("GET", "/api2/clients.json", "", {{"apikey", "sandbox-api-key"}}).status == 401);
    BOOST_TEST(anon.post("/api2/oauth/token", password_json).status == 401);
}

BOOST_FIXTURE_TEST_SUITE(bad_input, sandbox_fixture)

BOOST_AUTO_TEST_CASE(validation_errors_per_field) {
    auto inv = api.post("/api2/invoices.json", R"({"Invoice": {"date": "2025-01-01"}, "InvoiceItem": [{"item": "x"}]})");
    BOOST_TEST(inv.status == 400);
    auto v = inv.json();
    BOOST_TEST(v.at("result").as_string() == "failed");
    BOOST_TEST(v.at("code").as_int64() == 400);
    const auto& errs = v.at("validation_errors").as_object();
    BOOST_TEST(errs.contains("client_id"));
    BOOST_TEST(errs.contains("InvoiceItem.0.unit_price"));
    BOOST_TEST(errs.contains("InvoiceItem.0.quantity"));

    auto cl = api.post("/api2/clients.json", R"({"Client": {"email": "a@b.c"}})");
    BOOST_TEST(cl.status == 400);
    BOOST_TEST(cl.json().at("validation_errors").as_object().contains("business_name"));
    BOOST_TEST(api.post("/api2/clients.json", R"({"Client": {"first_name": "Ann"}})").status == 202);

    auto pr = api.post("/api2/products.json", R"({"Product": {"unit_price": 5}})");
    BOOST_TEST(pr.status == 400);
    BOOST_TEST(pr.json().at("validation_errors").as_object().contains("name"));
    // Missing wrapper: every required field is missing.
    BOOST_TEST(api.post("/api2/products.json", R"({"name": "flat"})").status == 400);
    // Blanking a required field on update is refused too.
    auto id = create("/api2/products.json", R"({"Product": {"name": "P"}})");
    BOOST_TEST(api.put("/api2/products/" + std::to_string(id) + ".json", R"({"Product": {"name": ""}})").status == 400);
    BOOST_TEST(srv.stats().at("creates").at("products").as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(not_found) {
    for (const char* t : {"/api2/invoices/999.json", "/api2/invoices/999", "/api2/clients/abc.json", "/api2/products/0"}) {
        auto r = api.get(t);
        BOOST_TEST(r.status == 404, t);
        BOOST_TEST(r.json().at("message").as_string() == "Item not found");
    }
    BOOST_TEST(api.get("/api2/no_such_resource.json").status == 404);
    BOOST_TEST(api.get("/nothing/here").status == 404);
}

BOOST_AUTO_TEST_CASE(malformed_json) {
    for (const char* body : {"{", "not json", "{\"Invoice\": {\"client_id\": 1,}}", ""}) {
        auto r = api.post("/api2/invoices.json", body);
        BOOST_TEST(r.status == 400, body);
        BOOST_TEST(r.json().at("result").as_string() == "failed");
    }
    BOOST_TEST(api.post("/api2/invoices.json", "[1,2]").status == 400);
    BOOST_TEST(api.post("/api2/invoices.json", R"({"Invoice": 5})").status == 400);
    BOOST_TEST(api.put("/api2/invoices/1.json", "{").status == 400);
}

BOOST_AUTO_TEST_CASE(wrong_method) {
    auto r = api.request("PATCH", "/api2/invoices.json");
    BOOST_TEST(r.status == 405);
    BOOST_TEST(r.header("Allow").find("GET") != std::string::npos);
    BOOST_TEST(api.del("/api2/invoices.json").status == 405);
    BOOST_TEST(api.put("/api2/site_info.json", "{}").status == 405);
    BOOST_TEST(api.post("/api2/staff.json", "{}").status == 405);
    BOOST_TEST(api.get("/api2/invoices/add_bulk.json").status == 405);
}

BOOST_AUTO_TEST_CASE(oversized_body) {
    std::string big(9u << 20, ' ');
    big.front() = '{';
    big.back() = '}';
    auto r = api.post("/api2/invoices.json", big);
    BOOST_TEST(r.status == 413, r.error);
    // The server is still fine afterwards.
    BOOST_TEST(api.get("/api2/invoices.json").status == 200);
}

BOOST_AUTO_TEST_CASE(malformed_http) {
    auto out = client::raw(srv.port(), "THIS IS NOT HTTP\r\n\r\n");
    BOOST_TEST(out.starts_with("HTTP/1.1 400"), out);
    out = client::raw(srv.port(), "GET /api2/invoices.json HTTP/1.1\r\nContent-Length: abc\r\n\r\n");
    BOOST_TEST(out.starts_with("HTTP/1.1 400"), out);
    out = client::raw(srv.port(), "GET /" + std::string(40000, 'a') + " HTTP/1.1\r\n\r\n");
    BOOST_TEST(out.starts_with("HTTP/1.1 431"), out);
    // Connection: close, so that raw() returns at the server's close rather than at its timeout.
    out = client::raw(srv.port(), "GET api2 HTTP/1.1\r\nHost: x\r\napikey: sandbox-api-key\r\nConnection: close\r\n\r\n");
    BOOST_TEST(out.starts_with("HTTP/1.1 400"), out);
    // Half a request and a hang-up: nothing to answer, nothing breaks.
    client::raw(srv.port(), "POST /api2/invoices.json HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"Inv", std::chrono::milliseconds(200));
    BOOST_TEST(api.get("/api2/invoices.json").status == 200);
}

BOOST_AUTO_TEST_CASE(expect_100_continue) {
    auto out = client::raw(srv.port(),
                           "POST /api2/clients.json HTTP/1.1\r\nHost: x\r\napikey: sandbox-api-key\r\nContent-Type: application/json\r\n"
                           "Expect: 100-continue\r\nContent-Length: 34\r\nConnection: close\r\n\r\n{\"Client\": {\"business_name\": \"E\"}}");
    BOOST_TEST(out.starts_with("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202"), out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(pagination, sandbox_fixture)

BOOST_AUTO_TEST_CASE(empty_collection) {
    auto v = api.get("/api2/clients.json").json();
    BOOST_TEST(v.at("data").as_array().empty());
    const auto& p = v.at("pagination");
    BOOST_TEST(p.at("page").as_int64() == 1);
    BOOST_TEST(p.at("page_count").as_int64() == 1);
    BOOST_TEST(p.at("total_results").as_int64() == 0);
    BOOST_TEST(p.at("prev").is_null());
    BOOST_TEST(p.at("next").is_null());
}

BOOST_AUTO_TEST_CASE(pages_and_last_page) {
    for (int i = 0; i < 45; ++i) create("/api2/clients.json", R"({"Client": {"business_name": "C)" + std::to_string(i) + "\"}}");
    auto first = api.get("/api2/clients.json").json();
    BOOST_TEST(first.at("data").as_array().size() == 20u);  // default limit
    BOOST_TEST(first.at("pagination").at("page_count").as_int64() == 3);
    BOOST_TEST(first.at("pagination").at("total_results").as_int64() == 45);
    BOOST_TEST(first.at("pagination").at("next").as_string() == "/api2/clients.json?page=2");
    BOOST_TEST(first.at("data").at(0).at("Client").at("id").as_int64() == 1);  // oldest first by default

    auto last = api.get("/api2/clients.json?limit=20&page=3").json();
    BOOST_TEST(last.at("data").as_array().size() == 5u);
    BOOST_TEST(last.at("pagination").at("page").as_int64() == 3);
    BOOST_TEST(last.at("pagination").at("next").is_null());
    BOOST_TEST(last.at("pagination").at("prev").as_string() == "/api2/clients.json?limit=20&page=2");

    auto beyond = api.get("/api2/clients?page=9").json();
    BOOST_TEST(beyond.at("data").as_array().empty());
    BOOST_TEST(beyond.at("pagination").at("total_results").as_int64() == 45);
    BOOST_TEST(beyond.at("pagination").at("next").is_null());

    auto exact = api.get("/api2/clients.json?limit=15&page=3").json();
    BOOST_TEST(exact.at("data").as_array().size() == 15u);
    BOOST_TEST(exact.at("pagination").at("next").is_null());

    // Walking every page sees every record once.
    std::set<std::int64_t> seen;
    for (int page = 1;; ++page) {
        auto v = api.get("/api2/clients.json?limit=7&page=" + std::to_string(page)).json();
        for (const auto& row : v.at("data").as_array()) seen.insert(row.at("Client").at("id").as_int64());
        if (v.at("pagination").at("next").is_null()) break;
    }
    BOOST_TEST(seen.size() == 45u);
}

BOOST_AUTO_TEST_CASE(limit_over_max_and_bad_values) {
    for (int i = 0; i < 1005; ++i) create("/api2/taxes.json", R"({"Tax": {"name": "T", "value": 1}})");
    auto v = api.get("/api2/taxes.json?limit=5000").json();
    BOOST_TEST(v.at("data").as_array().size() == 1000u);
    BOOST_TEST(v.at("pagination").at("page_count").as_int64() == 2);
    BOOST_TEST(api.get("/api2/taxes.json?limit=1000&page=2").json().at("data").as_array().size() == 5u);
    BOOST_TEST(api.get("/api2/taxes.json?limit=0").status == 400);
    BOOST_TEST(api.get("/api2/taxes.json?page=0").status == 400);
    BOOST_TEST(api.get("/api2/taxes.json?page=x").status == 400);
    BOOST_TEST(api.get("/api2/taxes.json?direction=sideways").status == 400);
    BOOST_TEST(api.get("/api2/taxes.json?page=%zz").status == 400);
}

BOOST_AUTO_TEST_SUITE_END()
