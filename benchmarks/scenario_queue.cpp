// Scenario "queue": far more calls than connections. K calls (default 100,000) are started at once on a
// pool of N connections (default 8), so all but N wait in the pool's FIFO. It answers two questions:
//   - memory: what does a waiting call cost? The process's heap in use (glibc mallinfo2) is read when
//     every call has started and queued, and compared with a control run of the very same coroutine
//     parked on a timer instead of in the pool. The difference is what waiting in the pool costs
//     beyond the caller's own coroutine frame (the pool's call frame, its waiter, the type-erased
//     handler, the waiter's deadline timer).
//   - order: are connections handed out first come, first served? The pool's on_request hook reports
//     each call's connection_order (its rank among the calls that got a connection), which must rise
//     with the order in which the calls started. (The hook runs just before send() returns to the same
//     coroutine, so on one thread the report read right after the co_await is that call's.)
//
//   daftra_bench --scenario queue --url URL [--calls K] [--connections N] [--ca FILE]
//   - anatomy: the allocations (sizes, in order) of one more call that has to wait, on a pool whose
//     only connection a silent local server holds: those made creating and spawning the caller's
//     coroutine, and those made inside pool.send() until the call is queued (not in sanitizer builds,
//     which keep their own allocator).
// stdout: {"scenario":"queue","calls":K,"connections":N,"waiting_at_peak":W,"bytes_per_waiting_call":B,
//          "control_bytes_per_call":F,"pool_bytes_per_waiting_call":P,"acquired_out_of_order":O,
//          "errors":E,"seconds":S,"rps":X,"one_waiting_call":{"caller_bytes":…,"caller_allocations":[…],
//          "send_bytes":…,"send_allocations":[…],"waiting":2}}

#include "bench.hpp"

#include "alloc_counter.hpp"

#include "daftra/transport/pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace daftra::bench {

namespace {

namespace asio = boost::asio;

struct queue_config {
    std::string url;
    std::string ca_file;
    std::size_t calls = 100'000;
    std::size_t connections = 8;
};

std::size_t heap_in_use() { return mallinfo2().uordblks; }

std::size_t count_arg(std::string_view what, std::string_view text) {
    std::size_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v == 0)
        throw std::invalid_argument(std::string(what) + " must be a positive integer, not '" + std::string(text) + "'");
    return v;
}

queue_config parse(int argc, char** argv) {
    queue_config cfg;
    if (const char* env = std::getenv("HARNESS_CA"); env && *env) cfg.ca_file = env;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--scenario") {
            ++i;
            continue;
        }
        if (i + 1 >= argc) throw std::invalid_argument("missing value for " + std::string(arg));
        const std::string_view value = argv[++i];
        if (arg == "--url") cfg.url = value;
        else if (arg == "--calls") cfg.calls = count_arg(arg, value);
        else if (arg == "--connections") cfg.connections = count_arg(arg, value);
        else if (arg == "--ca") cfg.ca_file = value;
        else throw std::invalid_argument("unknown option " + std::string(arg));
    }
    if (cfg.url.empty()) throw std::invalid_argument("--url is required");
    return cfg;
}

/// One call's record, written by its own coroutine.
struct call_record {
    std::uint64_t connection_order = 0;  // rank of the moment it got its connection
    bool ok = false;
};

/// What every call of a run shares.
struct run_state {
    transport::pool* pool = nullptr;         // null in the control run
    asio::steady_timer* parked_on = nullptr; // the control run's timer
    transport::request prototype;
    std::optional<std::uint64_t> last_order;  // from the pool's on_request hook
    std::vector<call_record> records;
};

// The same coroutine in both runs, so the control run's frame is exactly the real one's.
asio::awaitable<void> call(run_state& s, std::size_t index) {
    call_record& rec = s.records[index];
    if (!s.pool) {
        boost::system::error_code ignored;
        co_await s.parked_on->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        rec.ok = true;
        co_return;
    }
    transport::request req = s.prototype;
    auto answer = co_await s.pool->send(std::move(req));
    rec.ok = answer && answer->status >= 200 && answer->status <= 299;
    if (s.last_order) rec.connection_order = *s.last_order;
    s.last_order.reset();
}

// Spawns every call, then measures the heap once all of them have started (the probe is spawned last
// and the io_context runs one thread, so it runs after every call has reached its first suspension).
std::size_t spawn_and_measure(asio::io_context& io, run_state& s, std::size_t calls, std::size_t before,
                              std::size_t& waiting_at_peak) {
    std::size_t peak = 0;
    s.records.assign(calls, {});
    for (std::size_t i = 0; i < calls; ++i) asio::co_spawn(io, call(s, i), asio::detached);
    asio::post(io, [&] {
        peak = heap_in_use();
        waiting_at_peak = s.pool ? s.pool->stats().waiting : calls;
        if (s.parked_on) s.parked_on->cancel();  // the control run ends here
    });
    io.run();
    io.restart();
    return peak > before ? peak - before : 0;
}

/// What one more waiting call allocates, by size, in the order of the allocations.
struct waiting_call_anatomy {
    std::vector<std::size_t> caller;   // creating the caller's coroutine and co_spawn-ing it
    std::vector<std::size_t> in_send;  // running it into pool.send() until it waits for a connection
    std::size_t waiting = 0;           // calls waiting afterwards (2 when the listing is what it says)
};

std::vector<std::size_t> take_recording(const std::size_t* sizes, std::size_t capacity) {
    const std::size_t n = allocs::stop_recording();
    return {sizes, sizes + std::min(n, capacity)};
}

// A local server accepts one connection and never answers, so the pool's only connection stays busy
// and every further call waits; the allocations of the third call are listed.
waiting_call_anatomy anatomy_of_a_waiting_call() {
    waiting_call_anatomy out;
    asio::io_context io(1);
    asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    asio::ip::tcp::socket held(io);
    acceptor.async_accept(held, [](boost::system::error_code) {});
    transport::pool_options options;
    options.max_connections = 1;
    transport::pool pool(io.get_executor(), "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()), options);
    run_state s;
    s.pool = &pool;
    s.prototype.target = "/";
    s.records.assign(3, {});
    asio::co_spawn(io, call(s, 0), asio::detached);
    asio::co_spawn(io, call(s, 1), asio::detached);
    for (int i = 0; i < 1000 && pool.stats().waiting < 1; ++i) io.poll();

    std::size_t sizes[64];
    allocs::start_recording(sizes, 64);
    asio::co_spawn(io, call(s, 2), asio::detached);
    out.caller = take_recording(sizes, 64);
    allocs::start_recording(sizes, 64);
    io.poll();
    out.in_send = take_recording(sizes, 64);
    out.waiting = pool.stats().waiting;

    pool.shutdown();
    boost::system::error_code ignored;
    held.close(ignored);
    acceptor.close(ignored);
    io.run();
    return out;
}

std::string json_list(const std::vector<std::size_t>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + std::to_string(v[i]);
    return out + "]";
}

std::size_t sum(const std::vector<std::size_t>& v) {
    std::size_t total = 0;
    for (auto n : v) total += n;
    return total;
}

} // namespace

int queue_main(int argc, char** argv) {
    queue_config cfg;
    try {
        cfg = parse(argc, argv);
        target_of(cfg.url);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "daftra_bench: %s\nusage: daftra_bench --scenario queue --url URL [--calls K] "
                             "[--connections N] [--ca FILE]\n", e.what());
        return 2;
    }
    asio::io_context io(1);  // one thread: the order check and the probe rely on it

    // Control: the same K coroutines parked on one timer.
    std::size_t control_bytes = 0, control_waiting = 0;
    {
        asio::steady_timer parked(io, std::chrono::hours(1));
        run_state control;
        control.parked_on = &parked;
        control.records.reserve(cfg.calls);  // measured before: the records are not the calls' cost
        const std::size_t before = heap_in_use();
        control_bytes = spawn_and_measure(io, control, cfg.calls, before, control_waiting);
    }

    run_state s;
    transport::pool_options options;
    options.max_connections = cfg.connections;
    options.tls.ca_file = cfg.ca_file;
    // The last of K calls waits for K/N exchanges: give it all the time it needs.
    options.acquire_timeout = std::chrono::minutes(30);
    options.request_timeout = std::chrono::minutes(30);
    options.on_request = [&s](const transport::request_info& info) { s.last_order = info.connection_order; };
    std::optional<transport::pool> pool;
    try {
        pool.emplace(io.get_executor(), cfg.url, options);
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "daftra_bench: %s\n", e.what());
        return 2;
    }
    s.pool = &*pool;
    s.prototype.target = target_of(cfg.url);
    s.records.reserve(cfg.calls);
    std::size_t waiting = 0;
    const auto t0 = clock::now();
    const std::size_t before = heap_in_use();
    const std::size_t queued_bytes = spawn_and_measure(io, s, cfg.calls, before, waiting);
    const double seconds = std::chrono::duration<double>(clock::now() - t0).count();
    pool->shutdown();
    io.run();

    std::size_t errors = 0, out_of_order = 0;
    std::uint64_t next_order = 0;
    for (const auto& r : s.records) {
        if (!r.ok) {
            ++errors;
            continue;
        }
        if (r.connection_order != next_order) ++out_of_order;
        next_order = r.connection_order + 1;
    }
    waiting_call_anatomy anatomy;
    if (allocs::available()) anatomy = anatomy_of_a_waiting_call();

    const double per_call = static_cast<double>(queued_bytes) / static_cast<double>(cfg.calls);
    const double control_per_call = static_cast<double>(control_bytes) / static_cast<double>(cfg.calls);
    std::printf("{\"scenario\":\"queue\",\"calls\":%zu,\"connections\":%zu,\"waiting_at_peak\":%zu,"
                "\"bytes_per_waiting_call\":%.0f,\"control_bytes_per_call\":%.0f,\"pool_bytes_per_waiting_call\":%.0f,"
                "\"acquired_out_of_order\":%zu,\"errors\":%zu,\"seconds\":%.3f,\"rps\":%.0f,"
                "\"one_waiting_call\":{\"caller_bytes\":%zu,\"caller_allocations\":%s,\"send_bytes\":%zu,"
                "\"send_allocations\":%s,\"waiting\":%zu}}\n",
                cfg.calls, cfg.connections, waiting, per_call, control_per_call, per_call - control_per_call,
                out_of_order, errors, seconds, static_cast<double>(cfg.calls) / seconds, sum(anatomy.caller),
                json_list(anatomy.caller).c_str(), sum(anatomy.in_send), json_list(anatomy.in_send).c_str(),
                anatomy.waiting);
    return errors == 0 && out_of_order == 0 ? 0 : 1;
}

} // namespace daftra::bench
