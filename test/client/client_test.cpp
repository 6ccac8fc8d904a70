// daftra::client end to end against the in-process sandbox over TLS: every resource x operation of
// the table in both number styles, child rows, validation errors per field, pagination with
// parallel fetches, raw calls, and many concurrent calls on one client.

#include "sandbox_client.hpp"

#include "daftra/model/codec.hpp"

#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>

namespace client_test {

using namespace daftra;
namespace asio = boost::asio;
namespace json = boost::json;
using test::sandbox_client;

namespace {

std::string describe(const error& e) { return e.describe(); }

// Ids of the records the samples refer to.
struct ids {
    std::int64_t client = 0, product = 0, invoice = 0, supplier = 0;
};

asio::awaitable<result<ids>> make_parents(const client& api) {
    ids out;
    client_record c;
    c.first_name = "Sara";
    c.last_name = "Ali";
    c.business_name = "Sara Ali";
    auto cid = co_await api.clients().create(c);
    if (!cid) co_return cid.error();
    out.client = *cid;
    product p;
    p.name = "Widget";
    p.unit_price = 5;
    auto pid = co_await api.products().create(p);
    if (!pid) co_return pid.error();
    out.product = *pid;
    invoice inv;
    inv.client_id = out.client;
    inv.InvoiceItem.emplace_back();
    inv.InvoiceItem[0].item = "Widget";
    inv.InvoiceItem[0].unit_price = 5;
    inv.InvoiceItem[0].quantity = 2;
    auto iid = co_await api.invoices().create(inv);
    if (!iid) co_return iid.error();
    out.invoice = *iid;
    supplier s;
    s.first_name = "Sam";
    s.last_name = "Supplier";
    s.email = "sam@example.com";
    auto sid = co_await api.suppliers().create(s);
    if (!sid) co_return sid.error();
    out.supplier = *sid;
    co_return out;
}

// A minimal valid record of each resource that can be created, as flat JSON (child rows nested).
std::map<std::string, std::string> samples(const ids& p) {
    auto n = [](std::int64_t v) { return std::to_string(v); };
    const std::string items = R"("InvoiceItem":[{"item":"A","unit_price":10,"quantity":2}])";
    const std::string appointment = R"({"item_id":)" + n(p.client) + R"(,"date":"2025-04-01 10:00:00","partner_type":1,"partner_id":)" +
                                    n(p.client) + R"(,"body":"Call back","item_type":1})";
    return {
        {"invoices", R"({"client_id":)" + n(p.client) + "," + items + "}"},
        {"estimates", R"({"client_id":)" + n(p.client) + "," + items + "}"},
        {"credit_notes", R"({"client_id":)" + n(p.client) + "," + items + "}"},
        {"refund_receipts", R"({"client_id":)" + n(p.client) + "," + items + "}"},
        {"purchase_invoices", R"({"supplier_id":)" + n(p.supplier) + R"(,"PurchaseOrderItem":[{"item":"A","unit_price":5,"quantity":1}]})"},
        {"purchase_refunds", R"({"supplier_id":)" + n(p.supplier) + R"(,"PurchaseOrderItem":[{"item":"A","unit_price":5,"quantity":1}]})"},
        {"clients", R"({"first_name":"A","last_name":"B","business_name":"AB"})"},
        {"suppliers", R"({"first_name":"S","last_name":"T","email":"s@example.com"})"},
        {"client_attendance_log", R"({"time":"2025-01-01 10:00:00"})"},
        {"client_appointments", appointment},
        {"invoice_appointments", appointment},
        {"estimate_appointments", appointment},
        {"work_order_appointments", appointment},
        {"products", R"({"name":"Bolt","unit_price":2.5})"},
        {"time_tracking", R"({"staff_id":0,"project_id":1,"activity_id":1,"time":"1:30","date":"2025-03-24"})"},
        {"work_orders", R"({"title":"Fix","start_date":"2025-01-01"})"},
        {"taxes", R"({"name":"VAT","value":14})"},
        {"invoice_payments", R"({"invoice_id":)" + n(p.invoice) + R"(,"payment_method":"cash","amount":1})"},
        {"client_payments", R"({"client_id":)" + n(p.client) + R"(,"payment_method":"cash","amount":3})"},
        {"expenses", R"({"amount":10,"currency_code":"USD"})"},
        {"incomes", R"({"amount":10,"currency_code":"USD"})"},
        {"stores", R"({"name":"Main"})"},
        {"stock_transactions", R"({"product_id":)" + n(p.product) + R"(,"transaction_type":1,"store_id":1,"quantity":1,"price":2})"},
        {"treasuries", R"({"name":"Bank","type":1})"},
        {"journals", R"({"entity_type":"x","entity_id":"1","description":"d","total_debit":1,"total_credit":1,"currency_code":"USD",
            "JournalTransaction":[{"debit":1,"credit":0},{"debit":0,"credit":1}]})"},
        {"journal_accounts", R"({"name":"Cash","type":"0"})"},
        {"journal_cats", R"({"name":"Assets","type":"0"})"},
        {"follow_up_statuses", R"({"name":"Hot","status":1,"staff_id":0,"item_type":1})"},
        {"requisitions", R"({"type":1,"currency_code":"USD","RequisitionItem":[{"item":"x","unit_price":1,"quantity":1}]})"},
        {"advance_payments", R"({"client_id":)" + n(p.client) + "," + items + R"(,"Payment":{"payment_method":"cash","amount":20}})"},
        {"bookings", R"({"date":"01/04/2025","client_id":")" + n(p.client) + R"(","InvoiceItem":[{"product_id":)" + n(p.product) + "}]}"},
    };
}

// Runs every supported operation of one resource; returns a description of the first failure.
template <class Model>
asio::awaitable<std::string> exercise(const client& api, const resources::resource_spec<Model>& spec,
                                      const std::map<std::string, std::string>& sample_bodies) {
    resource<Model> res = api.resource_for(spec);
    const std::string name(spec.id);
    std::optional<std::int64_t> id;
    Model record{};
    if (spec.supports(resources::op_create)) {
        auto it = sample_bodies.find(name);
        // The v2-only entities have no documented fields: any flat record will do.
        const bool v2_only = std::string_view(spec.path).starts_with("/v2/api/entity/");
        if (it == sample_bodies.end() && !v2_only) co_return name + ": no sample";
        auto decoded = model::decode<Model>(json::parse(it != sample_bodies.end() ? it->second : R"({"name":"Sample"})").as_object());
        if (!decoded) co_return name + ": sample: " + describe(decoded.error());
        record = std::move(*decoded);
        auto created = co_await res.create(record);
        if (!created) co_return name + " create: " + describe(created.error());
        id = *created;
    }
    if (spec.supports(resources::op_list)) {
        query q;
        q.limit = 5;
        auto page = co_await res.list(q);
        if (!page) co_return name + " list: " + describe(page.error());
        if (id && page->items.empty()) co_return name + " list: empty after create";
        if (!id && !page->items.empty() && page->items[0].id) id = *page->items[0].id;
    }
    if (spec.supports(resources::op_get) && (id || spec.singleton)) {
        auto got = co_await res.get(id.value_or(0));
        if (!got) co_return name + " get: " + describe(got.error());
        if (!spec.singleton && got->id && *got->id != *id) co_return name + " get: wrong id";
    }
    if (spec.supports(resources::op_update) && id) {
        auto updated = co_await res.update(*id, record);
        if (!updated) co_return name + " update: " + describe(updated.error());
    }
    if (spec.supports(resources::op_remove) && id && spec.supports(resources::op_create)) {
        auto removed = co_await res.remove(*id);
        if (!removed) co_return name + " remove: " + describe(removed.error());
        if (spec.supports(resources::op_get)) {
            auto gone = co_await res.get(*id);
            if (gone || gone.error().kind != error_kind::not_found) co_return name + " get after remove: not 404";
        }
    }
    co_return std::string();
}

asio::awaitable<std::vector<std::string>> exercise_all(const client& api) {
    std::vector<std::string> failures;
    auto parents = co_await make_parents(api);
    if (!parents) {
        failures.push_back("parents: " + describe(parents.error()));
        co_return failures;
    }
    const auto bodies = samples(*parents);
    std::vector<asio::awaitable<std::string>> runs;
    resources::for_each_resource([&](const auto& spec) { runs.push_back(exercise(api, spec, bodies)); });
    for (auto& run : runs) {
        auto failure = co_await std::move(run);
        if (!failure.empty()) failures.push_back(failure);
    }
    co_return failures;
}

} // namespace

BOOST_AUTO_TEST_SUITE(client_end_to_end)

BOOST_AUTO_TEST_CASE(every_resource_and_operation_both_number_styles) {
    for (bool strings : {false, true}) {
        sandbox_client sb(strings);
        auto failures = sb.run(exercise_all(*sb.api));
        for (const auto& f : failures) BOOST_ERROR((strings ? "[numbers as strings] " : "[numbers] ") << f);
        BOOST_TEST(failures.empty());
    }
}

BOOST_AUTO_TEST_CASE(invoice_rows_site_info_and_errors_with_password_grant) {
    sandbox_client sb(true, true);
    auto& api = *sb.api;
    auto site = sb.run(api.site_info());
    BOOST_TEST_REQUIRE(site.has_value(), (site ? "" : describe(site.error())));
    BOOST_TEST(site->id.has_value());

    auto parents = sb.run(make_parents(api));
    BOOST_TEST_REQUIRE(parents.has_value(), (parents ? "" : describe(parents.error())));
    auto inv = sb.run(api.invoices().get(parents->invoice));
    BOOST_TEST_REQUIRE(inv.has_value(), (inv ? "" : describe(inv.error())));
    BOOST_TEST(*inv->client_id == parents->client);
    BOOST_TEST_REQUIRE(inv->InvoiceItem.size() == 1u);
    BOOST_TEST(*inv->InvoiceItem[0].unit_price == 5.0);
    BOOST_TEST(*inv->InvoiceItem[0].quantity == 2.0);

    // A validation error surfaces per field.
    invoice bad;
    bad.InvoiceItem.emplace_back();
    bad.InvoiceItem[0].item = "no price";
    auto refused = sb.run(api.invoices().create(bad));
    BOOST_TEST_REQUIRE(!refused.has_value());
    BOOST_TEST((refused.error().kind == error_kind::validation));
    BOOST_TEST(refused.error().status == 400u);
    bool names_client_id = false;
    for (const auto& f : refused.error().fields) names_client_id = names_client_id || f.field.find("client_id") != std::string::npos;
    BOOST_TEST(names_client_id, describe(refused.error()));
    BOOST_CHECK_THROW(sb.run(api.invoices().get(999999)).value(), api_error);

    auto raw = sb.run(api.raw(transport::verb::get, "/api2/site_info.json"));
    BOOST_TEST_REQUIRE(raw.has_value());
    BOOST_TEST(raw->as_object().at("data").as_object().contains("Site"));
}

BOOST_AUTO_TEST_CASE(all_pages_with_parallel_fetches) {
    sandbox_client sb;
    auto& api = *sb.api;
    constexpr int records = 47;
    auto created = sb.run([&]() -> asio::awaitable<int> {
        int ok = 0;
        for (int i = 0; i < records; ++i) {
            tax t;
            t.name = "tax " + std::to_string(i);
            t.value = i;
            auto id = co_await api.taxes().create(t);
            ok += id.has_value();
        }
        co_return ok;
    }());
    BOOST_TEST_REQUIRE(created == records);
    for (unsigned parallel : {1u, 3u}) {
        auto seen = sb.run([&]() -> asio::awaitable<std::vector<std::int64_t>> {
            std::vector<std::int64_t> out;
            query q;
            q.limit = 10;
            q.sort = "id";
            q.direction = sort_direction::asc;
            auto it = api.taxes().all(q, {.parallel_pages = parallel});
            while (auto t = co_await it.next()) {
                if (!*t) break;
                out.push_back((*t)->id.value_or(-1));
            }
            co_return out;
        }());
        BOOST_TEST_REQUIRE(seen.size() == static_cast<std::size_t>(records));
        for (std::size_t i = 1; i < seen.size(); ++i) BOOST_TEST(seen[i - 1] < seen[i]);
    }
}

BOOST_AUTO_TEST_CASE(many_concurrent_calls_on_one_client) {
    sandbox_client sb;
    auto& api = *sb.api;
    auto parents = sb.run(make_parents(api));
    BOOST_TEST_REQUIRE(parents.has_value());
    std::atomic<int> ok{0}, failed{0};
    auto one = [&](std::int64_t id) -> asio::awaitable<void> {
        auto inv = co_await api.invoices().get(id);
        (inv ? ok : failed)++;
    };
    for (int i = 0; i < 300; ++i) asio::co_spawn(sb.io, one(parents->invoice), asio::detached);
    sb.run([]() -> asio::awaitable<int> { co_return 0; }());
    BOOST_TEST(ok.load() == 300);
    BOOST_TEST(failed.load() == 0);
    BOOST_TEST(api.pool_stats().open <= 8u);
}

BOOST_AUTO_TEST_CASE(destroying_the_client_cancels_its_calls) {
    sandbox_client sb;
    sandbox::fault_config slow;
    slow.latency_ms = 300;
    sb.srv.set_faults(slow);
    std::atomic<int> ok{0}, cancelled{0}, other{0};
    auto taxes = sb.api->taxes();  // a resource that outlives the client
    for (int i = 0; i < 40; ++i)
        asio::co_spawn(
            sb.io,
            [taxes, &ok, &cancelled, &other]() -> asio::awaitable<void> {
                auto page = co_await taxes.list();
                if (page) ++ok;
                else if (page.error().kind == error_kind::cancelled) ++cancelled;
                else ++other;
            },
            asio::detached);
    sb.io.run_for(std::chrono::milliseconds(100));  // every call is queued or waiting for its answer
    sb.api.reset();
    sb.io.restart();
    sb.io.run();
    sb.io.restart();  // run() stopped the io_context when it ran out of work
    BOOST_TEST(cancelled.load() == 40);
    BOOST_TEST(ok.load() + other.load() == 0);
    // A call through the surviving resource fails at once instead of touching a destroyed client.
    auto late = sb.run(taxes.list());
    BOOST_TEST_REQUIRE(!late.has_value());
    BOOST_TEST((late.error().kind == error_kind::cancelled));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace client_test
