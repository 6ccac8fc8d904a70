// Retries through the client against the sandbox's fault injection: idempotent calls ride out 503s
// and 429s (honouring Retry-After), creates are never sent twice, malformed answers are decode errors.

#include "sandbox_client.hpp"

#include <boost/test/unit_test.hpp>

using namespace daftra;
namespace asio = boost::asio;
using test::sandbox_client;

BOOST_AUTO_TEST_SUITE(client_retries)

BOOST_AUTO_TEST_CASE(get_rides_out_two_503s) {
    sandbox_client sb;
    sandbox::fault_config f;
    f.times = 2;
    f.error_rate = 1;
    f.error_status = 503;
    sb.srv.set_faults(f);
    auto site = sb.run(sb.api->site_info());
    BOOST_TEST(site.has_value(), (site ? "" : site.error().describe()));
}

BOOST_AUTO_TEST_CASE(rate_limit_honours_retry_after) {
    sandbox_client sb;
    sandbox::fault_config f;
    f.times = 1;
    f.rate_limit_rate = 1;
    f.retry_after_seconds = 1;
    sb.srv.set_faults(f);
    auto t0 = std::chrono::steady_clock::now();
    auto site = sb.run(sb.api->site_info());
    BOOST_TEST(site.has_value(), (site ? "" : site.error().describe()));
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST(waited.count() >= 900);
}

BOOST_AUTO_TEST_CASE(create_is_not_retried_on_503) {
    sandbox_client sb;
    sandbox::fault_config f;
    f.times = 1;
    f.error_rate = 1;
    f.error_status = 503;
    f.method = "POST";
    sb.srv.set_faults(f);
    tax t;
    t.name = "VAT";
    t.value = 14;
    auto id = sb.run(sb.api->taxes().create(t));
    BOOST_TEST_REQUIRE(!id.has_value());
    BOOST_TEST((id.error().kind == error_kind::server));
    BOOST_TEST(id.error().status == 503u);
    query q;
    auto page = sb.run(sb.api->taxes().list(q));
    BOOST_TEST_REQUIRE(page.has_value());
    BOOST_TEST(page->items.empty());  // nothing was created behind our back
}

BOOST_AUTO_TEST_CASE(persistent_failure_ends_with_the_error) {
    sandbox_client sb;
    sandbox::fault_config f;
    f.error_rate = 1;
    f.error_status = 502;
    sb.srv.set_faults(f);
    auto site = sb.run(sb.api->site_info());
    BOOST_TEST_REQUIRE(!site.has_value());
    BOOST_TEST((site.error().kind == error_kind::server));
    BOOST_TEST(sb.srv.stats().at("requests").is_number());
}

BOOST_AUTO_TEST_CASE(malformed_answer_is_a_decode_error) {
    sandbox_client sb;
    sandbox::fault_config f;
    f.times = 1;
    f.malformed_rate = 1;
    f.path_prefix = "/api2/site_info";
    sb.srv.set_faults(f);
    auto site = sb.run(sb.api->site_info());
    BOOST_TEST_REQUIRE(!site.has_value());
    BOOST_TEST((site.error().kind == error_kind::decode));
}

BOOST_AUTO_TEST_SUITE_END()
