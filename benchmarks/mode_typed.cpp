// Mode "typed": the whole SDK. C coroutines share one daftra::client (token source, retries, pool of at
// most N connections) and each calls resource.list() — request built from the table, answer parsed
// and decoded into models — until R calls have been taken. The URL names the list of a resource of the
// table, e.g. https://localhost:18443/api2/invoices.json; its origin becomes the client's base URL.
// With --token callback each worker is a chain of callbacks instead of a coroutine.

#include "bench.hpp"
#include "bench_client.hpp"
#include "list_resource.hpp"

#include "daftra/client.hpp"

#include <boost/asio/co_spawn.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace daftra::bench {

namespace {

namespace asio = boost::asio;

struct counters {
    std::atomic<std::size_t> taken{0};
    std::atomic<std::size_t> records{0};  // decoded models, to show the work was done
};

template <class Model>
asio::awaitable<void> worker(resource<Model> res, counters& shared, std::size_t total, recorder& rec) {
    const query q;  // named: no temporaries inside co_await (g++ 12)
    while (shared.taken.fetch_add(1, std::memory_order_relaxed) < total) {
        const auto start = clock::now();
        auto page = co_await res.list(q);
        const auto end = clock::now();
        if (!page) {
            rec.failure(start, end, page.error().describe());
            continue;
        }
        shared.records.fetch_add(page->items.size(), std::memory_order_relaxed);
        rec.success(start, end);
    }
}

// The same loop with a callback token (--token callback).
template <class Model>
struct callback_worker {
    const resource<Model>& res;
    counters& shared;
    std::size_t total;
    recorder& rec;
    const query q{};

    void next() {
        if (shared.taken.fetch_add(1, std::memory_order_relaxed) >= total) return;
        res.list(q, [this, start = clock::now()](result<page<Model>> page) {
            const auto end = clock::now();
            if (!page) {
                rec.failure(start, end, page.error().describe());
            } else {
                shared.records.fetch_add(page->items.size(), std::memory_order_relaxed);
                rec.success(start, end);
            }
            next();
        });
    }
};

template <class Model>
summary run_resource(const config& cfg, const std::string& origin, const resources::resource_spec<Model>& spec) {
    asio::io_context io(static_cast<int>(cfg.threads));

    const client_options options = bench_client_options(cfg, origin);
    // An api key keeps the token endpoint out of the figures (the harness does not check it; --api-key
    // gives the one a daftra-sandbox accepts, its default).
    daftra::client api(io.get_executor(), auth::api_key{auth::secret(cfg.api_key)}, options);
    const resource<Model> res = api.resource_for(spec);

    std::vector<recorder> workers = recorders_for(cfg);
    counters shared;
    std::vector<std::unique_ptr<callback_worker<Model>>> loops;
    for (auto& rec : workers) {
        if (cfg.callback) {
            loops.push_back(std::make_unique<callback_worker<Model>>(res, shared, cfg.requests, rec));
            loops.back()->next();
            continue;
        }
        asio::co_spawn(io, worker(res, shared, cfg.requests, rec), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    }
    run_io(io, cfg.threads);

    if (cfg.verbose) {
        const auto st = api.pool_stats();
        std::fprintf(stderr, "daftra_bench: %s: %zu records decoded; pool opened %zu connections, %zu exchanges\n",
                     std::string(spec.id).c_str(), shared.records.load(), st.connections_opened, st.requests);
    }
    api.shutdown();
    io.restart();
    io.run();
    return summary::of(workers);
}

} // namespace

summary run_typed(const config& cfg) {
    const split_url url = split(cfg.url);
    std::optional<summary> out;
    // The resource whose list target is the URL's path: one generic run per model type.
    with_listed_resource(url.path, [&](const auto& spec) { out = run_resource(cfg, url.origin, spec); });
    if (!out)
        throw std::invalid_argument("typed mode: '" + url.path +
                                    "' is not the list path of a resource (e.g. /api2/invoices.json)");
    return *out;
}

} // namespace daftra::bench
