// Mode "raw": the connection pool alone. C coroutines share one transport::pool of at most N
// connections and each sends GET <url> in a loop until R requests have been taken. With --token
// callback each worker is a chain of callbacks instead of a coroutine.

#include "bench.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/asio/co_spawn.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace daftra::bench {

namespace {

namespace asio = boost::asio;

// One finished request: a success is a 2xx answer; the body goes back to the transport with --recycle.
void record(recorder& rec, clock::time_point start, result<transport::response>& r, bool recycle) {
    const auto end = clock::now();
    if (!r)
        rec.failure(start, end, r.error().describe());
    else if (r->status < 200 || r->status > 299)
        rec.failure(start, end, "HTTP " + std::to_string(r->status));
    else
        rec.success(start, end);
    if (r && recycle) transport::recycle(std::move(*r));
}

boost::asio::awaitable<void> worker(transport::pool& pool, const transport::request& prototype,
                                    std::atomic<std::size_t>& taken, std::size_t total, bool recycle, recorder& rec) {
    while (taken.fetch_add(1, std::memory_order_relaxed) < total) {
        transport::request req = prototype;  // send() takes its request by value
        const auto start = clock::now();
        auto r = co_await pool.send(std::move(req));
        record(rec, start, r, recycle);
    }
}

// The same loop with a callback token (--token callback): each answer's handler records it and sends
// the next request. Lives as long as run_raw's vector of them.
struct callback_worker {
    transport::pool& pool;
    const transport::request& prototype;
    std::atomic<std::size_t>& taken;
    std::size_t total;
    bool recycle;
    recorder& rec;

    void next() {
        if (taken.fetch_add(1, std::memory_order_relaxed) >= total) return;
        pool.send(transport::request(prototype), [this, start = clock::now()](result<transport::response> r) {
            record(rec, start, r, recycle);
            next();
        });
    }
};

} // namespace

summary run_raw(const config& cfg) {
    asio::io_context io(static_cast<int>(cfg.threads));

    transport::pool_options options;
    options.max_connections = cfg.connections;
    options.tls.ca_file = cfg.ca_file;
    options.accept_compression = cfg.compression;
    transport::pool pool(io.get_executor(), cfg.url, options);

    transport::request prototype;
    prototype.method = transport::verb::get;
    prototype.target = target_of(cfg.url);

    std::vector<recorder> workers = recorders_for(cfg);
    std::atomic<std::size_t> taken{0};
    std::vector<callback_worker> loops;
    loops.reserve(workers.size());
    for (auto& rec : workers) {
        if (cfg.callback) {
            loops.push_back(callback_worker{pool, prototype, taken, cfg.requests, cfg.recycle, rec});
            loops.back().next();
            continue;
        }
        asio::co_spawn(io, worker(pool, prototype, taken, cfg.requests, cfg.recycle, rec), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    }
    run_io(io, cfg.threads);

    if (cfg.verbose) {
        const auto st = pool.stats();
        std::fprintf(stderr, "daftra_bench: pool opened %zu connections, %zu exchanges, %zu open at the end\n",
                     st.connections_opened, st.requests, st.open);
    }
    // Close the idle connections while the io_context can still run their close handlers.
    pool.shutdown();
    io.restart();
    io.run();
    return summary::of(workers);
}

} // namespace daftra::bench
