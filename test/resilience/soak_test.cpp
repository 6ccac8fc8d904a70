// The soak: many mixed calls (get, list, create, update, delete) from 500 coroutines sharing one client
// on a multi-threaded io_context, against a sandbox that faults 5 % of the requests at random. It must
// end within a hard deadline with every call answered (success or a typed error), no create lost or
// stored twice, the pool idle and every connection closed; the ASan run adds LSan's leak check at exit.
//
// DAFTRA_SOAK_CALLS sets the number of calls (default 50,000; ctest lowers it under sanitizers),
// DAFTRA_SOAK_DEADLINE_S the hard deadline (default 150 s). The last line it prints ("soak-result …")
// is what docs/reliability.md quotes.

#define BOOST_TEST_MODULE daftra soak
#include <boost/test/unit_test.hpp>

#include "create_ledger.hpp"
#include "outcome.hpp"
#include "sandbox_site.hpp"
#include "support/async_test.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace daftra;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

// The sanitizer builds are -O0 and several times slower: longer phase timeouts there, so that a loaded
// but healthy answer is not mistaken for a stall.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr milliseconds phase_timeout{3000};
#else
constexpr milliseconds phase_timeout{1000};
#endif

constexpr unsigned coroutines = 500;
constexpr unsigned io_threads = 4;
constexpr std::size_t connections = 16;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    const long long n = v ? std::atoll(v) : 0;
    return n > 0 ? static_cast<std::uint64_t>(n) : fallback;
}

// 5 % of the requests get an answer fault, a mix of all of them; every request gets 0-2 ms of latency
// and connections are dropped after 200 answers (stale keep-alive sockets).
sandbox::fault_config five_percent_faults() {
    sandbox::fault_config f;
    f.latency_ms = 0;
    f.latency_max_ms = 2;
    f.close_after = 200;
    f.stall_rate = 0.002;
    f.reset_rate = 0.010;
    f.error_rate = 0.012;
    f.error_status = 503;
    f.rate_limit_rate = 0.008;
    f.retry_after_seconds = 1;
    f.truncate_rate = 0.010;
    f.malformed_rate = 0.008;
    return f;
}

enum class op : unsigned char { get, list, create, update, remove };
constexpr std::array op_names{"get", "list", "create", "update", "delete"};

struct soak_state {
    explicit soak_state(std::uint64_t total_calls) : total(total_calls) {}

    const std::uint64_t total;
    std::atomic<std::uint64_t> claimed{0};
    std::atomic<unsigned> finished{0};
    std::atomic<bool> deadline_hit{false};
    std::atomic<std::uint64_t> live_record_not_found{0};  ///< get/update of a record never deleted: 404
    std::atomic<std::uint64_t> deletes_already_gone{0};   ///< deletes whose retry found the record gone
    test::outcome_tally all;
    std::array<test::outcome_tally, op_names.size()> per_op;
    test::create_ledger ledger;
    std::mutex crashes_mutex;
    std::vector<std::string> crashes;

    bool claim() {
        if (deadline_hit.load(std::memory_order_relaxed)) return false;
        return claimed.fetch_add(1, std::memory_order_relaxed) < total;
    }
    void count(op o, const test::outcome& out) {
        all.add(out);
        per_op[static_cast<std::size_t>(o)].add(out);
    }
};

struct live_record {
    std::int64_t id;
    std::string marker;
};

op pick(std::mt19937& rng, bool have_records) {
    // 30 % get, 20 % list, 25 % create, 15 % update, 10 % delete.
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
    const op o = roll < 30 ? op::get : roll < 50 ? op::list : roll < 75 ? op::create : roll < 90 ? op::update : op::remove;
    if (!have_records && o != op::list) return op::create;
    return o;
}

// "soak W-N", built by appending: g++ 12 -O2 warns (-Wrestrict) on a chain of string operator+.
std::string marker_for(unsigned worker_index, std::uint64_t n) {
    std::string s = "soak ";
    s += std::to_string(worker_index);
    s += '-';
    s += std::to_string(n);
    return s;
}

asio::awaitable<void> worker(const client& api, soak_state& st, unsigned index) {
    std::mt19937 rng(index + 1);
    std::vector<live_record> mine;
    auto clients = api.clients();
    for (std::uint64_t n = 0; st.claim(); ++n) {
        const op o = pick(rng, !mine.empty());
        const std::size_t slot = mine.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, mine.size() - 1)(rng);
        test::outcome out;
        switch (o) {
        case op::get: {
            auto r = co_await clients.get(mine[slot].id);
            out = test::outcome::of(r);
            break;
        }
        case op::list: {
            query q;
            q.limit = 20;
            q.page = std::uniform_int_distribution<std::int64_t>(1, 3)(rng);
            auto r = co_await clients.list(q);
            out = test::outcome::of(r);
            break;
        }
        case op::create: {
            client_record record;
            record.business_name = marker_for(index, n);
            auto r = co_await clients.create(record);
            st.ledger.record(*record.business_name, r);
            if (r) mine.push_back({*r, *record.business_name});
            out = test::outcome::of(r);
            break;
        }
        case op::update: {
            client_record change;
            change.city = std::to_string(n);
            auto r = co_await clients.update(mine[slot].id, change);
            out = test::outcome::of(r);
            break;
        }
        case op::remove: {
            // Whatever the answer, the record is not used again: a failed delete may have deleted it.
            live_record gone = std::move(mine[slot]);
            mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(slot));
            st.ledger.deleting(gone.marker);
            auto r = co_await clients.remove(gone.id);
            out = test::outcome::of(r);
            break;
        }
        }
        if ((o == op::get || o == op::update) && !out.ok && out.kind == error_kind::not_found)
            st.live_record_not_found.fetch_add(1, std::memory_order_relaxed);
        if (out.already_gone) st.deletes_already_gone.fetch_add(1, std::memory_order_relaxed);
        st.count(o, out);
    }
}

// Ends the soak at the deadline: the client's shutdown fails every call in flight with `cancelled`.
asio::awaitable<void> watchdog(client& api, soak_state& st, clock_type::time_point deadline) {
    while (st.finished.load() < coroutines) {
        if (clock_type::now() >= deadline) {
            st.deadline_hit = true;
            api.shutdown();
            co_return;
        }
        co_await test::sleep_for(100ms);
    }
}

asio::awaitable<void> start(client& api, soak_state& st, clock_type::time_point deadline) {
    auto ex = co_await asio::this_coro::executor;
    for (unsigned i = 0; i < coroutines; ++i) {
        asio::co_spawn(ex, worker(api, st, i), [&st](std::exception_ptr e) {
            st.finished.fetch_add(1);
            if (!e) return;
            std::lock_guard lock(st.crashes_mutex);
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                st.crashes.emplace_back(x.what());
            }
        });
    }
    asio::co_spawn(ex, watchdog(api, st, deadline), asio::detached);
}

} // namespace

BOOST_AUTO_TEST_CASE(mixed_calls_under_five_percent_faults) {
    const std::uint64_t total = env_or("DAFTRA_SOAK_CALLS", 50'000);
    const auto deadline_after = std::chrono::seconds(env_or("DAFTRA_SOAK_DEADLINE_S", 150));

    test::sandbox_site site(2);
    client_options options = site.client_options_for();
    options.pool.max_connections = connections;
    options.pool.timeouts.response_header = phase_timeout;  // what a stalled request costs one connection
    options.pool.timeouts.body = phase_timeout;
    options.pool.request_timeout = 20'000ms;
    options.retry.initial_backoff = 50ms;
    asio::io_context io;
    auto api = std::make_unique<client>(io.get_executor(), auth::api_key{auth::secret("sandbox-api-key")}, options);

    const sandbox::fault_config faults = five_percent_faults();
    site.srv.set_faults(faults);
    soak_state st(total);
    const auto t0 = clock_type::now();
    test::run(io, start(*api, st, t0 + deadline_after), io_threads);
    const double elapsed_s = std::chrono::duration<double>(clock_type::now() - t0).count();
    site.srv.set_faults(sandbox::fault_config());

    const auto stats = site.srv.stats();
    const auto server_requests = stats.at("requests").to_number<std::int64_t>();
    const auto injected = stats.at("faults_injected").to_number<std::int64_t>();
    std::printf("soak per call type:\n");
    for (std::size_t i = 0; i < op_names.size(); ++i) std::printf("  %-6s %s\n", op_names[i], st.per_op[i].line().c_str());
    std::printf("  (deletes ok because a retry found the record already gone: %llu)\n",
                static_cast<unsigned long long>(st.deletes_already_gone.load()));
    std::printf("soak-result calls=%llu coroutines=%u io_threads=%u connections=%zu server_requests=%lld "
                "faults_injected=%lld fault_rate=%.4f elapsed_s=%.1f calls_per_s=%.0f %s\n",
                static_cast<unsigned long long>(st.all.total()), coroutines, io_threads, connections,
                static_cast<long long>(server_requests), static_cast<long long>(injected),
                server_requests ? static_cast<double>(injected) / static_cast<double>(server_requests) : 0.0,
                elapsed_s, static_cast<double>(st.all.total()) / elapsed_s, st.all.line().c_str());
    std::fflush(stdout);

    // Every coroutine finished, every call was answered, and within the deadline.
    BOOST_TEST_REQUIRE(st.crashes.empty(), (st.crashes.empty() ? "" : st.crashes.front()));
    BOOST_TEST_REQUIRE(!st.deadline_hit.load());
    BOOST_TEST(st.finished.load() == coroutines);
    BOOST_TEST(st.all.total() == total);
    BOOST_TEST(st.all.of(error_kind::cancelled) == 0u);
    BOOST_TEST(st.live_record_not_found.load() == 0u);
    // Every delete is of a record that exists until one of its attempts deletes it; an attempt that
    // deleted it and lost its answer makes the retry's 404 a success (already gone). So no delete may
    // end in not_found.
    BOOST_TEST(st.per_op[static_cast<std::size_t>(op::remove)].of(error_kind::not_found) == 0u);
    // Faults were injected, and the retries hid most of them: only non-replayable faults reach callers.
    BOOST_TEST(static_cast<double>(injected) >= 0.03 * static_cast<double>(server_requests));
    BOOST_TEST(static_cast<double>(st.all.ok()) >= 0.9 * static_cast<double>(total));

    // The pool is idle again.
    const auto pool = api->pool_stats();
    BOOST_TEST(pool.in_use == 0u);
    BOOST_TEST(pool.waiting == 0u);
    BOOST_TEST(pool.open <= connections);

    // The creates check: the store against what each create reported.
    test::stored_markers stored;
    {
        auto read = test::run(io, test::read_stored_markers(*api, "soak "), 2);
        BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().describe()));
        stored = std::move(*read);
    }
    const test::ledger_verdict v = st.ledger.check(stored);
    const auto server_creates = site.creates("clients");
    std::printf("soak-creates reported_ok=%llu reported_failed=%llu failed_maybe_sent=%llu server_creates=%lld "
                "lost=%llu duplicated=%llu phantom=%llu\n",
                static_cast<unsigned long long>(v.reported_ok), static_cast<unsigned long long>(v.reported_failed),
                static_cast<unsigned long long>(v.failed_maybe_sent), static_cast<long long>(server_creates),
                static_cast<unsigned long long>(v.lost), static_cast<unsigned long long>(v.duplicated),
                static_cast<unsigned long long>(v.phantom));
    BOOST_TEST(v.clean(), v.first_problem);
    // Deleted records are gone from the listing, not from the server's count of creates: it lies between
    // the creates reported done and those plus the ones that may have reached the server.
    BOOST_TEST(server_creates >= static_cast<std::int64_t>(v.reported_ok));
    BOOST_TEST(server_creates <= static_cast<std::int64_t>(v.reported_ok + v.failed_maybe_sent));

    // No connection left behind: the client closes its own, and the sandbox sees every one go.
    api.reset();
    io.restart();
    io.run();
    std::int64_t active = -1;
    for (int i = 0; i < 50 && active != 0; ++i) {
        active = site.srv.stats().at("connections_active").to_number<std::int64_t>();
        if (active != 0) std::this_thread::sleep_for(100ms);
    }
    BOOST_TEST(active == 0);
}
