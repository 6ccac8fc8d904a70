// pool::send: acquire a connection, run the exchange on the connection's strand, replay a stale
// idempotent request once, release, report.

#include "pool_impl.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace daftra::transport {

namespace asio = boost::asio;
using boost::system::error_code;
using std::chrono::duration_cast;
using std::chrono::microseconds;

namespace {

bool has_control_chars(std::string_view s) {
    for (unsigned char ch : s)
        if (ch < 0x20 || ch == 0x7f) return true;
    return false;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char ch : s)
        if (ch <= 0x20 || ch >= 0x7f || std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(ch)) != std::string_view::npos)
            return false;
    return true;
}

// Refuses what would corrupt the request on the wire (header injection, a target that is not a path).
std::optional<error> validate(const request& req) {
    if (req.target.empty() || req.target.front() != '/' || has_control_chars(req.target) ||
        req.target.find(' ') != std::string::npos)
        return make_error(error_kind::invalid_argument, {}, "request target must be a path starting with '/' without spaces or control characters");
    for (const auto& h : req.headers) {
        if (!is_token(h.name)) return make_error(error_kind::invalid_argument, {}, "invalid header name '" + h.name + "'");
        if (has_control_chars(h.value))
            return make_error(error_kind::invalid_argument, {}, "header '" + h.name + "' contains control characters");
    }
    return std::nullopt;
}

error acquire_error(error_code ec, std::chrono::milliseconds acquire_timeout) {
    if (ec == boost::system::errc::resource_unavailable_try_again)
        return make_error(error_kind::pool_timeout, asio::error::timed_out,
                          "no connection became free within acquire_timeout (" +
                              std::to_string(acquire_timeout.count()) + " ms)");
    if (ec == boost::system::errc::timed_out)
        return make_error(error_kind::timeout, asio::error::timed_out, "the call's deadline expired while waiting for a connection");
    return make_error(error_kind::cancelled, asio::error::operation_aborted, "cancelled while waiting for a connection");
}

} // namespace

asio::awaitable<result<response>> pool_impl::send(std::shared_ptr<pool_impl> self, request req, send_options so) {
    return self->run_send(std::move(self), std::move(req), so);
}

// `self` is unused in the body: being a parameter, it lives in the frame and keeps the state alive
// for the whole call, so destroying the pool handle mid-call is safe (without a wrapper coroutine).
asio::awaitable<result<response>> pool_impl::run_send(std::shared_ptr<pool_impl> /*self*/, request req,
                                                      send_options so) {
    const auto& opt = settings_->options;
    const auto start = clock::now();  // for request_info's durations: real time
    // Deadlines, idle expiry and connection age are read on the pool's clock (pool_options::clock).
    const auto deadline = so.deadline ? *so.deadline : now() + opt.request_timeout;
    request_info info;
    info.method = req.method;
    auto finish = [&](result<response> r) {
        info.total = duration_cast<microseconds>(clock::now() - start);
        info.ok = r.has_value();
        if (r) info.status = r->status;
        if (opt.on_request) {
            info.target = req.target;  // req lives in this frame until the call returns
            try {
                opt.on_request(info);
            } catch (...) {
                // A hook must not break the call it observes.
            }
        }
        return r;
    };

    if (auto bad = validate(req)) co_return finish(std::move(*bad));

    // Fast path without suspending; otherwise queue (start_waiting re-checks under the lock).
    std::shared_ptr<connection> conn;
    {
        std::vector<std::shared_ptr<connection>> doomed;
        take took;
        {
            std::lock_guard lock(mutex_);
            took = try_take_locked(conn, doomed);
        }
        for (auto& d : doomed) close_async(d);
        if (took == take::stopped)
            co_return finish(make_error(error_kind::cancelled, asio::error::operation_aborted, "the pool was shut down"));
        if (took == take::must_wait) {
            const detail::wait_limit limit = detail::wait_limit_for(now(), opt.acquire_timeout, deadline);
            const error_code code = limit.is_call_deadline
                                        ? make_error_code(boost::system::errc::timed_out)
                                        : make_error_code(boost::system::errc::resource_unavailable_try_again);
            auto [ec, c] = co_await async_acquire(limit.until, code, asio::as_tuple(asio::use_awaitable));
            if (ec) co_return finish(acquire_error(ec, opt.acquire_timeout));
            conn = std::move(c);
        }
    }
    info.queued = duration_cast<microseconds>(clock::now() - start);
    info.connection_order = granted_.fetch_add(1, std::memory_order_relaxed);

    // Handed a connection at the moment the caller gave up: give it back untouched.
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) {
        const bool reusable = conn->connected;
        release(std::move(conn), reusable);
        co_return finish(make_error(error_kind::cancelled, asio::error::operation_aborted, "the request was cancelled"));
    }

    bool replayed_unknown = false;  // the replayed exchange may have reached the server unanswered
    for (;;) {
        if (detail::needs_liveness_check(*conn, req.idempotent(), now()) && !conn->looks_alive()) {
            if (!(conn = replace(conn)))
                co_return finish(make_error(error_kind::cancelled, asio::error::operation_aborted, "the pool was shut down"));
        }
        info.reused_connection = conn->connected;
        requests_.fetch_add(1, std::memory_order_relaxed);

        detail::exchange_outcome out;
        try {
            out = co_await asio::co_spawn(conn->executor(), conn->exchange(req, deadline), asio::use_awaitable);
        } catch (const std::exception&) {
            // Cancelled before the exchange started on its strand.
            release(std::move(conn), false);
            co_return finish(make_error(error_kind::cancelled, asio::error::operation_aborted, "the request was cancelled"));
        }
        info.connect += out.connect;
        info.write = out.write;
        info.wait = out.wait;
        info.body = out.body;

        if (out.answer) {
            release(std::move(conn), out.reusable);
            if (replayed_unknown) out.answer->after_unknown_outcome = true;
            co_return finish(std::move(out.answer));
        }

        error e = std::move(out.answer).error();
        e.maybe_sent = out.maybe_sent;
        const bool stopped = [&] {
            std::lock_guard lock(mutex_);
            return state_.stopped();
        }();
        if (stopped) {
            release(std::move(conn), false);
            co_return finish(make_error(error_kind::cancelled, asio::error::operation_aborted, "the pool was shut down"));
        }
        // A keep-alive connection the server had already dropped: replay once on a new connection, unless
        // the request is not idempotent and may have reached the server.
        detail::failed_exchange failure;  // named, not braced inline: a coroutine (docs/compilers.md)
        failure.stale_candidate = out.stale_candidate;
        failure.maybe_sent = out.maybe_sent;
        if (detail::may_replay(failure, req.idempotent(), info.replayed, now() < deadline)) {
            info.replayed = true;
            replayed_unknown = out.maybe_sent;
            if (!(conn = replace(conn)))
                co_return finish(make_error(error_kind::cancelled, asio::error::operation_aborted, "the pool was shut down"));
            continue;
        }
        release(std::move(conn), false);
        if (!req.idempotent() && out.maybe_sent &&
            (e.kind == error_kind::transport || e.kind == error_kind::timeout || e.kind == error_kind::protocol ||
             e.kind == error_kind::cancelled)) {
            e.message += "; the request may have reached the server and was not sent again because " +
                         std::string(boost::beast::http::to_string(req.method)) + " is not idempotent";
        }
        co_return finish(std::move(e));
    }
}

// ---- public handle ----

pool::pool(asio::any_io_executor executor, std::string_view origin, pool_options options)
    : impl_(std::make_shared<pool_impl>(std::move(executor), origin, std::move(options))) {}

pool::~pool() { impl_->shutdown(); }

// Not coroutines themselves: one coroutine frame per call, not two.
asio::awaitable<result<response>> pool::send(request req, send_options options) {
    return pool_impl::send(impl_, std::move(req), options);
}

asio::awaitable<result<response>> pool::send(request req) {
    return pool_impl::send(impl_, std::move(req), send_options{});
}

pool_stats pool::stats() const { return impl_->stats(); }
asio::any_io_executor pool::get_executor() const noexcept { return impl_->get_executor(); }
const pool_options& pool::options() const noexcept { return impl_->options(); }
void pool::shutdown() { impl_->shutdown(); }

} // namespace daftra::transport
