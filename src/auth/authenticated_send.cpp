// The 401 rule on top of a send function: invalidate by generation, send once more, then give up.

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/transport/pool.hpp"
#include "redact.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

namespace daftra::auth {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

namespace {

// A token, waiting at most until the call's deadline (when it has one).
asio::awaitable<result<auth_header>> wait_for_token(token_source& source,
                                                    std::optional<std::chrono::steady_clock::time_point> deadline) {
    if (!deadline) co_return co_await source.get();
    asio::steady_timer timer(co_await asio::this_coro::executor, *deadline);
    auto v = co_await (source.get() || timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (v.index() == 0) co_return std::move(std::get<0>(v));
    error e;
    e.kind = error_kind::timeout;
    e.code = asio::error::timed_out;
    e.message = "the call's deadline passed while waiting for a token";
    co_return e;
}

error unauthorized(const transport::response& resp, const auth_header& sent) {
    error e;
    e.kind = error_kind::unauthorized;
    e.status = resp.status;
    boost::system::error_code ec;
    auto v = boost::json::parse(resp.body, ec);
    if (!ec && v.is_object())
        if (const auto* m = v.get_object().if_contains("message"); m && m->is_string())
            e.message = std::string(m->get_string());
    if (e.message.empty()) e.message = "Unauthorized";
    // The credential we sent is masked in case the server echoes it.
    std::vector<std::string_view> secrets{sent.value.reveal()};
    if (auto sp = sent.value.reveal().find(' '); sp != std::string::npos)
        secrets.push_back(std::string_view(sent.value.reveal()).substr(sp + 1));
    e.message = detail::clip(detail::redact(std::move(e.message), secrets));
    e.body = detail::redact(resp.body.substr(0, 64u << 10), secrets);
    return e;
}

} // namespace

asio::awaitable<result<transport::response>> authenticated_send(const send_function& send, token_source& source,
                                                                 transport::request req,
                                                                 transport::send_options options) {
    const bool may_retry = source.refreshable();
    for (int attempt = 0;; ++attempt) {
        auto header = source.try_get();  // fast path: no suspension
        if (!header) {
            auto r = co_await wait_for_token(source, options.deadline);
            if (!r) co_return r.error();
            header = std::move(*r);
        }
        // The request is copied only when a second attempt may need it.
        transport::request out = may_retry && attempt == 0 ? req : std::move(req);
        out.headers.push_back({header->name, header->value.reveal()});
        auto r = co_await send(std::move(out), options);
        if (!r || r->status != 401) co_return r;
        if (!may_retry || attempt == 1) co_return unauthorized(*r, *header);
        // Drops the token only if no other request has replaced it since this one was sent.
        source.invalidate(header->generation);
    }
}

asio::awaitable<result<transport::response>> authenticated_send(transport::pool& pool, token_source& source,
                                                                 transport::request req,
                                                                 transport::send_options options) {
    send_function send = [&pool](transport::request r, transport::send_options o) { return pool.send(std::move(r), o); };
    co_return co_await authenticated_send(send, source, std::move(req), options);
}

// Without options: a named default, passed as an lvalue (see the header).
asio::awaitable<result<transport::response>> authenticated_send(const send_function& send, token_source& source,
                                                                 transport::request req) {
    const transport::send_options defaults;
    co_return co_await authenticated_send(send, source, std::move(req), defaults);
}

asio::awaitable<result<transport::response>> authenticated_send(transport::pool& pool, token_source& source,
                                                                 transport::request req) {
    const transport::send_options defaults;
    co_return co_await authenticated_send(pool, source, std::move(req), defaults);
}

} // namespace daftra::auth
