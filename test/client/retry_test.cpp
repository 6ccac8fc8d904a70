// The retry policy's decisions, without sockets or sleeping.

#include "daftra/client/retry.hpp"

#include <boost/test/unit_test.hpp>

namespace retry_test {

using namespace daftra;
using namespace std::chrono_literals;

namespace {

transport::request req(transport::verb m) {
    transport::request r;
    r.method = m;
    return r;
}

error failure(error_kind kind, bool maybe_sent) {
    error e;
    e.kind = kind;
    e.maybe_sent = maybe_sent;
    return e;
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_policy)

BOOST_AUTO_TEST_CASE(answers) {
    for (unsigned s : {408u, 429u, 502u, 503u, 504u}) {
        BOOST_TEST(retry::retry_answer(req(transport::verb::get), s), s);
        BOOST_TEST(retry::retry_answer(req(transport::verb::put), s), s);
        BOOST_TEST(retry::retry_answer(req(transport::verb::delete_), s), s);
        BOOST_TEST(!retry::retry_answer(req(transport::verb::post), s), s);  // never duplicate a create
    }
    for (unsigned s : {200u, 400u, 401u, 404u, 422u, 500u})
        BOOST_TEST(!retry::retry_answer(req(transport::verb::get), s), s);
}

BOOST_AUTO_TEST_CASE(failures) {
    BOOST_TEST(retry::retry_failure(req(transport::verb::get), failure(error_kind::transport, true)));
    BOOST_TEST(retry::retry_failure(req(transport::verb::get), failure(error_kind::timeout, true)));
    BOOST_TEST(retry::retry_failure(req(transport::verb::post), failure(error_kind::transport, false)));
    BOOST_TEST(!retry::retry_failure(req(transport::verb::post), failure(error_kind::transport, true)));
    BOOST_TEST(!retry::retry_failure(req(transport::verb::get), failure(error_kind::tls, false)));
    BOOST_TEST(!retry::retry_failure(req(transport::verb::get), failure(error_kind::cancelled, false)));
    BOOST_TEST(!retry::retry_failure(req(transport::verb::get), failure(error_kind::auth, false)));
}

BOOST_AUTO_TEST_CASE(retry_after) {
    const auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    BOOST_TEST(retry::parse_retry_after("120", now).value().count() == 120000);
    BOOST_TEST(retry::parse_retry_after(" 0 ", now).value().count() == 0);
    BOOST_TEST(retry::parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now).value().count() == 10000);
    BOOST_TEST(retry::parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now).value().count() == 0);  // in the past
    BOOST_TEST(!retry::parse_retry_after("-5", now).has_value());
    BOOST_TEST(!retry::parse_retry_after("soon", now).has_value());
    BOOST_TEST(!retry::parse_retry_after("", now).has_value());
}

BOOST_AUTO_TEST_CASE(backoff_doubles_up_to_the_cap) {
    retry_options o;
    o.initial_backoff = 100ms;
    o.max_backoff = 1000ms;
    BOOST_TEST(retry::backoff_ceiling(o, 2).count() == 100);
    BOOST_TEST(retry::backoff_ceiling(o, 3).count() == 200);
    BOOST_TEST(retry::backoff_ceiling(o, 5).count() == 800);
    BOOST_TEST(retry::backoff_ceiling(o, 6).count() == 1000);
    BOOST_TEST(retry::backoff_ceiling(o, 60).count() == 1000);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace retry_test
