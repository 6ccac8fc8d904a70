// Files through the client against the sandbox: an invoice's PDF and HTML streamed to a file or into
// memory, the size limit, the origin rule, error answers, a sink that fails, and an attempt cut short
// whose retry starts the file over.

#include "sandbox_client.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

namespace download_test {

using namespace daftra;
using test::sandbox_client;
namespace fs = std::filesystem;

namespace {

std::int64_t make_invoice(sandbox_client& sb) {
    invoice inv;
    inv.client_id = sb.make_client();
    inv.InvoiceItem.emplace_back();
    inv.InvoiceItem[0].item = "Widget";
    inv.InvoiceItem[0].unit_price = 5;
    inv.InvoiceItem[0].quantity = 2;
    auto made = sb.run(sb.api->invoices().create(inv));
    if (!made) throw std::runtime_error(made.error().describe());
    return made->id;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fresh path in the temporary directory, removed (with its part file) at the end of the scope.
struct temp_path {
    temp_path() : path(fs::temp_directory_path() / ("daftra-download-" + std::to_string(std::random_device{}()) + ".bin")) {}
    ~temp_path() {
        std::error_code ec;
        fs::remove(path, ec);
        fs::remove(path.string() + ".part", ec);
    }
    fs::path path;
};

// Fails its second write, as a full disk would.
struct failing_sink final : transport::body_sink {
    result<void> begin(const transport::response&) override { return {}; }
    result<void> write(std::string_view) override {
        if (++writes < 2) return {};
        return make_error(error_kind::invalid_argument, {}, "disk full");
    }
    int writes = 0;
};

} // namespace

BOOST_AUTO_TEST_SUITE(downloads)

BOOST_AUTO_TEST_CASE(an_invoice_pdf_and_html_to_files_and_memory) {
    for (const bool strings : {false, true}) {
        sandbox_client sb(strings);
        const auto id = make_invoice(sb);
        auto inv = sb.run(sb.api->invoices().get(id));
        BOOST_TEST_REQUIRE(inv.has_value(), (inv ? "" : inv.error().describe()));
        BOOST_TEST_REQUIRE(inv->invoice_pdf_url.has_value());
        BOOST_TEST(inv->invoice_pdf_url->starts_with(sb.srv.url()));  // absolute, on the account's origin

        temp_path pdf;
        auto saved = sb.run(sb.api->download_invoice(id, invoice_document::pdf, pdf.path));
        BOOST_TEST_REQUIRE(saved.has_value(), (saved ? "" : saved.error().describe()));
        BOOST_TEST(saved->content_type == "application/pdf");
        const std::string bytes = read_file(pdf.path);
        BOOST_TEST(saved->bytes == bytes.size());
        BOOST_TEST(bytes.size() > (160u << 10));  // several pieces of 64 KiB
        BOOST_TEST(bytes.starts_with("%PDF-1.4"));
        BOOST_TEST(bytes.ends_with("%%EOF\n"));
        BOOST_TEST(!fs::exists(pdf.path.string() + ".part"));

        // The same file into memory, by its URL: byte for byte the same.
        auto in_memory = sb.run(sb.api->fetch_file(*inv->invoice_pdf_url));
        BOOST_TEST_REQUIRE(in_memory.has_value(), (in_memory ? "" : in_memory.error().describe()));
        BOOST_TEST(in_memory->content_type == "application/pdf");
        BOOST_TEST((in_memory->bytes == bytes));

        temp_path html;
        auto page = sb.run(sb.api->download_invoice(id, invoice_document::html, html.path));
        BOOST_TEST_REQUIRE(page.has_value(), (page ? "" : page.error().describe()));
        BOOST_TEST(page->content_type.starts_with("text/html"));
        BOOST_TEST(read_file(html.path).find("Invoice " + inv->no.value_or("?")) != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_file_over_the_limit_fails_and_leaves_nothing) {
    sandbox_client sb;
    const auto id = make_invoice(sb);
    temp_path out;
    std::ofstream(out.path) << "the previous contents";
    download_options small;
    small.max_bytes = 1000;
    auto saved = sb.run(sb.api->download_invoice(id, invoice_document::pdf, out.path, small));
    BOOST_TEST_REQUIRE(!saved.has_value());
    BOOST_TEST((saved.error().kind == error_kind::protocol), saved.error().describe());
    BOOST_TEST(read_file(out.path) == "the previous contents");  // replaced only by a complete download
    BOOST_TEST(!fs::exists(out.path.string() + ".part"));
    // The client goes on working (the cut connection was dropped).
    auto again = sb.run(sb.api->download_invoice(id, invoice_document::pdf, out.path));
    BOOST_TEST(again.has_value(), (again ? "" : again.error().describe()));
}

BOOST_AUTO_TEST_CASE(credentials_go_to_the_accounts_origin_only) {
    sandbox_client sb;
    const auto before = sb.sent_targets().size();
    temp_path out;
    for (const char* url : {"https://evil.example.com/invoice.pdf", "http://127.0.0.1:1/x.pdf", "ftp://host/x", "//evil/x"}) {
        auto saved = sb.run(sb.api->download_to_file(url, out.path));
        BOOST_TEST_REQUIRE(!saved.has_value(), url);
        BOOST_TEST((saved.error().kind == error_kind::invalid_argument), url);
    }
    BOOST_TEST(sb.sent_targets().size() == before);  // nothing was sent
    BOOST_TEST(!fs::exists(out.path));
}

BOOST_AUTO_TEST_CASE(error_answers_and_a_failing_sink) {
    sandbox_client sb;
    auto missing = sb.run(sb.api->fetch_file("/sandbox-files/invoices/999999.pdf"));
    BOOST_TEST_REQUIRE(!missing.has_value());
    BOOST_TEST((missing.error().kind == error_kind::not_found), missing.error().describe());

    const auto id = make_invoice(sb);
    auto sink = std::make_shared<failing_sink>();
    auto failed = sb.run(sb.api->download("/sandbox-files/invoices/" + std::to_string(id) + ".pdf", sink));
    BOOST_TEST_REQUIRE(!failed.has_value());
    BOOST_TEST(failed.error().message == "disk full");
    BOOST_TEST(sink->writes == 2);  // reading stopped at the failing write
    auto json_too = sb.run(sb.api->fetch_file("/api2/site_info.json"));  // any answer, JSON included
    BOOST_TEST_REQUIRE(json_too.has_value(), (json_too ? "" : json_too.error().describe()));
    BOOST_TEST(json_too->content_type.starts_with("application/json"));
}

BOOST_AUTO_TEST_CASE(a_retry_after_a_cut_answer_starts_the_file_over) {
    sandbox_client sb;
    const auto id = make_invoice(sb);
    auto whole = sb.run(sb.api->fetch_file("/sandbox-files/invoices/" + std::to_string(id) + ".pdf"));
    BOOST_TEST_REQUIRE(whole.has_value(), (whole ? "" : whole.error().describe()));
    // The next answer from the files path stops after half its body (more than one 64 KiB piece).
    sandbox::fault_config cut;
    cut.path_prefix = "/sandbox-files/";
    cut.truncate_rate = 1;
    cut.times = 1;
    sb.srv.set_faults(cut);
    temp_path out;
    auto saved = sb.run(sb.api->download_invoice(id, invoice_document::pdf, out.path));
    BOOST_TEST_REQUIRE(saved.has_value(), (saved ? "" : saved.error().describe()));
    BOOST_TEST(sb.srv.stats().at("faults_injected").as_int64() >= 1);
    BOOST_TEST(saved->bytes == whole->bytes.size());
    BOOST_TEST((read_file(out.path) == whole->bytes));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace download_test
