#include "daftra/core/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace daftra {

std::chrono::steady_clock::time_point clock_hooks::steady_time() const {
    return now ? now() : std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point clock_hooks::wall_time() const {
    return wall_now ? wall_now() : std::chrono::system_clock::now();
}

boost::asio::awaitable<boost::system::error_code> clock_hooks::sleep_for(std::chrono::milliseconds d) const {
    if (sleep) co_return co_await sleep(d);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
    auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    co_return ec;
}

clock_hooks clock_hooks::or_else(const clock_hooks& fallback) const {
    clock_hooks merged = *this;
    if (!merged.now) merged.now = fallback.now;
    if (!merged.wall_now) merged.wall_now = fallback.wall_now;
    if (!merged.sleep) merged.sleep = fallback.sleep;
    return merged;
}

} // namespace daftra
