#pragma once
// Completion tokens for every asynchronous call of the SDK.
//
// Each call is written once, as a coroutine returning boost::asio::awaitable<T>. Called without a
// token it returns that awaitable, as it always has. Called with any other Asio completion token it
// is started through complete_with() below, and the token receives exactly what co_await would have
// returned, through one signature, void(T) (T is daftra::result<…> for every call but a pager's next):
//
//   api.site_info([](daftra::result<daftra::site_info> r) { … });       // a callback
//   std::future<daftra::result<daftra::site_info>> f = api.site_info(asio::use_future);
//   auto op = api.site_info(asio::deferred);                            // composed, started later
//   co_await api.site_info();                                           // an awaitable, unchanged
//
// What the token's handler gets (its associated characteristics):
// - Executor: the handler runs on its associated executor (e.g. `asio::bind_executor(strand, cb)`),
//   never inside the initiating call, even when the answer is known at once (an invalid argument).
//   The call's own coroutine runs there too when that executor belongs to the client's execution
//   context (a strand of it, its io_context), otherwise on the client's executor.
// - Cancellation slot: terminal cancellation is honoured as for co_await (e.g. `asio::bind_cancellation_slot`,
//   parallel_group's wait_for_one): the call fails with error_kind::cancelled, and the client stays
//   usable (a connection in mid-exchange is closed, a waiting call leaves the queue). On a
//   multi-threaded io_context, a caller that cancels must bind its handler to a strand, as a coroutine
//   that cancels must run on one: a slot cannot be emitted from one thread while the call re-arms it
//   on another.
// - Allocator: not used. The call's coroutine frames come from Asio's per-thread recycling cache (the
//   one behind boost::asio::recycling_allocator) whatever allocator the handler names: an awaitable's
//   frame cannot be given an allocator (docs/design.md, "Completion tokens").
//
// An exception escaping the call's coroutine (only std::bad_alloc can) is rethrown from the
// completion, that is, out of io_context::run(), as Asio does with a handler's exceptions.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <type_traits>
#include <utility>

namespace daftra {

/// The token a call uses when given none: it returns boost::asio::awaitable<T>.
using default_completion_token = boost::asio::use_awaitable_t<>;

/// A completion token a call returning T accepts: anything Asio can complete with void(T).
template <class Token, class T>
concept completion_token_for = boost::asio::completion_token_for<Token, void(T)>;

namespace detail {

// co_spawn completes with (exception_ptr, T); the SDK's signature is void(T).
template <class T, class Handler>
struct spawned_completion {
    Handler handler;

    void operator()(std::exception_ptr e, T value) {
        if (e) std::rethrow_exception(e);
        std::move(handler)(std::move(value));
    }
};

// Where the call's coroutine runs: the handler's executor when it is of the client's context (so a
// cancellation emitted on the caller's strand is serialised with the call), else the client's.
template <class Handler>
boost::asio::any_io_executor executor_for(const Handler& handler, const boost::asio::any_io_executor& client) {
    using associated = boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>;
    if constexpr (std::is_same_v<associated, boost::asio::any_io_executor>) {
        return boost::asio::get_associated_executor(handler, client);
    } else if constexpr (std::is_convertible_v<associated, boost::asio::any_io_executor>) {
        auto own = boost::asio::get_associated_executor(handler, client);
        namespace execution = boost::asio::execution;
        if (&boost::asio::query(own, execution::context) == &boost::asio::query(client, execution::context))
            return own;
        return client;
    } else {
        return client;
    }
}

struct initiate_spawned_call {
    template <class Handler, class T>
    void operator()(Handler&& handler, const boost::asio::any_io_executor& client,
                    boost::asio::awaitable<T> call) const {
        using handler_type = std::decay_t<Handler>;
        auto run_on = executor_for(handler, client);
        boost::asio::co_spawn(std::move(run_on), std::move(call),
                              spawned_completion<T, handler_type>{std::forward<Handler>(handler)});
    }
};

} // namespace detail

/// Completes `call` (not started yet) with `token`: returns it unchanged for use_awaitable, otherwise
/// starts it on the handler's (or `client`'s) executor and completes the token with its value.
/// Custom calls built on the SDK's coroutines can offer every token style through this.
template <class T, class Token>
auto complete_with(const boost::asio::any_io_executor& client, boost::asio::awaitable<T> call, Token&& token) {
    if constexpr (std::is_same_v<std::decay_t<Token>, default_completion_token>) {
        return call;
    } else {
        return boost::asio::async_initiate<Token, void(T)>(detail::initiate_spawned_call{}, token, client,
                                                           std::move(call));
    }
}

} // namespace daftra

namespace boost::asio {

// The adapter answers for the handler it wraps: its executor, allocator and cancellation slot.
template <template <class, class> class Associator, class T, class Handler, class Default>
struct associator<Associator, daftra::detail::spawned_completion<T, Handler>, Default>
    : Associator<Handler, Default> {
    static typename Associator<Handler, Default>::type get(
        const daftra::detail::spawned_completion<T, Handler>& h) noexcept {
        return Associator<Handler, Default>::get(h.handler);
    }
    static auto get(const daftra::detail::spawned_completion<T, Handler>& h, const Default& d) noexcept
        -> decltype(Associator<Handler, Default>::get(h.handler, d)) {
        return Associator<Handler, Default>::get(h.handler, d);
    }
};

} // namespace boost::asio
