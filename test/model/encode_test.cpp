// Encoding: request bodies with the wrapper and sibling child rows, empty members left out, extra
// merged, read-only relations never sent, and round trips through decode.

#include "answers.hpp"
#include "json_compare.hpp"

#include "daftra/model/codec.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

namespace encode_test {

using namespace daftra;
using daftra::test::get_answer;
using daftra::test::same_json;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(encoding)

BOOST_AUTO_TEST_CASE(invoice_request_body) {
    invoice inv;
    inv.client_id = 15;
    inv.date = "2025-03-23";
    inv.draft = false;
    inv.InvoiceItem.push_back({});
    inv.InvoiceItem[0].product_id = 12;
    inv.InvoiceItem[0].unit_price = 50;
    inv.InvoiceItem[0].quantity = 2;
    inv.Payment.emplace_back();
    inv.Payment[0].payment_method = "cash";
    inv.Payment[0].amount = 100;
    inv.extra["custom_key"] = "kept";
    // Read-only relations are never sent back: the server could otherwise save the client too.
    inv.Client.emplace();
    inv.Client->business_name = "ACME";
    inv.InvoicePayment.emplace_back();

    auto req = resources::operations(resources::invoices).create_request(inv);
    BOOST_TEST_REQUIRE(req.has_value());
    BOOST_TEST(req->target == "/api2/invoices.json");
    BOOST_TEST((req->method == transport::verb::post));
    const auto expected = json::parse(R"({"Invoice":{"client_id":15,"date":"2025-03-23","draft":0,"custom_key":"kept"},
        "InvoiceItem":[{"product_id":12,"unit_price":50,"quantity":2}],
        "Payment":[{"payment_method":"cash","amount":100}]})");
    BOOST_TEST(same_json(json::parse(req->body), expected), req->body);
    // Booleans go out as 0/1, as the reference documents.
    BOOST_TEST(json::parse(req->body).at("Invoice").at("draft").is_int64());
    bool has_type = false;
    for (const auto& h : req->headers)
        if (h.name == "Content-Type") has_type = h.value == "application/json";
    BOOST_TEST(has_type);
}

BOOST_AUTO_TEST_CASE(client_appointment_uses_write_key) {
    client_appointment a;
    a.item_id = 15;
    a.body = "Call back";
    auto req = resources::operations(resources::client_appointments).update_request(3, a);
    BOOST_TEST_REQUIRE(req.has_value());
    BOOST_TEST(req->target == "/api2/client_appointments/3.json");
    BOOST_TEST((req->method == transport::verb::put));
    BOOST_TEST(same_json(json::parse(req->body), json::parse(R"({"FollowUpReminder":{"item_id":15,"body":"Call back"}})")));
}

BOOST_AUTO_TEST_CASE(flat_body_without_write_key) {
    follow_up_status s;
    s.name = "Hot";
    s.item_type = 1;
    auto req = resources::operations(resources::follow_up_statuses).create_request(s);
    BOOST_TEST_REQUIRE(req.has_value());
    BOOST_TEST(req->target == "/v2/api/entity/follow_up_status");
    BOOST_TEST(same_json(json::parse(req->body), json::parse(R"({"name":"Hot","item_type":1})")));
}

BOOST_AUTO_TEST_CASE(typed_members_win_over_extra) {
    client_record c;
    c.first_name = "Sara";
    c.extra["first_name"] = "ignored";
    c.extra["website"] = "w";
    json::object fields;
    model::encode(c, fields, nullptr, model::encoding::request);
    BOOST_TEST(fields.at("first_name").as_string() == "Sara");
    BOOST_TEST(fields.at("website").as_string() == "w");
    BOOST_TEST(fields.size() == 2u);
}

// Every example body of Daftra's API documentation: decode then encode gives the same body back.
BOOST_AUTO_TEST_CASE(request_round_trips_of_reference_examples) {
    auto check = [](const auto& spec, const std::string& body) {
        auto ops = resources::operations(spec);
        auto record = ops.get_answer(get_answer(body));
        BOOST_TEST_REQUIRE(record.has_value(), body);
        BOOST_TEST(same_json(json::parse(ops.body_of(*record)), json::parse(body)), ops.body_of(*record) << " vs " << body);
    };
    check(resources::invoices, R"({"Invoice": {"client_id": 15, "date": "2025-03-23", "draft": 0, "currency_code": "USD", "store_id": 1},
 "InvoiceItem": [{"product_id": 12, "item": "Widget", "unit_price": 50, "quantity": 2, "tax1": 1, "discount": 0, "discount_type": 2}],
 "Payment": [{"payment_method": "cash", "amount": 100, "treasury_id": 1}]})");
    check(resources::journals, R"({"Journal": {"date": "2025-03-24", "description": "Opening", "entity_type": "x", "entity_id": "y",
 "currency_code": "USD", "total_debit": 100, "total_credit": 100},
 "JournalTransaction": [{"journal_account_id": "11101", "debit": 100, "credit": 0},
                        {"journal_account_id": "21101", "debit": 0, "credit": 100}]})");
    check(resources::clients, R"({"Client": {"type": 2, "first_name": "Sara", "last_name": "Ali", "business_name": "Sara Ali",
 "email": "sara@example.com", "phone1": "0100000000", "country_code": "EG", "default_currency_code": "EGP"}})");
    check(resources::client_appointments, R"({"FollowUpReminder": {"item_id": 15, "item_type": 1, "partner_type": 1, "partner_id": 15,
 "date": "2025-04-01 10:00:00", "body": "Call back", "status": 0}})");
    check(resources::products, R"({"Product": {"name": "Widget", "unit_price": 50, "buy_price": 30, "product_code": "W-1",
 "type": 1, "track_stock": 1, "stock_balance": 10, "tax1": 0, "tax2": 0, "status": 0}})");
    check(resources::time_tracking, R"({"TimeTracking": {"staff_id": 0, "project_id": 3, "activity_id": 2, "time": "1:30", "date": "2025-03-24"}})");
    check(resources::invoice_payments, R"({"InvoicePayment": {"invoice_id": 2621, "payment_method": "cash", "amount": 120.5,
 "date": "2025-03-24 10:00:00", "treasury_id": 1, "status": 1}})");
    check(resources::stock_transactions, R"({"StockTransaction": {"product_id": 12, "store_id": 1, "transaction_type": 1, "quantity": 5, "price": 30}})");
    check(resources::treasuries, R"({"Treasury": {"name": "Main bank", "type": 1, "type_name": "Bank X", "type_account_number": "123", "active": 1}})");
    check(resources::requisitions, R"({"Requisition":{"type":1,"currency_code":"EGP","Status":"1","date":"24/03/2025 10:00","store_id":"1"},
 "RequisitionItem":[{"item":"Bolt","product_id":3,"unit_price":2,"quantity":1.5,"lot":["L1"]}]})");
}

// The full view (to_json) keeps everything, read-only relations included, and decodes back to it.
BOOST_AUTO_TEST_CASE(full_round_trip) {
    const std::string body = R"({"Invoice":{"id":"1","client_id":"5","summary_total":"12.50","draft":"1","zz":[1,2],
        "Client":{"id":5,"business_name":"ACME","suspend":0},
        "InvoiceItem":[{"item":"A","unit_price":"2.5","quantity":"4","lot":["x"]}],
        "InvoicePayment":[{"id":9,"amount":"10"}],
        "InvoiceCustomField":[{"label":"L","value":"V"}]}})";
    auto ops = resources::operations(resources::invoices);
    auto inv = ops.get_answer(get_answer(body));
    BOOST_TEST_REQUIRE(inv.has_value());
    json::object full = model::to_json(*inv);
    BOOST_TEST(full.at("draft").is_bool());
    BOOST_TEST(full.at("Client").as_object().at("business_name").as_string() == "ACME");
    BOOST_TEST(full.at("InvoiceCustomField").as_array()[0].as_object().at("label").as_string() == "L");
    BOOST_TEST(full.at("zz").as_array().size() == 2u);
    auto again = model::decode<invoice>(full);
    BOOST_TEST_REQUIRE(again.has_value());
    BOOST_TEST(same_json(model::to_json(*again), full), json::serialize(model::to_json(*again)));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace encode_test
