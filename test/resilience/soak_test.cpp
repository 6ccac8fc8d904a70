// The soak: many mixed calls (get, list, create, update, delete) from 500 coroutines sharing one client
// on a multi-threaded io_context, against a sandbox that faults 5 % of the requests at random. It must
// end within a hard deadline with every call answered (success or a typed error), no create lost or
// stored twice, the pool idle and every connection closed; the ASan run adds LSan's leak check at exit.
//
// DAFTRA_SOAK_CALLS sets the number of calls (default 50,000; ctest lowers it under sanitizers),
// DAFTRA_SOAK_DEADLINE_S the hard deadline (default 150 s). The last line it prints ("soak-result …")
// is what docs/reliability.md quotes.
//
// The long soak (scripts/soak.sh, not run by ctest): DAFTRA_SOAK_SECONDS=N repeats that soak as rounds
// of DAFTRA_SOAK_CALLS calls with the same client until N seconds have passed (the round under way is
// finished), each round with the same checks; between rounds the sandbox's store is emptied, so that
// neither the store nor the ledger grows with the run and what remains to grow is the client. Every
// DAFTRA_SOAK_PROGRESS_S seconds (default 5) it prints a "soak-progress …" line with the calls answered
// so far and the pool's connections, and at the end one "soak-total …" line over all rounds.

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

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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
    soak_state(std::uint64_t total_calls, std::atomic<std::uint64_t>& answered_so_far)
        : total(total_calls), answered(answered_so_far) {}

    const std::uint64_t total;
    std::atomic<std::uint64_t>& answered;  ///< calls answered in every round so far, for the progress lines
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
        answered.fetch_add(1, std::memory_order_relaxed);
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

// What one round ends with; the duration mode adds the rounds up.
struct round_figures {
    std::uint64_t calls = 0;
    std::uint64_t ok = 0;
    std::int64_t server_requests = 0;
    std::int64_t faults_injected = 0;
    std::int64_t server_creates = 0;
    test::ledger_verdict creates;

    void add(const round_figures& r) {
        calls += r.calls;
        ok += r.ok;
        server_requests += r.server_requests;
        faults_injected += r.faults_injected;
        server_creates += r.server_creates;
        creates.reported_ok += r.creates.reported_ok;
        creates.reported_failed += r.creates.reported_failed;
        creates.failed_maybe_sent += r.creates.failed_maybe_sent;
        creates.failed_but_stored += r.creates.failed_but_stored;
        creates.lost += r.creates.lost;
        creates.duplicated += r.creates.duplicated;
        creates.phantom += r.creates.phantom;
    }
};

double ratio(std::int64_t part, std::int64_t whole) {
    return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// One soak: `total` calls under the five-percent faults, then the checks (the sandbox's store holds
// this round's records only).
round_figures soak_round(test::sandbox_site& site, client& api, asio::io_context& io, std::uint64_t total,
                         std::chrono::seconds deadline_after, std::atomic<std::uint64_t>& answered) {
    const sandbox::fault_config faults = five_percent_faults();
    site.srv.set_faults(faults);
    soak_state st(total, answered);
    const auto t0 = clock_type::now();
    test::run(io, start(api, st, t0 + deadline_after), io_threads);
    const double elapsed_s = std::chrono::duration<double>(clock_type::now() - t0).count();
    site.srv.set_faults(sandbox::fault_config());

    round_figures fig;
    fig.calls = st.all.total();
    fig.ok = st.all.ok();
    const auto stats = site.srv.stats();
    const auto server_requests = fig.server_requests = stats.at("requests").to_number<std::int64_t>();
    const auto injected = fig.faults_injected = stats.at("faults_injected").to_number<std::int64_t>();
    std::printf("soak per call type:\n");
    for (std::size_t i = 0; i < op_names.size(); ++i) std::printf("  %-6s %s\n", op_names[i], st.per_op[i].line().c_str());
    std::printf("  (deletes ok because a retry found the record already gone: %llu)\n",
                static_cast<unsigned long long>(st.deletes_already_gone.load()));
    std::printf("soak-result calls=%llu coroutines=%u io_threads=%u connections=%zu server_requests=%lld "
                "faults_injected=%lld fault_rate=%.4f elapsed_s=%.1f calls_per_s=%.0f %s\n",
                static_cast<unsigned long long>(st.all.total()), coroutines, io_threads, connections,
                static_cast<long long>(server_requests), static_cast<long long>(injected),
                ratio(injected, server_requests), elapsed_s, static_cast<double>(st.all.total()) / elapsed_s,
                st.all.line().c_str());
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
    const auto pool = api.pool_stats();
    BOOST_TEST(pool.in_use == 0u);
    BOOST_TEST(pool.waiting == 0u);
    BOOST_TEST(pool.open <= connections);

    // The creates check: the store against what each create reported.
    test::stored_markers stored;
    {
        auto read = test::run(io, test::read_stored_markers(api, "soak "), 2);
        BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : read.error().describe()));
        stored = std::move(*read);
    }
    const test::ledger_verdict v = fig.creates = st.ledger.check(stored);
    const auto server_creates = fig.server_creates = site.creates("clients");
    std::printf("soak-creates reported_ok=%llu reported_failed=%llu failed_maybe_sent=%llu server_creates=%lld "
                "lost=%llu duplicated=%llu phantom=%llu\n",
                static_cast<unsigned long long>(v.reported_ok), static_cast<unsigned long long>(v.reported_failed),
                static_cast<unsigned long long>(v.failed_maybe_sent), static_cast<long long>(server_creates),
                static_cast<unsigned long long>(v.lost), static_cast<unsigned long long>(v.duplicated),
                static_cast<unsigned long long>(v.phantom));
    std::fflush(stdout);
    BOOST_TEST(v.clean(), v.first_problem);
    // Deleted records are gone from the listing, not from the server's count of creates: it lies between
    // the creates reported done and those plus the ones that may have reached the server.
    BOOST_TEST(server_creates >= static_cast<std::int64_t>(v.reported_ok));
    BOOST_TEST(server_creates <= static_cast<std::int64_t>(v.reported_ok + v.failed_maybe_sent));
    return fig;
}

// Bytes malloc has handed out and not had back (glibc; 0 elsewhere): set against the RSS, it tells a
// growing heap from memory malloc keeps around.
std::uint64_t heap_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    const struct mallinfo2 m = ::mallinfo2();
    return m.uordblks + m.hblkhd;
#else
    return 0;
#endif
}

// Prints "soak-progress …" every `every` until stopped: what scripts/soak.sh plots against.
void print_progress(std::stop_token stop, const client& api, const test::sandbox_site& site,
                    const std::atomic<std::uint64_t>& answered, const std::atomic<unsigned>& rounds_done,
                    clock_type::time_point t0, std::chrono::seconds every) {
    auto next = t0 + every;
    while (!stop.stop_requested()) {
        if (clock_type::now() < next) {
            std::this_thread::sleep_for(50ms);
            continue;
        }
        next += every;
        const auto pool = api.pool_stats();
        const auto server_active = site.srv.stats().at("connections_active").to_number<std::int64_t>();
        std::printf("soak-progress elapsed_s=%.1f calls=%llu rounds=%u pool_open=%zu pool_in_use=%zu pool_waiting=%zu "
                    "connections_opened=%llu server_connections_active=%lld heap_in_use_kb=%llu\n",
                    std::chrono::duration<double>(clock_type::now() - t0).count(),
                    static_cast<unsigned long long>(answered.load()), rounds_done.load(), pool.open, pool.in_use,
                    pool.waiting, static_cast<unsigned long long>(pool.connections_opened),
                    static_cast<long long>(server_active), static_cast<unsigned long long>(heap_in_use() / 1024));
        std::fflush(stdout);
    }
}

// The duration mode: rounds until `duration` has passed, the store emptied after each.
void soak_for(std::chrono::seconds duration, test::sandbox_site& site, client& api, asio::io_context& io,
              std::uint64_t calls_per_round, std::chrono::seconds deadline_after) {
    std::atomic<std::uint64_t> answered{0};
    std::atomic<unsigned> rounds_done{0};
    const auto t0 = clock_type::now();
    std::jthread progress(print_progress, std::cref(api), std::cref(site), std::cref(answered), std::cref(rounds_done),
                          t0, std::chrono::seconds(env_or("DAFTRA_SOAK_PROGRESS_S", 5)));
    round_figures sum;
    do {
        sum.add(soak_round(site, api, io, calls_per_round, deadline_after, answered));
        rounds_done.fetch_add(1);
        site.srv.reset();  // the next round's records only, and the statistics from zero
    } while (clock_type::now() - t0 < duration);
    progress.request_stop();
    progress.join();

    const double elapsed_s = std::chrono::duration<double>(clock_type::now() - t0).count();
    const auto& v = sum.creates;
    std::printf("soak-total rounds=%u calls=%llu ok=%llu elapsed_s=%.1f calls_per_s=%.0f server_requests=%lld "
                "faults_injected=%lld fault_rate=%.4f reported_ok=%llu reported_failed=%llu failed_maybe_sent=%llu "
                "failed_but_stored=%llu server_creates=%lld lost=%llu duplicated=%llu phantom=%llu\n",
                rounds_done.load(), static_cast<unsigned long long>(sum.calls), static_cast<unsigned long long>(sum.ok),
                elapsed_s, static_cast<double>(sum.calls) / elapsed_s, static_cast<long long>(sum.server_requests),
                static_cast<long long>(sum.faults_injected), ratio(sum.faults_injected, sum.server_requests),
                static_cast<unsigned long long>(v.reported_ok), static_cast<unsigned long long>(v.reported_failed),
                static_cast<unsigned long long>(v.failed_maybe_sent),
                static_cast<unsigned long long>(v.failed_but_stored), static_cast<long long>(sum.server_creates),
                static_cast<unsigned long long>(v.lost), static_cast<unsigned long long>(v.duplicated),
                static_cast<unsigned long long>(v.phantom));
    std::fflush(stdout);
}

} // namespace

BOOST_AUTO_TEST_CASE(mixed_calls_under_five_percent_faults) {
    const std::uint64_t total = env_or("DAFTRA_SOAK_CALLS", 50'000);
    const auto deadline_after = std::chrono::seconds(env_or("DAFTRA_SOAK_DEADLINE_S", 150));
    const auto duration = std::chrono::seconds(env_or("DAFTRA_SOAK_SECONDS", 0));

    test::sandbox_site site(2);
    client_options options = site.client_options_for();
    options.pool.max_connections = connections;
    options.pool.timeouts.response_header = phase_timeout;  // what a stalled request costs one connection
    options.pool.timeouts.body = phase_timeout;
    options.pool.request_timeout = 20'000ms;
    options.retry.initial_backoff = 50ms;
    asio::io_context io;
    auto api = std::make_unique<client>(io.get_executor(), auth::api_key{auth::secret("sandbox-api-key")}, options);

    if (duration.count() == 0) {
        std::atomic<std::uint64_t> answered{0};
        soak_round(site, *api, io, total, deadline_after, answered);
    } else {
        soak_for(duration, site, *api, io, total, deadline_after);
    }

    // No connection left behind: the client closes its own, and the sandbox sees every one go.
    api.reset();
    io.restart();
    io.run();
    std::int64_t active = -1;
    for (int i = 0; i < 300 && active != 0; ++i) {  // up to 30 s: it ends as soon as the count is 0
        active = site.srv.stats().at("connections_active").to_number<std::int64_t>();
        if (active != 0) std::this_thread::sleep_for(100ms);
    }
    BOOST_TEST(active == 0);
}
