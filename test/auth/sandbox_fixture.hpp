#pragma once
// An in-process daftra-sandbox over TLS, a pool to it, and a token source with the real token endpoint
// and a manual clock (so tokens "expire" without waiting; the server's own clock does not move).

#include "fakes.hpp"

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/sandbox/server.hpp"
#include "daftra/transport/pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

namespace daftra::auth::test {

inline daftra::sandbox::options sandbox_options() {
    daftra::sandbox::options o;
    o.threads = 2;
    return o;
}

/// Outcomes of many calls, from any thread.
struct tally {
    std::atomic<int> ok{0}, auth_errors{0}, unauthorized{0}, cancelled{0}, other{0};
    std::mutex mutex;
    std::string first_other;  // describe() of the first unexpected error, for the test log

    void count(const result<transport::response>& r) {
        if (r && r->status == 200) ++ok;
        else if (!r && r.error().kind == error_kind::auth) ++auth_errors;
        else if (!r && r.error().kind == error_kind::unauthorized) ++unauthorized;
        else if (!r && r.error().kind == error_kind::cancelled) ++cancelled;
        else {
            ++other;
            std::lock_guard lock(mutex);
            if (first_other.empty()) first_other = r ? "HTTP " + std::to_string(r->status) + " " + r->body : r.error().describe();
        }
    }
};

struct sandbox_fixture {
    daftra::sandbox::server srv;
    std::filesystem::path ca_path;
    asio::io_context io;
    manual_clock clock;
    std::unique_ptr<transport::pool> pool;
    std::unique_ptr<token_source> source;

    explicit sandbox_fixture(daftra::sandbox::options o = sandbox_options()) : srv(std::move(o)) {
        srv.start();
        std::random_device rd;
        ca_path = std::filesystem::temp_directory_path() / ("daftra-auth-ca-" + std::to_string(rd()) + ".pem");
        std::ofstream(ca_path) << srv.ca_pem();
        transport::pool_options po;
        po.tls.ca_file = ca_path.string();
        // 10,000 calls queue for 8 connections: under valgrind or TSan on a loaded machine that can take
        // longer than the 30 s default; these tests are about tokens, not pool timeouts.
        po.acquire_timeout = std::chrono::minutes(5);
        po.request_timeout = std::chrono::minutes(5);
        pool = std::make_unique<transport::pool>(io.get_executor(), srv.url(), po);
        source = std::make_unique<token_source>(io.get_executor(), *pool, sandbox_credentials(), options());
    }
    ~sandbox_fixture() {
        source.reset();
        pool.reset();
        io.run();  // let cancelled work finish before the io_context goes
        std::error_code ec;
        std::filesystem::remove(ca_path, ec);
    }

    static credentials sandbox_credentials(std::string password = daftra::sandbox::credentials{}.password) {
        daftra::sandbox::credentials c;
        return password_grant{c.client_id, secret(c.client_secret), c.username, secret(std::move(password))};
    }

    /// The manual clock; backoff pauses short enough not to slow tests down.
    auth_options options() {
        auth_options o;
        o.clock.wall_now = clock.function();
        o.backoff.initial = std::chrono::milliseconds(5);
        o.backoff.max = std::chrono::milliseconds(20);
        return o;
    }

    void replace_source(credentials c, auth_options o) {
        source.reset();
        source = std::make_unique<token_source>(io.get_executor(), *pool, std::move(c), std::move(o));
    }

    std::int64_t stat(const char* name) const { return srv.stats().at(name).as_int64(); }

    asio::awaitable<result<transport::response>> call() {
        transport::request r;
        r.target = "/api2/site_info.json";
        r.headers.push_back({"Accept", "application/json"});
        co_return co_await authenticated_send(*pool, *source, r);
    }

    /// Spawns n calls at once (not run yet).
    void spawn(int n, tally& t) {
        for (int i = 0; i < n; ++i)
            asio::co_spawn(io, [this, &t]() -> asio::awaitable<void> { t.count(co_await call()); }, asio::detached);
    }

    /// Runs everything spawned to completion, on `threads` threads.
    void run(unsigned threads = 1) {
        std::vector<std::thread> extra;
        for (unsigned i = 1; i < threads; ++i) extra.emplace_back([this] { io.run(); });
        io.run();
        for (auto& t : extra) t.join();
        io.restart();
    }

    /// One call, run to completion.
    result<transport::response> one() {
        tally t;
        result<transport::response> out = error{};
        asio::co_spawn(io, [&]() -> asio::awaitable<void> { out = co_await call(); }, asio::detached);
        run();
        return out;
    }

    /// Kills every token on the server (access and refresh), as an admin would.
    void revoke_all_tokens() {
        transport::request r;
        r.method = transport::verb::post;
        r.target = "/__sandbox/revoke-tokens";
        result<transport::response> out = error{};
        asio::co_spawn(io, [&]() -> asio::awaitable<void> { out = co_await pool->send(r); }, asio::detached);
        run();
        BOOST_REQUIRE(out && out->status == 200);
    }
};

} // namespace daftra::auth::test
