// Daftra error answers become daftra::error with kind, status, message, per-field errors and body.

#include "answers.hpp"

#include "daftra/detail/error_decoding.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/test/unit_test.hpp>

namespace error_test {

using namespace daftra;
using daftra::test::answer;

namespace {

std::string field_text(const error& e) {
    std::string out;
    for (const auto& f : e.fields) out += f.field + "=" + f.message + ";";
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(errors)

// v1 validation failure, one string per field (docs/daftra-api.md, "Errors").
BOOST_AUTO_TEST_CASE(v1_validation_errors) {
    const std::string body =
        R"({"result":"failed","code":400,"message":"Bad Request","validation_errors":{"client_id":"Client is required","date":"Invalid date"}})";
    auto e = resources::decode_error(400, body);
    BOOST_TEST((e.kind == error_kind::validation));
    BOOST_TEST(e.status == 400u);
    BOOST_TEST(e.message == "Bad Request");
    BOOST_TEST(field_text(e) == "client_id=Client is required;date=Invalid date;");
    BOOST_TEST(e.body == body);
    BOOST_TEST(e.describe().find("client_id: Client is required") != std::string::npos);
}

// v2 422 with lists of messages per field, possibly in Arabic (docs/daftra-api.md, "Errors").
BOOST_AUTO_TEST_CASE(v2_errors) {
    auto e = resources::decode_error(422,
        R"({"message":"Entity not saved","errors":{"name":["الاسم مطلوب","too short"],"color":["bad"]}})");
    BOOST_TEST((e.kind == error_kind::validation));
    BOOST_TEST(e.message == "Entity not saved");
    BOOST_TEST(field_text(e) == "name=الاسم مطلوب;name=too short;color=bad;");
}

BOOST_AUTO_TEST_CASE(array_and_nested_forms) {
    auto plain = resources::decode_error(400, R"({"message":"Bad","errors":["first","second"]})");
    BOOST_TEST(field_text(plain) == "=first;=second;");
    auto objects = resources::decode_error(400,
        R"({"message":"Bad","validation_errors":[{"field":"amount","message":"must be positive"}]})");
    BOOST_TEST(field_text(objects) == "amount=must be positive;");
    auto nested = resources::decode_error(400,
        R"({"message":"Bad","validation_errors":{"Invoice":{"client_id":"required"},"InvoiceItem":{"0":{"unit_price":"required"}}}})");
    BOOST_TEST(field_text(nested) == "Invoice.client_id=required;InvoiceItem.0.unit_price=required;");
}

BOOST_AUTO_TEST_CASE(kinds_and_messages) {
    auto u = resources::decode_error(401, R"({"message":{"result":"failed","code":401,"message":"Unauthorized"}})");
    BOOST_TEST((u.kind == error_kind::unauthorized));
    BOOST_TEST(u.message == "Unauthorized");
    auto f = resources::decode_error(403,
        R"({"result":"failed","code":403,"message":"You are not allowed to view this page","error_type":"x","extra_data":{}})");
    BOOST_TEST((f.kind == error_kind::forbidden));
    BOOST_TEST(f.message == "You are not allowed to view this page");
    auto n = resources::decode_error(404, R"({"result":"failed","code":404,"message":"Invoice not found"})");
    BOOST_TEST((n.kind == error_kind::not_found));
    auto r = resources::decode_error(429, "");
    BOOST_TEST((r.kind == error_kind::rate_limited));
    BOOST_TEST(r.message == "HTTP 429");
    auto s = resources::decode_error(502, "<html>Bad gateway</html>");
    BOOST_TEST((s.kind == error_kind::server));
    BOOST_TEST(s.message == "HTTP 502");
    BOOST_TEST(s.body == "<html>Bad gateway</html>");
    auto big = resources::decode_error(500, std::string(200000, 'x'));
    BOOST_TEST(big.body.size() == resources::max_error_body);
}

// The operations route non-2xx answers and `"result":"failed"` bodies through decode_error.
BOOST_AUTO_TEST_CASE(operations_report_errors) {
    auto ops = resources::operations(resources::invoices);
    auto g = ops.get_answer(answer(404, R"({"result":"failed","code":404,"message":"Invoice not found"})"));
    BOOST_TEST_REQUIRE(!g.has_value());
    BOOST_TEST((g.error().kind == error_kind::not_found));
    BOOST_TEST(g.error().message == "Invoice not found");
    auto c = ops.create_answer(answer(400,
        R"({"result":"failed","code":400,"message":"Bad Request","validation_errors":{"client_id":"required"}})"));
    BOOST_TEST_REQUIRE(!c.has_value());
    BOOST_TEST(c.error().fields.size() == 1u);
    auto in200 = ops.remove_answer(answer(200, R"({"result":"failed","code":400,"message":"Can't delete item. Remove its transactions first."})"));
    BOOST_TEST_REQUIRE(!in200.has_value());
    BOOST_TEST((in200.error().kind == error_kind::validation));
    BOOST_TEST(in200.error().message == "Can't delete item. Remove its transactions first.");
    BOOST_CHECK_THROW(ops.get_answer(answer(500, "{}")).value(), api_error);
}

// A delete's "not found" is success (already gone) only after an earlier attempt of the call may have
// acted on the server unanswered, which the retry loop marks on the answer; on a first attempt it
// stays not_found.
BOOST_AUTO_TEST_CASE(a_delete_found_gone_after_an_unknown_outcome) {
    auto ops = resources::operations(resources::invoices);
    const std::string missing = R"({"result":"failed","code":404,"message":"Invoice not found"})";
    auto after = [](transport::response r) {
        r.after_unknown_outcome = true;
        return r;
    };

    auto first = ops.remove_answer(answer(404, missing));
    BOOST_TEST_REQUIRE(!first.has_value());
    BOOST_TEST((first.error().kind == error_kind::not_found));
    BOOST_TEST(first.error().status == 404u);

    auto gone = ops.remove_answer(after(answer(404, missing)));
    BOOST_TEST_REQUIRE(gone.has_value(), gone.error().describe());
    BOOST_TEST(gone->already_gone);
    auto gone_in_200 = ops.remove_answer(after(answer(200, missing)));  // v1: 200 with the real code inside
    BOOST_TEST_REQUIRE(gone_in_200.has_value());
    BOOST_TEST(gone_in_200->already_gone);

    auto done = ops.remove_answer(after(answer(200, R"({"result":"successful","code":200})")));
    BOOST_TEST_REQUIRE(done.has_value());
    BOOST_TEST(!done->already_gone);  // this attempt deleted it
    BOOST_TEST(!deleted{}.already_gone);

    // Other errors stay errors, whatever came before.
    auto refused = ops.remove_answer(after(answer(400, R"({"result":"failed","code":400,"message":"Can't delete item."})")));
    BOOST_TEST_REQUIRE(!refused.has_value());
    BOOST_TEST((refused.error().kind == error_kind::validation));
    auto failed = ops.remove_answer(after(answer(503, "{}")));
    BOOST_TEST_REQUIRE(!failed.has_value());
    BOOST_TEST((failed.error().kind == error_kind::server));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace error_test
