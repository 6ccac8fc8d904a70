// The v2-only entities as typed resources of the table (api.brands(), api.credit_usages(), …), through
// the client against the sandbox in both number styles: create, get, list, every page of all() with
// per_page, and edits in each entity's documented form (PUT to the record, or POST with the id).

#include "sandbox_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace v2_entities_test {

using namespace daftra;
using test::sandbox_client;
namespace json = boost::json;

namespace {

v2_record named(const std::string& name) {
    v2_record r;
    r.extra["name"] = name;
    return r;
}

std::string name_of(const v2_record& r) {
    const auto& v = r.extra.at("name");
    return v.is_string() ? std::string(v.get_string()) : std::string();
}

} // namespace

BOOST_AUTO_TEST_SUITE(v2_entities)

BOOST_AUTO_TEST_CASE(brands_create_get_list_all_and_update) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        std::vector<std::int64_t> made;
        for (const char* name : {"Acme", "Globex", "Initech", "Umbrella", "Hooli"}) {
            auto id = sb.run(sb.api->brands().create(named(name)));
            BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
            made.push_back(id->id);
        }
        auto got = sb.run(sb.api->brands().get(made[2]));
        BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
        BOOST_TEST(got->id.value_or(0) == made[2]);
        BOOST_TEST(name_of(*got) == "Initech");

        auto first = sb.run(sb.api->brands().list(query().with_limit(2)));
        BOOST_TEST_REQUIRE(first.has_value(), (first ? "" : first.error().describe()));
        BOOST_TEST(first->items.size() == 2u);
        BOOST_TEST(first->page_count == 3);
        BOOST_TEST(first->total_results == 5);

        auto every = sb.collect(sb.api->brands().all(query().with_limit(2)));
        BOOST_TEST_REQUIRE(every.has_value(), (every ? "" : every.error().describe()));
        std::vector<std::int64_t> seen;
        for (const auto& b : *every) seen.push_back(b.id.value_or(0));
        std::sort(seen.begin(), seen.end());
        BOOST_TEST(seen == made);

        auto changed = named("Initech 2");
        auto updated = sb.run(sb.api->brands().update(made[2], changed));
        BOOST_TEST_REQUIRE(updated.has_value(), (updated ? "" : updated.error().describe()));
        auto again = sb.run(sb.api->brands().get(made[2]));
        BOOST_TEST_REQUIRE(again.has_value());
        BOOST_TEST(name_of(*again) == "Initech 2");
        const auto sent = sb.sent_targets();
        BOOST_TEST((std::count(sent.begin(), sent.end(), "/v2/api/entity/brand/" + std::to_string(made[2])) == 1));  // the PUT
        BOOST_TEST((std::count(sent.begin(), sent.end(), "/v2/api/entity/brand/list/1?per_page=2") >= 1));

        auto missing = sb.run(sb.api->unit_templates().get(424242));
        BOOST_TEST_REQUIRE(!missing.has_value());
        BOOST_TEST((missing.error().kind == error_kind::not_found));
        auto no_delete = sb.run(sb.api->brands().remove(made[0]));  // the reference documents none
        BOOST_TEST_REQUIRE(!no_delete.has_value());
        BOOST_TEST((no_delete.error().kind == error_kind::invalid_argument));
    }
}

BOOST_AUTO_TEST_CASE(edits_in_the_entitys_documented_form) {
    const resources::operations usage{resources::credit_usages};
    auto post = usage.update_request(7, named("x"));
    BOOST_TEST_REQUIRE(post.has_value());
    BOOST_TEST((post->method == transport::verb::post));
    BOOST_TEST(post->target == "/v2/api/entity/credit_usage");
    BOOST_TEST(json::parse(post->body).at("id").as_int64() == 7);
    const resources::operations brand{resources::brands};
    auto put = brand.update_request(7, named("x"));
    BOOST_TEST((put->method == transport::verb::put));
    BOOST_TEST(put->target == "/v2/api/entity/brand/7");
    BOOST_TEST(json::parse(put->body).at("id").as_int64() == 7);
    BOOST_TEST((resources::v2_edit_form("credit_usage") == resources::v2_edit::post_with_id));
    BOOST_TEST((resources::v2_edit_form("brand") == resources::v2_edit::put_to_record));

    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        auto id = sb.run(sb.api->credit_usages().create(named("first")));
        BOOST_TEST_REQUIRE(id.has_value(), (id ? "" : id.error().describe()));
        auto updated = sb.run(sb.api->credit_usages().update(id->id, named("second")));
        BOOST_TEST_REQUIRE(updated.has_value(), (updated ? "" : updated.error().describe()));
        auto page = sb.run(sb.api->credit_usages().list());
        BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
        BOOST_TEST_REQUIRE(page->items.size() == 1u);  // edited, not created again
        BOOST_TEST(name_of(page->items[0]) == "second");
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace v2_entities_test
