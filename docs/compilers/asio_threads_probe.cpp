// Coroutines on an io_context run by several threads, with nothing of the SDK in it: each worker awaits a
// child coroutine spawned on a strand, then a post, and so resumes on whichever thread is free.
// docs/compilers.md has the build commands and what each compiler makes of it.
//   ./probe [threads=4] [workers=64] [rounds=5000]
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace asio = boost::asio;

std::atomic<long> rounds_done{0};

asio::awaitable<int> child(int i) {
    co_await asio::post(asio::use_awaitable);
    co_return i;
}

asio::awaitable<void> worker(asio::strand<asio::io_context::executor_type> strand, int rounds) {
    for (int i = 0; i < rounds; ++i) {
        if (co_await asio::co_spawn(strand, child(i), asio::use_awaitable) != i) std::abort();
        co_await asio::post(asio::use_awaitable);
        ++rounds_done;
    }
}

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 4;
    const int workers = argc > 2 ? std::atoi(argv[2]) : 64;
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 5000;
    asio::io_context io;
    for (int w = 0; w < workers; ++w) asio::co_spawn(io, worker(asio::make_strand(io), rounds), asio::detached);
    std::vector<std::thread> extra;
    for (int t = 1; t < threads; ++t) extra.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
    std::printf("%ld of %ld rounds done on %d threads\n", rounds_done.load(), long(workers) * rounds, threads);
    return rounds_done != long(workers) * rounds;
}
