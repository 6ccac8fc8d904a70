// Fault injection and the admin endpoints of the sandbox, with plain HTTP requests.
#define BOOST_TEST_MODULE sandbox_faults
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"
#include "fault_injector.hpp"  // sandbox/src: the per-request fault decision

#include <algorithm>
#include <chrono>

using namespace sandbox_test;
using clock_type = std::chrono::steady_clock;

static long ms_since(clock_type::time_point start) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start).count());
}

std::int64_t sandbox_fixture::create(const std::string& path, const std::string& body) {
    auto r = api.post(path, body);
    BOOST_REQUIRE_MESSAGE(r.status == 202, path << " -> " << r.status << " " << r.body);
    return to_int(r.json().at("id"));
}

namespace {

void set_faults(client& c, const std::string& body) {
    auto r = c.post("/__sandbox/faults", body);
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(faults, sandbox_fixture)

BOOST_AUTO_TEST_CASE(error_status_for_the_next_n_requests) {
    set_faults(api, R"({"error_rate": 1, "error_status": 503, "times": 2})");
    for (int i = 0; i < 2; ++i) {
        auto r = api.get("/api2/clients.json");
        BOOST_TEST(r.status == 503);
        BOOST_TEST(r.json().at("result").as_string() == "failed");
        BOOST_TEST(r.json().at("code").as_int64() == 503);
    }
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    auto st = srv.stats();
    BOOST_TEST(st.at("faults_injected").as_int64() == 2);
    BOOST_TEST(st.at("status").at("503").as_int64() == 2);
    for (int status : {500, 502}) {
        set_faults(api, R"({"error_rate": 1, "error_status": )" + std::to_string(status) + "}");
        BOOST_TEST(api.get("/api2/clients.json").status == status);
    }
}

BOOST_AUTO_TEST_CASE(rate_limit_with_retry_after) {
    set_faults(api, R"({"rate_limit_rate": 1, "retry_after_seconds": 7, "times": 1})");
    auto r = api.get("/api2/invoices.json");
    BOOST_TEST(r.status == 429);
    BOOST_TEST(r.header("Retry-After") == "7");
    BOOST_TEST(r.json().at("code").as_int64() == 429);
    set_faults(api, R"({"rate_limit_rate": 1, "retry_after_seconds": 30, "retry_after_http_date": true})");
    r = api.get("/api2/invoices.json");
    BOOST_TEST(r.status == 429);
    auto date = r.header("Retry-After");
    BOOST_TEST(date.size() == 29u, date);  // "Sun, 29 Nov 2026 05:00:00 GMT"
    BOOST_TEST(date.ends_with(" GMT"));
}

BOOST_AUTO_TEST_CASE(close_after_k_requests) {
    set_faults(api, R"({"close_after": 2})");
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    BOOST_TEST(api.connects() == 1);
    // The server closed the connection without saying so: the next request on it fails...
    auto r = api.get("/api2/clients.json");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(!r.error.empty());
    // ...and a fresh connection works again.
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    BOOST_TEST(api.connects() == 2);
}

BOOST_AUTO_TEST_CASE(stall_limited_to_a_path) {
    set_faults(api, R"({"stall_rate": 1, "path_prefix": "/api2/invoices"})");
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    api.timeout = std::chrono::milliseconds(300);
    auto start = clock_type::now();
    auto r = api.get("/api2/invoices.json");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.error == "timeout");
    BOOST_TEST(ms_since(start) >= 250);
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
}

BOOST_AUTO_TEST_CASE(reset_mid_body) {
    for (int i = 0; i < 3; ++i) create("/api2/clients.json", R"({"Client": {"business_name": "A somewhat long business name"}})");
    set_faults(api, R"({"reset_rate": 1, "times": 1})");
    auto r = api.get("/api2/clients.json");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(!r.error.empty());
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
}

BOOST_AUTO_TEST_CASE(truncated_body) {
    for (int i = 0; i < 3; ++i) create("/api2/clients.json", R"({"Client": {"business_name": "A somewhat long business name"}})");
    set_faults(api, R"({"truncate_rate": 1, "times": 1})");
    auto r = api.get("/api2/clients.json");
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.truncated, r.error);
    BOOST_TEST(!r.body.empty());
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
}

BOOST_AUTO_TEST_CASE(malformed_json_body) {
    set_faults(api, R"({"malformed_rate": 1, "times": 1})");
    auto r = api.get("/api2/clients.json");
    BOOST_TEST(r.status == 200);
    BOOST_CHECK_THROW(r.json(), std::exception);
    BOOST_TEST(r.header("Content-Type").starts_with("application/json"));
    BOOST_TEST(api.get("/api2/clients.json").json().at("result").as_string() == "successful");
}

BOOST_AUTO_TEST_CASE(latency_fixed_and_random) {
    set_faults(api, R"({"latency_ms": 200})");
    auto start = clock_type::now();
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    BOOST_TEST(ms_since(start) >= 195);
    set_faults(api, R"({"latency_ms": 20, "latency_max_ms": 80})");
    for (int i = 0; i < 5; ++i) {
        start = clock_type::now();
        BOOST_TEST(api.get("/api2/clients.json").status == 200);
        BOOST_TEST(ms_since(start) >= 19);  // that the delay stays under the maximum: the next test
    }
}

BOOST_AUTO_TEST_CASE(random_latency_is_drawn_within_its_range) {
    // The upper bound of the random latency, on what the sandbox decides rather than on a stopwatch
    // (which a loaded machine can stretch at will): every draw within [latency_ms, latency_max_ms], and
    // spread over the range.
    daftra::sandbox::detail::fault_injector injector(7);
    daftra::sandbox::fault_config f;
    f.latency_ms = 20;
    f.latency_max_ms = 80;
    injector.set(f);
    std::uint32_t lowest = 1000, highest = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto d = injector.decide("GET", "/api2/clients.json");
        lowest = std::min(lowest, d.latency_ms);
        highest = std::max(highest, d.latency_ms);
    }
    BOOST_TEST(lowest >= 20u);
    BOOST_TEST(highest <= 80u);
    BOOST_TEST(lowest < 25u);
    BOOST_TEST(highest > 75u);
}

BOOST_AUTO_TEST_CASE(limited_to_a_method) {
    set_faults(api, R"({"error_rate": 1, "error_status": 500, "method": "POST"})");
    BOOST_TEST(api.get("/api2/clients.json").status == 200);
    BOOST_TEST(api.post("/api2/clients.json", R"({"Client": {"business_name": "X"}})").status == 500);
    BOOST_TEST(api.get("/api2/clients.json").json().at("data").as_array().empty());  // nothing was created
}

BOOST_AUTO_TEST_CASE(admin_endpoints_are_never_faulted_or_counted) {
    set_faults(api, R"({"error_rate": 1})");
    BOOST_TEST(api.get("/__sandbox/stats").status == 200);
    auto f = api.get("/__sandbox/faults");
    BOOST_TEST(f.status == 200);
    BOOST_TEST(f.json().at("error_rate").as_double() == 1.0);
    BOOST_TEST(srv.stats().at("requests").as_int64() == 0);
    // PUT merges, POST replaces.
    BOOST_TEST(api.put("/__sandbox/faults", R"({"error_status": 502})").status == 200);
    BOOST_TEST(srv.faults().error_rate == 1.0);
    BOOST_TEST(srv.faults().error_status == 502u);
    BOOST_TEST(api.post("/__sandbox/faults", "{}").status == 200);
    BOOST_TEST(!srv.faults().any());
    // Bad configurations are refused.
    BOOST_TEST(api.post("/__sandbox/faults", R"({"error_rate": 2})").status == 400);
    BOOST_TEST(api.post("/__sandbox/faults", R"({"nonsense": 1})").status == 400);
    BOOST_TEST(api.post("/__sandbox/faults", R"({"error_status": 200})").status == 400);
    BOOST_TEST(api.post("/__sandbox/faults", "{").status == 400);
    BOOST_TEST(api.get("/__sandbox/nothing").status == 404);
}

BOOST_AUTO_TEST_CASE(stats_and_reset) {
    create("/api2/clients.json", R"({"Client": {"business_name": "X"}})");
    create("/api2/clients.json", R"({"Client": {"business_name": "Y"}})");
    create("/api2/products.json", R"({"Product": {"name": "P"}})");
    client anon(srv.port());
    anon.get("/api2/clients.json");
    anon.post("/api2/oauth/token", "{}");
    auto st = api.get("/__sandbox/stats").json();
    BOOST_TEST(st.at("requests").as_int64() == 5);
    BOOST_TEST(st.at("token_requests").as_int64() == 1);
    BOOST_TEST(st.at("connections_accepted").as_int64() == 2);
    BOOST_TEST(st.at("creates").at("clients").as_int64() == 2);
    BOOST_TEST(st.at("creates").at("products").as_int64() == 1);
    BOOST_TEST(st.at("status").at("202").as_int64() == 3);
    BOOST_TEST(st.at("status").at("401").as_int64() == 1);
    BOOST_TEST(st.at("status").at("400").as_int64() == 1);

    set_faults(api, R"({"error_rate": 1})");
    BOOST_TEST(api.post("/__sandbox/reset", "").status == 200);
    BOOST_TEST(!srv.faults().any());
    auto after = srv.stats();
    BOOST_TEST(after.at("requests").as_int64() == 0);
    BOOST_TEST(after.at("creates").as_object().empty());
    auto list = api.get("/api2/clients.json").json();
    BOOST_TEST(list.at("data").as_array().empty());
    BOOST_TEST(create("/api2/clients.json", R"({"Client": {"business_name": "Z"}})") == 1);  // ids start again
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

std::vector<int> statuses(std::uint64_t seed) {
    auto o = plain_options();
    o.seed = seed;
    o.faults.error_rate = 0.5;
    o.faults.error_status = 503;
    sandbox_fixture f(o);
    std::vector<int> out;
    for (int i = 0; i < 40; ++i) out.push_back(f.api.get("/api2/clients.json").status);
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(deterministic_with_a_seed) {
    auto a = statuses(42);
    auto b = statuses(42);
    auto c = statuses(43);
    BOOST_TEST(a == b, boost::test_tools::per_element());
    BOOST_TEST(a != c);
    auto errors = std::count(a.begin(), a.end(), 503);
    BOOST_TEST(errors > 5);
    BOOST_TEST(errors < 35);
}

BOOST_AUTO_TEST_CASE(faults_from_options) {
    auto o = plain_options();
    o.faults.close_after = 1;
    sandbox_fixture f(o);
    BOOST_TEST(f.api.get("/api2/clients.json").status == 200);
    BOOST_TEST(f.api.get("/api2/clients.json").status == 0);
    BOOST_TEST(f.api.get("/api2/clients.json").status == 200);
    BOOST_TEST(f.srv.stats().at("connections_accepted").as_int64() == 2);
}
