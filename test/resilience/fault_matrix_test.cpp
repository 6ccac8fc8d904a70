// The fault matrix: every fault the sandbox injects, against each kind of call (get one record, list,
// create, update, delete), through daftra::client. One table says what must happen in each cell; one
// generic runner plays every cell against a sandbox of its own (faults are per server), cells in
// parallel, and then checks the store: the creates reported successful are stored exactly once, none
// is stored twice, and a create reported "not sent" is not stored at all.

#define BOOST_TEST_MODULE daftra fault matrix
#include <boost/test/unit_test.hpp>

#include "create_ledger.hpp"
#include "outcome.hpp"
#include "sandbox_site.hpp"
#include "support/async_test.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using std::chrono::milliseconds;

enum class call { get, list, create, update, remove };
constexpr std::array all_calls{call::get, call::list, call::create, call::update, call::remove};

const char* name_of(call c) {
    switch (c) {
    case call::get: return "GET one";
    case call::list: return "list";
    case call::create: return "POST create";
    case call::update: return "PUT update";
    case call::remove: return "DELETE";
    }
    return "?";
}

const char* http_method(call c) {
    switch (c) {
    case call::create: return "POST";
    case call::update: return "PUT";
    case call::remove: return "DELETE";
    default: return "GET";
    }
}

// The sanitizer builds are -O0 and several times slower: their stall timeouts are longer, so that the
// healthy answer after a stall is never mistaken for another stall.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int time_scale = 3;
#else
constexpr int time_scale = 1;
#endif

// The rows whose fault is a stall measure the phase timeout: a stalled attempt costs 1 s (3 s under
// sanitizers), and the sandbox stalls for good, so only the client's timeout ends such an attempt.
// Every other row has phase timeouts that no healthy answer comes near, even on a loaded machine under
// TSan, so that no cell there can time out by accident. The call deadline is above all of them and
// below the SDK's 60 s default phase timeouts: a cell that waited for a default timeout instead of the
// configured one ends at the deadline, which check_call tells apart by the error's message.
constexpr milliseconds header_timeout{1000 * time_scale};
constexpr milliseconds healthy_timeout{20'000};
constexpr milliseconds call_deadline{40'000};
// How long a cell waits for the sandbox to have counted its requests: a stalled attempt's request may
// be read by a busy sandbox thread only after the client has given up on it.
constexpr milliseconds settle_cap{20'000};

// What one cell must end with.
struct expected {
    bool ok = true;
    error_kind kind = error_kind::transport;
    unsigned status = 0;
    bool maybe_sent = false;
    unsigned attempts = 1;       ///< requests the sandbox saw for the call
    milliseconds at_least{0};    ///< waits the SDK must honour (Retry-After, timeouts)
    int stored = -1;             ///< creates only: copies of the new record in the store afterwards
    bool already_gone = false;   ///< deletes: succeeded because a retry found the record gone
};

expected ok(unsigned attempts, milliseconds at_least = 0ms) {
    expected e;
    e.attempts = attempts;
    e.at_least = at_least;
    return e;
}

expected fails(error_kind kind, unsigned status, bool maybe_sent, unsigned attempts, milliseconds at_least = 0ms) {
    expected e;
    e.ok = false;
    e.kind = kind;
    e.status = status;
    e.maybe_sent = maybe_sent;
    e.attempts = attempts;
    e.at_least = at_least;
    return e;
}

// A delete whose first attempt deleted the record and lost its answer: the retry's 404 is success.
expected gone(unsigned attempts) {
    expected e = ok(attempts);
    e.already_gone = true;
    return e;
}

expected storing(expected e, int copies) {
    e.stored = copies;
    return e;
}

struct fault_row {
    std::string name;
    sandbox::fault_config faults;   ///< the runner scopes it to /api2/clients and to the cell's method
    bool connection_level = false;  ///< close_after: in force before the seed, whose connection is then dropped
    std::array<expected, all_calls.size()> cells;  ///< in the order of all_calls
};

sandbox::fault_config latency(std::uint32_t ms) {
    sandbox::fault_config f;
    f.latency_ms = ms;
    return f;
}
sandbox::fault_config http_error(unsigned status, std::uint64_t times) {
    sandbox::fault_config f;
    f.error_rate = 1;
    f.error_status = status;
    f.times = times;
    return f;
}
sandbox::fault_config rate_limit(std::uint32_t seconds, bool http_date) {
    sandbox::fault_config f;
    f.rate_limit_rate = 1;
    f.retry_after_seconds = seconds;
    f.retry_after_http_date = http_date;
    f.times = 1;
    return f;
}
sandbox::fault_config close_after(std::uint32_t answers) {
    sandbox::fault_config f;
    f.close_after = answers;
    return f;
}
sandbox::fault_config stall(std::uint64_t times) {
    sandbox::fault_config f;
    f.stall_rate = 1;
    f.times = times;
    return f;
}
sandbox::fault_config reset_once() {
    sandbox::fault_config f;
    f.reset_rate = 1;
    f.times = 1;
    return f;
}
sandbox::fault_config truncate_once() {
    sandbox::fault_config f;
    f.truncate_rate = 1;
    f.times = 1;
    return f;
}
sandbox::fault_config malformed_once() {
    sandbox::fault_config f;
    f.malformed_rate = 1;
    f.times = 1;
    return f;
}

using error_kind::decode;
using error_kind::rate_limited;
using error_kind::server;
using error_kind::timeout;
using error_kind::transport;

// The matrix. Columns: GET one, list, POST create, PUT update, DELETE. "once" = the first matching
// request only; "always" = every attempt. Why each cell is so: docs/reliability.md.
const std::vector<fault_row>& matrix() {
    static const std::vector<fault_row> rows{
        {"latency 150 ms", latency(150), false,
         {ok(1, 150ms), ok(1, 150ms), storing(ok(1, 150ms), 1), ok(1, 150ms), ok(1, 150ms)}},
        {"500 once", http_error(500, 1), false,
         {fails(server, 500, true, 1), fails(server, 500, true, 1), storing(fails(server, 500, true, 1), 0),
          fails(server, 500, true, 1), fails(server, 500, true, 1)}},
        {"502 once", http_error(502, 1), false,
         {ok(2), ok(2), storing(fails(server, 502, true, 1), 0), ok(2), ok(2)}},
        {"503 once", http_error(503, 1), false,
         {ok(2), ok(2), storing(fails(server, 503, true, 1), 0), ok(2), ok(2)}},
        {"503 always", http_error(503, 0), false,
         {fails(server, 503, true, 3), fails(server, 503, true, 3), storing(fails(server, 503, true, 1), 0),
          fails(server, 503, true, 3), fails(server, 503, true, 3)}},
        {"429, Retry-After: 1", rate_limit(1, false), false,
         {ok(2, 1000ms), ok(2, 1000ms), storing(fails(rate_limited, 429, true, 1), 0), ok(2, 1000ms), ok(2, 1000ms)}},
        // An HTTP-date has whole seconds: "now + 2 s" is 1 to 2 s away.
        {"429, Retry-After: HTTP-date (+2 s)", rate_limit(2, true), false,
         {ok(2, 900ms), ok(2, 900ms), storing(fails(rate_limited, 429, true, 1), 0), ok(2, 900ms), ok(2, 900ms)}},
        {"close after 1 answer (stale keep-alive)", close_after(1), true,
         {ok(1), ok(1), storing(ok(1), 1), ok(1), ok(1)}},
        {"stall once", stall(1), false,
         {ok(2, header_timeout), ok(2, header_timeout), storing(fails(timeout, 0, true, 1, header_timeout), 0),
          ok(2, header_timeout), ok(2, header_timeout)}},
        {"stall always", stall(0), false,
         {fails(timeout, 0, true, 3, 3 * header_timeout), fails(timeout, 0, true, 3, 3 * header_timeout),
          storing(fails(timeout, 0, true, 1, header_timeout), 0), fails(timeout, 0, true, 3, 3 * header_timeout),
          fails(timeout, 0, true, 3, 3 * header_timeout)}},
        {"reset mid-body once", reset_once(), false,
         {ok(2), ok(2), storing(fails(transport, 0, true, 1), 1), ok(2), gone(2)}},
        {"truncated body once", truncate_once(), false,
         {ok(2), ok(2), storing(fails(transport, 0, true, 1), 1), ok(2), gone(2)}},
        {"malformed JSON once", malformed_once(), false,
         {fails(decode, 200, true, 1), fails(decode, 200, true, 1), storing(fails(decode, 200, true, 1), 1),
          fails(decode, 200, true, 1), fails(decode, 200, true, 1)}},
    };
    return rows;
}

// One cell: its own sandbox and client, and what the call did.
struct cell_run {
    const fault_row* row = nullptr;
    call what = call::get;
    std::size_t column = 0;
    std::unique_ptr<test::sandbox_site> site;
    std::unique_ptr<client> api;
    std::int64_t seed_id = 0;
    std::string setup_error;
    test::outcome got;
    std::int64_t attempts = 0;
    milliseconds elapsed{0};
    std::size_t connections_opened = 0;  ///< by the cell's client, seed included

    std::string label() const { return row->name + " / " + name_of(what); }
    std::string seed_marker() const { return "seed: " + label(); }
    std::string create_marker() const { return "create: " + label(); }
    const expected& want() const { return row->cells[column]; }
};

sandbox::fault_config scoped(const cell_run& cell) {
    sandbox::fault_config f = cell.row->faults;
    f.path_prefix = "/api2/clients";
    if (!cell.row->connection_level) f.method = http_method(cell.what);
    return f;
}

asio::awaitable<test::outcome> make_call(cell_run& cell, test::create_ledger& ledger) {
    auto clients = cell.api->clients();
    switch (cell.what) {
    case call::get: {
        auto r = co_await clients.get(cell.seed_id);
        co_return test::outcome::of(r);
    }
    case call::list: {
        query q;
        q.limit = 10;
        auto r = co_await clients.list(q);
        co_return test::outcome::of(r);
    }
    case call::create: {
        client_record record;
        record.business_name = cell.create_marker();
        auto r = co_await clients.create(record);
        ledger.record(cell.create_marker(), r);
        co_return test::outcome::of(r);
    }
    case call::update: {
        client_record change;
        change.city = "Updated";
        auto r = co_await clients.update(cell.seed_id, change);
        co_return test::outcome::of(r);
    }
    case call::remove: {
        auto r = co_await clients.remove(cell.seed_id);
        co_return test::outcome::of(r);
    }
    }
    co_return test::outcome{};
}

asio::awaitable<void> run_cell(cell_run& cell, test::create_ledger& ledger) {
    auto& srv = cell.site->srv;
    const sandbox::fault_config faults = scoped(cell);
    if (cell.row->connection_level) srv.set_faults(faults);

    client_record seed;
    seed.business_name = cell.seed_marker();
    auto seeded = co_await cell.api->clients().create(seed);
    if (!seeded) {
        cell.setup_error = "seeding failed: " + seeded.error().describe();
        co_return;
    }
    cell.seed_id = *seeded;
    if (cell.row->connection_level) {
        // The server's close must have happened before the call: wait for it rather than for a while.
        // Then let the pool's "recently used" window (100 ms) pass, so that the call's connection goes
        // through the liveness check, for every method alike.
        const auto give_up = std::chrono::steady_clock::now() + settle_cap;
        while (srv.stats().at("connections_active").to_number<std::int64_t>() != 0 &&
               std::chrono::steady_clock::now() < give_up)
            co_await test::sleep_for(5ms);
        co_await test::sleep_for(150ms);
    } else {
        srv.set_faults(faults);
    }

    const auto requests_before = cell.site->requests();
    const auto t0 = std::chrono::steady_clock::now();
    cell.got = co_await make_call(cell, ledger);
    cell.elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0);
    // Every request the call sent has reached the sandbox's count, at the latest once it is read there.
    const auto want_attempts = static_cast<std::int64_t>(cell.want().attempts);
    const auto settle_by = std::chrono::steady_clock::now() + settle_cap;
    while (cell.site->requests() - requests_before < want_attempts && std::chrono::steady_clock::now() < settle_by)
        co_await test::sleep_for(10ms);
    cell.attempts = cell.site->requests() - requests_before;
    cell.connections_opened = cell.api->pool_stats().connections_opened;
    srv.set_faults(sandbox::fault_config());
}

// Runs the cells on `workers` coroutines, each taking the next cell when it is done with one.
asio::awaitable<void> run_cells(std::vector<cell_run>& cells, test::create_ledger& ledger, std::size_t workers,
                                std::vector<std::string>& crashes, std::mutex& crashes_mutex) {
    auto next = std::make_shared<std::atomic<std::size_t>>(0);
    auto ex = co_await asio::this_coro::executor;
    for (std::size_t w = 0; w < workers; ++w) {
        asio::co_spawn(
            ex,
            [&cells, &ledger, next]() -> asio::awaitable<void> {
                for (;;) {
                    const std::size_t i = next->fetch_add(1);
                    if (i >= cells.size()) break;
                    co_await run_cell(cells[i], ledger);
                }
            },
            [&](std::exception_ptr e) {
                if (!e) return;
                std::lock_guard lock(crashes_mutex);
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    crashes.emplace_back(x.what());
                }
            });
    }
}

void check_call(const cell_run& cell) {
    const expected& want = cell.want();
    const test::outcome& got = cell.got;
    BOOST_TEST_CONTEXT(cell.label() << " -> " << got.summary() << " after " << cell.attempts << " attempt(s), "
                                    << cell.elapsed.count() << " ms" << (got.ok ? "" : " [" + got.detail + "]")) {
        BOOST_TEST_REQUIRE(cell.setup_error.empty(), cell.setup_error);
        BOOST_TEST(got.ok == want.ok);
        BOOST_TEST(got.already_gone == want.already_gone);
        if (!want.ok && !got.ok) {
            BOOST_TEST(to_string(got.kind) == to_string(want.kind));
            BOOST_TEST(got.status == want.status);
            BOOST_TEST(got.maybe_sent == want.maybe_sent);
            // Ended by the configured phase timeout, not by the call's deadline (nor a default timeout).
            if (want.kind == timeout)
                BOOST_TEST(got.detail.find("timed out while waiting for the response header") != std::string::npos);
        }
        BOOST_TEST(cell.attempts == static_cast<std::int64_t>(want.attempts));
        // The waits the SDK must honour are a lower bound on the elapsed time; no upper bound is asserted
        // but the call deadline, a hang guard far above what a loaded sanitizer run takes.
        BOOST_TEST(cell.elapsed.count() >= want.at_least.count());
        BOOST_TEST(cell.elapsed < call_deadline);
        // The seed's connection was dropped by the server: the call went on a new one.
        if (cell.row->connection_level) BOOST_TEST(cell.connections_opened == 2u);
    }
}

// After the matrix, with no faults: what each cell left in its sandbox's store. Read on the io threads,
// checked on the test's thread (Boost.Test is not thread-safe).
struct store_facts {
    std::string read_error;
    std::size_t seeds = 0;          ///< copies of the cell's seed record
    std::size_t creates = 0;        ///< copies of the cell's create
    std::int64_t server_creates = 0;
    std::optional<test::outcome> after;  ///< a GET of the seed after a successful update or delete
    std::string city_after;
};

asio::awaitable<void> read_store(cell_run& cell, store_facts& facts, test::stored_markers& created) {
    auto stored = co_await test::read_stored_markers(*cell.api, "");
    if (!stored) {
        facts.read_error = stored.error().describe();
        co_return;
    }
    facts.seeds = (*stored)[cell.seed_marker()].size();
    if (auto it = stored->find(cell.create_marker()); it != stored->end()) {
        facts.creates = it->second.size();
        created[it->first] = it->second;
    }
    facts.server_creates = cell.site->creates("clients");
    if (cell.got.ok && (cell.what == call::update || cell.what == call::remove)) {
        auto record = co_await cell.api->clients().get(cell.seed_id);
        facts.after = test::outcome::of(record);
        if (record) facts.city_after = record->city.value_or("");
    }
}

asio::awaitable<void> read_stores(std::vector<cell_run>& cells, std::vector<store_facts>& facts,
                                  test::stored_markers& created) {
    for (std::size_t i = 0; i < cells.size(); ++i) co_await read_store(cells[i], facts[i], created);
}

void check_store(const cell_run& cell, const store_facts& facts) {
    BOOST_TEST_CONTEXT(cell.label()) {
        BOOST_TEST_REQUIRE(facts.read_error.empty(), facts.read_error);
        if (cell.what == call::remove)
            BOOST_TEST(facts.seeds <= (cell.got.ok ? 0u : 1u));  // a failed delete may or may not have deleted it
        else
            BOOST_TEST(facts.seeds == 1u);
        if (cell.want().stored >= 0) BOOST_TEST(facts.creates == static_cast<std::size_t>(cell.want().stored));
        // The server's own count of stored creates: the seed and the cell's create, nothing more.
        BOOST_TEST(facts.server_creates == static_cast<std::int64_t>(1 + facts.creates));
        if (cell.got.ok && cell.what == call::update) {
            BOOST_TEST_REQUIRE(facts.after.has_value());
            BOOST_TEST(facts.after->ok, facts.after->detail);
            BOOST_TEST(facts.city_after == "Updated");
        }
        if (cell.got.ok && cell.what == call::remove) {
            BOOST_TEST_REQUIRE(facts.after.has_value());
            BOOST_TEST((!facts.after->ok && facts.after->kind == error_kind::not_found), facts.after->summary());
        }
    }
}

void print_matrix(const std::vector<cell_run>& cells) {
    std::printf("\n| fault |");
    for (call c : all_calls) std::printf(" %s |", name_of(c));
    std::printf("\n| --- |");
    for (std::size_t i = 0; i < all_calls.size(); ++i) std::printf(" --- |");
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto& cell = cells[i];
        if (cell.column == 0) std::printf("\n| %s |", cell.row->name.c_str());
        std::printf(" %s, %lld att., %lld ms |", cell.got.summary().c_str(), static_cast<long long>(cell.attempts),
                    static_cast<long long>(cell.elapsed.count()));
    }
    std::printf("\n\n");
    std::fflush(stdout);
}

std::size_t parallel_cells() {
    const char* v = std::getenv("DAFTRA_MATRIX_PARALLEL");
    const long n = v ? std::atol(v) : 0;
    return n > 0 ? static_cast<std::size_t>(n) : 24;
}

} // namespace

BOOST_AUTO_TEST_CASE(every_fault_against_every_method) {
    asio::io_context io;
    std::vector<cell_run> cells;
    for (const auto& row : matrix()) {
        for (std::size_t column = 0; column < all_calls.size(); ++column) {
            cell_run cell;
            cell.row = &row;
            cell.what = all_calls[column];
            cell.column = column;
            cell.site = std::make_unique<test::sandbox_site>();
            client_options options = cell.site->client_options_for();
            const milliseconds phase_timeout = row.faults.stall_rate > 0 ? header_timeout : healthy_timeout;
            options.pool.timeouts.response_header = phase_timeout;
            options.pool.timeouts.body = phase_timeout;
            options.pool.request_timeout = call_deadline;
            options.retry.initial_backoff = 50ms;
            cell.api = std::make_unique<client>(io.get_executor(), auth::api_key{auth::secret("sandbox-api-key")},
                                                options);
            cells.push_back(std::move(cell));
        }
    }

    test::create_ledger ledger;
    std::vector<std::string> crashes;
    std::mutex crashes_mutex;
    const auto t0 = std::chrono::steady_clock::now();
    test::run(io, run_cells(cells, ledger, parallel_cells(), crashes, crashes_mutex), 2);
    const auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0);
    BOOST_TEST_REQUIRE(crashes.empty(), (crashes.empty() ? "" : crashes.front()));
    print_matrix(cells);
    std::printf("fault-matrix: cells=%zu parallel=%zu elapsed_ms=%lld\n", cells.size(), parallel_cells(),
                static_cast<long long>(elapsed.count()));

    for (const auto& cell : cells) check_call(cell);

    test::stored_markers created;
    std::vector<store_facts> facts(cells.size());
    test::run(io, read_stores(cells, facts, created), 2);
    for (std::size_t i = 0; i < cells.size(); ++i) check_store(cells[i], facts[i]);
    const test::ledger_verdict v = ledger.check(created);
    std::printf("fault-matrix creates: reported_ok=%llu reported_failed=%llu failed_maybe_sent=%llu "
                "failed_but_stored=%llu lost=%llu duplicated=%llu phantom=%llu\n",
                static_cast<unsigned long long>(v.reported_ok), static_cast<unsigned long long>(v.reported_failed),
                static_cast<unsigned long long>(v.failed_maybe_sent),
                static_cast<unsigned long long>(v.failed_but_stored), static_cast<unsigned long long>(v.lost),
                static_cast<unsigned long long>(v.duplicated), static_cast<unsigned long long>(v.phantom));
    BOOST_TEST(v.clean(), v.first_problem);
    BOOST_TEST(v.reported_ok + v.reported_failed == matrix().size());  // one create per row

    for (auto& cell : cells) cell.api.reset();
    io.restart();
    io.run();  // the clients' cancelled work, if any
}
