// Mode "paginate": every page of a large list through the whole client, two ways.
//
//   sequential: resource::all() with parallel_pages = 1 walks the pages one after the other;
//               a page's time runs from the first record of the page before (or the start) to its
//               own first record.
//   parallel:   page 1 tells page_count, then C coroutines take the other page numbers and fetch
//               them with list(), at most N connections (the pool's limit).
//
// The URL names a resource's list on a daftra-sandbox (…/api2/invoices.json). Before the timing the
// list is filled up to --records M and walked once untimed (warm connections and server cache). Both walks sort by id and must see every record exactly once (as
// many distinct ids as the list announces, the same ids both times); a failed check counts as an error.
// Output: one line per walk, requests = pages fetched, plus "records" and "page_size".

#include "bench.hpp"
#include "bench_client.hpp"
#include "list_resource.hpp"
#include "paginate_fill.hpp"
#include "phase.hpp"

#include "daftra/client.hpp"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

namespace daftra::bench {

namespace {

namespace asio = boost::asio;

// What one walk saw.
struct walk {
    std::vector<recorder> recorders;
    std::vector<std::int64_t> ids;  // in the order seen
    std::int64_t page_count = 0;    // as the answers announced
    std::int64_t total_results = 0;
};

template <class Model>
asio::awaitable<walk> walk_in_order(resource<Model> res, query q) {
    walk out;
    out.recorders.resize(1);
    recorder& rec = out.recorders.front();
    resources::all_options one_at_a_time;
    one_at_a_time.parallel_pages = 1;
    auto pager = res.all(std::move(q), one_at_a_time);
    auto page_start = clock::now();
    std::int64_t page = 0;
    while (auto next = co_await pager.next()) {
        if (!*next) {  // an error ends the range
            rec.failure(page_start, clock::now(), next->error().describe());
            break;
        }
        if (pager.current_page() != page) {  // the first record of a page: its fetch is over
            const auto now = clock::now();
            rec.success(page_start, now);
            page_start = now;
            page = pager.current_page();
        }
        out.ids.push_back((**next).id.value_or(0));
    }
    out.page_count = pager.page_count();
    out.total_results = pager.total_results();
    co_return out;
}

struct page_numbers {
    std::atomic<std::int64_t> next{2};
    std::int64_t last = 0;
    std::vector<std::vector<std::int64_t>> ids;  // ids[n]: page n's ids, written only by the worker that fetched n
};

template <class Model>
asio::awaitable<void> page_worker(resource<Model> res, query q, page_numbers& pages, recorder& rec) {
    for (std::int64_t n = pages.next++; n <= pages.last; n = pages.next++) {
        q.page = n;
        const auto start = clock::now();
        auto answer = co_await res.list(q);
        const auto end = clock::now();
        if (!answer) {
            rec.failure(start, end, answer.error().describe());
            continue;
        }
        auto& slot = pages.ids[static_cast<std::size_t>(n)];
        for (const auto& record : answer->items) slot.push_back(record.id.value_or(0));
        rec.success(start, end);
    }
}

template <class Model>
walk walk_in_parallel(asio::io_context& io, const config& cfg, const resource<Model>& res, const query& q) {
    walk out;
    out.recorders.resize(cfg.concurrency + 1);  // the last one times page 1
    recorder& first_rec = out.recorders.back();
    query first_page = q;
    first_page.page = 1;
    const auto start = clock::now();
    auto first = run_phase(io, cfg.threads, res.list(first_page));
    if (!first) {
        first_rec.failure(start, clock::now(), first.error().describe());
        return out;
    }
    first_rec.success(start, clock::now());
    out.page_count = first->page_count;
    out.total_results = first->total_results;

    page_numbers pages;
    pages.last = first->page_count;
    pages.ids.resize(static_cast<std::size_t>(std::max<std::int64_t>(pages.last, 1)) + 1);
    for (const auto& record : first->items) pages.ids[1].push_back(record.id.value_or(0));
    for (std::size_t w = 0; w < cfg.concurrency; ++w)
        asio::co_spawn(io, page_worker(res, q, pages, out.recorders[w]), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    run_io(io, cfg.threads);
    io.restart();
    for (const auto& page : pages.ids) out.ids.insert(out.ids.end(), page.begin(), page.end());
    return out;
}

// Why the ids of a walk are not every record exactly once, or empty when they are.
std::string id_problem(std::vector<std::int64_t> ids, std::int64_t announced, std::size_t wanted) {
    if (static_cast<std::int64_t>(ids.size()) != announced)
        return "saw " + std::to_string(ids.size()) + " records, the list announced " + std::to_string(announced);
    if (ids.size() < wanted)
        return "the list holds " + std::to_string(ids.size()) + " records, fewer than --records " + std::to_string(wanted);
    std::sort(ids.begin(), ids.end());
    if (!ids.empty() && ids.front() <= 0) return "a record without an id";
    if (const auto twice = std::adjacent_find(ids.begin(), ids.end()); twice != ids.end())
        return "record " + std::to_string(*twice) + " seen twice";
    return {};
}

void fail(summary& s, const std::string& what) {
    if (s.first_error.empty()) s.first_error = what;
    ++s.errors;
}

report_line line_of(std::string client, const walk& w, const config& cfg, const std::string& problem) {
    report_line line;
    line.client = std::move(client);
    line.figures = summary::of(w.recorders);
    if (!problem.empty()) fail(line.figures, problem);
    line.extra = {{"records", std::to_string(w.ids.size())}, {"page_size", std::to_string(cfg.page_size)}};
    return line;
}

template <class Model>
std::vector<report_line> run_pages(const config& cfg, const std::string& origin, const resources::resource_spec<Model>& spec) {
    asio::io_context io(static_cast<int>(cfg.threads));
    const client_options options = bench_client_options(cfg, origin);
    daftra::client api(io.get_executor(), auth::api_key{auth::secret(cfg.api_key)}, options);
    const resource<Model> res = api.resource_for(spec);

    std::vector<report_line> lines;
    try {
        const auto created = fill_list(io, cfg.threads, api, res, cfg.records, cfg.connections);
        if (cfg.verbose) std::fprintf(stderr, "daftra_bench: paginate: created %zu %s\n", created, std::string(spec.id).c_str());

        query q;
        q.limit = static_cast<std::int64_t>(cfg.page_size);
        q.sort = "id";  // a fixed order, so that pages neither overlap nor skip records
        q.direction = sort_direction::asc;
        // Untimed warm-up walk: opens the N connections and fills the sandbox's cache of GET answers
        // (kept until the next write), so neither timed walk pays for what the other one did first.
        walk_in_parallel(io, cfg, res, q);
        const walk in_order = run_phase(io, cfg.threads, walk_in_order(res, q));
        const walk in_parallel = walk_in_parallel(io, cfg, res, q);

        std::string order_problem = id_problem(in_order.ids, in_order.total_results, cfg.records);
        const auto pages_seen = summary::of(in_order.recorders).requests;
        if (order_problem.empty() && static_cast<std::int64_t>(pages_seen) != in_order.page_count)
            order_problem = "walked " + std::to_string(pages_seen) + " pages, the list announced " +
                            std::to_string(in_order.page_count);
        std::string parallel_problem = id_problem(in_parallel.ids, in_parallel.total_results, cfg.records);
        if (parallel_problem.empty() && order_problem.empty()) {
            auto a = in_order.ids, b = in_parallel.ids;
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            if (a != b) parallel_problem = "the parallel walk saw other records than the sequential one";
        }
        lines.push_back(line_of("daftra-cpp-pages-sequential", in_order, cfg, order_problem));
        lines.push_back(line_of("daftra-cpp-pages-parallel", in_parallel, cfg, parallel_problem));
        if (cfg.verbose) {
            const auto st = api.pool_stats();
            std::fprintf(stderr, "daftra_bench: paginate: %lld records in %lld pages; pool opened %zu connections\n",
                         static_cast<long long>(in_order.total_results), static_cast<long long>(in_order.page_count),
                         st.connections_opened);
        }
    } catch (...) {
        api.shutdown();  // the client's close handlers need the io_context: let them run, then report
        io.restart();
        io.run();
        throw;
    }
    api.shutdown();
    io.restart();
    io.run();
    return lines;
}

} // namespace

std::vector<report_line> run_paginate(const config& cfg) {
    const split_url url = split(cfg.url);
    std::vector<report_line> lines;
    const bool listed = with_listed_resource(url.path, [&](const auto& spec) {
        using model = typename std::decay_t<decltype(spec)>::model;
        // Only the resources it can fill are compiled in: one instantiation per model costs build time.
        if constexpr (fillable<model>) lines = run_pages(cfg, url.origin, spec);
        else throw std::invalid_argument("paginate mode: cannot create " + std::string(spec.id) +
                                         " records; use invoices, clients or products");
    });
    if (!listed)
        throw std::invalid_argument("paginate mode: '" + url.path +
                                    "' is not the list path of a resource (e.g. /api2/invoices.json)");
    return lines;
}

} // namespace daftra::bench
