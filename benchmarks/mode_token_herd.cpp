// Scenario "token-herd": N callers hit an expired OAuth token at the same moment. They share one
// token_source and one pool; the refresher must make exactly one token request for all of them.
//
//   daftra_bench --scenario token-herd --callers N --url BASE [--ca FILE] [--connections C] [--threads T]
//
// Credentials come from DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, DAFTRA_USERNAME and DAFTRA_PASSWORD
// (default: the sandbox's defaults). The token is expired on the client's side by moving the
// refresher's clock past the token's lifetime, so the run does not wait for a real expiry whatever
// --token-ttl the sandbox has; the server's token counter (GET /__sandbox/stats) gives K.
// stdout: {"scenario":"token-herd","callers":N,"token_requests":K,"errors":E,"p50_us":…,"p99_us":…}
// stderr: the single-call figures of the same run to compare the herd with, and how long the callers
// waited for the token alone (see docs/benchmarks.md).

#include "bench.hpp"

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/transport/pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace daftra::bench {

namespace {

namespace asio = boost::asio;
using std::chrono::duration_cast;
using std::chrono::microseconds;

struct herd_config {
    std::string url;
    std::string ca_file;
    std::size_t callers = 10'000;
    std::size_t connections = 8;
    std::size_t threads = 1;
};

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::size_t positive(std::string_view what, std::string_view text) {
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v == 0)
        throw std::invalid_argument(std::string(what) + " must be a positive integer");
    return v;
}

herd_config parse(int argc, char** argv) {
    herd_config cfg;
    if (const char* env = std::getenv("HARNESS_CA"); env && *env) cfg.ca_file = env;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i], name = arg, value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            throw std::invalid_argument("missing value for " + std::string(arg));
        }
        if (name == "--scenario") {
            if (value != "token-herd") throw std::invalid_argument("unknown scenario '" + std::string(value) + "'");
        } else if (name == "--callers") cfg.callers = positive(name, value);
        else if (name == "--url") cfg.url = value;
        else if (name == "--ca") cfg.ca_file = value;
        else if (name == "--connections") cfg.connections = positive(name, value);
        else if (name == "--threads") cfg.threads = positive(name, value);
        else throw std::invalid_argument("unknown option " + std::string(name));
    }
    if (cfg.url.empty()) throw std::invalid_argument("no --url given");
    return cfg;
}

// Runs one coroutine to completion on `io` (which must have no other work) and returns its result.
template <class T>
T run_one(asio::io_context& io, asio::awaitable<T> task) {
    std::optional<T> out;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(task)); }, asio::detached);
    io.run();
    io.restart();
    return std::move(*out);
}

std::int64_t token_requests(asio::io_context& io, transport::pool& pool) {
    transport::request r;
    r.target = "/__sandbox/stats";
    auto resp = run_one(io, pool.send(r));
    if (!resp || resp->status != 200)
        throw std::runtime_error("cannot read /__sandbox/stats: is --url a daftra-sandbox?");
    return boost::json::parse(resp->body).at("token_requests").as_int64();
}

transport::request api_request() {
    transport::request r;
    r.target = "/api2/site_info.json";
    r.headers.push_back({"Accept", "application/json"});
    return r;
}

} // namespace

int token_herd_main(int argc, char** argv) {
    herd_config cfg;
    try {
        cfg = parse(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: %s\nusage: daftra_bench --scenario token-herd --callers N --url BASE "
                             "[--ca FILE] [--connections C] [--threads T]\n", e.what());
        return 2;
    }
    asio::io_context io(static_cast<int>(cfg.threads));
    transport::pool_options po;
    po.max_connections = cfg.connections;
    po.tls.ca_file = cfg.ca_file;
    std::optional<transport::pool> pool;
    try {
        pool.emplace(io.get_executor(), cfg.url, po);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "daftra_bench: %s\n", e.what());
        return 2;
    }

    auth::credentials creds = auth::password_grant{env_or("DAFTRA_CLIENT_ID", "1"),
                                                   auth::secret(env_or("DAFTRA_CLIENT_SECRET", "sandbox-secret")),
                                                   env_or("DAFTRA_USERNAME", "user@example.com"),
                                                   auth::secret(env_or("DAFTRA_PASSWORD", "sandbox-password"))};
    // The refresher's clock: wall time plus an offset that the run moves to expire the token.
    std::atomic<std::int64_t> offset_s{0};
    auth::auth_options ao;
    ao.clock.wall_now = [&offset_s] { return auth::wall_clock::now() + std::chrono::seconds(offset_s.load()); };
    auth::token_source source(io.get_executor(), *pool, creds, ao);

    try {
        // Warm the pool (the herd measures auth, not TLS handshakes), then time one call that needs a
        // token (token round trip + request) and one that does not (request alone).
        const auto k0 = token_requests(io, *pool);
        auto t0 = clock::now();
        auto first = run_one(io, auth::authenticated_send(*pool, source, api_request()));
        const auto token_and_request = clock::now() - t0;
        t0 = clock::now();
        auto second = run_one(io, auth::authenticated_send(*pool, source, api_request()));
        const auto request_alone = clock::now() - t0;
        if (!first || !second) {
            std::fprintf(stderr, "daftra_bench: the first calls failed: %s\n",
                         (!first ? first.error() : second.error()).describe().c_str());
            return 1;
        }

        // Expire the token for the client (a day covers any lifetime), then release the herd at once.
        offset_s += 24 * 3600;
        const auto k1 = token_requests(io, *pool);
        std::vector<recorder> recs(cfg.callers);
        // The part of each call spent getting its token (the herd's own cost; the rest is queueing
        // N requests on C connections).
        std::vector<recorder> waits(cfg.callers);
        for (std::size_t i = 0; i < cfg.callers; ++i) {
            asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
                auto& rec = recs[i];
                const auto start = clock::now();
                auto token = co_await source.get();
                if (token) waits[i].success(start, clock::now());
                else waits[i].failure(start, clock::now(), token.error().describe());
                auto r = co_await auth::authenticated_send(*pool, source, api_request());
                const auto end = clock::now();
                if (!r) rec.failure(start, end, r.error().describe());
                else if (r->status < 200 || r->status > 299) rec.failure(start, end, "HTTP " + std::to_string(r->status));
                else rec.success(start, end);
            }, asio::detached);
        }
        run_io(io, cfg.threads);
        io.restart();
        const auto k2 = token_requests(io, *pool);
        const auto s = summary::of(recs);
        const auto w = summary::of(waits);

        std::printf("{\"scenario\":\"token-herd\",\"callers\":%zu,\"token_requests\":%lld,\"errors\":%zu,"
                    "\"p50_us\":%.0f,\"p99_us\":%.0f}\n",
                    cfg.callers, static_cast<long long>(k2 - k1), s.errors, s.p50_us, s.p99_us);
        std::fflush(stdout);
        std::fprintf(stderr,
                     "daftra_bench: token-herd: one call with a token request %lld us, one call alone %lld us, "
                     "herd of %zu done in %.1f ms; waiting for the token p50 %.0f us p99 %.0f us "
                     "(token requests before the herd: %lld)\n",
                     static_cast<long long>(duration_cast<microseconds>(token_and_request).count()),
                     static_cast<long long>(duration_cast<microseconds>(request_alone).count()), cfg.callers,
                     s.seconds * 1000, w.p50_us, w.p99_us, static_cast<long long>(k1 - k0));
        if (s.errors > 0) std::fprintf(stderr, "daftra_bench: first error: %s\n", s.first_error.c_str());

        source.shutdown();
        pool->shutdown();
        io.restart();
        io.run();
        return s.errors > 0 || k2 - k1 != 1 ? 1 : 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: failed: %s\n", e.what());
        return 1;
    }
}

} // namespace daftra::bench
