// Request building: targets, query encoding, supported operations for every line of the table.

#include "daftra/resources/operations.hpp"
#include "daftra/resources/specials.hpp"
#include "daftra/resources/table.hpp"

#include <boost/test/unit_test.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

namespace query_test {

using namespace daftra;

BOOST_AUTO_TEST_SUITE(requests)

BOOST_AUTO_TEST_CASE(query_encoding) {
    BOOST_TEST(resources::with_query("/api2/invoices.json", {}) == "/api2/invoices.json");
    query q;
    q.page = 2;
    q.limit = 100;
    q.sort = "date";
    q.direction = sort_direction::asc;
    q.filters = {{"payment_status", "2"}, {"keywords", "a&b=c d+e"}, {"tags[]", "vip"}, {"client_name", "شركة"}};
    auto target = resources::with_query("/api2/invoices.json", q);
    BOOST_TEST(target.rfind("/api2/invoices.json?page=2&limit=100&sort=date&direction=ASC&payment_status=2&", 0) == 0u, target);
    // Reserved characters inside a value are escaped so they do not split the query.
    BOOST_TEST(target.find("keywords=a%26b%3Dc%20d%2Be") != std::string::npos, target);
    BOOST_TEST(target.find("client_name=%D8%B4%D8%B1%D9%83%D8%A9") != std::string::npos, target);
    BOOST_TEST(target.find("&tags%5B%5D=vip") != std::string::npos, target);
    query d;
    d.direction = sort_direction::desc;
    BOOST_TEST(resources::with_query("/p", d) == "/p?direction=DESC");
}

// with_query writes plain paths by hand; the text must be what Boost.URL builds (its other path).
BOOST_AUTO_TEST_CASE(plain_paths_match_boost_url) {
    query q;
    q.page = 3;
    q.sort = "a b";
    q.filters = {{"", ""}, {"k", ""}, {"", "v"}, {"tags[]", "x"}, {"tags[]", "y"}, {"q", "a&b=c d+e%"}, {"n", "شركة"}};
    boost::urls::url u;
    u.set_encoded_path("/api2/invoices.json");
    auto add = [&](std::string_view k, std::string_view v) {
        std::string ek = boost::urls::encode(k, boost::urls::unreserved_chars);
        std::string ev = boost::urls::encode(v, boost::urls::unreserved_chars);
        u.encoded_params().append({ek, ev});
    };
    add("page", "3");
    add("sort", "a b");
    for (const auto& [k, v] : q.filters) add(k, v);
    BOOST_TEST(resources::with_query("/api2/invoices.json", q) == std::string(u.buffer()));
    // Paths Boost.URL would change still go through it.
    BOOST_TEST(resources::with_query("//x", {}).find("//x") != std::string::npos);
    BOOST_TEST(resources::with_query("/a b", {}) == "/a%20b");
}

BOOST_AUTO_TEST_CASE(chained_setters_build_the_same_query) {
    query named;
    named.page = 3;
    named.limit = 50;
    named.sort = "date";
    named.direction = sort_direction::asc;
    named.filters = {{"client_id", "7"}, {"tags[]", "vip"}, {"tags[]", "new"}};
    const std::string expected = resources::with_query("/api2/invoices.json", named);
    BOOST_TEST(resources::with_query("/api2/invoices.json", query()
                                                              .with_page(3)
                                                              .with_limit(50)
                                                              .sorted_by("date", sort_direction::asc)
                                                              .with_filter("client_id", 7)
                                                              .with_filter("tags[]", "vip")
                                                              .with_filter("tags[]", "new")) == expected);
    query lvalue;
    lvalue.with_limit(50).with_page(3).sorted_by("date", sort_direction::asc).with_filter("client_id", "7");
    lvalue.with_filter("tags[]", "vip").with_filter("tags[]", "new");
    BOOST_TEST(resources::with_query("/api2/invoices.json", lvalue) == expected);
    BOOST_TEST(expected == "/api2/invoices.json?page=3&limit=50&sort=date&direction=ASC&client_id=7&tags%5B%5D=vip&tags%5B%5D=new");
}

BOOST_AUTO_TEST_CASE(targets) {
    auto inv = resources::operations(resources::invoices);
    BOOST_TEST(inv.list_request(query().with_page(1).with_limit(5))->target == "/api2/invoices.json?page=1&limit=5");
    BOOST_TEST(inv.get_request(7)->target == "/api2/invoices/7.json");
    BOOST_TEST((inv.remove_request(7)->method == transport::verb::delete_));
    BOOST_TEST(inv.remove_request(7)->body.empty());
    // Documented without the suffix.
    BOOST_TEST(resources::operations(resources::requisitions).get_request(3)->target == "/api2/requisitions/3");
    BOOST_TEST(resources::operations(resources::site).get_request(0)->target == "/api2/site_info.json");
    BOOST_TEST(resources::operations(resources::bookings).create_request({})->target == "/api2/bookings/add");
    BOOST_TEST(resources::operations(resources::client_attendance_log).create_request({})->target ==
               "/api2/client-attendance-log/store");
    BOOST_TEST(resources::operations(resources::follow_up_statuses).list_request({})->target ==
               "/v2/api/entity/follow_up_status/list/1");
    // A v2 list takes the page size as per_page, a v1 list as limit: one conversion for both kinds.
    BOOST_TEST(resources::operations(resources::follow_up_statuses).list_request(query().with_limit(5))->target ==
               "/v2/api/entity/follow_up_status/list/1?per_page=5");
    BOOST_TEST(resources::page_size_parameter("/api2/clients.json") == "limit");
    // Writes take a query too.
    BOOST_TEST(resources::operations(resources::invoices).create_request({}, query().with_filter("send", "1"))->target ==
               "/api2/invoices.json?send=1");
    BOOST_TEST(resources::operations(resources::invoices).update_request(5, {}, query().with_filter("send", "0"))->target ==
               "/api2/invoices/5.json?send=0");
    BOOST_TEST(resources::bulk_invoice_request({}, query().with_filter("terminal_id", "T1")).target ==
               "/api2/invoices/add_bulk.json?terminal_id=T1");
    BOOST_TEST(resources::page_size_parameter("/v2/api/entity/brand/list/1") == "per_page");
}

BOOST_AUTO_TEST_CASE(unsupported_operations_send_nothing) {
    auto staff = resources::operations(resources::staff);
    auto r = staff.create_request({});
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST((r.error().kind == error_kind::invalid_argument));
    BOOST_TEST(r.error().message == "staff does not support create");
    BOOST_TEST(!staff.remove_request(1).has_value());
    BOOST_TEST(!resources::operations(resources::site).list_request({}).has_value());
}

// Every line of the table: its supported requests build, and a list answer in its wrapper decodes.
BOOST_AUTO_TEST_CASE(every_resource) {
    int count = 0;
    resources::for_each_resource([&](const auto& spec) {
        ++count;
        auto ops = resources::operations(spec);
        using model_t = typename std::remove_cvref_t<decltype(spec)>::model;
        BOOST_TEST(ops.list_request({}).has_value() == spec.supports(resources::op_list), spec.id);
        BOOST_TEST(ops.get_request(1).has_value() == spec.supports(resources::op_get), spec.id);
        BOOST_TEST(ops.create_request(model_t{}).has_value() == spec.supports(resources::op_create), spec.id);
        BOOST_TEST(ops.update_request(1, model_t{}).has_value() == spec.supports(resources::op_update), spec.id);
        BOOST_TEST(ops.remove_request(1).has_value() == spec.supports(resources::op_remove), spec.id);
        transport::response resp;
        resp.status = 200;
        const std::string record = R"({"id":"41","unknown_key":"u"})";  // flat when the resource has no wrapper (v2)
        const std::string item = spec.read_key.empty() ? record : R"({")" + std::string(spec.read_key) + R"(":)" + record + "}";
        resp.body = R"({"code":200,"result":"successful","data":[)" + item +
                    R"(],"pagination":{"page":1,"page_count":1,"total_results":1}})";
        auto page = ops.list_answer(resp);
        BOOST_TEST_REQUIRE(page.has_value(), spec.id);
        BOOST_TEST_REQUIRE(page->items.size() == 1u);
        BOOST_TEST(*page->items[0].id == 41, spec.id);
        BOOST_TEST(page->items[0].extra.at("unknown_key").as_string() == "u", spec.id);
    });
    BOOST_TEST(count == 58);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace query_test
