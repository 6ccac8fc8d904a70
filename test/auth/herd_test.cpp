// The herd: 10,000 callers on an expired token against daftra-sandbox make exactly one token request.
// An executable of its own: under TSan/ASan it is the slowest test and gets its own ctest time budget.

#include "sandbox_fixture.hpp"

#include <boost/test/unit_test.hpp>

namespace herd_test {

using namespace daftra;
using namespace daftra::auth;
using namespace daftra::auth::test;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

double ms_since(steady::time_point t0) { return std::chrono::duration<double, std::milli>(steady::now() - t0).count(); }

} // namespace

BOOST_FIXTURE_TEST_SUITE(auth_herd, sandbox_fixture)

BOOST_AUTO_TEST_CASE(ten_thousand_callers_on_an_expired_token_make_one_token_request) {
    auto t0 = steady::now();
    BOOST_REQUIRE(one());
    const double first_ms = ms_since(t0);  // token round trip + one request (with connection set-up)
    t0 = steady::now();
    BOOST_REQUIRE(one());
    const double request_ms = ms_since(t0);  // one request on a warm connection
    BOOST_TEST(stat("token_requests") == 1);

    clock.advance(3601s);
    tally t;
    spawn(10'000, t);
    t0 = steady::now();
    run();
    const double herd_ms = ms_since(t0);
    BOOST_TEST(t.ok == 10'000, t.first_other);
    BOOST_TEST(stat("token_requests") == 2);  // exactly one for the herd
    BOOST_TEST(source->stats().refreshes == 2u);
    BOOST_TEST_MESSAGE("first call (token + request) " << first_ms << " ms; warm request " << request_ms
                       << " ms; 10,000 callers on an expired token " << herd_ms << " ms");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace herd_test
