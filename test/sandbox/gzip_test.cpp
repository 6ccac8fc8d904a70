// Content-Encoding: gzip from the sandbox: negotiated from Accept-Encoding, only for answers of
// 1 KiB or more, and decoding (here with zlib directly, not the SDK) to the plain answer.
#define BOOST_TEST_MODULE sandbox_gzip
#include <boost/test/unit_test.hpp>

#include "fixture.hpp"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace sandbox_test;

std::int64_t sandbox_fixture::create(const std::string& path, const std::string& body) {
    auto r = api.post(path, body);
    BOOST_REQUIRE_MESSAGE(r.status == 202, path << " -> " << r.status << " " << r.body);
    return to_int(r.json().at("id"));
}

namespace {

std::string gunzip(const std::string& in) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
    std::string out;
    char buf[16384];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    const bool whole = rc == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    if (!whole) throw std::runtime_error("not one complete gzip stream");
    return out;
}

struct invoices_fixture : sandbox_fixture {
    explicit invoices_fixture(daftra::sandbox::options o = plain_options()) : sandbox_fixture(o) {
        for (int i = 0; i < 20; ++i)
            create("/api2/invoices.json",
                   R"({"Invoice":{"client_id":1,"date":"2026-11-29","currency_code":"EGP"},"InvoiceItem":[)"
                   R"({"item":"Widget","unit_price":12.5,"quantity":2},{"item":"Bolt","unit_price":0.25,"quantity":40}]})");
    }
    reply list(const std::string& accept_encoding, const std::string& target = "/api2/invoices.json?limit=20") {
        header_list h;
        if (!accept_encoding.empty()) h.emplace_back("Accept-Encoding", accept_encoding);
        return api.request("GET", target, {}, h);
    }
    std::int64_t stat(const char* name) { return to_int(api.get("/__sandbox/stats").json().at(name)); }
};

struct threaded_fixture : invoices_fixture {
    static daftra::sandbox::options opts() {
        auto o = plain_options();
        o.threads = 2;
        return o;
    }
    threaded_fixture() : invoices_fixture(opts()) {}
};

// The invoice with that id on a decoded list page, or nullptr.
const json::object* find_invoice(const json::value& page, std::int64_t id) {
    for (const auto& row : page.at("data").as_array()) {
        const auto& inv = row.at("Invoice").as_object();
        if (to_int(inv.at("id")) == id) return &inv;
    }
    return nullptr;
}

// The next request to /api2/invoices gets that fault (rate 1, once).
daftra::sandbox::fault_config one_fault(double daftra::sandbox::fault_config::*rate) {
    daftra::sandbox::fault_config f;
    f.path_prefix = "/api2/invoices";
    f.times = 1;
    f.*rate = 1;
    return f;
}

std::int64_t total_results(const json::value& page) { return to_int(page.at("pagination").at("total_results")); }

// A gzip answer that decodes to the current plain answer.
void check_fresh(invoices_fixture& f, const reply& packed) {
    BOOST_TEST_REQUIRE(packed.status == 200);
    BOOST_TEST(packed.header("content-encoding") == "gzip");
    BOOST_TEST(packed.header("vary") == "Accept-Encoding");
    BOOST_TEST(packed.header("content-length") == std::to_string(packed.body.size()));
    BOOST_TEST(gunzip(packed.body) == f.list("").body);
}

struct no_gzip_fixture : invoices_fixture {
    static daftra::sandbox::options opts() {
        auto o = plain_options();
        o.gzip = false;
        return o;
    }
    no_gzip_fixture() : invoices_fixture(opts()) {}
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(gzip_answers, invoices_fixture)

BOOST_AUTO_TEST_CASE(gzip_answer_decodes_to_the_plain_json) {
    const auto plain = list("");
    BOOST_TEST_REQUIRE(plain.status == 200);
    BOOST_TEST(plain.header("content-encoding").empty());
    BOOST_TEST(plain.header("vary") == "Accept-Encoding");
    BOOST_TEST(plain.body.size() > 1024u);

    const auto packed = list("gzip, deflate, br");
    BOOST_TEST_REQUIRE(packed.status == 200);
    BOOST_TEST(packed.header("content-encoding") == "gzip");
    BOOST_TEST(packed.header("vary") == "Accept-Encoding");
    BOOST_TEST(packed.header("content-length") == std::to_string(packed.body.size()));
    BOOST_TEST(packed.body.size() < plain.body.size() / 4);
    const auto decoded = gunzip(packed.body);
    BOOST_TEST(decoded == plain.body);
    BOOST_TEST(json::parse(decoded) == plain.json());
}

BOOST_AUTO_TEST_CASE(accept_encoding_is_negotiated) {
    struct negotiation {
        const char* header;
        bool gzip;
    };
    const negotiation cases[] = {
        {"gzip", true},          {"GZip", true},           {"x-gzip", true},          {" deflate , gzip ;q=0.5", true},
        {"gzip;Q=1.000", true},  {"*", true},              {"br, *;q=0.1", true},     {"gzip;q=0", false},
        {"gzip; q=0.000", false}, {"gzip;q=0, *", false},  {"*;q=0", false},          {"deflate, br", false},
        {"identity", false},     {"gzipped", false},       {"gzip;q=2", false},       {"gzip;q=abc", false},
        {"br;q=1, gzip;q=0.001", true},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT("Accept-Encoding: " << c.header) {
            const auto r = list(c.header);
            BOOST_TEST_REQUIRE(r.status == 200);
            BOOST_TEST((r.header("content-encoding") == "gzip") == c.gzip);
            BOOST_TEST(r.header("vary") == "Accept-Encoding");
        }
    }
}

BOOST_AUTO_TEST_CASE(small_answers_stay_plain) {
    header_list h{{"Accept-Encoding", "gzip"}};
    for (const char* target : {"/api2/invoices/1.json", "/api2/invoices/999.json", "/api2/no_such_thing.json"}) {
        BOOST_TEST_CONTEXT(target) {
            const auto r = api.request("GET", target, {}, h);
            BOOST_TEST(r.body.size() < 1024u);
            BOOST_TEST(r.header("content-encoding").empty());
            BOOST_TEST(r.header("vary").empty());
            BOOST_TEST(r.json().is_object());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

// The read cache keeps the gzip form of an answer beside the plain one: made once, on the first
// request that accepts gzip, and dropped with the plain form when a write changes the store.
BOOST_FIXTURE_TEST_SUITE(gzip_cache, invoices_fixture)

BOOST_AUTO_TEST_CASE(repeated_gzip_get_is_not_compressed_again) {
    const auto compressions = stat("gzip_compressions");
    const auto hits = stat("gzip_cache_hits");
    const auto first = list("gzip");
    check_fresh(*this, first);
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);
    for (int i = 0; i < 3; ++i) {
        const auto again = list("gzip, deflate");
        BOOST_TEST_REQUIRE(again.status == 200);
        BOOST_TEST(again.header("content-encoding") == "gzip");
        BOOST_TEST(again.header("vary") == "Accept-Encoding");
        BOOST_TEST(again.header("content-length") == std::to_string(first.body.size()));
        BOOST_TEST(again.body == first.body);
    }
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);
    BOOST_TEST(stat("gzip_cache_hits") == hits + 3);
    // A client that does not accept gzip still gets the plain form from the same entry.
    const auto plain = list("identity");
    BOOST_TEST(plain.header("content-encoding").empty());
    BOOST_TEST(plain.body == gunzip(first.body));
}

BOOST_AUTO_TEST_CASE(gzip_form_made_from_a_cached_plain_answer) {
    const auto target = std::string("/api2/invoices.json?limit=15");
    const auto plain = list("", target);
    BOOST_TEST_REQUIRE(plain.status == 200);
    const auto compressions = stat("gzip_compressions");
    const auto packed = list("gzip", target);
    BOOST_TEST(packed.header("content-encoding") == "gzip");
    BOOST_TEST(gunzip(packed.body) == plain.body);
    BOOST_TEST(list("gzip", target).body == packed.body);
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);
}

BOOST_AUTO_TEST_CASE(writes_drop_the_gzip_form) {
    const auto before = list("gzip");
    check_fresh(*this, before);
    BOOST_TEST(total_results(json::parse(gunzip(before.body))) == 20);

    // POST: a new invoice, first on the page (most recent first).
    const auto id = create("/api2/invoices.json",
                           R"({"Invoice":{"client_id":1,"date":"2026-11-30","currency_code":"SAR"},)"
                           R"("InvoiceItem":[{"item":"Gasket","unit_price":3,"quantity":7}]})");
    auto compressions = stat("gzip_compressions");
    const auto after_post = list("gzip");
    check_fresh(*this, after_post);
    BOOST_TEST(after_post.body != before.body);
    auto page = json::parse(gunzip(after_post.body));
    BOOST_TEST(total_results(page) == 21);
    BOOST_TEST_REQUIRE(find_invoice(page, id) != nullptr);
    BOOST_TEST(find_invoice(page, id)->at("currency_code").as_string() == "SAR");
    BOOST_TEST(list("gzip").body == after_post.body);
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);

    // PUT: the plain form is asked for first this time; the gzip form is made from it.
    auto r = api.put("/api2/invoices/5.json", R"({"Invoice":{"currency_code":"USD"}})");
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    const auto plain = list("");
    compressions = stat("gzip_compressions");
    const auto after_put = list("gzip");
    BOOST_TEST(after_put.header("content-encoding") == "gzip");
    BOOST_TEST(gunzip(after_put.body) == plain.body);
    BOOST_TEST(after_put.body != after_post.body);
    page = json::parse(gunzip(after_put.body));
    BOOST_TEST_REQUIRE(find_invoice(page, 5) != nullptr);
    BOOST_TEST(find_invoice(page, 5)->at("currency_code").as_string() == "USD");
    BOOST_TEST(list("gzip").body == after_put.body);
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);

    // DELETE
    r = api.del("/api2/invoices/" + std::to_string(id) + ".json");
    BOOST_TEST_REQUIRE(r.status == 200, r.body);
    const auto after_delete = list("gzip");
    check_fresh(*this, after_delete);
    page = json::parse(gunzip(after_delete.body));
    BOOST_TEST(total_results(page) == 20);
    BOOST_TEST(find_invoice(page, id) == nullptr);
    BOOST_TEST(find_invoice(page, 5)->at("currency_code").as_string() == "USD");
}

BOOST_AUTO_TEST_CASE(malformed_answers_skip_the_gzip_cache) {
    constexpr std::string_view marker = "<!-- daftra-sandbox: malformed -->";
    // Warm: the gzip form is cached; a malformed answer must not be served from it...
    const auto good = list("gzip");
    check_fresh(*this, good);
    srv.set_faults(one_fault(&daftra::sandbox::fault_config::malformed_rate));
    auto compressions = stat("gzip_compressions");
    auto hits = stat("gzip_cache_hits");
    const auto bad = list("gzip");
    BOOST_TEST_REQUIRE(bad.status == 200);
    BOOST_TEST(bad.header("content-encoding") == "gzip");  // compressed after the cut
    const auto text = gunzip(bad.body);
    BOOST_TEST(text.ends_with(marker));
    boost::system::error_code ec;
    json::parse(text, ec);
    BOOST_TEST(ec.failed());
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);
    BOOST_TEST(stat("gzip_cache_hits") == hits);
    // ...nor replace it.
    BOOST_TEST(list("gzip").body == good.body);
    BOOST_TEST(stat("gzip_cache_hits") == hits + 1);

    // Cold: a malformed first answer must not become the cached gzip form.
    const auto target = std::string("/api2/invoices.json?limit=19");
    srv.set_faults(one_fault(&daftra::sandbox::fault_config::malformed_rate));
    const auto cold_bad = list("gzip", target);
    BOOST_TEST_REQUIRE(cold_bad.status == 200);
    BOOST_TEST(gunzip(cold_bad.body).ends_with(marker));
    compressions = stat("gzip_compressions");
    const auto cold_good = list("gzip", target);
    BOOST_TEST(cold_good.header("content-encoding") == "gzip");
    BOOST_TEST(gunzip(cold_good.body) == list("", target).body);
    BOOST_TEST(json::parse(gunzip(cold_good.body)).at("data").as_array().size() == 19u);
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);  // made now, not stored by the faulted one
    BOOST_TEST(list("gzip", target).body == cold_good.body);
    BOOST_TEST(stat("gzip_compressions") == compressions + 1);
}

BOOST_AUTO_TEST_CASE(truncated_answer_is_half_the_cached_gzip_form) {
    const auto good = list("gzip");
    check_fresh(*this, good);
    srv.set_faults(one_fault(&daftra::sandbox::fault_config::truncate_rate));
    const auto cut = list("gzip");
    BOOST_TEST(cut.truncated, cut.error);
    BOOST_TEST(cut.body == good.body.substr(0, good.body.size() / 2));  // the client keeps no headers here
    BOOST_TEST(list("gzip").body == good.body);
}

BOOST_AUTO_TEST_SUITE_END()

// Two server threads, readers and a writer at once: every gzip answer decodes to a whole page,
// and no reader ever sees an older page than one it saw before (no stale gzip form).
BOOST_FIXTURE_TEST_SUITE(gzip_cache_threads, threaded_fixture)

BOOST_AUTO_TEST_CASE(concurrent_reads_and_writes) {
    std::mutex failures_mutex;
    std::vector<std::string> failures;
    auto fail = [&](std::string what) {
        std::lock_guard lock(failures_mutex);
        failures.push_back(std::move(what));
    };
    std::atomic<bool> writing{true};
    auto reader = [&] {
        client c(srv.port());
        c.default_headers = {{"apikey", "sandbox-api-key"}, {"Accept-Encoding", "gzip"}};
        std::int64_t seen = 0;
        for (int i = 0; i < 40 || writing.load(); ++i) {
            const auto r = c.get("/api2/invoices.json?limit=20");
            if (r.status != 200 || r.header("content-encoding") != "gzip")
                return fail("status " + std::to_string(r.status) + " encoding " + r.header("content-encoding"));
            try {
                const auto page = json::parse(gunzip(r.body));
                const auto total = total_results(page);
                if (page.at("data").as_array().size() != 20u) return fail("not a whole page");
                if (total < seen) return fail("older page after a newer one");
                seen = total;
            } catch (const std::exception& e) {
                return fail(e.what());
            }
        }
    };
    std::vector<std::thread> readers;
    for (int i = 0; i < 3; ++i) readers.emplace_back(reader);
    client w(srv.port());
    w.default_headers = {{"apikey", "sandbox-api-key"}};
    for (int i = 0; i < 15; ++i) {
        const auto r = w.post("/api2/invoices.json", R"({"Invoice":{"client_id":1,"date":"2026-11-30","currency_code":"EGP"},)"
                                                     R"("InvoiceItem":[{"item":"Nut","unit_price":1,"quantity":3}]})");
        if (r.status != 202) fail("POST -> " + std::to_string(r.status));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    writing = false;
    for (auto& t : readers) t.join();
    for (const auto& f : failures) BOOST_ERROR(f);
    const auto last = list("gzip");
    check_fresh(*this, last);
    BOOST_TEST(total_results(json::parse(gunzip(last.body))) == 35);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(gzip_off, no_gzip_fixture)

BOOST_AUTO_TEST_CASE(no_gzip_option_answers_plain) {
    const auto r = list("gzip");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("content-encoding").empty());
    BOOST_TEST(r.header("vary").empty());
    BOOST_TEST(r.json().at("data").as_array().size() == 20u);
    BOOST_TEST(stat("gzip_compressions") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
