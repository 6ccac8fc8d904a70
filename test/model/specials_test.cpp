// Request building and answer decoding of the special endpoints, without I/O.

#include "answers.hpp"

#include "daftra/resources/specials.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace specials_test {

using namespace daftra;
using daftra::test::answer;

BOOST_AUTO_TEST_SUITE(specials)

BOOST_AUTO_TEST_CASE(targets) {
    note n;
    n.body = "hi";
    auto r = resources::note_create_request("client", 7, n);
    BOOST_TEST(r.target == "/api2/notes/client/7.json");
    BOOST_TEST(boost::json::parse(r.body).at("Note").at("body").as_string() == "hi");
    // Caller-supplied path segments cannot change the path.
    BOOST_TEST(resources::note_create_request("../x", 1, n).target == "/api2/notes/..%2Fx/1.json");
    query q;
    q.page = 2;
    q.limit = 50;
    q.filters = {{"filter[type]", "19"}};
    BOOST_TEST(resources::v2_list_request("invoice", 1, q).target ==
               "/v2/api/entity/invoice/list/1?page=2&per_page=50&filter%5Btype%5D=19");
    BOOST_TEST(resources::v2_get_request("invoice", 5, 3).target == "/v2/api/entity/invoice/5/3");
    auto upd = resources::v2_update_request("brand", 4, boost::json::object{{"name", "B"}});
    BOOST_TEST(upd.target == "/v2/api/entity/brand/4");
    BOOST_TEST(boost::json::parse(upd.body).at("id").as_int64() == 4);
    BOOST_TEST((upd.method == transport::verb::put));
    // The entities the reference edits by POST to the collection, with the id in the body.
    for (const char* posted : {"credit_usage", "credit_type", "credit_charge", "package"}) {
        auto p = resources::v2_update_request(posted, 4, boost::json::object{{"name", "B"}, {"id", 9}});
        BOOST_TEST((p.method == transport::verb::post), posted);
        BOOST_TEST(p.target == "/v2/api/entity/" + std::string(posted), posted);
        BOOST_TEST(boost::json::parse(p.body).at("id").as_int64() == 4, posted);  // the call's id wins
    }
    BOOST_TEST(resources::v2_show_request("invoice", 5).target == "/v2/api/entity/invoice/5/show");
    BOOST_TEST(resources::booking_status_request(3, 4).target == "/api2/bookings/change_status/3/4");
    BOOST_TEST(resources::follow_up_actions_request("1", {}).target == "/api2/follow_up_actions/1.json");
}

BOOST_AUTO_TEST_CASE(bulk_bodies_and_answers) {
    std::vector<invoice> batch(2);
    batch[0].client_id = 1;
    batch[0].InvoiceItem.emplace_back();
    batch[0].InvoiceItem[0].unit_price = 3;
    auto r = resources::bulk_invoice_request(batch);
    auto body = boost::json::parse(r.body);
    BOOST_TEST_REQUIRE(body.as_array().size() == 2u);
    BOOST_TEST(body.as_array()[0].at("Invoice").at("client_id").as_int64() == 1);
    BOOST_TEST(body.as_array()[0].at("InvoiceItem").as_array().size() == 1u);

    auto outcome = resources::bulk_invoice_answer(answer(200,
        R"([{"code":202,"result":"successful","id":"10"},{"result":"failed","code":400,"message":"Bad Request","validation_errors":{"client_id":"required"}},null,{"result":"successful"}])"));
    BOOST_TEST_REQUIRE(outcome.has_value());
    BOOST_TEST_REQUIRE(outcome->size() == 4u);
    BOOST_TEST(*(*outcome)[0] == 10);
    BOOST_TEST_REQUIRE(!(*outcome)[1].has_value());
    BOOST_TEST((*outcome)[1].error().fields.size() == 1u);
    BOOST_TEST(!(*outcome)[2].has_value());
    BOOST_TEST(!(*outcome)[3].has_value());
    BOOST_TEST(!resources::bulk_invoice_answer(answer(200, R"({"id":1})")).has_value());
}

BOOST_AUTO_TEST_CASE(v2_answers) {
    auto page = resources::v2_list_answer(answer(200, R"({"data":[{"id":1,"name":"a"}],"meta":{"current_page":1,"last_page":2,"total":3}})"), 1);
    BOOST_TEST_REQUIRE(page.has_value());
    BOOST_TEST(page->page_count == 2);
    BOOST_TEST(page->items[0].at("name").as_string() == "a");
    BOOST_TEST(!page->items[0].storage().is_shared());
    auto one = resources::v2_get_answer(answer(200, R"({"id":9,"name":"b"})"));
    BOOST_TEST_REQUIRE(one.has_value());
    BOOST_TEST(one->at("id").as_int64() == 9);
    auto err = resources::v2_get_answer(answer(422, R"({"message":"Entity not saved","errors":{"name":["required"]}})"));
    BOOST_TEST_REQUIRE(!err.has_value());
    BOOST_TEST(err.error().fields.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace specials_test
