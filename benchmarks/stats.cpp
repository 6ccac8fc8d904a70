// Recording latencies, the harness's figures (nearest-rank percentiles) and the one JSON line.

#include "bench.hpp"

#include "alloc_counter.hpp"

#include <algorithm>
#include <cmath>

namespace daftra::bench {

void recorder::span(clock::time_point start, clock::time_point end) {
    ++done_;
    first_start_ = std::min(first_start_, start);
    last_end_ = std::max(last_end_, end);
    if (window_) window_->request_done();
}

std::vector<recorder> recorders_for(const config& cfg) {
    std::vector<recorder> workers(cfg.concurrency);
    for (auto& rec : workers) {
        rec.reserve(cfg.requests / cfg.concurrency + 1);
        rec.report_to(cfg.allocs);
    }
    return workers;
}

void recorder::success(clock::time_point start, clock::time_point end) {
    span(start, end);
    latencies_ns_.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
}

void recorder::failure(clock::time_point start, clock::time_point end, std::string_view what) {
    span(start, end);
    if (errors_++ == 0) first_error_ = what;
}

namespace {

// Nearest rank: the smallest value with at least p % of the values at or below it.
double percentile_us(const std::vector<std::int64_t>& sorted_ns, double p) {
    if (sorted_ns.empty()) return 0;
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted_ns.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted_ns.size());
    return static_cast<double>(sorted_ns[rank - 1]) / 1000.0;
}

} // namespace

summary summary::of(const std::vector<recorder>& workers) {
    summary s;
    std::vector<std::int64_t> all;
    auto first = clock::time_point::max();
    auto last = clock::time_point::min();
    for (const auto& w : workers) {
        s.requests += w.done_;
        s.errors += w.errors_;
        if (s.first_error.empty()) s.first_error = w.first_error_;
        all.insert(all.end(), w.latencies_ns_.begin(), w.latencies_ns_.end());
        first = std::min(first, w.first_start_);
        last = std::max(last, w.last_end_);
    }
    if (s.requests > 0) {
        s.seconds = std::chrono::duration<double>(last - first).count();
        if (s.seconds > 0) s.rps = static_cast<double>(s.requests) / s.seconds;
    }
    std::sort(all.begin(), all.end());
    s.p50_us = percentile_us(all, 50);
    s.p99_us = percentile_us(all, 99);
    return s;
}

void print_json_line(std::FILE* out, std::string_view client, const summary& s, std::span<const extra_field> extra) {
    // The client and field names are ours (no characters that need escaping in JSON).
    std::fprintf(out, "{\"client\":\"%.*s\",\"requests\":%zu,\"seconds\":%.3f,\"rps\":%.0f,\"p50_us\":%.0f,\"p99_us\":%.0f,\"errors\":%zu",
                 static_cast<int>(client.size()), client.data(), s.requests, s.seconds, s.rps, s.p50_us, s.p99_us,
                 s.errors);
    for (const auto& f : extra) std::fprintf(out, ",\"%s\":%s", f.name.c_str(), f.json.c_str());
    std::fputs("}\n", out);
    std::fflush(out);
}

} // namespace daftra::bench
