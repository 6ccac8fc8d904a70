// Every resource x operation of the sandbox, with plain HTTP requests.
#define BOOST_TEST_MODULE sandbox_api
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <set>
#include <thread>
#include <unistd.h>

using namespace sandbox_test;

std::int64_t sandbox_fixture::create(const std::string& path, const std::string& body) {
    auto r = api.post(path, body);
    BOOST_REQUIRE_MESSAGE(r.status == 202, path << " -> " << r.status << " " << r.body);
    auto v = r.json();
    BOOST_TEST(v.at("code").as_int64() == 202);
    BOOST_TEST(v.at("result").as_string() == "successful");
    return to_int(v.at("id"));
}

namespace {

struct resource_case {
    const char* path;          // v1 base path
    const char* wrapper;       // request wrapper
    const char* answer;        // answer wrapper
    const char* body;          // a valid create body (fields of the wrapper object)
    const char* field;         // a field to update
    bool writable = true;      // create/update/delete documented
    const char* create = nullptr;  // where records are created when not `path` (notes: per owner)
};

// Written from Daftra's API documentation, independently of the sandbox's own table.
const resource_case cases[] = {
    {"/api2/invoices", "Invoice", "Invoice", R"({"client_id": 1, "date": "2025-03-23"})", "notes"},
    {"/api2/estimates", "Estimate", "Estimate", R"({"client_id": 1})", "notes"},
    {"/api2/credit_notes", "CreditNote", "CreditNote", R"({"client_id": 1})", "notes"},
    {"/api2/refund_receipts", "RefundReceipt", "RefundReceipt", R"({"client_id": 1})", "notes"},
    {"/api2/purchase_invoices", "PurchaseOrder", "PurchaseOrder", R"({"supplier_id": 1})", "no"},
    {"/api2/purchase_refunds", "PurchaseRefund", "PurchaseRefund", R"({"supplier_id": 1})", "no"},
    {"/api2/clients", "Client", "Client", R"({"type": 2, "first_name": "Sara", "last_name": "Ali", "email": "s@example.com"})", "phone1"},
    {"/api2/suppliers", "Supplier", "Supplier", R"({"first_name": "Sam", "last_name": "Vendor", "email": "v@example.com"})", "phone1"},
    {"/api2/client_appointments", "FollowUpReminder", "ClientAppointment", R"({"item_id": 1, "item_type": 1, "partner_type": 1, "partner_id": 1, "date": "2025-04-01 10:00:00"})", "body"},
    {"/api2/invoice_appointments", "InvoiceAppointment", "InvoiceAppointment", R"({"item_id": 1, "partner_type": 1, "partner_id": 1, "date": "2025-04-01"})", "body"},
    {"/api2/estimate_appointments", "EstimateAppointment", "EstimateAppointment", R"({"item_id": 1, "partner_type": 1, "partner_id": 1, "date": "2025-04-01"})", "body"},
    {"/api2/work_order_appointments", "WorkOrderAppointment", "WorkOrderAppointment", R"({"item_id": 1, "partner_type": 1, "partner_id": 1, "date": "2025-04-01"})", "body"},
    {"/api2/notes", "Note", "Note", R"({"body": "hello"})", "body", true, "/api2/notes/client/1"},
    {"/api2/products", "Product", "Product", R"({"name": "Widget", "unit_price": 50})", "barcode"},
    {"/api2/time_tracking", "TimeTracking", "TimeTracking", R"({"staff_id": 0, "project_id": 3, "activity_id": 2, "time": "1:30"})", "notes"},
    {"/api2/work_orders", "WorkOrder", "WorkOrder", R"({"title": "Fix", "start_date": "2025-03-24"})", "description"},
    {"/api2/taxes", "Tax", "Tax", R"({"name": "VAT", "value": 14})", "description"},
    {"/api2/invoice_payments", "InvoicePayment", "InvoicePayment", R"({"invoice_id": 1, "payment_method": "cash", "amount": 120.5})", "notes"},
    {"/api2/client_payments", "ClientPayment", "ClientPayment", R"({"client_id": 1, "payment_method": "cash", "amount": 10})", "notes"},
    {"/api2/expenses", "Expense", "Expense", R"({"amount": 10, "vendor": "Shop"})", "note"},
    {"/api2/incomes", "Income", "Income", R"({"amount": 10, "vendor": "Shop"})", "note"},
    {"/api2/stores", "Store", "Store", R"({"name": "Main"})", "shipping_address"},
    {"/api2/stock_transactions", "StockTransaction", "StockTransaction", R"({"product_id": 1, "store_id": 1, "transaction_type": 1, "quantity": 5})", "notes"},
    {"/api2/treasuries", "Treasury", "Treasury", R"({"name": "Bank", "type": 1})", "description"},
    {"/api2/journals", "Journal", "Journal", R"({"description": "Opening", "entity_type": "manual", "entity_id": "1", "currency_code": "USD", "total_debit": 100, "total_credit": 100})", "description"},
    {"/api2/journal_accounts", "JournalAccount", "JournalAccount", R"({"name": "Cash", "type": "0"})", "code"},
    {"/api2/journal_cats", "JournalCat", "JournalCat", R"({"name": "Assets", "type": "0"})", "color"},
    {"/api2/requisitions", "Requisition", "Requisition", R"({"type": 1, "store_id": "1"})", "notes"},
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(resources, sandbox_fixture)

BOOST_AUTO_TEST_CASE(every_resource_every_operation) {
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.path) {
            const std::string base = c.path;
            const std::string body = std::string(R"({")") + c.wrapper + R"(": )" + c.body + "}";
            // create, with and without the .json suffix
            const std::string create_base = c.create ? c.create : base;
            auto id1 = create(create_base + ".json", body);
            auto id2 = create(create_base, body);
            BOOST_TEST(id2 == id1 + 1);
            if (c.create) BOOST_TEST(api.post(base + ".json", body).status == 405);  // not documented

            // get
            for (const char* suffix : {".json", ""}) {
                auto r = api.get(base + "/" + std::to_string(id1) + suffix);
                BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
                auto v = r.json();
                BOOST_TEST(v.at("code").as_int64() == 200);
                BOOST_TEST(v.at("result").as_string() == "successful");
                BOOST_TEST(to_int(v.at("data").at(c.answer).at("id")) == id1);
            }

            // list
            auto l = api.get(base + ".json");
            BOOST_REQUIRE_MESSAGE(l.status == 200, l.body);
            auto lv = l.json();
            BOOST_TEST(lv.at("data").as_array().size() == 2u);
            BOOST_TEST(lv.at("data").at(0).as_object().contains(c.answer));
            BOOST_TEST(lv.at("pagination").at("total_results").as_int64() == 2);

            // update (PUT) and read back
            auto u = api.put(base + "/" + std::to_string(id1) + ".json",
                             std::string(R"({")") + c.wrapper + R"(": {")" + c.field + R"(": "updated"}})");
            BOOST_TEST(u.status == 200, u.body);
            BOOST_TEST(u.json().at("result").as_string() == "successful");
            auto g = api.get(base + "/" + std::to_string(id1) + ".json");
            BOOST_TEST(g.json().at("data").at(c.answer).at(c.field).as_string() == "updated");

            // delete, then 404
            auto d = api.del(base + "/" + std::to_string(id1));
            BOOST_TEST(d.status == 200, d.body);
            BOOST_TEST(d.json().at("code").as_int64() == 200);
            auto gone = api.get(base + "/" + std::to_string(id1) + ".json");
            BOOST_TEST(gone.status == 404);
            BOOST_TEST(gone.json().at("message").as_string() == "Item not found");
            BOOST_TEST(api.del(base + "/" + std::to_string(id1)).status == 404);
            BOOST_TEST(api.put(base + "/" + std::to_string(id1), body).status == 404);
        }
    }
    auto st = srv.stats();
    BOOST_TEST(st.at("creates").at("invoices").as_int64() == 2);
    BOOST_TEST(st.at("creates").at("journal_cats").as_int64() == 2);
}

BOOST_AUTO_TEST_CASE(read_only_resources) {
    for (const char* base : {"/api2/staff", "/api2/product_categories"}) {
        BOOST_TEST_CONTEXT(base) {
            auto l = api.get(std::string(base) + ".json");
            BOOST_REQUIRE_EQUAL(l.status, 200);
            auto lv = l.json();
            BOOST_TEST(!lv.at("data").as_array().empty());
            auto first = lv.at("data").at(0).as_object().begin()->value();
            auto id = to_int(first.at("id"));
            BOOST_TEST(api.get(std::string(base) + "/" + std::to_string(id) + ".json").status == 200);
            BOOST_TEST(api.post(std::string(base) + ".json", "{}").status == 405);
            BOOST_TEST(api.del(std::string(base) + "/" + std::to_string(id)).status == 405);
        }
    }
}

BOOST_AUTO_TEST_CASE(invoice_children_nested_in_answers) {
    auto client_id = create("/api2/clients.json", R"({"Client": {"business_name": "ACME"}})");
    auto id = create("/api2/invoices.json",
                     R"({"Invoice": {"client_id": )" + std::to_string(client_id) + R"(, "date": "2025-03-23", "currency_code": "USD"},
                         "InvoiceItem": [{"item": "Widget", "unit_price": 50, "quantity": 2}, {"item": "Bolt", "unit_price": 1.5, "quantity": 4}],
                         "Payment": [{"payment_method": "cash", "amount": 100}]})");
    auto v = api.get("/api2/invoices/" + std::to_string(id) + ".json").json();
    const auto& inv = v.at("data").at("Invoice");
    BOOST_TEST(inv.at("InvoiceItem").as_array().size() == 2u);
    BOOST_TEST(inv.at("InvoiceItem").at(0).at("item").as_string() == "Widget");
    BOOST_TEST(inv.at("InvoicePayment").as_array().size() == 1u);
    BOOST_TEST(inv.at("Client").at("business_name").as_string() == "ACME");
    BOOST_TEST(inv.at("summary_total").as_int64() == 106);
    BOOST_TEST(inv.at("payment_status").as_int64() == 1);  // partially paid

    // Update replaces the child rows that are sent, keeps the others.
    auto u = api.put("/api2/invoices/" + std::to_string(id) + ".json",
                     R"({"Invoice": {"notes": "x"}, "InvoiceItem": [{"item": "Only", "unit_price": 10, "quantity": 1}]})");
    BOOST_TEST(u.status == 200);
    v = api.get("/api2/invoices/" + std::to_string(id)).json();
    BOOST_TEST(v.at("data").at("Invoice").at("InvoiceItem").as_array().size() == 1u);
    BOOST_TEST(v.at("data").at("Invoice").at("InvoicePayment").as_array().size() == 1u);
    // POST /invoices/{id} is an update too.
    BOOST_TEST(api.post("/api2/invoices/" + std::to_string(id) + ".json", R"({"Invoice": {"notes": "y"}})").status == 200);
}

BOOST_AUTO_TEST_CASE(product_and_purchase_relations) {
    auto pid = create("/api2/products.json", R"({"Product": {"name": "W", "unit_price": "50"}})");
    auto p = api.get("/api2/products/" + std::to_string(pid) + ".json").json().at("data").at("Product");
    BOOST_TEST(p.at("ProductCategory").is_array());
    BOOST_TEST(p.at("ProductImage").is_array());
    BOOST_TEST(p.at("unit_price").as_int64() == 50);  // coerced to its documented type
    auto sid = create("/api2/suppliers.json", R"({"Supplier": {"first_name": "S", "last_name": "V", "email": "v@x.com"}})");
    auto po = create("/api2/purchase_invoices.json", R"({"PurchaseOrder": {"supplier_id": )" + std::to_string(sid) +
                                                         R"(}, "PurchaseOrderItem": [{"product_id": 1, "unit_price": 3, "quantity": 2}]})");
    auto v = api.get("/api2/purchase_invoices/" + std::to_string(po)).json().at("data").at("PurchaseOrder");
    BOOST_TEST(v.at("Supplier").at("first_name").as_string() == "S");
    BOOST_TEST(v.at("PurchaseOrderItem").as_array().size() == 1u);
    auto j = create("/api2/journals.json", R"({"Journal": {"description": "d", "entity_type": "manual", "entity_id": "1", "currency_code": "USD", "total_debit": 1, "total_credit": 1},
        "JournalTransaction": [{"journal_account_id": "1", "debit": 1, "credit": 0}, {"journal_account_id": "2", "debit": 0, "credit": 1}]})");
    BOOST_TEST(api.get("/api2/journals/" + std::to_string(j)).json().at("data").at("Journal").at("JournalTransaction").as_array().size() == 2u);
}

BOOST_AUTO_TEST_CASE(invoice_filters_and_sort) {
    auto c1 = create("/api2/clients.json", R"({"Client": {"business_name": "A"}})");
    auto c2 = create("/api2/clients.json", R"({"Client": {"business_name": "B"}})");
    auto mk = [&](std::int64_t client, const char* date, int draft, int store) {
        return create("/api2/invoices.json", R"({"Invoice": {"client_id": )" + std::to_string(client) + R"(, "date": ")" + date +
                                                 R"(", "draft": )" + std::to_string(draft) + R"(, "store_id": )" + std::to_string(store) + "}}");
    };
    auto i1 = mk(c1, "2025-01-10", 0, 1);
    auto i2 = mk(c2, "2025-02-10", 1, 2);
    auto i3 = mk(c1, "2025-03-10", 0, 2);
    auto ids = [&](const std::string& q) {
        std::vector<std::int64_t> out;
        auto r = api.get("/api2/invoices.json" + q);
        BOOST_REQUIRE_MESSAGE(r.status == 200, q << " " << r.body);
        auto body = r.json();
        for (const auto& row : body.at("data").as_array()) out.push_back(to_int(row.at("Invoice").at("id")));
        return out;
    };
    using v = std::vector<std::int64_t>;
    BOOST_TEST(ids("") == (v{i3, i2, i1}), boost::test_tools::per_element());  // most recent first
    BOOST_TEST(ids("?client_id=" + std::to_string(c1)) == (v{i3, i1}), boost::test_tools::per_element());
    BOOST_TEST(ids("?date_from=2025-02-01") == (v{i3, i2}), boost::test_tools::per_element());
    BOOST_TEST(ids("?date_to=2025-02-10") == (v{i2, i1}), boost::test_tools::per_element());
    BOOST_TEST(ids("?date_from=2025-02-01&date_to=2025-02-28") == (v{i2}), boost::test_tools::per_element());
    BOOST_TEST(ids("?draft=1") == (v{i2}), boost::test_tools::per_element());
    BOOST_TEST(ids("?payment_status=-1") == (v{i2}), boost::test_tools::per_element());
    BOOST_TEST(ids("?payment_status=0&draft=0") == (v{i3, i1}), boost::test_tools::per_element());
    BOOST_TEST(ids("?store_id=2") == (v{i3, i2}), boost::test_tools::per_element());
    BOOST_TEST(ids("?sort=date&direction=ASC") == (v{i1, i2, i3}), boost::test_tools::per_element());
    BOOST_TEST(ids("?sort=client_id&direction=desc") == (v{i2, i3, i1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bulk_create) {
    auto r = api.post("/api2/invoices/add_bulk.json",
                      R"([{"Invoice": {"client_id": 1}}, {"Invoice": {}}, {"Invoice": {"client_id": 2}, "InvoiceItem": [{"unit_price": 1, "quantity": 1}]}])");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    auto a = r.json().as_array();
    BOOST_REQUIRE_EQUAL(a.size(), 3u);
    BOOST_TEST(a[0].at("result").as_string() == "successful");
    BOOST_TEST(a[1].at("result").as_string() == "failed");
    BOOST_TEST(a[1].at("validation_errors").as_object().contains("client_id"));
    BOOST_TEST(a[2].at("result").as_string() == "successful");
    BOOST_TEST(api.get("/api2/invoices.json").json().at("pagination").at("total_results").as_int64() == 2);
}

BOOST_AUTO_TEST_CASE(notes_for_a_record) {
    auto id = create("/api2/notes/1/7.json", R"({"Note": {"body": "called", "date": "2025-03-01"}, "FollowUpReminder": {"date": "2025-03-05"}})");
    auto n = api.get("/api2/notes/" + std::to_string(id) + ".json").json().at("data").at("Note");
    BOOST_TEST(n.at("item_type").as_int64() == 1);
    BOOST_TEST(n.at("item_id").as_int64() == 7);
    BOOST_TEST(n.at("body").as_string() == "called");
}

BOOST_AUTO_TEST_CASE(client_attendance) {
    auto id = create("/api2/client-attendance-log/store", R"({"ClientAttendance": {"time": "2020-04-29 12:55:53"}})");
    BOOST_TEST(id >= 1);
    auto bad = api.post("/api2/client-attendance-log/store", R"({"ClientAttendance": {}})");
    BOOST_TEST(bad.status == 400);
    BOOST_TEST(bad.json().at("validation_errors").as_object().contains("time"));
    auto v2 = api.get("/v2/api/entity/client_attendance_log/list/1").json();
    BOOST_TEST(v2.at("total").as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(listing_and_site_info) {
    auto s = api.get("/api2/site_info.json");
    BOOST_REQUIRE_EQUAL(s.status, 200);
    BOOST_TEST(s.json().at("data").at("Site").as_object().contains("business_name"));
    auto l = api.get("/api2/listing/Branch.json");
    BOOST_REQUIRE_EQUAL(l.status, 200);
    BOOST_TEST(!l.json().at("data").at("Listing").as_object().empty());
    create("/api2/stores.json", R"({"Store": {"name": "Main store"}})");
    auto st = api.get("/api2/listing/Store.json").json();
    BOOST_TEST(st.at("data").at("Listing").at("1").as_string() == "Main store");
    auto bad = api.get("/api2/listing/NoSuchModel.json");
    BOOST_TEST(bad.status == 404);
    BOOST_TEST(bad.json().at("message").as_string() == "Invalid Endpoint");
}

BOOST_AUTO_TEST_CASE(follow_up_statuses_and_actions) {
    auto r = api.post("/v2/api/entity/follow_up_status", R"({"name": "Hot", "status": 1, "staff_id": 0, "color": "red"})");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    auto id = to_int(r.json().at("id"));
    auto list = api.get("/v2/api/entity/follow_up_status/list/1").json();
    BOOST_TEST(list.at("data").at(0).at("FollowUpStatus").at("name").as_string() == "Hot");  // v1 envelope, as documented
    BOOST_TEST(api.get("/follow_up_statuses/" + std::to_string(id) + ".json").json().at("data").at("FollowUpStatus").at("name").as_string() == "Hot");
    BOOST_TEST(api.get("/api2/follow_up_statuses/" + std::to_string(id) + ".json").status == 200);
    BOOST_TEST(api.del("/follow_up_statuses/" + std::to_string(id) + ".json").status == 200);
    BOOST_TEST(api.get("/follow_up_statuses/" + std::to_string(id) + ".json").status == 404);
    auto bad = api.post("/v2/api/entity/follow_up_status", R"({"color": "red"})");
    BOOST_TEST(bad.status == 422);
    BOOST_TEST(bad.json().at("errors").at("name").is_array());

    auto one = api.get("/follow_up_actions/1.json");
    BOOST_REQUIRE_EQUAL(one.status, 200);
    BOOST_TEST(one.json().at("data").at("FollowUpAction").at("id").as_int64() == 1);
    auto by_type = api.get("/api2/follow_up_actions/client.json");
    BOOST_TEST(by_type.status == 200);
    BOOST_TEST(by_type.json().at("data").as_array().empty());
    BOOST_TEST(api.del("/follow_up_actions/2.json").status == 200);
}

BOOST_AUTO_TEST_CASE(bookings) {
    auto id = create("/api2/bookings/add", R"({"Invoice": {"client_id": 1, "date": "01/04/2025", "staff_id": "0"}, "InvoiceItem": [{"product_id": 1}]})");
    auto g = api.get("/v2/api/entity/booking/" + std::to_string(id) + "/1");
    BOOST_REQUIRE_EQUAL(g.status, 200);
    BOOST_TEST(g.json().at("client_id").as_int64() == 1);
    BOOST_TEST(api.get("/v2/api/entity/booking/list/1").json().at("total").as_int64() == 1);
    BOOST_TEST(api.get("/api2/bookings/change_status/" + std::to_string(id) + "/3").status == 200);
    BOOST_TEST(api.get("/v2/api/entity/booking/" + std::to_string(id) + "/1").json().at("status").as_int64() == 3);
    BOOST_TEST(api.get("/api2/bookings/change_status/" + std::to_string(id) + "/2").status == 400);
    auto conv = api.get("/api2/bookings/convert_to_invoice/" + std::to_string(id));
    BOOST_REQUIRE_EQUAL(conv.status, 200);
    auto inv = to_int(conv.json().at("id"));
    BOOST_TEST(api.get("/api2/invoices/" + std::to_string(inv) + ".json").status == 200);
    BOOST_TEST(api.del("/api2/bookings/" + std::to_string(id)).status == 200);
    BOOST_TEST(api.del("/api2/bookings/" + std::to_string(id)).status == 404);
}

BOOST_AUTO_TEST_CASE(v2_entities) {
    // A v2 entity that maps to a v1 resource shares its records.
    auto r = api.post("/v2/api/entity/client", R"({"business_name": "V2 Co", "type": 3})");
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
    auto id = to_int(r.json().at("id"));
    BOOST_TEST(r.json().at("message").is_string());
    BOOST_TEST(api.get("/api2/clients/" + std::to_string(id) + ".json").json().at("data").at("Client").at("business_name").as_string() == "V2 Co");
    for (const std::string& t : {"/v2/api/entity/client/" + std::to_string(id) + "/1", "/v2/api/entity/client/" + std::to_string(id) + "/show",
                                 "/v2/api/entity/client/" + std::to_string(id)}) {
        auto g = api.get(t);
        BOOST_TEST(g.status == 200, t);
        BOOST_TEST(g.json().at("business_name").as_string() == "V2 Co");  // bare record
    }
    auto u = api.put("/v2/api/entity/client/" + std::to_string(id), R"({"id": 1, "business_name": "Renamed"})");
    BOOST_TEST(u.status == 200);
    BOOST_TEST(to_int(u.json().at("id")) == id);
    BOOST_TEST(api.get("/v2/api/entity/client/" + std::to_string(id) + "/1").json().at("business_name").as_string() == "Renamed");
    auto list = api.get("/v2/api/entity/client/list/1?per_page=1&page=1").json();
    BOOST_TEST(list.at("current_page").as_int64() == 1);
    BOOST_TEST(list.at("per_page").as_int64() == 1);
    BOOST_TEST(list.at("last_page").as_int64() == 1);
    BOOST_TEST(list.at("total").as_int64() == 1);
    BOOST_TEST(list.at("next_page_url").is_null());
    // Any other entity key gets a collection of its own.
    auto b = api.post("/v2/api/entity/brand", R"({"name": "Acme"})");
    BOOST_REQUIRE_EQUAL(b.status, 200);
    BOOST_TEST(api.get("/v2/api/entity/brand/list/1").json().at("data").at(0).at("name").as_string() == "Acme");
    BOOST_TEST(api.get("/v2/api/entity/brand/999/1").status == 404);
    BOOST_TEST(api.put("/v2/api/entity/brand/999", "{}").status == 404);
    auto bad = api.post("/v2/api/entity/client", R"({"email": "x@y.z"})");
    BOOST_TEST(bad.status == 422);
    BOOST_TEST(bad.json().at("message").as_string() == "Entity not saved");
    // multi-entity
    auto m = api.post("/v2/api/multi-entity", R"([{"key": "client", "action": "show", "options": {"id": )" + std::to_string(id) +
                                                   R"(}, "alias": "c"}, {"key": "brand", "action": "list"}])");
    BOOST_REQUIRE_MESSAGE(m.status == 200, m.body);
    BOOST_TEST(m.json().at("c").at("business_name").as_string() == "Renamed");
    BOOST_TEST(m.json().at("brand").at("total").as_int64() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(numbers_as_strings) {
    auto o = plain_options();
    o.numbers_as_strings = true;
    sandbox_fixture f(o);
    auto r = f.api.post("/api2/invoices.json", R"({"Invoice": {"client_id": 1}, "InvoiceItem": [{"unit_price": 2.5, "quantity": 2}]})");
    BOOST_REQUIRE_EQUAL(r.status, 202);
    BOOST_TEST(r.json().at("id").as_string() == "1");
    auto inv = f.api.get("/api2/invoices/1.json").json().at("data").at("Invoice");
    BOOST_TEST(inv.at("client_id").as_string() == "1");
    BOOST_TEST(inv.at("summary_total").as_string() == "5");
    BOOST_TEST(inv.at("InvoiceItem").at(0).at("unit_price").as_string() == "2.5");
    auto list = f.api.get("/api2/invoices.json").json();
    BOOST_TEST(list.at("data").at(0).at("Invoice").at("id").as_string() == "1");
    BOOST_TEST(list.at("pagination").at("page").is_int64());  // the envelope stays numeric
}

BOOST_AUTO_TEST_CASE(data_file_survives_a_restart) {
    auto file = std::string("/tmp/daftra-sandbox-test-") + std::to_string(::getpid()) + ".json";
    std::remove(file.c_str());
    auto o = plain_options();
    o.data_file = file;
    std::int64_t id = 0;
    {
        sandbox_fixture f(o);
        id = f.create("/api2/clients.json", R"({"Client": {"business_name": "Kept"}})");
        f.srv.stop();
    }
    {
        sandbox_fixture f(o);
        auto g = f.api.get("/api2/clients/" + std::to_string(id) + ".json");
        BOOST_REQUIRE_EQUAL(g.status, 200);
        BOOST_TEST(g.json().at("data").at("Client").at("business_name").as_string() == "Kept");
        BOOST_TEST(f.create("/api2/clients.json", R"({"Client": {"business_name": "Next"}})") == id + 1);
    }
    std::remove(file.c_str());
}

BOOST_AUTO_TEST_CASE(concurrent_requests_get_unique_ids) {
    auto o = plain_options();
    o.threads = 4;
    sandbox_fixture f(o);
    constexpr int workers = 6, each = 40;
    std::vector<std::vector<std::int64_t>> ids(workers);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            client c(f.srv.port());
            c.default_headers = {{"apikey", "sandbox-api-key"}};
            for (int i = 0; i < each; ++i) {
                auto r = c.post("/api2/clients.json", R"({"Client": {"business_name": "C"}})");
                if (r.status == 202) ids[static_cast<std::size_t>(w)].push_back(to_int(r.json().at("id")));
                c.get("/api2/clients.json?limit=5");
                if (i % 10 == 0) c.put("/api2/clients/1.json", R"({"Client": {"phone1": "1"}})");
            }
        });
    for (auto& t : threads) t.join();
    std::set<std::int64_t> all;
    for (const auto& v : ids) all.insert(v.begin(), v.end());
    BOOST_TEST(all.size() == static_cast<std::size_t>(workers * each));
    BOOST_TEST(*all.rbegin() == workers * each);
    auto v = f.api.get("/api2/clients.json").json();
    BOOST_TEST(v.at("pagination").at("total_results").as_int64() == workers * each);
    BOOST_TEST(f.srv.stats().at("creates").at("clients").as_int64() == workers * each);
}

BOOST_AUTO_TEST_CASE(runs_on_the_callers_io_context) {
    boost::asio::io_context ioc;
    daftra::sandbox::server srv(plain_options());
    srv.start(ioc);
    std::thread runner([&] { ioc.run(); });
    client c(srv.port());
    c.default_headers = {{"apikey", "sandbox-api-key"}};
    BOOST_TEST(c.get("/api2/clients.json").status == 200);  // keep-alive connection stays open...
    srv.stop();                                               // ...and stop() closes it,
    runner.join();                                            // so the caller's run() returns.
    BOOST_TEST(c.get("/api2/clients.json").status == 0);
}
