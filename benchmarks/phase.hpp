#pragma once
// Running one coroutine on an io_context until the context has no work left, and getting its value:
// how the paginate mode runs its phases (fill the list, the first page) one after the other.

#include "bench.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>

namespace daftra::bench {

/// Runs `task` (and whatever else was started on `io`) on `threads` threads, returns the task's value or
/// rethrows its exception. `io` is restarted, ready for the next phase.
template <class T>
T run_phase(boost::asio::io_context& io, std::size_t threads, boost::asio::awaitable<T> task) {
    std::optional<T> value;
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T v) {
        if (e) failure = e;
        else value.emplace(std::move(v));
    });
    run_io(io, threads);
    io.restart();
    if (failure) std::rethrow_exception(failure);
    return std::move(*value);
}

} // namespace daftra::bench
