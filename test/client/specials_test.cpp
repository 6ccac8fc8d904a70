// The documented endpoints beyond CRUD, through the client against the sandbox: notes on a record,
// bulk invoice create (with a failing element), bookings, general listing, follow-up actions, and the v2
// entity API with multi-entity.

#include "sandbox_client.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace specials_test {

using namespace daftra;
namespace asio = boost::asio;
namespace json = boost::json;
using test::sandbox_client;

BOOST_AUTO_TEST_SUITE(special_endpoints)

BOOST_AUTO_TEST_CASE(bulk_invoice_create_reports_each_element) {
    sandbox_client sb;
    const auto cid = sb.make_client();
    std::vector<invoice> batch(3);
    for (auto& inv : batch) {
        inv.client_id = cid;
        inv.InvoiceItem.emplace_back();
        inv.InvoiceItem[0].item = "A";
        inv.InvoiceItem[0].unit_price = 1;
        inv.InvoiceItem[0].quantity = 1;
    }
    batch[1].client_id.reset();  // invalid: no client
    auto outcome = sb.run(sb.api->create_invoices(batch));
    BOOST_TEST_REQUIRE(outcome.has_value(), (outcome ? "" : outcome.error().describe()));
    BOOST_TEST_REQUIRE(outcome->size() == 3u);
    BOOST_TEST((*outcome)[0].has_value());
    BOOST_TEST_REQUIRE(!(*outcome)[1].has_value());
    BOOST_TEST(((*outcome)[1].error().kind == error_kind::validation));
    BOOST_TEST((*outcome)[2].has_value());
}

BOOST_AUTO_TEST_CASE(notes_listing_and_site) {
    sandbox_client sb;
    const auto cid = sb.make_client();
    note n;
    n.body = "Called, will pay Friday";
    n.date = "2025-03-24";
    auto id = sb.run(sb.api->create_note("client", cid, n));
    BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
    auto got = sb.run(sb.api->notes().get(*id));
    BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
    BOOST_TEST(*got->body == "Called, will pay Friday");

    auto branches = sb.run(sb.api->listing("Branch"));
    BOOST_TEST_REQUIRE(branches.has_value(), (branches ? "" : branches.error().describe()));
    BOOST_TEST(!branches->empty());
    auto unknown = sb.run(sb.api->listing("NoSuchModel"));
    BOOST_TEST_REQUIRE(!unknown.has_value());
    BOOST_TEST((unknown.error().kind == error_kind::not_found));
}

BOOST_AUTO_TEST_CASE(bookings) {
    sandbox_client sb;
    const auto cid = sb.make_client();
    booking b;
    b.date = "01/04/2025";
    b.client_id = std::to_string(cid);
    b.InvoiceItem.emplace_back();
    b.InvoiceItem[0].item = "Haircut";
    b.InvoiceItem[0].unit_price = 10;
    b.InvoiceItem[0].quantity = 1;
    auto id = sb.run(sb.api->bookings().create(b));
    BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
    auto confirmed = sb.run(sb.api->set_booking_status(*id, 1));
    BOOST_TEST(confirmed.has_value(), (confirmed ? "" : confirmed.error().describe()));
    auto listed = sb.run(sb.api->v2_list("booking"));
    BOOST_TEST_REQUIRE(listed.has_value(), (listed ? "" : listed.error().describe()));
    BOOST_TEST(listed->items.size() == 1u);
    auto converted = sb.run(sb.api->convert_booking(*id));
    BOOST_TEST(converted.has_value(), (converted ? "" : converted.error().describe()));
}

BOOST_AUTO_TEST_CASE(v2_entities) {
    sandbox_client sb;
    json::object body{{"name", "Hot"}, {"status", 1}, {"staff_id", 0}, {"item_type", 1}};
    auto id = sb.run(sb.api->v2_create("follow_up_status", body));
    BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
    auto got = sb.run(sb.api->v2_get("follow_up_status", *id));
    BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
    json::object change{{"name", "Warm"}};
    auto updated = sb.run(sb.api->v2_update("follow_up_status", *id, change));
    BOOST_TEST(updated.has_value(), (updated ? "" : updated.error().describe()));
    query q;
    q.limit = 10;
    auto page = sb.run(sb.api->v2_list("follow_up_status", 1, q));
    BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
    BOOST_TEST(page->items.size() == 1u);
    // The typed resource reads the same record through its mixed v1/v2 paths.
    auto typed = sb.run(sb.api->follow_up_statuses().get(*id));
    BOOST_TEST_REQUIRE(typed.has_value(), (typed ? "" : typed.error().describe()));
    BOOST_TEST(*typed->name == "Warm");
}

BOOST_AUTO_TEST_CASE(v2_edits_in_the_documented_form_and_the_show_variant) {
    // credit_usage is edited by POST to the collection with the id in the body; brand by PUT to the
    // record. Both read back through …/{id}/show and …/{id}/1.
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        for (const char* entity : {"credit_usage", "brand"}) {
            auto id = sb.run(sb.api->v2_create(entity, json::object{{"name", "first"}}));
            BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
            auto updated = sb.run(sb.api->v2_update(entity, *id, json::object{{"name", "second"}}));
            BOOST_TEST_REQUIRE(updated.has_value(), (updated ? "" : updated.error().describe()));
            auto shown = sb.run(sb.api->v2_show(entity, *id));
            BOOST_TEST_REQUIRE(shown.has_value(), (shown ? "" : shown.error().describe()));
            BOOST_TEST(shown->at("name").as_string() == "second", entity);
            auto got = sb.run(sb.api->v2_get(entity, *id));
            BOOST_TEST_REQUIRE(got.has_value());
            BOOST_TEST(got->at("name").as_string() == "second", entity);
            auto listed = sb.run(sb.api->v2_list(entity, 1));
            BOOST_TEST_REQUIRE(listed.has_value());
            BOOST_TEST(listed->items.size() == 1u, entity);  // edited, not created again
        }
        const auto targets = sb.sent_targets();
        BOOST_TEST(std::count(targets.begin(), targets.end(), "/v2/api/entity/credit_usage") == 2);  // create, edit
        BOOST_TEST(std::count(targets.begin(), targets.end(), "/v2/api/entity/brand") == 1);
    }
}

BOOST_AUTO_TEST_CASE(a_v2_list_takes_its_page_size_as_per_page) {
    // follow_up_statuses lists through the v2 entity API, whose paginator reads `per_page` and ignores
    // `limit` (as does the sandbox): a limit sent under the v1 name would return all three rows.
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        for (const char* name : {"Hot", "Warm", "Cold"}) {
            follow_up_status s;
            s.name = name;
            s.status = 1;
            s.item_type = 1;
            s.staff_id = 0;
            auto id = sb.run(sb.api->follow_up_statuses().create(s));
            BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
        }
        auto page = sb.run(sb.api->follow_up_statuses().list(query().with_limit(2)));
        BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
        BOOST_TEST(page->items.size() == 2u);
        BOOST_TEST(page->page_count == 2);
        auto untyped = sb.run(sb.api->v2_list("follow_up_status", 1, query().with_limit(2).with_page(2)));
        BOOST_TEST_REQUIRE(untyped.has_value(), (untyped ? "" : untyped.error().describe()));
        BOOST_TEST(untyped->items.size() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(follow_up_actions_get_delete_and_list_by_type) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        // The reference documents no create for actions; the v2 entity API makes one.
        auto made = sb.run(sb.api->v2_create("follow_up_action", json::object{{"name", "Visit"}, {"item_type", 7}}));
        BOOST_TEST_REQUIRE(made.has_value(), (made ? "" : made.error().describe()));
        auto of_type = sb.run(sb.api->follow_up_actions_of("7"));
        BOOST_TEST_REQUIRE(of_type.has_value(), (of_type ? "" : of_type.error().describe()));
        BOOST_TEST_REQUIRE(of_type->items.size() == 1u);
        BOOST_TEST(of_type->items[0].extra.at("name").as_string() == "Visit");  // no documented fields
        auto seeded = sb.run(sb.api->follow_up_actions().get(1));
        BOOST_TEST_REQUIRE(seeded.has_value(), (seeded ? "" : seeded.error().describe()));
        BOOST_TEST(seeded->extra.at("name").as_string() == "Call");
        auto removed = sb.run(sb.api->follow_up_actions().remove(*made));
        BOOST_TEST(removed.has_value(), (removed ? "" : removed.error().describe()));
        // /follow_up_actions/{X} is both "get X" and "the list of type X" (the reference's collision): a
        // deleted id reads as an empty list of that type, which a get refuses rather than inventing a record.
        auto gone = sb.run(sb.api->follow_up_actions().get(*made));
        BOOST_TEST_REQUIRE(!gone.has_value());
        BOOST_TEST((gone.error().kind == error_kind::decode), gone.error().describe());
        auto none = sb.run(sb.api->follow_up_actions_of("7"));
        BOOST_TEST_REQUIRE(none.has_value(), (none ? "" : none.error().describe()));
        BOOST_TEST(none->items.empty());
    }
}

BOOST_AUTO_TEST_CASE(notes_update_and_delete) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        note n;
        n.body = "First call";
        auto id = sb.run(sb.api->create_note("client", sb.make_client(), n));
        BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
        note change;
        change.body = "Second call";
        auto updated = sb.run(sb.api->notes().update(*id, change));
        BOOST_TEST_REQUIRE(updated.has_value(), (updated ? "" : updated.error().describe()));
        auto got = sb.run(sb.api->notes().get(*id));
        BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
        BOOST_TEST(got->body.value_or("") == "Second call");
        auto listed = sb.run(sb.api->notes().list());
        BOOST_TEST_REQUIRE(listed.has_value(), (listed ? "" : listed.error().describe()));
        BOOST_TEST(listed->items.size() == 1u);
        auto removed = sb.run(sb.api->notes().remove(*id));
        BOOST_TEST(removed.has_value(), (removed ? "" : removed.error().describe()));
        auto gone = sb.run(sb.api->notes().get(*id));
        BOOST_TEST_REQUIRE(!gone.has_value());
        BOOST_TEST((gone.error().kind == error_kind::not_found));
        // Notes are created on a record only: the typed resource has no create.
        auto direct = sb.run(sb.api->notes().create(n));
        BOOST_TEST_REQUIRE(!direct.has_value());
        BOOST_TEST((direct.error().kind == error_kind::invalid_argument));
    }
}

BOOST_AUTO_TEST_CASE(branches_and_app_status_as_documented) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        auto page = sb.run(sb.api->branches().list());
        BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
        BOOST_TEST_REQUIRE(page->items.size() == 1u);
        BOOST_TEST(page->items[0].id.value_or(0) == 1);
        BOOST_TEST(page->items[0].extra.at("name").as_string() == "Main Branch");
        auto active = sb.run(sb.api->app_is_active(42));
        BOOST_TEST_REQUIRE(active.has_value(), (active ? "" : active.error().describe()));
        BOOST_TEST(active->at("is_active").as_bool());
        const auto sent = sb.sent_targets();
        BOOST_TEST((std::find(sent.begin(), sent.end(), "/api2/branches") != sent.end()));
        BOOST_TEST((std::find(sent.begin(), sent.end(), "/v2/api/app-manager/is_active/42") != sent.end()));
    }
}

BOOST_AUTO_TEST_CASE(multi_entity_answers_each_part_by_alias) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        const auto cid = sb.make_client("Multi Co");
        for (int i = 0; i < 3; ++i) {
            invoice inv;
            inv.client_id = cid;
            inv.InvoiceItem.emplace_back();
            inv.InvoiceItem[0].item = "A";
            inv.InvoiceItem[0].unit_price = 1 + i;
            inv.InvoiceItem[0].quantity = 1;
            auto made = sb.run(sb.api->invoices().create(inv));
            BOOST_TEST_REQUIRE(made.has_value(), (made ? "" : made.error().describe()));
        }
        std::vector<resources::v2_multi_part> parts(3);
        parts[0].key = "client";
        parts[0].action = resources::v2_multi_part::action_kind::show;
        parts[0].id = cid;
        parts[0].alias = "who";
        parts[1].key = "invoice";
        parts[1].options.with_limit(2).with_page(2);
        parts[2].key = "client";
        parts[2].action = resources::v2_multi_part::action_kind::show;
        parts[2].id = 999999;
        parts[2].alias = "missing";
        auto answer = sb.run(sb.api->v2_multi(parts));
        BOOST_TEST_REQUIRE(answer.has_value(), (answer ? "" : answer.error().describe()));
        const auto& who = answer->records.at("who");
        BOOST_TEST_REQUIRE(who.has_value(), (who ? "" : who.error().describe()));
        BOOST_TEST(who->at("business_name").as_string() == "Multi Co");
        const auto& invoices = answer->pages.at("invoice");  // no alias: answered under its key
        BOOST_TEST_REQUIRE(invoices.has_value(), (invoices ? "" : invoices.error().describe()));
        BOOST_TEST(invoices->items.size() == 1u);  // 3 invoices, 2 per page, page 2
        BOOST_TEST(invoices->page == 2);
        BOOST_TEST(invoices->page_count == 2);
        const auto& missing = answer->records.at("missing");
        BOOST_TEST_REQUIRE(!missing.has_value());
        BOOST_TEST(missing.error().message == "Record not found");

        // Mistakes are refused before anything is sent.
        const auto before = sb.sent_targets().size();
        parts[2].alias = "who";
        auto clash = sb.run(sb.api->v2_multi(parts));
        BOOST_TEST_REQUIRE(!clash.has_value());
        BOOST_TEST((clash.error().kind == error_kind::invalid_argument));
        auto empty = sb.run(sb.api->v2_multi(std::vector<resources::v2_multi_part>{}));
        BOOST_TEST_REQUIRE(!empty.has_value());
        BOOST_TEST((empty.error().kind == error_kind::invalid_argument));
        BOOST_TEST(sb.sent_targets().size() == before);
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace specials_test
