// Decoding answers into the typed models: the example bodies of Daftra's API documentation (copied
// here as the test data), numbers and booleans as strings, unknown keys, nested and sibling relations,
// bad types. What the documentation says about envelopes and relations: docs/daftra-api.md.

#include "answers.hpp"

#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/test/unit_test.hpp>

namespace decode_test {

using namespace daftra;
using daftra::test::answer;
using daftra::test::get_answer;

BOOST_AUTO_TEST_SUITE(decoding)

// The documentation's example body of "Add New Invoice", as a get answer (the relations are siblings here).
BOOST_AUTO_TEST_CASE(invoice_example_body) {
    const std::string example = R"({"Invoice": {"client_id": 15, "date": "2025-03-23", "draft": 0, "currency_code": "USD", "store_id": 1},
 "InvoiceItem": [{"product_id": 12, "item": "Widget", "unit_price": 50, "quantity": 2, "tax1": 1, "discount": 0, "discount_type": 2}],
 "Payment": [{"payment_method": "cash", "amount": 100, "treasury_id": 1}]})";
    auto inv = resources::operations(resources::invoices).get_answer(get_answer(example));
    BOOST_TEST_REQUIRE(inv.has_value(), (inv ? "" : inv.error().describe()));
    BOOST_TEST(*inv->client_id == 15);
    BOOST_TEST(*inv->date == "2025-03-23");
    BOOST_TEST(*inv->draft == false);
    BOOST_TEST(*inv->currency_code == "USD");
    BOOST_TEST(*inv->store_id == 1);
    BOOST_TEST(!inv->id.has_value());
    BOOST_TEST_REQUIRE(inv->InvoiceItem.size() == 1u);
    BOOST_TEST(*inv->InvoiceItem[0].product_id == 12);
    BOOST_TEST(*inv->InvoiceItem[0].item == "Widget");
    BOOST_TEST(*inv->InvoiceItem[0].unit_price == 50.0);
    BOOST_TEST(*inv->InvoiceItem[0].quantity == 2.0);
    BOOST_TEST(*inv->InvoiceItem[0].discount_type == 2);
    BOOST_TEST_REQUIRE(inv->Payment.size() == 1u);
    BOOST_TEST(*inv->Payment[0].payment_method == "cash");
    BOOST_TEST(*inv->Payment[0].amount == 100.0);
    BOOST_TEST(inv->extra.empty());
}

// The documentation's journal example: balanced debit/credit rows.
BOOST_AUTO_TEST_CASE(journal_example_body) {
    const std::string example = R"({"Journal": {"date": "2025-03-24", "description": "Opening", "entity_type": "x", "entity_id": "y",
 "currency_code": "USD", "total_debit": 100, "total_credit": 100},
 "JournalTransaction": [{"journal_account_id": "11101", "debit": 100, "credit": 0},
                        {"journal_account_id": "21101", "debit": 0, "credit": 100}]})";
    auto j = resources::operations(resources::journals).get_answer(get_answer(example));
    BOOST_TEST_REQUIRE(j.has_value(), (j ? "" : j.error().describe()));
    BOOST_TEST(*j->total_debit == 100.0);
    BOOST_TEST_REQUIRE(j->JournalTransaction.size() == 2u);
    BOOST_TEST(*j->JournalTransaction[1].credit == 100.0);
    BOOST_TEST(*j->JournalTransaction[0].journal_account_id == "11101");
}

// The documentation's smaller example bodies (clients, products, …): every one decodes with its
// documented fields typed.
BOOST_AUTO_TEST_CASE(small_example_bodies) {
    auto c = resources::operations(resources::clients).get_answer(get_answer(
        R"({"Client": {"type": 2, "first_name": "Sara", "last_name": "Ali", "business_name": "Sara Ali",
 "email": "sara@example.com", "phone1": "0100000000", "country_code": "EG", "default_currency_code": "EGP"}})"));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(*c->type == 2);
    BOOST_TEST(*c->phone1 == "0100000000");  // a string stays a string, leading zero included

    // Client appointments are written as FollowUpReminder and read as ClientAppointment; both are read.
    auto a = resources::operations(resources::client_appointments).get_answer(get_answer(
        R"({"FollowUpReminder": {"item_id": 15, "item_type": 1, "partner_type": 1, "partner_id": 15,
 "date": "2025-04-01 10:00:00", "body": "Call back", "status": 0}})"));
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(*a->body == "Call back");
    BOOST_TEST(a->extra.empty());

    auto p = resources::operations(resources::products).get_answer(get_answer(
        R"({"Product": {"name": "Widget", "unit_price": 50, "buy_price": 30, "product_code": "W-1",
 "type": 1, "track_stock": 1, "stock_balance": 10, "tax1": 0, "tax2": 0, "status": 0}})"));
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(*p->track_stock == true);
    BOOST_TEST(*p->buy_price == 30.0);

    auto t = resources::operations(resources::time_tracking).get_answer(get_answer(
        R"({"TimeTracking": {"staff_id": 0, "project_id": 3, "activity_id": 2, "time": "1:30", "date": "2025-03-24"}})"));
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(*t->time == "1:30");

    auto pay = resources::operations(resources::invoice_payments).get_answer(get_answer(
        R"({"InvoicePayment": {"invoice_id": 2621, "payment_method": "cash", "amount": 120.5,
 "date": "2025-03-24 10:00:00", "treasury_id": 1, "status": 1}})"));
    BOOST_TEST_REQUIRE(pay.has_value());
    BOOST_TEST(*pay->amount == 120.5);

    auto st = resources::operations(resources::stock_transactions).get_answer(get_answer(
        R"({"StockTransaction": {"product_id": 12, "store_id": 1, "transaction_type": 1, "quantity": 5, "price": 30}})"));
    BOOST_TEST_REQUIRE(st.has_value());
    BOOST_TEST(*st->quantity == 5);

    auto tr = resources::operations(resources::treasuries).get_answer(get_answer(
        R"({"Treasury": {"name": "Main bank", "type": 1, "type_name": "Bank X", "type_account_number": "123", "active": 1}})"));
    BOOST_TEST_REQUIRE(tr.has_value());
    BOOST_TEST(*tr->active == true);
}

// The v1 list envelope with pagination (docs/daftra-api.md, "Envelopes"), numbers as strings as
// CakePHP sends them.
BOOST_AUTO_TEST_CASE(list_envelope_with_strings) {
    auto body = R"({"code":200,"result":"successful","data":[
        {"Invoice":{"id":"7","client_id":"15","summary_total":"12.50","draft":"0","no":"000007"}},
        {"Invoice":{"id":"8","client_id":"16","summary_total":"7","draft":"1","no":"000008"}}],
        "pagination":{"page":"2","page_count":"5","total_results":"42","prev":"/api2/invoices.json?page=1","next":null}})";
    auto p = resources::operations(resources::invoices).list_answer(answer(200, body), 2);
    BOOST_TEST_REQUIRE(p.has_value(), (p ? "" : p.error().describe()));
    BOOST_TEST(p->page == 2);
    BOOST_TEST(p->page_count == 5);
    BOOST_TEST(p->total_results == 42);
    BOOST_TEST(!p->last());
    BOOST_TEST_REQUIRE(p->items.size() == 2u);
    BOOST_TEST(*p->items[0].id == 7);
    BOOST_TEST(*p->items[0].summary_total == 12.5);
    BOOST_TEST(*p->items[1].summary_total == 7.0);
    BOOST_TEST(*p->items[0].draft == false);
    BOOST_TEST(*p->items[1].draft == true);
    BOOST_TEST(*p->items[0].no == "000007");
}

BOOST_AUTO_TEST_CASE(list_without_pagination_and_empty_list) {
    auto p = resources::operations(resources::taxes).list_answer(
        answer(200, R"({"code":200,"result":"successful","data":[{"Tax":{"id":1,"name":"VAT","value":14}}]})"), 3);
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->page == 3);
    BOOST_TEST(p->page_count == 3);
    BOOST_TEST(p->total_results == 1);
    BOOST_TEST(p->last());

    auto empty = resources::operations(resources::taxes).list_answer(
        answer(200, R"({"code":200,"result":"successful","data":[],"pagination":{"page":1,"page_count":0,"total_results":0}})"));
    BOOST_TEST_REQUIRE(empty.has_value());
    BOOST_TEST(empty->items.empty());
    BOOST_TEST(empty->last());
}

// v2 / Laravel paginators (docs/daftra-api.md, "Envelopes"), e.g. follow-up statuses' documented list path.
BOOST_AUTO_TEST_CASE(laravel_paginators) {
    auto bare = resources::operations(resources::follow_up_statuses).list_answer(answer(200,
        R"({"current_page":2,"data":[{"id":4,"name":"Hot","color":"red"}],"last_page":3,"total":21,"per_page":10})"));
    BOOST_TEST_REQUIRE(bare.has_value(), (bare ? "" : bare.error().describe()));
    BOOST_TEST(bare->page == 2);
    BOOST_TEST(bare->page_count == 3);
    BOOST_TEST(bare->total_results == 21);
    BOOST_TEST(*bare->items[0].name == "Hot");

    auto meta = resources::operations(resources::follow_up_statuses).list_answer(answer(200,
        R"({"data":[{"id":4,"name":"Hot"}],"meta":{"current_page":1,"last_page":1,"total":1},"links":{}})"));
    BOOST_TEST_REQUIRE(meta.has_value());
    BOOST_TEST(meta->last());
}

BOOST_AUTO_TEST_CASE(unknown_keys_go_to_extra) {
    auto c = resources::operations(resources::clients).get_answer(get_answer(
        R"({"Client":{"id":3,"first_name":"Sara","website":"https://x.example","custom_fields":{"a":1}},"GroupPrice":{"id":2}})"));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(*c->id == 3);
    BOOST_TEST(c->extra.size() == 3u);
    BOOST_TEST(c->extra.at("website").as_string() == "https://x.example");
    BOOST_TEST(c->extra.at("custom_fields").as_object().at("a").as_int64() == 1);
    // A sibling record no member describes is kept too, under its own key.
    BOOST_TEST(c->extra.at("GroupPrice").as_object().at("id").as_int64() == 2);
}

// Relations nested inside the wrapper (Daftra's current documentation) or beside it (the older one)
// decode alike (docs/daftra-api.md, "Relations").
BOOST_AUTO_TEST_CASE(nested_and_sibling_relations) {
    const std::string nested = R"({"Invoice":{"id":1,"client_id":5,
        "Client":{"id":5,"business_name":"ACME"},
        "InvoiceItem":[{"item":"A","unit_price":"2.5","quantity":"4"}],
        "InvoicePayment":[{"id":9,"amount":"10","payment_method":"cash"}]}})";
    const std::string sibling = R"({"Invoice":{"id":1,"client_id":5},
        "Client":{"id":5,"business_name":"ACME"},
        "InvoiceItem":[{"item":"A","unit_price":"2.5","quantity":"4"}],
        "InvoicePayment":[{"id":9,"amount":"10","payment_method":"cash"}]})";
    for (const auto& body : {nested, sibling}) {
        auto inv = resources::operations(resources::invoices).get_answer(get_answer(body));
        BOOST_TEST_REQUIRE(inv.has_value(), (inv ? "" : inv.error().describe()));
        BOOST_TEST_REQUIRE(inv->Client.has_value());
        BOOST_TEST(*inv->Client->business_name == "ACME");
        BOOST_TEST_REQUIRE(inv->InvoiceItem.size() == 1u);
        BOOST_TEST(*inv->InvoiceItem[0].unit_price == 2.5);
        BOOST_TEST(*inv->InvoiceItem[0].quantity == 4.0);
        BOOST_TEST_REQUIRE(inv->InvoicePayment.size() == 1u);
        BOOST_TEST(*inv->InvoicePayment[0].amount == 10.0);
        BOOST_TEST(inv->extra.empty());
    }
}

// PHP's ways of writing "nothing" and lists with gaps.
BOOST_AUTO_TEST_CASE(php_shapes) {
    auto inv = resources::operations(resources::invoices).get_answer(get_answer(
        R"({"Invoice":{"id":"1","client_id":"","discount":null,"draft":"","Client":[],"InvoiceItem":{"0":{"item":"A"},"2":{"item":"B"}}}})"));
    BOOST_TEST_REQUIRE(inv.has_value(), (inv ? "" : inv.error().describe()));
    BOOST_TEST(!inv->client_id.has_value());
    BOOST_TEST(!inv->discount.has_value());
    BOOST_TEST(!inv->draft.has_value());
    BOOST_TEST(!inv->Client.has_value());
    BOOST_TEST_REQUIRE(inv->InvoiceItem.size() == 2u);
    BOOST_TEST(*inv->InvoiceItem[1].item == "B");

    // Advance payments send Payment as one object, not an array (docs/daftra-api.md, "Other
    // endpoints"): read as one row.
    auto one = resources::operations(resources::invoices).get_answer(get_answer(
        R"({"Invoice":{"id":2},"Payment":{"payment_method":"cash","amount":5}})"));
    BOOST_TEST_REQUIRE(one.has_value());
    BOOST_TEST_REQUIRE(one->Payment.size() == 1u);
    BOOST_TEST(*one->Payment[0].amount == 5.0);
}

BOOST_AUTO_TEST_CASE(booleans_every_spelling) {
    for (const char* spelling : {"true", "1", "\"1\"", "\"true\""}) {
        auto s = resources::operations(resources::stores).get_answer(
            get_answer(std::string(R"({"Store":{"active":)") + spelling + "}}"));
        BOOST_TEST_REQUIRE(s.has_value(), spelling);
        BOOST_TEST(*s->active == true, spelling);
    }
    for (const char* spelling : {"false", "0", "\"0\"", "\"false\""}) {
        auto s = resources::operations(resources::stores).get_answer(
            get_answer(std::string(R"({"Store":{"active":)") + spelling + "}}"));
        BOOST_TEST_REQUIRE(s.has_value(), spelling);
        BOOST_TEST(*s->active == false, spelling);
    }
}

BOOST_AUTO_TEST_CASE(strings_accept_numbers) {
    auto a = resources::operations(resources::journal_accounts).get_answer(
        get_answer(R"({"JournalAccount":{"journal_cat_id":12,"code":3.5,"type":"1"}})"));
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(*a->journal_cat_id == "12");
    BOOST_TEST(*a->code == "3.5");
}

BOOST_AUTO_TEST_CASE(alternate_wrapper_and_flat_records) {
    // Daftra's plugin reads a single product category as data.Category.
    auto c = resources::operations(resources::product_categories).get_answer(get_answer(R"({"Category":{"id":4,"name":"Tools"}})"));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(*c->name == "Tools");
    // v2 answers a get with the bare record.
    auto flat = resources::operations(resources::follow_up_statuses).get_answer(answer(200, R"({"id":4,"name":"Hot"})"));
    BOOST_TEST_REQUIRE(flat.has_value());
    BOOST_TEST(*flat->id == 4);
}

BOOST_AUTO_TEST_CASE(site_info_numbers_and_arrays) {
    auto s = resources::operations(resources::site).get_answer(get_answer(
        R"({"Site":{"id":"1","business_name":"ACME","timezone":"23","numberFormat":[2,".",","],"is_super_admin":"1"}})"));
    BOOST_TEST_REQUIRE(s.has_value());
    BOOST_TEST(*s->timezone == 23);
    BOOST_TEST(s->numberFormat->size() == 3u);
    // Copied out of the answer's parse arena, so the model does not keep the whole answer alive.
    BOOST_TEST(!s->numberFormat->storage().is_shared());
    BOOST_TEST(*s->is_super_admin == true);
}

BOOST_AUTO_TEST_CASE(create_answers) {
    auto ops = resources::operations(resources::clients);
    auto id = ops.create_answer(answer(202, R"({"code":202,"result":"successful","id":"2415"})"));
    BOOST_TEST_REQUIRE(id.has_value());
    BOOST_TEST(*id == 2415);
    auto v2 = ops.create_answer(answer(200, R"({"message":"Saved","id":77})"));
    BOOST_TEST_REQUIRE(v2.has_value());
    BOOST_TEST(*v2 == 77);
    // The secondary site's shape: 201 with data.Client.
    auto a = ops.create_answer(answer(201, R"({"code":201,"result":"success","data":{"Client":{"id":"9"}},"message":"Client created successfully"})"));
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(*a == 9);
    auto none = ops.create_answer(answer(202, R"({"code":202,"result":"successful"})"));
    BOOST_TEST_REQUIRE(!none.has_value());
    BOOST_TEST((none.error().kind == error_kind::decode));

    auto upd = ops.update_answer(answer(200, R"({"code":200,"result":"successful"})"));
    BOOST_TEST(upd.has_value());
    auto del = resources::operations(resources::invoice_payments)
                   .remove_answer(answer(200, R"({"result":"successful","code":200,"message":"Payment has been deleted"})"));
    BOOST_TEST(del.has_value());
}

BOOST_AUTO_TEST_CASE(values_that_cannot_be_taken) {
    auto ops = resources::operations(resources::invoices);
    struct bad_case {
        const char* body;
        const char* where;
    };
    const bad_case cases[] = {
        {R"({"Invoice":{"summary_total":"abc"}})", "data.Invoice.summary_total: expected a number"},
        {R"({"Invoice":{"client_id":1.5}})", "data.Invoice.client_id: expected an integer"},
        {R"({"Invoice":{"draft":"maybe"}})", "data.Invoice.draft: expected a boolean"},
        {R"({"Invoice":{"notes":{"a":1}}})", "data.Invoice.notes: expected a string"},
        {R"({"Invoice":{"InvoiceItem":[{"unit_price":"x"}]}})", "data.Invoice.InvoiceItem[0].unit_price: expected a number"},
        {R"({"Invoice":{"InvoiceItem":[1]}})", "data.Invoice.InvoiceItem[0]: expected an object"},
        {R"({"Invoice":{"Client":"x"}})", "data.Invoice.Client: expected an object"},
        {R"({"Invoice":{"client_id":"99999999999999999999"}})", "data.Invoice.client_id: expected an integer"},
        {R"({"Invoice":{"summary_total":"nan"}})", "data.Invoice.summary_total: expected a number"},
    };
    for (const auto& c : cases) {
        auto r = ops.get_answer(get_answer(c.body));
        BOOST_TEST_REQUIRE(!r.has_value(), c.body);
        BOOST_TEST((r.error().kind == error_kind::decode));
        BOOST_TEST(r.error().message.find(c.where) != std::string::npos, r.error().message << " / " << c.where);
        BOOST_TEST(r.error().status == 200u);
        BOOST_TEST(!r.error().body.empty());
    }
    auto list = ops.list_answer(answer(200, R"({"data":[{"Invoice":{}},{"Invoice":{"id":"x"}}]})"));
    BOOST_TEST_REQUIRE(!list.has_value());
    BOOST_TEST(list.error().message.find("data[1].Invoice.id") != std::string::npos, list.error().message);
    auto not_json = ops.get_answer(answer(200, "<html>"));
    BOOST_TEST_REQUIRE(!not_json.has_value());
    BOOST_TEST((not_json.error().kind == error_kind::decode));
    auto not_a_list = ops.list_answer(answer(200, R"({"data":"x"})"));
    BOOST_TEST(!not_a_list.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace decode_test
