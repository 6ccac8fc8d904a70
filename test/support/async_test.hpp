#pragma once
// Runs a coroutine to completion on a fresh io_context (optionally on several threads) and returns
// its result, so a test body reads like straight-line code.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <thread>
#include <vector>

namespace daftra::test {

namespace asio = boost::asio;

/// Runs `make(io)`'s coroutine on `threads` threads of `io` until it and all work finish.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> task, unsigned threads = 1) {
    auto fut = asio::co_spawn(io, std::move(task), asio::use_future);
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < threads; ++i) extra.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : extra) t.join();
    io.restart();
    return fut.get();
}

inline asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

} // namespace daftra::test
