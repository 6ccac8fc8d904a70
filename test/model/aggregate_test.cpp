// Models are flat aggregates: designated initializers reach every member, however many a model has,
// and every member of every generated type survives a round trip through JSON.

#include "json_compare.hpp"

#include "daftra/model/all.hpp"
#include "daftra/model/codec.hpp"
#include "daftra/detail/codec_impl.hpp"  // for my_record below, a model of the test's own
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>
#include <type_traits>

namespace aggregate_test {

using namespace daftra;
using daftra::test::same_json;
namespace json = boost::json;

namespace {

template <class... T>
constexpr bool all_aggregates(model::type_list<T...>) {
    return (std::is_aggregate_v<T> && ...);
}
static_assert(all_aggregates(model::generated_types{}), "every generated model and row type is an aggregate");
// More members than Boost.Describe took in one struct (52), all of them direct members.
static_assert(model::description<invoice>::fields.size() > 52);

template <class M, class... T>
constexpr bool listed(model::type_list<T...>) {
    return (std::is_same_v<M, T> || ...);
}

// Gives each member a value of its type that no other member of the record has.
template <class T>
void fill(T& record, int depth);

void fill_member(std::optional<std::int64_t>& m, int i, int) { m = 1000 + i; }
void fill_member(std::optional<double>& m, int i, int) { m = i + 0.5; }
void fill_member(std::optional<bool>& m, int i, int) { m = i % 2 == 0; }
void fill_member(std::optional<std::string>& m, int i, int) {
    char text[16];  // (not "s" + std::to_string(i): g++ 12 reports a false -Wrestrict on that)
    std::snprintf(text, sizeof text, "s%d", i);
    m = text;
}
void fill_member(std::optional<json::array>& m, int i, int) { m = json::array{i, "a"}; }
void fill_member(std::optional<json::value>& m, int i, int) { m = json::object{{"v", i}}; }
template <class R, model::access A>
void fill_member(model::rows<R, A>& m, int, int depth) {
    // Relations get one filled record, one level deep (a record may relate back to its own type).
    if (depth > 0) return;
    fill(m.emplace_back(), depth + 1);
}
template <class R, model::access A>
void fill_member(model::one<R, A>& m, int, int depth) {
    if (depth > 0) return;
    fill(m.emplace(), depth + 1);
}

template <class T, auto... P>
void fill_members(T& record, [[maybe_unused]] int depth, model::members<P...>) {
    [[maybe_unused]] int i = 0;
    (fill_member(record.*P, i++, depth), ...);
}

template <class T>
void fill(T& record, int depth) {
    fill_members(record, depth, typename model::description<T>::members{});
    if constexpr (std::is_same_v<T, model::raw_record>) record.extra["k"] = depth;
}

// The members that are not relations, compared one by one.
template <class M>
bool same_member(const M& a, const M& b) {
    return a == b;
}
template <class R, model::access A>
bool same_member(const model::rows<R, A>& a, const model::rows<R, A>& b) {
    return a.size() == b.size();  // (the rows' contents are compared through to_json)
}
template <class R, model::access A>
bool same_member(const model::one<R, A>& a, const model::one<R, A>& b) {
    return a.has_value() == b.has_value();
}
template <class T, auto... P>
bool same_members(const T& a, const T& b, model::members<P...>) {
    return (same_member(a.*P, b.*P) && ...);
}

template <class T>
void check_round_trip() {
    T record{};
    fill(record, 0);
    const json::object full = model::to_json(record);
    const auto& table = model::description<T>::fields;
    // Every member is written under its key, and nothing else is.
    BOOST_TEST(full.size() == table.size() + (std::is_same_v<T, model::raw_record> ? 1 : 0), json::serialize(full));
    for (const auto& f : table) BOOST_TEST(full.contains(f.key), f.key);

    auto again = model::decode<T>(full);
    BOOST_TEST_REQUIRE(again.has_value(), again.error().describe());
    BOOST_TEST(same_members(record, *again, typename model::description<T>::members{}), json::serialize(full));
    BOOST_TEST(again->extra == record.extra);
    BOOST_TEST(same_json(model::to_json(*again), full), json::serialize(model::to_json(*again)));
}

template <class... T>
void check_round_trips(model::type_list<T...>) {
    (check_round_trip<T>(), ...);
}

// A model written by hand: the converter takes any struct with a member table.
struct my_record {
    std::optional<std::int64_t> id{};
    std::optional<std::string> default_{};  // JSON key "default"
    model::rows<invoice_item> Lines{};
    model::unknown_members extra{};
};

} // namespace
} // namespace aggregate_test

// (A specialisation belongs to the template's namespace, outside this file's.)
template <>
struct daftra::model::description<aggregate_test::my_record> {
    using my_record = aggregate_test::my_record;
    static constexpr std::array<model::field, 3> fields{{{"id", model::field::read_only}, {"default"}, {"Lines", model::field::relation}}};
    using members = model::members<&my_record::id, &my_record::default_, &my_record::Lines>;
};

namespace aggregate_test {

BOOST_AUTO_TEST_SUITE(aggregates)

BOOST_AUTO_TEST_CASE(designated_initializers) {
    const invoice inv{.client_id = 7, .date = "2026-12-03"};
    json::object fields;
    json::object siblings;
    model::encode(inv, fields, &siblings, model::encoding::request);
    BOOST_TEST(same_json(fields, json::parse(R"({"client_id":7,"date":"2026-12-03"})")), json::serialize(fields));
    BOOST_TEST(siblings.empty());

    auto req = resources::operations(resources::invoices).create_request(inv);
    BOOST_TEST_REQUIRE(req.has_value());
    BOOST_TEST(same_json(json::parse(req->body), json::parse(R"({"Invoice":{"client_id":7,"date":"2026-12-03"}})")), req->body);
}

// Members past the 52nd, child rows and extra, all named in one initializer.
BOOST_AUTO_TEST_CASE(designated_initializers_across_the_whole_model) {
    const invoice inv{
        .id = 1,
        .client_id = 7,
        .draft = true,
        .client_secondary_city = "Giza",  // the 48th member
        .client_secondary_state = "Cairo",  // the 49th, which used to start the derived struct
        .unique_id = "ref-9",             // the last field
        .InvoiceItem = {{.item = "Bolt", .unit_price = 2.5, .quantity = 4}},
        .Client = client_record{.business_name = "ACME"},
        .extra = {{"custom", "kept"}},
    };
    const std::string body = resources::operations(resources::invoices).body_of(inv);
    BOOST_TEST(same_json(json::parse(body), json::parse(R"({"Invoice":{"id":1,"client_id":7,"draft":1,
        "client_secondary_city":"Giza","client_secondary_state":"Cairo","unique_id":"ref-9","custom":"kept"},
        "InvoiceItem":[{"item":"Bolt","unit_price":2.5,"quantity":4}]})")), body);
}

// The list of generated types names the model of every resource of the table.
BOOST_AUTO_TEST_CASE(every_resource_model_is_listed) {
    resources::for_each_resource([](const auto& spec) {
        using M = typename std::remove_cvref_t<decltype(spec)>::model;
        BOOST_TEST(listed<M>(model::generated_types{}), spec.id);
    });
}

// Every member of every generated type (invoice: 81) is written and read back.
BOOST_AUTO_TEST_CASE(every_member_round_trips) {
    check_round_trips(model::generated_types{});
}

BOOST_AUTO_TEST_CASE(a_model_of_ones_own) {
    const auto answer = json::parse(R"({"Mine":{"id":"5","default":"x","other":1},"Lines":[{"item":"A"}]})").as_object();
    auto r = model::decode<my_record>(answer.at("Mine").as_object(), &answer, "Mine");
    BOOST_TEST_REQUIRE(r.has_value(), r.error().describe());
    BOOST_TEST(*r->id == 5);
    BOOST_TEST(*r->default_ == "x");
    BOOST_TEST_REQUIRE(r->Lines.size() == 1u);
    BOOST_TEST(*r->Lines[0].item == "A");
    BOOST_TEST(json::serialize(r->extra) == R"({"other":1})");

    json::object fields;
    json::object siblings;
    model::encode(my_record{.default_ = "y", .Lines = {{.item = "B"}}}, fields, &siblings, model::encoding::request);
    BOOST_TEST(same_json(fields, json::parse(R"({"default":"y"})")), json::serialize(fields));
    BOOST_TEST(same_json(siblings, json::parse(R"({"Lines":[{"item":"B"}]})")), json::serialize(siblings));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace aggregate_test
