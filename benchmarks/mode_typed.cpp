// Mode "typed": the whole SDK. C coroutines share one daftra::client (token source, retries, pool of at
// most N connections) and each calls resource.list() — request built from the table, answer parsed
// and decoded into models — until R calls have been taken. The URL names the list of a resource of the
// table, e.g. https://localhost:18443/api2/invoices.json; its origin becomes the client's base URL.

#include "bench.hpp"

#include "daftra/client.hpp"
#include "daftra/resources/envelope.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
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

struct parsed_url {
    std::string origin;  // scheme://host[:port]
    std::string path;    // "/api2/invoices.json"
};

parsed_url split(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) throw std::invalid_argument("not an absolute URL: '" + url + "'");
    parsed_url out;
    out.origin = std::string(u->scheme()) + "://" + std::string(u->encoded_authority());
    out.path = std::string(u->encoded_path());
    return out;
}

template <class Model>
summary run_resource(const config& cfg, const std::string& origin, const resources::resource_spec<Model>& spec) {
    asio::io_context io(static_cast<int>(cfg.threads));

    client_options options;
    options.base_url = origin;
    options.pool.max_connections = cfg.connections;
    options.pool.tls.ca_file = cfg.ca_file;
    options.retry.max_attempts = 1;  // a benchmark counts failures; it does not hide them
    // The harness does not check credentials; an api key keeps the token endpoint out of the figures.
    daftra::client api(io.get_executor(), auth::api_key{auth::secret("benchmark")}, options);
    const resource<Model> res = api.resource_for(spec);

    std::vector<recorder> workers(cfg.concurrency);
    counters shared;
    for (auto& rec : workers) {
        rec.reserve(cfg.requests / cfg.concurrency + 1);
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
    const parsed_url url = split(cfg.url);
    std::optional<summary> out;
    // The resource whose list target is the URL's path: one generic run per model type.
    resources::for_each_resource([&](const auto& spec) {
        if (out || !spec.supports(resources::op_list)) return;
        const std::string target = spec.list_path.empty() ? resources::collection_target(spec) : std::string(spec.list_path);
        if (target == url.path) out = run_resource(cfg, url.origin, spec);
    });
    if (!out)
        throw std::invalid_argument("typed mode: '" + url.path +
                                    "' is not the list path of a resource (e.g. /api2/invoices.json)");
    return *out;
}

} // namespace daftra::bench
