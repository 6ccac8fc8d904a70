// The streaming path of list answers (resources/list_stream.hpp): which answers it takes, that what
// it takes decodes exactly as the tree path does, and that it declines the rest. The fuzz target
// test/fuzz/stream_fuzz.cpp checks the agreement on many more inputs.

#include "daftra/resources/list_stream.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

using namespace daftra;

namespace {

// Streams `body` as an invoice page; true when the stream took it. `out` receives the page.
template <class Model = invoice>
bool streamed(const resources::resource_spec<Model>& spec, const std::string& body, page<Model>& out) {
    model::record_builder<Model> sink(out.items);
    resources::list_position position;
    if (!resources::stream_list(body, spec, 1, sink, position)) return false;
    out.page = position.page;
    out.page_count = position.page_count;
    out.total_results = position.total_results;
    return true;
}

template <class Model>
void check_same(const resources::resource_spec<Model>& spec, const std::string& body) {
    transport::response r;
    r.status = 200;
    r.body = body;
    page<Model> fast;
    BOOST_REQUIRE_MESSAGE(streamed(spec, body, fast), "the stream declined " << body);
    auto tree = resources::operations(spec).list_answer_from_tree(r, 1);
    BOOST_REQUIRE_MESSAGE(tree.has_value(), tree.error().message);
    BOOST_TEST(fast.page == tree->page);
    BOOST_TEST(fast.page_count == tree->page_count);
    BOOST_TEST(fast.total_results == tree->total_results);
    BOOST_REQUIRE_EQUAL(fast.items.size(), tree->items.size());
    for (std::size_t i = 0; i < fast.items.size(); ++i)
        BOOST_TEST(boost::json::serialize(model::to_json(fast.items[i])) == boost::json::serialize(model::to_json(tree->items[i])));
}

bool declines(const std::string& body) {
    page<invoice> out;
    return !streamed(resources::invoices, body, out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(stream)

BOOST_AUTO_TEST_CASE(takes_a_v1_page_with_lenient_values_and_unknown_keys) {
    const std::string body =
        R"({"code":200,"result":"successful","data":[)"
        R"({"Invoice":{"id":"1042","client_id":318,"draft":"0","summary_total":"1487.50","no":"INV-1","contact_name":"Acme","k\u00e9y":"K\u00f6ln"}},)"
        R"({"Invoice":{"id":1041,"is_offline":true,"discount":"","notes":null,"total":7.5},"beside":"s","id":"ignored"}],)"
        R"("pagination":{"page":"2","page_count":5,"total_results":"98","next":"/x"}})";
    check_same(resources::invoices, body);
    page<invoice> p;
    BOOST_REQUIRE(streamed(resources::invoices, body, p));
    BOOST_TEST(p.page == 2);
    BOOST_TEST(p.page_count == 5);
    BOOST_TEST(p.total_results == 98);
    BOOST_REQUIRE_EQUAL(p.items.size(), 2u);
    BOOST_TEST(*p.items[0].id == 1042);
    BOOST_TEST(*p.items[0].client_id == 318);
    BOOST_TEST(*p.items[0].draft == false);
    BOOST_TEST(*p.items[0].summary_total == 1487.5);
    BOOST_TEST(p.items[0].extra.at("contact_name").as_string() == "Acme");
    BOOST_TEST(p.items[0].extra.at("k\xc3\xa9y").as_string() == "K\xc3\xb6ln");
    BOOST_TEST(!p.items[1].discount.has_value());
    BOOST_TEST(p.items[1].extra.at("beside").as_string() == "s");
    BOOST_TEST(!p.items[1].extra.contains("id"));
}

BOOST_AUTO_TEST_CASE(pagination_defaults_follow_list_items) {
    check_same(resources::invoices, R"({"data":[{"Invoice":{"id":"1"}}],"pagination":{"page":"x","page_count":[3]}})");
    check_same(resources::invoices, R"({"data":[],"pagination":{}})");
}

BOOST_AUTO_TEST_CASE(record_keys_win_over_siblings) {
    check_same(resources::invoices, R"({"data":[{"Invoice":{"u":"inner"},"u":"outer","v":1}],"pagination":{"page":1}})");
}

BOOST_AUTO_TEST_CASE(other_resources_and_the_second_wrapper) {
    check_same(resources::products, R"({"data":[{"Product":{"id":"3","name":"Widget","unit_price":"9.99"}}],"pagination":{"page":1}})");
    check_same(resources::product_categories, R"({"data":[{"Category":{"id":"2","name":"Tools"}}],"pagination":{"page":1}})");
}

BOOST_AUTO_TEST_CASE(declines_what_the_tree_must_decide) {
    // relations, nested values
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"InvoiceItem":[{"unit_price":"1"}]}}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"id":"1"},"InvoiceItem":[]}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"InvoiceItem":""}}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"meta":{"a":1}}}],"pagination":{}})"));
    // repeated keys (the tree keeps the last one)
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"id":"x","id":"1"}}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"u":1,"u":2}}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{},"s":1,"s":2}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[],"data":[],"pagination":{}})"));
    // values the converter rejects: the tree writes the error message
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"summary_total":"abc"}}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"id":1.5}}],"pagination":{}})"));
    // other envelopes
    BOOST_TEST(declines(R"({"result":"failed","code":404,"data":[],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"Invoice":{"id":"1"}}],"current_page":2})"));
    BOOST_TEST(declines(R"({"data":{"0":{"Invoice":{}}},"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"id":"1"}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{"x":1,"Invoice":{}}],"pagination":{}})"));
    BOOST_TEST(declines(R"({"data":[{}],"pagination":{}})"));
    // not JSON
    BOOST_TEST(declines(R"({"data":[],"pagination":{}} x)"));
    BOOST_TEST(declines(R"({"data":[)"));
}

BOOST_AUTO_TEST_CASE(list_answer_reports_the_tree_error) {
    transport::response r;
    r.status = 200;
    r.body = R"({"data":[{"Invoice":{"id":"1"}},{"Invoice":{"summary_total":"abc"}}],"pagination":{}})";
    auto p = resources::operations(resources::invoices).list_answer(r, 1);
    BOOST_REQUIRE(!p.has_value());
    BOOST_TEST(p.error().message == R"(unexpected JSON at data[1].Invoice.summary_total: expected a number, got "abc")");
}

BOOST_AUTO_TEST_SUITE_END()
