// Pure functions of the transport: origin parsing, Keep-Alive hints, response header lookup.

#include "transport/keep_alive.hpp"
#include "transport/origin.hpp"

#include "daftra/transport/http.hpp"

#include <boost/test/unit_test.hpp>

namespace parsing_test {

using namespace daftra::transport;

BOOST_AUTO_TEST_SUITE(parsing)

BOOST_AUTO_TEST_CASE(origin_forms) {
    auto o = detail::origin::parse("https://acme.daftra.com");
    BOOST_TEST(o.tls);
    BOOST_TEST(o.host == "acme.daftra.com");
    BOOST_TEST(o.port == 443);
    BOOST_TEST(o.host_header == "acme.daftra.com");
    BOOST_TEST(!o.host_is_ip);

    o = detail::origin::parse("http://127.0.0.1:8080/api2");
    BOOST_TEST(!o.tls);
    BOOST_TEST(o.port == 8080);
    BOOST_TEST(o.host_is_ip);
    BOOST_TEST(o.host_header == "127.0.0.1:8080");

    o = detail::origin::parse("https://[::1]:8443");
    BOOST_TEST(o.host == "::1");
    BOOST_TEST(o.host_is_ip);
    BOOST_TEST(o.host_header == "[::1]:8443");

    o = detail::origin::parse("https://example.com:443");
    BOOST_TEST(o.host_header == "example.com");
}

BOOST_AUTO_TEST_CASE(origin_rejects_bad_urls) {
    BOOST_CHECK_THROW(detail::origin::parse("acme.daftra.com"), std::invalid_argument);
    BOOST_CHECK_THROW(detail::origin::parse("ftp://acme.daftra.com"), std::invalid_argument);
    BOOST_CHECK_THROW(detail::origin::parse("https://"), std::invalid_argument);
    BOOST_CHECK_THROW(detail::origin::parse("https://user:secret@host"), std::invalid_argument);
    try {
        detail::origin::parse("https://user:hunter2@host");
    } catch (const std::invalid_argument& e) {
        BOOST_TEST(std::string(e.what()).find("hunter2") == std::string::npos);  // no secret in the message
    }
}

BOOST_AUTO_TEST_CASE(keep_alive_hints) {
    auto h = detail::parse_keep_alive("timeout=5, max=100");
    BOOST_TEST(h.timeout.has_value());
    BOOST_TEST(h.timeout->count() == 5);
    BOOST_TEST(*h.max == 100u);
    h = detail::parse_keep_alive("Max=\"3\"");
    BOOST_TEST(!h.timeout.has_value());
    BOOST_TEST(*h.max == 3u);
    h = detail::parse_keep_alive("timeout=abc, junk, max=");
    BOOST_TEST(!h.timeout.has_value());
    BOOST_TEST(!h.max.has_value());
}

BOOST_AUTO_TEST_CASE(response_header_lookup) {
    response r;
    r.headers = "Content-Type: application/json\r\nRetry-After:  7\r\nX-Empty:\r\n";
    BOOST_TEST(*r.header("content-type") == "application/json");
    BOOST_TEST(*r.header("RETRY-AFTER") == "7");
    BOOST_TEST(*r.header("x-empty") == "");
    BOOST_TEST(!r.header("missing").has_value());
}

BOOST_AUTO_TEST_CASE(idempotency) {
    request r;
    r.method = verb::get;
    BOOST_TEST(r.idempotent());
    r.method = verb::put;
    BOOST_TEST(r.idempotent());
    r.method = verb::delete_;
    BOOST_TEST(r.idempotent());
    r.method = verb::post;
    BOOST_TEST(!r.idempotent());
    r.method = verb::patch;
    BOOST_TEST(!r.idempotent());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace parsing_test
