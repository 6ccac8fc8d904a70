// Retries through the client against the sandbox's fault injection: idempotent calls ride out 503s
// and 429s (honouring Retry-After), creates are never sent twice, malformed answers are decode errors.

#include "sandbox_client.hpp"

#include <boost/test/unit_test.hpp>

namespace retry_sandbox_test {

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

namespace {

std::int64_t requests_seen(sandbox_client& sb) { return sb.srv.stats().at("requests").to_number<std::int64_t>(); }

std::int64_t create_tax(sandbox_client& sb) {
    tax t;
    t.name = "VAT";
    t.value = 14;
    auto id = sb.run(sb.api->taxes().create(t));
    BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
    return *id;
}

sandbox::fault_config once_on_delete() {
    sandbox::fault_config f;
    f.times = 1;
    f.method = "DELETE";
    f.path_prefix = "/api2/taxes";
    return f;
}

} // namespace

// The sandbox deletes the record, then resets the connection halfway through the answer. The retry is
// answered 404: the first attempt deleted it, so the call succeeds and says the record was already gone.
BOOST_AUTO_TEST_CASE(delete_whose_answer_was_lost_succeeds_as_already_gone) {
    sandbox_client sb;
    const auto id = create_tax(sb);
    sandbox::fault_config f = once_on_delete();
    f.reset_rate = 1;
    sb.srv.set_faults(f);
    const auto before = requests_seen(sb);
    auto r = sb.run(sb.api->taxes().remove(id));
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().describe()));
    BOOST_TEST(r->already_gone);
    BOOST_TEST(requests_seen(sb) - before == 2);  // the reset attempt and the retry
    auto get = sb.run(sb.api->taxes().get(id));
    BOOST_TEST_REQUIRE(!get.has_value());
    BOOST_TEST((get.error().kind == error_kind::not_found));
}

BOOST_AUTO_TEST_CASE(delete_answered_at_once_is_not_already_gone) {
    sandbox_client sb;
    const auto id = create_tax(sb);
    auto r = sb.run(sb.api->taxes().remove(id));
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().describe()));
    BOOST_TEST(!r->already_gone);

    // Deleting it again: a first attempt's 404 is not_found.
    auto again = sb.run(sb.api->taxes().remove(id));
    BOOST_TEST_REQUIRE(!again.has_value());
    BOOST_TEST((again.error().kind == error_kind::not_found));
    BOOST_TEST(again.error().status == 404u);
}

// A 503 is a definite answer: the server did not act on the request (the sandbox's 503 deletes
// nothing). The retry's 404 then means the record was never there: not_found, not "already gone".
BOOST_AUTO_TEST_CASE(delete_found_missing_after_a_503_is_not_found) {
    sandbox_client sb;
    const auto id = create_tax(sb);
    auto r = sb.run(sb.api->taxes().remove(id));
    BOOST_TEST_REQUIRE(r.has_value());
    sandbox::fault_config f = once_on_delete();
    f.error_rate = 1;
    f.error_status = 503;
    sb.srv.set_faults(f);
    const auto before = requests_seen(sb);
    auto again = sb.run(sb.api->taxes().remove(id));
    BOOST_TEST_REQUIRE(!again.has_value());
    BOOST_TEST((again.error().kind == error_kind::not_found));
    BOOST_TEST(requests_seen(sb) - before == 2);  // the 503 and the retry
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace retry_sandbox_test
