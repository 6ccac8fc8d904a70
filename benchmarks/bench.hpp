#pragma once
// daftra_bench: what the modes and main share. A mode drives the SDK in one way at concurrency C and
// returns what its workers recorded; main parses the arguments, runs the mode and prints the one line.

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::bench {

class alloc_window;

using clock = std::chrono::steady_clock;

/// The command line, validated.
struct config {
    std::string mode = "raw";
    std::string url;
    std::size_t concurrency = 64;    ///< requests in flight
    std::size_t connections = 8;     ///< at most this many connections
    std::size_t requests = 50'000;   ///< requests in all
    std::size_t threads = 1;         ///< threads running the io_context
    std::string ca_file;             ///< empty: the system CAs
    bool verbose = false;            ///< pool statistics on stderr
    bool count_allocs = false;       ///< --count-allocs: heap allocations per request (raw, typed, naive)
    bool recycle = false;            ///< --recycle: raw gives each body back (transport::recycle), as typed calls do
    bool callback = false;           ///< --token callback: raw and typed complete each call through a callback
    alloc_window* allocs = nullptr;  ///< where workers report finished requests when count_allocs is on (main owns it)
    // paginate mode
    std::size_t records = 2000;      ///< the list holds at least this many records before the timing starts
    std::size_t page_size = 100;     ///< records per page (the API allows at most 1000)
    std::string api_key = "sandbox-api-key";  ///< credentials of the typed modes' client
    bool compression = true;         ///< pool_options::accept_compression (--no-compression turns it off)
    bool requests_given = false;     ///< --requests (or R) was on the command line
    // decode mode
    std::string file;                ///< the page to decode
    std::string resource;            ///< the resource whose model it decodes into; empty: from the page, else invoices
    std::size_t rounds = 3;          ///< timed rounds of the three passes; figures are their medians
};

/// What one worker (one coroutine) saw. Each worker owns its recorder, so recording takes no lock
/// even when the io_context runs on several threads.
class recorder {
public:
    void reserve(std::size_t n) { latencies_ns_.reserve(n); }
    /// Every finished request is also reported to `w` (--count-allocs); null: nothing to report.
    void report_to(alloc_window* w) noexcept { window_ = w; }
    void success(clock::time_point start, clock::time_point end);
    void failure(clock::time_point start, clock::time_point end, std::string_view what);

private:
    void span(clock::time_point start, clock::time_point end);

    friend struct summary;
    std::vector<std::int64_t> latencies_ns_;  // successful requests only
    std::size_t done_ = 0;
    std::size_t errors_ = 0;
    std::string first_error_;
    clock::time_point first_start_ = clock::time_point::max();
    clock::time_point last_end_ = clock::time_point::min();
    alloc_window* window_ = nullptr;
};

/// One recorder per coroutine (C of them), each reserved for its share of R and reporting to cfg.allocs.
std::vector<recorder> recorders_for(const config& cfg);

/// The figures of one run, as the harness contract defines them.
struct summary {
    std::size_t requests = 0;  ///< completed, successful or not
    double seconds = 0;        ///< first request handed to the library → last one done
    double rps = 0;            ///< requests / seconds
    double p50_us = 0;         ///< nearest-rank percentiles over the successful requests
    double p99_us = 0;
    std::size_t errors = 0;    ///< transport failures plus non-2xx answers
    std::string first_error;   ///< the first error seen, for stderr

    /// Merges the recorders of every worker.
    static summary of(const std::vector<recorder>& workers);
};

/// A field appended to the JSON line after the standard ones; `json` is the value as JSON text.
struct extra_field {
    std::string name;
    std::string json;
};

/// One JSON line of output: the client field, the figures and any extra fields.
struct report_line {
    std::string client;
    summary figures;
    std::vector<extra_field> extra;
};

/// Prints `{"client":…,"requests":…,"seconds":…,"rps":…,"p50_us":…,"p99_us":…,"errors":…}` (then the
/// extra fields, if any) and a newline.
void print_json_line(std::FILE* out, std::string_view client, const summary& s, std::span<const extra_field> extra = {});

/// Runs `io` on `threads` threads (the calling one included) until it runs out of work. An exception
/// escaping a handler stops the run and is rethrown here.
void run_io(boost::asio::io_context& io, std::size_t threads);

/// The origin-form target of an absolute URL ("/" when it has no path), e.g. "/api2/invoices.json?page=2".
std::string target_of(std::string_view url);

/// An absolute URL cut in two: the origin that becomes a client's base URL, and the path.
struct split_url {
    std::string origin;  ///< scheme://host[:port]
    std::string path;    ///< "/api2/invoices.json"
};
/// Throws std::invalid_argument for what is not an absolute URL.
split_url split(const std::string& url);

// ---- modes: each runs the whole benchmark and returns its figures ----

/// raw: C coroutines share one transport::pool of at most N connections and send GET url until R are done.
summary run_raw(const config& cfg);

/// typed: C coroutines share one daftra::client and call list() on the resource whose list path is the
/// URL's path, decoding every page into models (mode_typed.cpp).
summary run_typed(const config& cfg);

/// naive: no pool. Every request opens its own connection (resolve, connect, TLS handshake with peer and
/// host-name verification), sends GET url, reads the answer and closes (mode_naive.cpp).
summary run_naive(const config& cfg);

/// paginate: every page of the URL's resource list through the client, once page after page and once
/// with up to C pages in flight; one line each (mode_paginate.cpp).
std::vector<report_line> run_paginate(const config& cfg);

/// decode: no network. Decodes the page in cfg.file with list_answer N times and reads it N times with
/// a null-handler basic_parser and with boost::json::parse, in rotated rounds; prints its own JSON line
/// and returns the exit status (mode_decode.cpp).
int run_decode(const config& cfg);

// ---- scenarios: own arguments and own output line ----

/// --scenario token-herd (mode_token_herd.cpp): parses argv itself, prints its line, returns the exit status.
int token_herd_main(int argc, char** argv);

/// --scenario queue (scenario_queue.cpp): K calls on N connections, heap per waiting call and FIFO order.
int queue_main(int argc, char** argv);

} // namespace daftra::bench
