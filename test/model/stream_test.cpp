// The streaming decoder (detail/list_stream.hpp): which answers it takes, that what it takes
// decodes exactly as the tree path does, and that it declines the rest. Every check also asserts which
// path the operation took (streamed_answers()), so that a shape falling back to the tree fails here.
// The fuzz target test/fuzz/stream_fuzz.cpp checks the agreement on many more inputs.

#include "stream_paths.hpp"

#include "daftra/detail/list_stream.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

namespace stream_test {

using namespace daftra;
using namespace stream_paths;

namespace {

// Every scalar field of T's member table with a string value ("1" reads as 1, 1.0, true and "1"),
// as Daftra sends them.
template <class T>
std::string scalar_fields() {
    std::string out;
    for (const auto& f : model::description<T>::fields) {
        if (f.flags & model::field::relation) continue;
        out += out.empty() ? "" : ",";
        out += '"';
        out += f.key;
        out += R"(":"1")";
    }
    return out;
}

// A page shaped like the harness's Daftra invoice list: 20 invoices with every invoice field as a
// string and their nested `Client` with every client field.
std::string daftra_invoice_page() {
    const std::string invoice_fields = scalar_fields<daftra::invoice>();
    const std::string client_fields = scalar_fields<client_record>();
    std::string body = R"({"code":200,"result":"successful","data":[)";
    for (int i = 0; i < 20; ++i) {
        body += i ? "," : "";
        body += R"({"Invoice":{)" + invoice_fields + R"(,"Client":{)" + client_fields + R"(},"unknown_)" + std::to_string(i) +
                R"(":{"nested":[1,"two",{"three":null}]}}})";
    }
    body += R"(],"pagination":{"page":1,"page_count":"3","total_results":"60"}})";
    return body;
}

} // namespace

BOOST_AUTO_TEST_SUITE(stream)

BOOST_AUTO_TEST_CASE(the_daftra_invoice_page_streams) {
    const std::string body = daftra_invoice_page();
    auto p = list(resources::invoices, body, path::stream);
    BOOST_REQUIRE(p.has_value());
    BOOST_REQUIRE_EQUAL(p->items.size(), 20u);
    BOOST_TEST(p->page_count == 3);
    BOOST_TEST(p->total_results == 60);
    const invoice& first = p->items[0];
    BOOST_TEST(*first.id == 1);
    BOOST_TEST(*first.draft == true);
    BOOST_TEST(*first.summary_total == 1.0);
    BOOST_TEST(*first.notes == "1");
    BOOST_REQUIRE(first.Client.has_value());
    BOOST_TEST(*first.Client->id == 1);
    BOOST_TEST(boost::json::serialize(p->items[19].extra.at("unknown_19")) == R"({"nested":[1,"two",{"three":null}]})");
}

BOOST_AUTO_TEST_CASE(takes_a_v1_page_with_lenient_values_and_unknown_keys) {
    const std::string body =
        R"({"code":200,"result":"successful","data":[)"
        R"({"Invoice":{"id":"1042","client_id":318,"draft":"0","summary_total":"1487.50","no":"INV-1","contact_name":"Acme","k\u00e9y":"K\u00f6ln"}},)"
        R"({"Invoice":{"id":1041,"is_offline":true,"discount":"","notes":null,"total":7.5},"beside":"s","id":"ignored"}],)"
        R"("pagination":{"page":"2","page_count":5,"total_results":"98","next":"/x"}})";
    auto p = list(resources::invoices, body, path::stream);
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(p->page == 2);
    BOOST_TEST(p->page_count == 5);
    BOOST_TEST(p->total_results == 98);
    BOOST_REQUIRE_EQUAL(p->items.size(), 2u);
    BOOST_TEST(*p->items[0].summary_total == 1487.5);
    BOOST_TEST(p->items[0].extra.at("k\xc3\xa9y").as_string() == "K\xc3\xb6ln");
    BOOST_TEST(p->items[1].extra.at("beside").as_string() == "s");
    BOOST_TEST(!p->items[1].extra.contains("id"));
}

BOOST_AUTO_TEST_CASE(nested_relations_child_rows_and_siblings) {
    // Client nested, rows inside, payments beside the wrapper, a raw_record row, unknown nested values.
    auto p = list(resources::invoices,
                  R"({"data":[{"Invoice":{"id":"7","Client":{"id":"5","business_name":"Acme","odd":[1]},)"
                  R"("InvoiceItem":[{"item":"A","unit_price":"2.50","quantity":"4","lot":["x"]},{"item":"B"}],)"
                  R"("Document":[{"any":{"deep":[true]}}]},)"
                  R"("InvoicePayment":[{"id":"3","amount":"10"}],"Payment":"","extra_sibling":{"a":[1,2]},"u":"outer"}],)"
                  R"("pagination":{"page":1}})",
                  path::stream);
    BOOST_REQUIRE(p.has_value());
    const invoice& inv = p->items.at(0);
    BOOST_TEST(*inv.Client->business_name == "Acme");
    BOOST_REQUIRE_EQUAL(inv.InvoiceItem.size(), 2u);
    BOOST_TEST(*inv.InvoiceItem[0].unit_price == 2.5);
    BOOST_REQUIRE_EQUAL(inv.InvoicePayment.size(), 1u);
    BOOST_TEST(*inv.InvoicePayment[0].amount == 10.0);
    BOOST_TEST(inv.extra.contains("extra_sibling"));

    // A relation inside the record wins over the same one beside it.
    list(resources::invoices, R"({"data":[{"Invoice":{"Client":{"id":"1"}},"Client":{"id":"2"}}],"pagination":{}})", path::stream);
    // The record's own unknown key wins over the sibling's.
    list(resources::invoices, R"({"data":[{"Invoice":{"u":"inner"},"u":"outer","v":1}],"pagination":{"page":1}})", path::stream);
}

BOOST_AUTO_TEST_CASE(php_nothing_spellings) {
    for (const char* nothing : {"[]", R"("")", "false", "null", "{}"}) {
        const std::string n = nothing;
        auto p = list(resources::invoices,
                      R"({"data":[{"Invoice":{"Client":)" + n + R"(,"InvoiceItem":)" + n + R"(},"InvoicePayment":)" + n +
                          R"(}],"pagination":{}})",
                      path::stream);
        BOOST_REQUIRE(p.has_value());
        // {} is an empty record for one<>, no rows for rows<>; the others are nothing.
        BOOST_TEST(p->items[0].Client.has_value() == (n == "{}"));
        BOOST_TEST(p->items[0].InvoiceItem.empty());
    }
    // A one-element list where one record was expected, and a lone row given as an object.
    auto p = list(resources::invoices,
                  R"({"data":[{"Invoice":{"Client":[{"id":"9"}],"Payment":{"amount":"5"},"InvoiceItem":{"0":[]}}}],"pagination":{}})",
                  path::stream);
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(*p->items[0].Client->id == 9);
    BOOST_REQUIRE_EQUAL(p->items[0].Payment.size(), 1u);
    BOOST_TEST(p->items[0].InvoiceItem.size() == 1u);  // a value that is not an object: a lone row
}

BOOST_AUTO_TEST_CASE(v2_lists) {
    // data + meta, bare paginator fields, flat items, data null, no pagination at all
    auto meta = list(resources::follow_up_statuses,
                     R"({"data":[{"id":1,"name":"a"},{"id":"2","name":"b","shade":{"r":1}}],"meta":{"current_page":2,"last_page":"4","total":9}})",
                     path::stream, 2);
    BOOST_REQUIRE(meta.has_value());
    BOOST_TEST(meta->page == 2);
    BOOST_TEST(meta->page_count == 4);
    BOOST_TEST(meta->total_results == 9);
    auto bare = list(resources::follow_up_statuses,
                     R"({"current_page":3,"data":[{"id":1}],"last_page":5,"total":"41","per_page":10})", path::stream);
    BOOST_REQUIRE(bare.has_value());
    BOOST_TEST(bare->page == 3);
    BOOST_TEST(bare->page_count == 5);
    BOOST_TEST(bare->total_results == 41);
    list(resources::invoices, R"({"data":null})", path::stream, 3);
    list(resources::invoices, R"({"data":[{"Invoice":{"id":"1"}}]})", path::stream, 2);
    list(resources::invoices, R"({"data":[{"Invoice":{"id":"1"}}],"pagination":null,"meta":[1],"total":"x"})", path::stream);
    list(resources::product_categories, R"({"data":[{"Category":{"id":"2","name":"Tools"}}],"pagination":{"page":1}})", path::stream);
}

BOOST_AUTO_TEST_CASE(gets) {
    // v1: data object with siblings, result/code first
    auto inv = get(resources::invoices,
                   R"({"code":200,"result":"successful","data":{"Invoice":{"id":"5","Client":{"id":"3"}},)"
                   R"("InvoiceItem":[{"item":"A","quantity":"2"}],"Payment":[{"amount":1}],"extra":true}})",
                   path::stream);
    BOOST_REQUIRE(inv.has_value());
    BOOST_TEST(*inv->id == 5);
    BOOST_TEST(*inv->Client->id == 3);
    BOOST_REQUIRE_EQUAL(inv->InvoiceItem.size(), 1u);
    BOOST_TEST(inv->extra.at("extra").as_bool());
    // data as an array (the first), v2 bare record (flat), a root that is the wrapped record
    get(resources::invoices, R"({"data":[{"Invoice":{"id":"1"}},{"Invoice":{"id":"2"}},7]})", path::stream);
    auto flat = get(resources::follow_up_statuses, R"({"id":4,"name":"Hot","tags":["a"],"x":{"y":1}})", path::stream);
    BOOST_REQUIRE(flat.has_value());
    BOOST_TEST(*flat->id == 4);
    get(resources::stores, R"({"code":200,"Store":{"id":"1","active":"1"},"beside":"x"})", path::stream);
    get(resources::follow_up_statuses, R"({"id":4,"name":"Hot"})", path::stream);
    get(resources::invoices, R"({"data":{"id":"9","no":"A"}})", path::stream);
    get(resources::invoices, R"({"data":{}})", path::stream);
    get(resources::invoices, R"({})", path::stream);
}

BOOST_AUTO_TEST_CASE(creates) {
    auto id = create(resources::clients, R"({"code":202,"result":"successful","id":"2415"})", path::stream);
    BOOST_REQUIRE(id.has_value());
    BOOST_TEST(*id == 2415);
    BOOST_TEST(*create(resources::clients, R"({"message":"Saved","id":77})", path::stream) == 77);
    BOOST_TEST(*create(resources::clients, R"({"result":"success","data":{"id":"8"}})", path::stream) == 8);
    BOOST_TEST(*create(resources::clients, R"({"code":201,"data":{"Client":{"id":"9"}},"message":"ok"})", path::stream) == 9);
    // The number beside the id (invoices: "returns the new id and number"), at any of the id's places.
    auto numbered = create(resources::invoices, R"({"code":202,"result":"successful","id":"5","number":"000005"})", path::stream);
    BOOST_REQUIRE(numbered.has_value());
    BOOST_TEST(numbered->id == 5);
    BOOST_TEST(numbered->number == "000005");
    BOOST_TEST(create(resources::invoices, R"({"id":6,"number":42})", path::stream)->number == "42");
    BOOST_TEST(create(resources::invoices, R"({"data":{"Invoice":{"id":"9","number":"INV-9"}}})", path::stream)->number == "INV-9");
    BOOST_TEST(create(resources::invoices, R"({"number":"X","data":{"id":3}})", path::stream)->number == "");  // not beside the id
    BOOST_TEST(create(resources::invoices, R"({"id":4,"number":{"n":1}})", path::stream)->number == "");  // not a number
    BOOST_TEST(create(resources::invoices, R"({"id":4,"number":null})", path::stream)->number == "");
    BOOST_TEST(create(resources::clients, R"({"id":4})", path::stream)->number == "");
    create(resources::invoices, R"({"id":4,"number":"a","number":"b"})", path::tree);  // a repeated key: the tree decides
    // no id, an unreadable id: the tree writes the error
    BOOST_TEST(!create(resources::clients, R"({"code":202,"result":"successful"})", path::tree).has_value());
    BOOST_TEST(!create(resources::clients, R"({"id":"x"})", path::tree).has_value());
}

BOOST_AUTO_TEST_CASE(failed_envelopes) {
    const std::string failed = R"({"result":"failed","code":404,"message":"Invoice not found","data":[]})";
    auto l = list(resources::invoices, failed, path::stream);
    BOOST_REQUIRE(!l.has_value());
    BOOST_TEST((l.error().kind == error_kind::not_found));
    BOOST_TEST(!get(resources::invoices, failed, path::stream).has_value());
    BOOST_TEST(!create(resources::invoices, R"({"code":"422","result":"failed","message":"bad"})", path::stream).has_value());
    // a later "result" wins, as in the tree
    list(resources::invoices, R"({"result":"failed","result":"successful","data":[]})", path::stream);
}

BOOST_AUTO_TEST_CASE(declines_what_the_tree_must_decide) {
    // repeated keys (the tree keeps the last one)
    list(resources::invoices, R"({"data":[{"Invoice":{"id":"x","id":"1"}}],"pagination":{}})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{"u":1,"u":2}}],"pagination":{}})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{},"s":1,"s":2}],"pagination":{}})", path::tree);
    list(resources::invoices, R"({"data":[],"data":[],"pagination":{}})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{},"InvoiceItem":[],"InvoiceItem":[{}]}]})", path::tree);
    // values the converter rejects: the tree writes the error message
    list(resources::invoices, R"({"data":[{"Invoice":{"summary_total":"abc"}}],"pagination":{}})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{"InvoiceItem":[{"unit_price":"x"}]}}]})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{"Client":"x"}}]})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{"Client":[{},{}]}}]})", path::tree);
    list(resources::invoices, R"({"data":[{"Invoice":{"InvoiceItem":[1]}}]})", path::tree);
    // PHP's maps of rows and of items
    list(resources::invoices, R"({"data":[{"Invoice":{"InvoiceItem":{"0":{"item":"a"},"1":{}}}}]})", path::tree);
    list(resources::invoices, R"({"data":{"0":{"Invoice":{}}},"pagination":{}})", path::tree);
    // a wrapper that is not its item's first key
    list(resources::invoices, R"({"data":[{"x":1,"Invoice":{}}],"pagination":{}})", path::tree);
    get(resources::invoices, R"({"data":{"x":1,"Invoice":{"id":"1"}}})", path::tree);
    // shapes the tree rejects
    list(resources::invoices, R"({"pagination":{}})", path::tree);
    list(resources::invoices, R"({"data":[7]})", path::tree);
    get(resources::invoices, R"({"data":[]})", path::tree);
    get(resources::invoices, R"({"data":{"id":"2"},"data":{"id":"3"}})", path::tree);
    // not JSON
    list(resources::invoices, R"({"data":[],"pagination":{}} x)", path::tree);
    list(resources::invoices, R"({"data":[)", path::tree);
    list(resources::invoices, R"([])", path::tree);
}

BOOST_AUTO_TEST_CASE(list_answer_reports_the_tree_error) {
    auto p = resources::operations(resources::invoices)
                 .list_answer(ok(R"({"data":[{"Invoice":{"id":"1"}},{"Invoice":{"summary_total":"abc"}}],"pagination":{}})"), 1);
    BOOST_REQUIRE(!p.has_value());
    BOOST_TEST(p.error().message == R"(unexpected JSON at data[1].Invoice.summary_total: expected a number, got "abc")");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace stream_test
