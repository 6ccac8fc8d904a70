// redis_gets: the SDK's Redis connection under load, for docs/benchmarks.md. C coroutines on one
// redis::connection each send GET in a loop for S seconds; the connection pipelines them (concurrent
// commands share writes, and replies are matched in order). Prints one JSON line:
//   {"client":"daftra-redis","callers":C,"ops":N,"seconds":S,"ops_per_s":R}
//   usage: redis_gets URL [--callers C] [--seconds S]

#include <daftra/redis/connection.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace asio = boost::asio;
namespace redis = daftra::redis;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: redis_gets URL [--callers C] [--seconds S]\n";
        return 2;
    }
    int callers = 64;
    double seconds = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string_view a = argv[i];
        if (a == "--callers") callers = std::atoi(argv[i + 1]);
        else if (a == "--seconds") seconds = std::atof(argv[i + 1]);
    }
    auto where = redis::parse_url(argv[1]);
    if (!where || callers <= 0 || seconds <= 0) {
        std::cerr << "redis_gets: bad arguments\n";
        return 2;
    }
    asio::io_context io;
    redis::connection_options o;
    o.where = *where;
    redis::connection conn(io.get_executor(), o);
    long ops = 0, errors = 0;
    int running = callers;
    const auto t0 = std::chrono::steady_clock::now();
    const auto end = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        (void)co_await conn.exec(redis::command("SET", "bench:key", "xxx"));
        for (int c = 0; c < callers; ++c)
            asio::co_spawn(io, [&]() -> asio::awaitable<void> {
                while (std::chrono::steady_clock::now() < end) {
                    auto r = co_await conn.exec(redis::command("GET", "bench:key"));
                    if (r) ++ops;
                    else ++errors;
                }
                if (--running == 0) conn.close();
            }, asio::detached);
    }, asio::detached);
    io.run();
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("{\"client\":\"daftra-redis\",\"callers\":%d,\"ops\":%ld,\"errors\":%ld,\"seconds\":%.2f,\"ops_per_s\":%.0f}\n",
                callers, ops, errors, took, ops / took);
    return errors > 0 ? 1 : 0;
}
