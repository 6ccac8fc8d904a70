// Answers built to hurt the decoder: nesting deep enough to overflow a recursive walk, huge arrays of
// nothing, enormous numbers. Each ends in a typed error or a bounded result, never a crash.

#include "answers.hpp"

#include "daftra/detail/error_decoding.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/test/unit_test.hpp>

namespace hostile_json_test {

using namespace daftra;
using daftra::test::answer;

BOOST_AUTO_TEST_SUITE(hostile_json)

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused_not_recursed) {
    // 100,000 levels: a recursive parser or converter would overflow the stack.
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    for (const std::string& body : {deep, R"({"code":200,"data":)" + deep + "}",
                                    R"({"data":[{"Invoice":{"id":1,"extra":)" + deep + "}}]}"}) {
        auto page = resources::operations(resources::invoices).list_answer(answer(200, body));
        BOOST_REQUIRE(!page);
        BOOST_TEST((page.error().kind == error_kind::decode), page.error().describe());
    }
    // The same depth in an error answer still gives the HTTP error, without its message.
    auto e = resources::decode_error(500, deep);
    BOOST_TEST((e.kind == error_kind::server));
}

BOOST_AUTO_TEST_CASE(nesting_within_the_limit_decodes) {
    // Unknown keys may hold nested values; 20 levels is far beyond Daftra's ~5 and still accepted.
    const std::string nested = std::string(20, '[') + "1" + std::string(20, ']');
    auto page = resources::operations(resources::invoices)
                    .list_answer(answer(200, R"({"data":[{"Invoice":{"id":1,"odd":)" + nested + "}}]}"));
    BOOST_REQUIRE(page);
    BOOST_TEST(page->items.at(0).extra.contains("odd"));
}

BOOST_AUTO_TEST_CASE(huge_numbers_and_long_strings) {
    const std::string digits(5000, '9');
    auto r = resources::operations(resources::invoices)
                 .get_answer(answer(200, R"({"data":{"Invoice":{"id":")" + digits + R"("}}})"));
    BOOST_REQUIRE(!r);
    BOOST_TEST((r.error().kind == error_kind::decode), r.error().describe());
    // An overlong message is cut in the error, not copied whole into it.
    const std::string message(1u << 20, 'm');
    auto e = resources::decode_error(422, R"({"result":"failed","message":")" + message + R"("})");
    BOOST_TEST(e.body.size() <= (64u << 10));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace hostile_json_test
