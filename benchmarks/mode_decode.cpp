// Mode "decode": the cost of decoding a list page, without the network. The page is read from a file
// and, in the same run, handled three ways N times each:
//   decode  resources::operations<Model>::list_answer on a transport::response {status 200, body}: the
//           very call a typed list() makes once the pool has the answer (stream or tree path, whichever
//           the SDK takes), the page<Model> destroyed each time as a caller would;
//   null    a boost::json::basic_parser whose handler does nothing: the floor of any decoder built on
//           Boost.JSON's tokenizer (one parser, reset per page);
//   dom     boost::json::parse(body, ec), default storage: what "parse it into a json::value" costs.
// After a warm-up of each, `rounds` rounds run the three passes with the order rotated every round;
// each figure is the median over the rounds. The heap is recorded outside the timed passes (the
// allocation counter's recording, alloc_counter.hpp), over a few pages of each pass.
// Prints one JSON line of its own (not the harness contract: nothing goes over a network).

#include "alloc_counter.hpp"
#include "bench.hpp"

#include "daftra/client.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace daftra::bench {

namespace {

namespace json = boost::json;
using boost::system::error_code;

// ---- the null handler: accepts every event and keeps nothing ----

struct null_handler {
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code&) { return true; }
    bool on_object_end(std::size_t, error_code&) { return true; }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t, error_code&) { return true; }
    bool on_key_part(json::string_view, std::size_t, error_code&) { return true; }
    bool on_key(json::string_view, std::size_t, error_code&) { return true; }
    bool on_string_part(json::string_view, std::size_t, error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, error_code&) { return true; }
    bool on_number_part(json::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, error_code&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, error_code&) { return true; }
    bool on_double(double, json::string_view, error_code&) { return true; }
    bool on_bool(bool, error_code&) { return true; }
    bool on_null(error_code&) { return true; }
    bool on_comment_part(json::string_view, error_code&) { return true; }
    bool on_comment(json::string_view, error_code&) { return true; }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::invalid_argument("decode mode: cannot read '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return std::move(text).str();
}

// The wrapper key of the page's first record (`{"data":[{"Invoice":{…}}…]}` → "Invoice"), or "".
std::string first_wrapper(const std::string& body) {
    error_code ec;
    const json::value root = json::parse(body, ec);
    if (ec || !root.is_object()) return {};
    const auto* data = root.get_object().if_contains("data");
    if (!data || !data->is_array() || data->get_array().empty()) return {};
    const auto& first = data->get_array().front();
    if (!first.is_object() || first.get_object().empty()) return {};
    return std::string(first.get_object().begin()->key());
}

// ---- heap figures of one pass, recorded outside the timing ----

struct heap_figures {
    std::vector<std::size_t> largest;  // the largest allocations, largest first (at most 8)
    double allocs = 0;       // per page
    double bytes = 0;        // per page
    std::size_t max = 0;     // the largest single allocation seen
    double over_mmap = 0;    // per page, allocations of at least glibc's default mmap threshold (128 KiB)
};

template <class F>
heap_figures record_heap(std::size_t pages, F&& one_page) {
    std::vector<std::size_t> sizes(std::size_t(1) << 16);
    for (;;) {
        allocs::start_recording(sizes.data(), sizes.size());
        for (std::size_t i = 0; i < pages; ++i) one_page();
        const std::size_t n = allocs::stop_recording();
        if (n > sizes.size()) {  // did not fit: again with room for all of them
            sizes.assign(n + n / 4, 0);
            continue;
        }
        heap_figures h;
        const auto per = static_cast<double>(pages);
        h.allocs = static_cast<double>(n) / per;
        for (std::size_t i = 0; i < n; ++i) {
            h.bytes += static_cast<double>(sizes[i]);
            h.max = std::max(h.max, sizes[i]);
            if (sizes[i] >= 128 * 1024) h.over_mmap += 1;
        }
        h.bytes /= per;
        h.over_mmap /= per;
        h.largest.assign(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(n));
        std::sort(h.largest.begin(), h.largest.end(), std::greater<>());
        h.largest.resize(std::min<std::size_t>(h.largest.size(), 8));
        return h;
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string number(double v, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

std::string json_string(std::string_view s) {
    return json::serialize(json::string_view(s.data(), s.size()));
}

template <class Model>
int run_model(const config& cfg, const resources::resource_spec<Model>& spec, std::string body) {
    const resources::operations<Model> ops(spec);
    transport::response response;
    response.status = 200;
    response.body = std::move(body);
    const std::string_view bytes = response.body;

    // The path the SDK takes for this page: the stream when it decodes the page, else the tree
    // (streamed_answers() counts the answers the stream decoded, in list_answer and everywhere else).
    bool streamed = false;
    {
        const auto before = resources::streamed_answers();
        (void)ops.list_answer(response, 1);
        streamed = resources::streamed_answers() > before;
    }

    // One decode, checked: a page that does not decode is an error, not a figure.
    std::size_t records = 0;
    {
        auto page = ops.list_answer(response, 1);
        if (!page) {
            std::fprintf(stderr, "daftra_bench: decode: the page does not decode as %s: %s\n",
                         std::string(spec.id).c_str(), page.error().describe().c_str());
            return 1;
        }
        records = page->items.size();
    }

    std::size_t checksum = 0;  // kept and printed, so no pass can be optimised away
    auto decode_one = [&] {
        auto page = ops.list_answer(response, 1);
        checksum += page ? page->items.size() : 0;
    };
    json::basic_parser<null_handler> null_parser{json::parse_options()};
    bool null_failed = false;
    auto null_one = [&] {
        error_code ec;
        null_parser.reset();
        checksum += null_parser.write_some(false, bytes.data(), bytes.size(), ec);
        null_failed = null_failed || ec.failed() || !null_parser.done();
    };
    auto dom_one = [&] {
        error_code ec;
        json::value v = json::parse(json::string_view(bytes.data(), bytes.size()), ec);
        checksum += v.is_object() ? v.get_object().size() : 0;
    };

    const std::size_t n = cfg.requests_given
                              ? cfg.requests
                              : std::max<std::size_t>(10, (32u << 20) / std::max<std::size_t>(1, bytes.size()));
    const std::size_t rounds = cfg.rounds;
    using pass = std::function<void()>;
    const std::array<pass, 3> passes = {decode_one, null_one, dom_one};

    // Warm-up: a tenth of N (at least 3 pages) of each, so caches, the allocator's free lists and the
    // CPU's frequency settle before anything is timed.
    for (const auto& p : passes)
        for (std::size_t i = 0; i < std::max<std::size_t>(3, n / 10); ++i) p();
    if (null_failed) {
        std::fprintf(stderr, "daftra_bench: decode: the file is not one JSON document\n");
        return 1;
    }

    std::array<std::vector<double>, 3> seconds;  // per pass, one per round
    for (std::size_t r = 0; r < rounds; ++r) {
        for (std::size_t k = 0; k < passes.size(); ++k) {
            const std::size_t which = (k + r) % passes.size();  // rotate the order round by round
            const auto& p = passes[which];
            const auto start = clock::now();
            for (std::size_t i = 0; i < n; ++i) p();
            seconds[which].push_back(std::chrono::duration<double>(clock::now() - start).count());
        }
    }

    std::vector<extra_field> out;
    const auto field = [&](std::string name, std::string value) { out.push_back({std::move(name), std::move(value)}); };
    field("client", json_string("daftra-cpp-decode"));
    field("file", json_string(cfg.file));
    field("resource", json_string(spec.id));
    field("path", json_string(streamed ? "stream" : "tree"));
    field("bytes", std::to_string(bytes.size()));
    field("records_per_page", std::to_string(records));
    field("requests", std::to_string(n));
    field("rounds", std::to_string(rounds));
    const char* const names[] = {"decode", "null_parser", "dom"};
    std::array<double, 3> med{};
    for (std::size_t k = 0; k < 3; ++k) {
        med[k] = median(seconds[k]);
        field(std::string(names[k]) + "_mb_s", number(static_cast<double>(bytes.size()) * static_cast<double>(n) / med[k] / 1e6, 1));
    }
    for (std::size_t k = 0; k < 3; ++k)
        field(std::string(names[k]) + "_us_per_page", number(med[k] / static_cast<double>(n) * 1e6, 2));
    field("decode_vs_null_parser", number(med[1] / med[0], 3));
    field("decode_vs_dom", number(med[2] / med[0], 3));
    std::string rounds_us = "[";
    for (std::size_t r = 0; r < rounds; ++r)
        rounds_us += (r ? "," : "") + number(seconds[0][r] / static_cast<double>(n) * 1e6, 2);
    field("decode_us_rounds", rounds_us + "]");

    if (allocs::available()) {
        const std::size_t sample = std::min<std::size_t>(n, 5);
        const heap_figures d = record_heap(sample, decode_one);
        const heap_figures u = record_heap(sample, null_one);
        const heap_figures m = record_heap(sample, dom_one);
        field("allocs_per_page", number(d.allocs, 1));
        field("alloc_bytes_per_page", number(d.bytes, 0));
        field("max_alloc_bytes", std::to_string(d.max));
        field("allocs_over_128k_per_page", number(d.over_mmap, 1));
        field("null_parser_allocs_per_page", number(u.allocs, 1));
        field("dom_allocs_per_page", number(m.allocs, 1));
        field("dom_alloc_bytes_per_page", number(m.bytes, 0));
        field("dom_max_alloc_bytes", std::to_string(m.max));
        if (cfg.verbose) {
            std::fprintf(stderr, "daftra_bench: decode: largest allocations over %zu pages:", sample);
            for (const std::size_t size : d.largest) std::fprintf(stderr, " %zu", size);
            std::fputc('\n', stderr);
        }
    }
    field("checksum", std::to_string(checksum));

    std::string line = "{";
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i) line += ',';
        line += json_string(out[i].name);
        line += ':';
        line += out[i].json;
    }
    line += "}\n";
    std::fputs(line.c_str(), stdout);
    return 0;
}

} // namespace

int run_decode(const config& cfg) {
    std::string body = read_file(cfg.file);
    std::string wanted = cfg.resource;
    if (wanted.empty()) {  // the resource whose records the page holds, else invoices
        const std::string wrapper = first_wrapper(body);
        resources::for_each_resource([&](const auto& spec) {
            if (wanted.empty() && !wrapper.empty() && spec.supports(resources::op_list) &&
                (spec.read_key == wrapper || spec.read_key_alt == wrapper))
                wanted = spec.id;
        });
        if (wanted.empty()) wanted = "invoices";
    }
    int status = -1;
    resources::for_each_resource([&](const auto& spec) {
        if (status == -1 && spec.id == wanted && spec.supports(resources::op_list))
            status = run_model(cfg, spec, std::move(body));
    });
    if (status == -1)
        throw std::invalid_argument("decode mode: '" + wanted + "' is not a resource with a list (e.g. invoices)");
    return status;
}

} // namespace daftra::bench
