// daftra_bench: drives the SDK at concurrency C over at most N connections for R requests and prints
// one JSON line, the contract of the peers in the benchmark harness (see docs/benchmarks.md):
//   {"client":"daftra-cpp","requests":R,"seconds":S,"rps":X,"p50_us":P50,"p99_us":P99,"errors":E}
// Exit status: 0, or 1 when errors > 0, 2 on bad arguments.

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

struct mode {
    std::string_view name;
    std::string_view client;  // the "client" field of the JSON line
    summary (*run)(const config&);
};

constexpr mode modes[] = {
    {"raw", "daftra-cpp", run_raw},
    {"typed", "daftra-cpp-typed", run_typed},
};

const char* const usage_text =
    "usage: daftra_bench [--mode raw|typed] --url URL [--concurrency C] [--connections N] [--requests R]\n"
    "                    [--ca FILE] [--threads T] [--verbose]\n"
    "       daftra_bench URL C N R          (the harness form; the CA file comes from $HARNESS_CA)\n"
    "  --mode         raw (default): the connection pool alone, GET URL\n"
    "                 typed: the whole client; URL is a resource's list (…/api2/invoices.json), every\n"
    "                 answer decoded into models\n"
    "  --concurrency  requests in flight (default 64)\n"
    "  --connections  at most this many connections (default 8)\n"
    "  --requests     requests in all (default 50000)\n"
    "  --ca           PEM file of the CAs to trust (default $HARNESS_CA if set, else the system CAs)\n"
    "  --threads      threads running the io_context (default 1)\n"
    "  --verbose      pool statistics on stderr\n";

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
            case 3: cfg.requests = positive("R", arg); break;
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
        else if (name == "--requests") cfg.requests = positive(name, value);
        else if (name == "--threads") cfg.threads = positive(name, value);
        else if (name == "--ca") ca = value;
        else if (name == "--mode") cfg.mode = value;
        else throw bad_arguments("unknown option " + std::string(name));
    }
    if (cfg.url.empty()) throw bad_arguments("no URL given");
    if (ca) cfg.ca_file = *ca;
    else if (const char* env = std::getenv("HARNESS_CA"); env && *env) cfg.ca_file = env;
    return cfg;
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
        if (std::string_view(argv[i]).starts_with("--scenario")) return daftra::bench::token_herd_main(argc, argv);
    config cfg;
    const mode* m = nullptr;
    try {
        cfg = parse(argc, argv);
        m = find_mode(cfg.mode);
        if (!m) throw bad_arguments("unknown mode '" + cfg.mode + "'");
        target_of(cfg.url);  // refuses what is not an absolute URL before anything starts
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: %s\n%s", e.what(), usage_text);
        return 2;
    }

    summary s;
    try {
        s = m->run(cfg);
    } catch (const std::invalid_argument& e) {  // the pool refuses the origin or cannot load the CA file
        std::fprintf(stderr, "daftra_bench: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: failed: %s\n", e.what());
        return 1;
    }
    print_json_line(stdout, m->client, s);
    if (s.errors > 0) {
        std::fprintf(stderr, "daftra_bench: %zu errors; first: %s\n", s.errors, s.first_error.c_str());
        return 1;
    }
    return 0;
}
