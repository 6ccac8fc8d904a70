// daftra_bench: drives the SDK at concurrency C over at most N connections for R requests and prints
// one JSON line, the contract of the peers in the benchmark harness (see docs/benchmarks.md):
//   {"client":"daftra-cpp","requests":R,"seconds":S,"rps":X,"p50_us":P50,"p99_us":P99,"errors":E}
// (paginate prints two such lines; extra fields may follow the standard ones).
// Exit status: 0, or 1 when errors > 0, 2 on bad arguments.

#include "alloc_counter.hpp"
#include "bench.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

using namespace daftra::bench;

// A mode prints either one line (run), lines of its own making (run_lines) or, with no network and no
// harness contract, whatever it prints itself (run_own, which returns the exit status).
struct mode {
    std::string_view name;
    std::string_view client;  // the "client" field of the JSON line of a one-line mode
    summary (*run)(const config&);
    std::vector<report_line> (*run_lines)(const config&);
    bool counts_allocs;       // accepts --count-allocs
    int (*run_own)(const config&) = nullptr;
    bool needs_url = true;
};

constexpr mode modes[] = {
    {"raw", "daftra-cpp", run_raw, nullptr, true},
    {"typed", "daftra-cpp-typed", run_typed, nullptr, true},
    {"naive", "daftra-cpp-naive", run_naive, nullptr, true},
    {"paginate", "", nullptr, run_paginate, false},
    {"decode", "daftra-cpp-decode", nullptr, nullptr, false, run_decode, false},
};

const char* const usage_text =
    "usage: daftra_bench [--mode raw|typed|naive|paginate] --url URL [--concurrency C] [--connections N]\n"
    "                    [--requests R] [--ca FILE] [--threads T] [--count-allocs] [--recycle] [--verbose]\n"
    "                    [--token awaitable|callback]\n"
    "                    [--records M] [--page-size K] [--api-key KEY]\n"
    "       daftra_bench URL C N R          (the harness form; the CA file comes from $HARNESS_CA)\n"
    "       daftra_bench --mode decode --file PAGE.json [--requests N] [--resource NAME] [--rounds K]\n"
    "  --mode         raw (default): the connection pool alone, GET URL\n"
    "                 typed: the whole client; URL is a resource's list (…/api2/invoices.json), every\n"
    "                 answer decoded into models\n"
    "                 naive: no pool, the baseline written by hand with Beast: every request opens a new\n"
    "                 connection (resolve, connect, TLS handshake with verification), GET URL, close;\n"
    "                 C in flight, so up to C connections at once (N is not used)\n"
    "                 paginate: every page of the list URL names on a daftra-sandbox, through the client:\n"
    "                 first page after page (all()), then page 1 and the others C at a time over N\n"
    "                 connections; two lines, requests = pages, R is not used\n"
    "                 decode: no network; the list page in --file decoded N times into the models of\n"
    "                 --resource (default: the resource of the page's first record, else invoices) by\n"
    "                 list_answer, the typed calls' decoder, and read N times by a null-handler\n"
    "                 basic_parser and by boost::json::parse; K rounds (default 3) after a warm-up,\n"
    "                 medians; one JSON line (decode_mb_s, allocs_per_page, …; docs/benchmarks.md).\n"
    "                 N defaults to the pages making 32 MiB\n"
    "  --concurrency  requests in flight (default 64)\n"
    "  --connections  at most this many connections (default 8)\n"
    "  --requests     requests in all (default 50000)\n"
    "  --ca           PEM file of the CAs to trust (default $HARNESS_CA if set, else the system CAs)\n"
    "  --threads      threads running the io_context (default 1)\n"
    "  --count-allocs raw, typed, naive: add \"allocs_per_request\" (every heap allocation, malloc and\n"
    "                 operator new), \"bytes_per_request\" and \"new_per_request\" (operator new alone),\n"
    "                 counted while the requests from 20 % to 80 % of R finish\n"
    "  --recycle      raw: give each answer's body back to the transport (transport::recycle), as the typed\n"
    "                 calls do, so that the next answer is read into its memory\n"
    "  --token        raw, typed: how each call completes: awaitable (default; co_await), or callback\n"
    "                 (the same call given a plain callback: daftra/core/completion.hpp's adapter)\n"
    "  --verbose      pool statistics (naive: connections opened; decode: the largest allocations)\n"
    "                 on stderr\n"
    "  --records      paginate: the list holds at least M records, missing ones are created first\n"
    "                 (invoices, clients, products) (default 2000)\n"
    "  --page-size    paginate: records per page, at most 1000 (default 100)\n"
    "  --api-key      typed, paginate: the apikey sent (default sandbox-api-key, the sandbox's own)\n"
    "  --no-compression  raw, typed, paginate: pool_options::accept_compression = false (no\n"
    "                 Accept-Encoding: the answers come uncompressed)\n"
    "       daftra_bench --scenario queue --url URL [--calls K] [--connections N] [--ca FILE]\n"
    "                 K calls at once on N connections: heap per waiting call, FIFO order (scenario_queue.cpp)\n"
    "       daftra_bench --scenario token-herd ...   (see mode_token_herd.cpp)\n";

struct bad_arguments : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::size_t positive(std::string_view what, std::string_view text) {
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v == 0)
        throw bad_arguments(std::string(what) + " must be a positive integer, not '" + std::string(text) + "'");
    return v;
}

config parse(int argc, char** argv) {
    config cfg;
    std::optional<std::string> ca;
    int positional = 0;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (!arg.starts_with("--")) {
            switch (positional++) {
            case 0: cfg.url = arg; break;
            case 1: cfg.concurrency = positive("C", arg); break;
            case 2: cfg.connections = positive("N", arg); break;
            case 3: cfg.requests = positive("R", arg); cfg.requests_given = true; break;
            default: throw bad_arguments("too many positional arguments: '" + std::string(arg) + "'");
            }
            continue;
        }
        if (arg == "--help") {
            std::fputs(usage_text, stdout);
            std::exit(0);
        }
        if (arg == "--verbose") {
            cfg.verbose = true;
            continue;
        }
        if (arg == "--count-allocs") {
            cfg.count_allocs = true;
            continue;
        }
        if (arg == "--recycle") {
            cfg.recycle = true;
            continue;
        }
        if (arg == "--no-compression") {
            cfg.compression = false;
            continue;
        }
        // --name value or --name=value
        std::string_view name = arg, value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            throw bad_arguments("missing value for " + std::string(arg));
        }
        if (name == "--url") cfg.url = value;
        else if (name == "--concurrency") cfg.concurrency = positive(name, value);
        else if (name == "--connections") cfg.connections = positive(name, value);
        else if (name == "--requests") {
            cfg.requests = positive(name, value);
            cfg.requests_given = true;
        }
        else if (name == "--file") cfg.file = value;
        else if (name == "--resource") cfg.resource = value;
        else if (name == "--rounds") cfg.rounds = positive(name, value);
        else if (name == "--threads") cfg.threads = positive(name, value);
        else if (name == "--ca") ca = value;
        else if (name == "--mode") cfg.mode = value;
        else if (name == "--records") cfg.records = positive(name, value);
        else if (name == "--page-size") cfg.page_size = positive(name, value);
        else if (name == "--api-key") cfg.api_key = value;
        else if (name == "--token") {
            if (value != "awaitable" && value != "callback")
                throw bad_arguments("--token must be awaitable or callback");
            cfg.callback = value == "callback";
        }
        else throw bad_arguments("unknown option " + std::string(name));
    }
    if (cfg.mode == "decode") {
        if (cfg.file.empty()) throw bad_arguments("decode mode needs --file PAGE.json");
        if (!cfg.url.empty()) throw bad_arguments("decode mode takes no URL: it reads --file");
    } else if (cfg.url.empty()) {
        throw bad_arguments("no URL given");
    }
    if (cfg.page_size > 1000) throw bad_arguments("--page-size must be at most 1000 (the API's limit)");
    if (ca) cfg.ca_file = *ca;
    else if (const char* env = std::getenv("HARNESS_CA"); env && *env) cfg.ca_file = env;
    return cfg;
}

std::string one_decimal(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

// The --count-allocs fields of a one-line mode; none when R was too small to have a window.
std::vector<extra_field> alloc_fields(const alloc_window& window) {
    const auto r = window.result();
    if (!r) {
        std::fputs("daftra_bench: --count-allocs: too few requests for a 20 %-80 % window\n", stderr);
        return {};
    }
    return {{"allocs_per_request", one_decimal(r->heap)},
            {"bytes_per_request", one_decimal(r->heap_bytes)},
            {"new_per_request", one_decimal(r->cxx)}};
}

const mode* find_mode(std::string_view name) {
    for (const auto& m : modes)
        if (m.name == name) return &m;
    return nullptr;
}

} // namespace

int main(int argc, char** argv) {
    // Scenarios have their own arguments and output line (see bench.hpp).
    for (int i = 1; i < argc; ++i)
        if (std::string_view(argv[i]).starts_with("--scenario")) {
            const std::string_view which = i + 1 < argc ? argv[i + 1] : "";
            if (which == "queue" || std::string_view(argv[i]) == "--scenario=queue") return daftra::bench::queue_main(argc, argv);
            return daftra::bench::token_herd_main(argc, argv);
        }
    config cfg;
    const mode* m = nullptr;
    try {
        cfg = parse(argc, argv);
        m = find_mode(cfg.mode);
        if (!m) throw bad_arguments("unknown mode '" + cfg.mode + "'");
        if (cfg.count_allocs && !m->counts_allocs) throw bad_arguments("--count-allocs is for raw, typed and naive");
        if (cfg.recycle && m->name != "raw") throw bad_arguments("--recycle is for raw (the typed calls recycle anyway)");
        if (cfg.callback && m->name != "raw" && m->name != "typed") throw bad_arguments("--token is for raw and typed");
        if (cfg.count_allocs && !allocs::available())
            throw bad_arguments("--count-allocs is not available in a sanitizer build");
        if (m->needs_url) target_of(cfg.url);  // refuses what is not an absolute URL before anything starts
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: %s\n%s", e.what(), usage_text);
        return 2;
    }

    if (m->run_own) {
        try {
            return m->run_own(cfg);
        } catch (const std::invalid_argument& e) {  // no such file or resource
            std::fprintf(stderr, "daftra_bench: %s\n", e.what());
            return 2;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "daftra_bench: failed: %s\n", e.what());
            return 1;
        }
    }

    alloc_window window(cfg.requests);
    if (cfg.count_allocs) {
        cfg.allocs = &window;
        allocs::start_counting();
    }
    std::vector<report_line> lines;
    try {
        if (m->run_lines) {
            lines = m->run_lines(cfg);
        } else {
            report_line line;
            line.client = m->client;
            if (cfg.recycle) line.client += "-recycle";
            if (cfg.callback) line.client += "-callback";
            line.figures = m->run(cfg);
            if (cfg.count_allocs) line.extra = alloc_fields(window);
            lines.push_back(std::move(line));
        }
    } catch (const std::invalid_argument& e) {  // the pool refuses the origin or cannot load the CA file
        std::fprintf(stderr, "daftra_bench: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: failed: %s\n", e.what());
        return 1;
    }
    int status = 0;
    for (const auto& line : lines) {
        print_json_line(stdout, line.client, line.figures, line.extra);
        const summary& s = line.figures;
        if (s.errors > 0) {
            std::fprintf(stderr, "daftra_bench: %s: %zu errors; first: %s\n", line.client.c_str(), s.errors,
                         s.first_error.c_str());
            status = 1;
        }
    }
    return status;
}
