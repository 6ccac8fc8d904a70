// Sales documents as the reference describes them beyond plain CRUD, through the client against the
// sandbox in both number styles: advance payments (an invoice of type 19 whose Payment is one object,
// listed and read through the v2 invoice entity), `recursive` on lists and gets, and bookings' typed
// list and get through the v2 booking entity.

#include "sandbox_client.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace sales_documents_test {

using namespace daftra;
using test::sandbox_client;

namespace {

template <class Document>
Document one_line(std::int64_t client_id) {
    return test::one_line<Document>(client_id, "Deposit", 100, 1);
}

advance_payment advance(std::int64_t client_id, double amount) {
    auto ap = one_line<advance_payment>(client_id);
    ap.InvoiceItem[0].unit_price = amount;
    ap.Payment.emplace();
    ap.Payment->payment_method = "cash";
    ap.Payment->amount = amount;
    return ap;
}

bool contains(const std::vector<std::string>& targets, std::string_view what) {
    return std::any_of(targets.begin(), targets.end(), [&](const std::string& t) { return t.find(what) != std::string::npos; });
}

} // namespace

BOOST_AUTO_TEST_SUITE(advance_payments)

BOOST_AUTO_TEST_CASE(the_body_carries_payment_as_one_object_and_type_19) {
    const resources::operations ops{resources::advance_payments};
    const auto body = ops.body_of(advance(7, 50));
    BOOST_TEST(body.find(R"("Payment":{)") != std::string::npos, body);
    BOOST_TEST(body.find(R"("type":19)") != std::string::npos, body);
    // An ordinary invoice still sends its payments as a list.
    invoice inv;
    inv.Payment.emplace_back();
    inv.Payment[0].amount = 5;
    const auto list_body = resources::operations{resources::invoices}.body_of(inv);
    BOOST_TEST(list_body.find(R"("Payment":[{)") != std::string::npos, list_body);
}

BOOST_AUTO_TEST_CASE(create_list_and_get_end_to_end) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        const auto cid = sb.make_client();
        auto plain = sb.run(sb.api->invoices().create(one_line<invoice>(cid)));  // not an advance payment
        BOOST_TEST_REQUIRE(plain.has_value(), (plain ? "" : plain.error().describe()));
        std::vector<std::int64_t> made;
        for (double amount : {100.0, 250.0, 75.0}) {
            auto ap = advance(cid, amount);
            auto id = sb.run(sb.api->advance_payments().create(ap));
            BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
            BOOST_TEST(!id->number.empty());
            made.push_back(id->id);
        }
        // Listed through the v2 invoice entity filtered on type 19: the plain invoice is not among them.
        auto page = sb.run(sb.api->advance_payments().list());
        BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
        BOOST_TEST(page->items.size() == 3u);
        for (const auto& ap : page->items) {
            BOOST_TEST(ap.type.value_or(-1) == 19);
            BOOST_TEST(ap.id.value_or(0) != plain->id);
            BOOST_TEST(ap.InvoiceItem.empty());  // level 1: the document's own fields
        }
        BOOST_TEST(contains(sb.sent_targets(), "/v2/api/entity/invoice/list/1?filter%5Btype%5D=19"));
        // Every page of them, two at a time (per_page on the v2 list).
        auto every = sb.collect(sb.api->advance_payments().all(query().with_limit(2)));
        BOOST_TEST_REQUIRE(every.has_value(), (every ? "" : every.error().describe()));
        std::vector<std::int64_t> seen;
        for (const auto& ap : *every) seen.push_back(ap.id.value_or(0));
        std::sort(seen.begin(), seen.end());
        BOOST_TEST(seen == made);
        BOOST_TEST(contains(sb.sent_targets(), "per_page=2"));
        // Read through the v2 invoice entity.
        auto got = sb.run(sb.api->advance_payments().get(made[1]));
        BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
        BOOST_TEST(got->type.value_or(-1) == 19);
        BOOST_TEST(got->summary_total.value_or(0) == 250.0);
        BOOST_TEST(contains(sb.sent_targets(), "/v2/api/entity/invoice/" + std::to_string(made[1]) + "/1"));
        // The v1 invoice get answers standard invoices only, as documented.
        auto as_invoice = sb.run(sb.api->invoices().get(made[1]));
        BOOST_TEST_REQUIRE(!as_invoice.has_value());
        BOOST_TEST((as_invoice.error().kind == error_kind::not_found));
        // Advance payments are not edited or deleted through this resource (nothing documents it).
        auto removed = sb.run(sb.api->advance_payments().remove(made[0]));
        BOOST_TEST_REQUIRE(!removed.has_value());
        BOOST_TEST((removed.error().kind == error_kind::invalid_argument));
    }
}

BOOST_AUTO_TEST_CASE(payments_sent_as_a_list_are_refused) {
    // The mistake the typed model prevents: an invoice of type 19 with its payment in a list.
    sandbox_client sb;
    auto inv = one_line<invoice>(sb.make_client());
    inv.type = 19;
    inv.Payment.emplace_back();
    inv.Payment[0].payment_method = "cash";
    inv.Payment[0].amount = 100;
    auto made = sb.run(sb.api->invoices().create(inv));
    BOOST_TEST_REQUIRE(!made.has_value());
    BOOST_TEST((made.error().kind == error_kind::validation));
    BOOST_TEST_REQUIRE(made.error().fields.size() == 1u);
    BOOST_TEST(made.error().fields[0].field == "Payment");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(recursive)

BOOST_AUTO_TEST_CASE(is_sent_as_documented) {
    const resources::operations ops{resources::invoices};
    BOOST_TEST(ops.list_request(query().with_recursive(recursion::header_only))->target == "/api2/invoices.json?recursive=-1");
    BOOST_TEST(ops.list_request(query().with_recursive(recursion::with_client))->target == "/api2/invoices.json?recursive=0");
    BOOST_TEST(ops.get_request(4, query().with_recursive(recursion::full))->target == "/api2/invoices/4.json?recursive=1");
    BOOST_TEST(ops.list_request(query())->target == "/api2/invoices.json");  // not sent unless asked
}

BOOST_AUTO_TEST_CASE(lists_and_gets_carry_what_each_level_documents) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        const auto cid = sb.make_client("Rows Ltd");
        auto inv = one_line<invoice>(cid);
        inv.Payment.emplace_back();
        inv.Payment[0].payment_method = "cash";
        inv.Payment[0].amount = 40;
        auto id = sb.run(sb.api->invoices().create(inv));
        BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));

        // A list by default (recursive 0): the header and its client, no rows.
        auto plain = sb.run(sb.api->invoices().list());
        BOOST_TEST_REQUIRE(plain.has_value(), (plain ? "" : plain.error().describe()));
        BOOST_TEST_REQUIRE(plain->items.size() == 1u);
        BOOST_TEST(plain->items[0].InvoiceItem.empty());
        BOOST_TEST(plain->items[0].InvoicePayment.empty());
        BOOST_TEST_REQUIRE(plain->items[0].Client.has_value());
        BOOST_TEST(plain->items[0].Client->business_name.value_or("") == "Rows Ltd");
        // recursive 1: the rows too.
        auto full = sb.run(sb.api->invoices().list(query().with_recursive(recursion::full)));
        BOOST_TEST_REQUIRE(full.has_value(), (full ? "" : full.error().describe()));
        BOOST_TEST(full->items[0].InvoiceItem.size() == 1u);
        BOOST_TEST(full->items[0].InvoicePayment.size() == 1u);
        // recursive -1: the header alone.
        auto header = sb.run(sb.api->invoices().list(query().with_recursive(recursion::header_only)));
        BOOST_TEST_REQUIRE(header.has_value(), (header ? "" : header.error().describe()));
        BOOST_TEST(header->items[0].InvoiceItem.empty());
        BOOST_TEST(!header->items[0].Client.has_value());
        BOOST_TEST(header->items[0].client_id.value_or(0) == cid);

        // A get by default: everything; with recursive, what it asks for.
        auto whole = sb.run(sb.api->invoices().get(id->id));
        BOOST_TEST_REQUIRE(whole.has_value(), (whole ? "" : whole.error().describe()));
        BOOST_TEST(whole->InvoiceItem.size() == 1u);
        BOOST_TEST(whole->Client.has_value());
        auto bare = sb.run(sb.api->invoices().get(id->id, query().with_recursive(recursion::header_only)));
        BOOST_TEST_REQUIRE(bare.has_value(), (bare ? "" : bare.error().describe()));
        BOOST_TEST(bare->InvoiceItem.empty());
        BOOST_TEST(!bare->Client.has_value());
        BOOST_TEST(bare->summary_total.value_or(0) == 100.0);

        // The other sales documents share the schema and the parameter.
        auto est = sb.run(sb.api->estimates().create(one_line<estimate>(cid)));
        BOOST_TEST_REQUIRE(est.has_value(), (est ? "" : est.error().describe()));
        auto estimates = sb.run(sb.api->estimates().list());
        BOOST_TEST_REQUIRE(estimates.has_value(), (estimates ? "" : estimates.error().describe()));
        BOOST_TEST(estimates->items[0].InvoiceItem.empty());
        auto estimates_full = sb.run(sb.api->estimates().list(query().with_recursive(recursion::full)));
        BOOST_TEST_REQUIRE(estimates_full.has_value());
        BOOST_TEST(estimates_full->items[0].InvoiceItem.size() == 1u);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bookings_through_v2)

BOOST_AUTO_TEST_CASE(typed_list_and_get) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        booking b;
        b.date = "01/04/2025";
        b.client_id = std::to_string(sb.make_client());
        b.staff_id = "0";
        b.InvoiceItem.emplace_back();
        b.InvoiceItem[0].item = "Haircut";
        b.InvoiceItem[0].unit_price = 10;
        b.InvoiceItem[0].quantity = 1;
        auto id = sb.run(sb.api->bookings().create(b));
        BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
        auto page = sb.run(sb.api->bookings().list());
        BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
        BOOST_TEST_REQUIRE(page->items.size() == 1u);
        BOOST_TEST(page->items[0].id.value_or(0) == id->id);
        auto got = sb.run(sb.api->bookings().get(id->id));
        BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
        BOOST_TEST(got->date.value_or("") == "01/04/2025");
        const auto sent = sb.sent_targets();
        BOOST_TEST(contains(sent, "/v2/api/entity/booking/list/1"));
        BOOST_TEST(contains(sent, "/v2/api/entity/booking/" + std::to_string(id->id) + "/1"));
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace sales_documents_test
