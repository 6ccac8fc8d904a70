// What the answers of writes carry besides success, through the client against the sandbox in both number
// styles: a create's id and number, a delete's message, an error's error_type and extra_data.

#include "sandbox_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

namespace create_answers_test {

using namespace daftra;
using test::sandbox_client;

namespace {

invoice one_line_invoice(std::int64_t client_id) { return test::one_line<invoice>(client_id, "Widget", 5, 2); }

} // namespace

BOOST_AUTO_TEST_SUITE(create_answers)

BOOST_AUTO_TEST_CASE(an_invoice_create_returns_its_id_and_number) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        client_record other;
        other.business_name = "Unnumbered";
        auto unnumbered = sb.run(sb.api->clients().create(other));
        BOOST_TEST_REQUIRE(unnumbered.has_value(), (unnumbered ? "" : unnumbered.error().describe()));
        BOOST_TEST(unnumbered->number.empty());  // only invoices' creates are documented to return a number
        const auto client_id = sb.make_client();
        // No number given: the server makes one, and the answer carries it beside the id.
        auto made = sb.run(sb.api->invoices().create(one_line_invoice(client_id)));
        BOOST_TEST_REQUIRE(made.has_value(), (made ? "" : made.error().describe()));
        BOOST_TEST(!made->number.empty());
        auto got = sb.run(sb.api->invoices().get(*made));  // a `created` stands where an id is expected
        BOOST_TEST_REQUIRE(got.has_value(), (got ? "" : got.error().describe()));
        BOOST_TEST(got->id.value_or(0) == made->id);
        BOOST_TEST(got->no.value_or("") == made->number);
        // A number given is the one answered.
        auto mine = one_line_invoice(client_id);
        mine.no = "INV-2026-7";
        auto numbered = sb.run(sb.api->invoices().create(mine));
        BOOST_TEST_REQUIRE(numbered.has_value(), (numbered ? "" : numbered.error().describe()));
        BOOST_TEST(numbered->number == "INV-2026-7");
        // A bulk create: each element's id and number.
        std::vector<invoice> batch{one_line_invoice(client_id), one_line_invoice(client_id)};
        auto outcomes = sb.run(sb.api->create_invoices(batch));
        BOOST_TEST_REQUIRE(outcomes.has_value(), (outcomes ? "" : outcomes.error().describe()));
        BOOST_TEST_REQUIRE(outcomes->size() == 2u);
        for (const auto& o : *outcomes) {
            BOOST_TEST_REQUIRE(o.has_value());
            BOOST_TEST(!o->number.empty());
            BOOST_TEST(o->number != made->number);
        }
    }
}

BOOST_AUTO_TEST_CASE(writes_carry_query_parameters) {
    // add_bulk's documented parameters (send, client_id, terminal_id), and a query on any create or
    // update, go on the request's target through the list's query type.
    sandbox_client sb;
    const auto client_id = sb.make_client();
    std::vector<invoice> batch{one_line_invoice(client_id)};
    const auto bulk_query = query().with_filter("send", "1").with_filter("client_id", client_id).with_filter("terminal_id", "T 1");
    auto outcomes = sb.run(sb.api->create_invoices(batch, bulk_query));
    BOOST_TEST_REQUIRE(outcomes.has_value(), (outcomes ? "" : outcomes.error().describe()));
    BOOST_TEST_REQUIRE(outcomes->size() == 1u);
    BOOST_TEST((*outcomes)[0].has_value());
    auto made = sb.run(sb.api->invoices().create(one_line_invoice(client_id), query().with_filter("send", "0")));
    BOOST_TEST_REQUIRE(made.has_value(), (made ? "" : made.error().describe()));
    invoice change;
    change.notes = "by query";
    auto updated = sb.run(sb.api->invoices().update(*made, change, query().with_filter("send", "0")));
    BOOST_TEST_REQUIRE(updated.has_value(), (updated ? "" : updated.error().describe()));
    const auto targets = sb.sent_targets();
    const auto sent = [&](const std::string& t) { return std::find(targets.begin(), targets.end(), t) != targets.end(); };
    BOOST_TEST(sent("/api2/invoices/add_bulk.json?send=1&client_id=" + std::to_string(client_id) + "&terminal_id=T%201"));
    BOOST_TEST(sent("/api2/invoices.json?send=0"));
    BOOST_TEST(sent("/api2/invoices/" + std::to_string(made->id) + ".json?send=0"));
    auto got = sb.run(sb.api->invoices().get(*made));
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->notes.value_or("") == "by query");
}

BOOST_AUTO_TEST_CASE(a_delete_keeps_the_answer_message) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        auto inv = sb.run(sb.api->invoices().create(one_line_invoice(sb.make_client())));
        BOOST_TEST_REQUIRE(inv.has_value(), (inv ? "" : inv.error().describe()));
        invoice_payment p;
        p.invoice_id = inv->id;
        p.payment_method = "cash";
        p.amount = 1;
        auto paid = sb.run(sb.api->invoice_payments().create(p));
        BOOST_TEST_REQUIRE(paid.has_value(), (paid ? "" : paid.error().describe()));
        auto gone = sb.run(sb.api->invoice_payments().remove(*paid));
        BOOST_TEST_REQUIRE(gone.has_value(), (gone ? "" : gone.error().describe()));
        BOOST_TEST(gone->message == "Payment has been deleted");
        auto invoice_gone = sb.run(sb.api->invoices().remove(inv->id));
        BOOST_TEST_REQUIRE(invoice_gone.has_value());
        BOOST_TEST(invoice_gone->message.empty());  // no message in this answer
    }
}

BOOST_AUTO_TEST_CASE(an_error_keeps_error_type_and_extra_data) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        auto missing = sb.run(sb.api->requisitions().get(424242));
        BOOST_TEST_REQUIRE(!missing.has_value());
        BOOST_TEST((missing.error().kind == error_kind::not_found));
        BOOST_TEST(missing.error().error_type == "not_found");
        BOOST_TEST(boost::json::parse(missing.error().extra_data).is_object());
        // Answers without them leave both empty.
        auto other = sb.run(sb.api->invoices().get(424242));
        BOOST_TEST_REQUIRE(!other.has_value());
        BOOST_TEST(other.error().error_type.empty());
        BOOST_TEST(other.error().extra_data.empty());
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace create_answers_test
