// The single-flight refresher: fast path, waiters, the refresh task and its outcome.

#include "token_source_impl.hpp"

#include "daftra/auth/shared_token_store.hpp"

#include "daftra/auth/errors.hpp"
#include "daftra/transport/pool.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace daftra::auth {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

namespace {

// When the server does not say how long a token lives, assume the documented example (3600 s).
constexpr std::chrono::seconds assumed_lifetime{3600};

error cancelled_error() {
    return make_error(error_kind::cancelled, asio::error::operation_aborted, "token source shut down");
}

auth_options with_defaults(auth_options o) {
    if (o.refresh_attempts == 0) o.refresh_attempts = 1;
    if (o.backoff.initial.count() <= 0) o.backoff.initial = 1ms;
    if (o.backoff.max < o.backoff.initial) o.backoff.max = o.backoff.initial;
    return o;
}

} // namespace

// ---- construction -------------------------------------------------------------------------------------

token_source_impl::token_source_impl(asio::any_io_executor ex, credentials creds, auth_options options,
                                     token_fetcher fetch)
    : ex_(ex), strand_(asio::make_strand(ex)), creds_(std::move(creds)), options_(with_defaults(std::move(options))),
      fetch_(std::move(fetch)), refreshable_(creds_.refreshable()),
      state_(refreshable_, options_, std::random_device{}()) {
    if (!refreshable_) {
        // Static credentials: one token forever; generation 0 tells authenticated_send nothing can refresh it.
        if (const auto* b = std::get_if<bearer_token>(&creds_.value())) state_.hold_forever(b->token);
        else state_.hold_forever(std::get<api_key>(creds_.value()).key);
        return;
    }
    if (!fetch_) throw std::invalid_argument("daftra: token_source needs a token fetcher for OAuth2 credentials");
    if (const auto* rg = std::get_if<refresh_grant>(&creds_.value())) {
        stored_token initial;
        initial.refresh_token = rg->refresh_token;
        state_.adopt_stored(initial, now());
    }
    // A token kept from an earlier run.
    if (options_.store)
        if (auto s = options_.store->load()) state_.adopt_stored(*s, now());
}

// ---- state helpers (mutex held) -------------------------------------------------------------------------

auth_header token_source_impl::header_locked() const {
    const bool api_key_creds = std::holds_alternative<api_key>(creds_.value());
    const bool as_apikey = options_.header == header_style::apikey ||
                           (options_.header == header_style::automatic && api_key_creds);
    const detail::held_token& token = *state_.token();
    auth_header h;
    h.generation = token.generation;
    if (as_apikey) {
        h.name = "apikey";
        h.value = token.access;
    } else {
        h.name = "Authorization";
        h.value = secret("Bearer " + token.access.reveal());
    }
    return h;
}

// ---- callers ----------------------------------------------------------------------------------------------

std::optional<auth_header> token_source_impl::try_get() {
    bool spawn = false;
    std::optional<auth_header> out;
    {
        std::lock_guard lock(mutex_);
        if (!state_.on_try_get(now(), spawn)) return std::nullopt;
        out = header_locked();
    }
    if (spawn) spawn_refresh();
    return out;
}

void token_source_impl::start_get(std::shared_ptr<waiter> w) {
    bool spawn = false;
    std::optional<result<auth_header>> now_result;
    {
        std::lock_guard lock(mutex_);
        const auto decision = state_.on_get(now());
        spawn = decision.start_refresh;
        switch (decision.action) {
        case detail::token_state::get_action::stopped: now_result.emplace(cancelled_error()); break;
        case detail::token_state::get_action::ready: now_result.emplace(header_locked()); break;
        case detail::token_state::get_action::fail: now_result.emplace(state_.failure()); break;
        case detail::token_state::get_action::wait:
            waiters_.push_back(w);
            w->on_cancellation([self = shared_from_this(), weak = std::weak_ptr<waiter>(w)](asio::cancellation_type) {
                if (auto w = weak.lock()) self->cancel_waiter(w);
            });
            break;
        }
    }
    if (spawn) spawn_refresh();
    if (now_result) w->complete(std::move(*now_result));
}

void token_source_impl::cancel_waiter(const std::shared_ptr<waiter>& w) {
    {
        std::lock_guard lock(mutex_);
        if (!w->linked) return;  // the outcome is already on its way
        waiters_.unlink(*w);
    }
    // Only this waiter leaves; the refresh task and the other waiters carry on.
    w->complete(make_error(error_kind::cancelled, asio::error::operation_aborted, "cancelled while waiting for a token"));
}

void token_source_impl::invalidate(std::uint64_t generation) {
    secret failed;
    {
        std::lock_guard lock(mutex_);
        if (options_.shared_store && state_.token() && state_.token()->generation == generation && !state_.token()->invalidated)
            failed = state_.token()->access;
        state_.invalidate(generation);
    }
    if (!failed.empty()) options_.shared_store->discard(failed);
}

token_source_stats token_source_impl::stats() const {
    std::lock_guard lock(mutex_);
    return state_.stats();
}

void token_source_impl::shutdown() {
    std::vector<std::shared_ptr<waiter>> waiters;
    {
        std::lock_guard lock(mutex_);
        if (!state_.stop()) return;
        waiters = waiters_.take_all();
    }
    for (auto& w : waiters) w->complete(cancelled_error());
    // The task's signal is only touched on the strand, where the task itself runs: it is emitted only
    // while it is still the current task's (finish() clears it on the strand).
    asio::dispatch(strand_, [self = shared_from_this()] {
        std::shared_ptr<asio::cancellation_signal> sig;
        {
            std::lock_guard lock(self->mutex_);
            sig = self->flight_signal_;
        }
        if (sig) sig->emit(asio::cancellation_type::terminal);
    });
}

// ---- the refresh task -------------------------------------------------------------------------------------

void token_source_impl::spawn_refresh() {
    // Spawned from the strand so that setting up the task's cancellation slot and shutdown()'s emit never race.
    asio::dispatch(strand_, [self = shared_from_this()] {
        auto sig = std::make_shared<asio::cancellation_signal>();
        {
            std::lock_guard lock(self->mutex_);
            if (self->state_.stopped()) {
                self->state_.on_refresh_abandoned();
                return;
            }
            self->flight_signal_ = sig;
        }
        asio::co_spawn(self->strand_, run_refresh(self), asio::bind_cancellation_slot(sig->slot(), asio::detached));
    });
}

asio::awaitable<void> token_source_impl::run_refresh(std::shared_ptr<token_source_impl> self) {
    result<fresh_token> r = cancelled_error();
    try {
        r = co_await self->refresh();
    } catch (const boost::system::system_error&) {
        // Thrown by an operation cancelled through shutdown(); reported as a cancellation.
    } catch (const std::exception&) {
        // Not the exception's text: a fetcher's message could hold anything.
        r = make_error(error_kind::auth, make_error_code(errc::unavailable), "token request failed with an exception");
    }
    self->finish(std::move(r));
}

asio::awaitable<void> token_source_impl::pause(milliseconds d) {
    // On the strand (the refresh task's executor); a cancelled pause just ends early.
    (void)co_await options_.clock.sleep_for(d);
}

std::optional<token_source_impl::fresh_token> token_source_impl::adopt_from_store() {
    if (!options_.store) return std::nullopt;
    auto s = options_.store->load();
    if (!s || s->access_token.empty()) return std::nullopt;
    const auto t = now();
    std::lock_guard lock(mutex_);
    // Another process (or an earlier run) saved a token that we do not hold yet and that is not due for
    // refresh itself: use it instead of a token request.
    if (state_.token() && state_.token()->access == s->access_token) return std::nullopt;
    if (t >= s->expires_at - state_.skew_for(s->issued_at, s->expires_at)) return std::nullopt;
    return fresh_token{std::move(s->access_token), std::move(s->refresh_token), s->issued_at, s->expires_at, true};
}

asio::awaitable<result<token_source_impl::fresh_token>> token_source_impl::refresh() {
    if (auto adopted = adopt_from_store()) co_return std::move(*adopted);
    result<fresh_token> last = cancelled_error();
    for (unsigned attempt = 0; attempt < options_.refresh_attempts; ++attempt) {
        {
            std::lock_guard lock(mutex_);
            if (state_.stopped()) co_return cancelled_error();
        }
        last = co_await request_once();
        // Success, or credentials that a retry cannot fix: done (fail fast, no retry loop).
        if (last || is_credentials_error(last.error().code)) co_return last;
        if (attempt + 1 < options_.refresh_attempts) {
            milliseconds d;
            {
                std::lock_guard lock(mutex_);
                d = state_.backoff(attempt);
            }
            co_await pause(d);
        }
    }
    co_return last;
}

asio::awaitable<result<token_source_impl::fresh_token>> token_source_impl::request_once() {
    secret rt;
    {
        std::lock_guard lock(mutex_);
        rt = state_.refresh_token();
    }
    const bool have_password = std::holds_alternative<password_grant>(creds_.value());
    if (!rt.empty()) {
        const grant_request refresh_grant_req{grant_request::kind::refresh_token, rt};
        auto r = co_await fetch(refresh_grant_req);
        if (r || r.error().code != errc::invalid_grant || !have_password) co_return r;
        // The refresh token is dead (expired, revoked, already used): forget it, unless a newer one
        // arrived meanwhile, and fall back to the password grant.
        std::lock_guard lock(mutex_);
        state_.forget_refresh_token(rt);
    }
    if (!have_password)
        co_return make_error(error_kind::auth, make_error_code(errc::no_credentials),
                             "no refresh token and no password to obtain a token with");
    const grant_request password_grant_req{grant_request::kind::password, {}};
    co_return co_await fetch(password_grant_req);
}

// `grant` by reference, to a named object in the caller's frame: g++ 12 miscompiles a by-value coroutine
// parameter initialised from a braced temporary (the frame's copy kept pointers into the caller's object).
asio::awaitable<result<token_source_impl::fresh_token>> token_source_impl::fetch(const grant_request& grant) {
    // The lifetime counts from when the request left, not from when the answer arrived: safer by one round trip.
    const auto sent_at = now();
    result<issued_token> r = make_error(error_kind::auth, make_error_code(errc::unavailable), "no token request made");
    if (options_.shared_store) {
        // The fleet's store decides whether this process fetches; only a real request is counted as one.
        secret held;
        {
            std::lock_guard lock(mutex_);
            if (state_.token()) held = state_.token()->access;
        }
        auto self = shared_from_this();
        token_fetcher counted = [self](const grant_request& g) {
            {
                std::lock_guard lock(self->mutex_);
                self->state_.count_token_request();
            }
            return self->fetch_(g);
        };
        r = co_await options_.shared_store->obtain(grant, counted, held);
    } else {
        {
            std::lock_guard lock(mutex_);
            state_.count_token_request();
        }
        r = co_await fetch_(grant);
    }
    if (!r) co_return r.error();
    if (r->expires_at)
        co_return fresh_token{std::move(r->access_token), std::move(r->refresh_token), r->issued_at.value_or(sent_at),
                              *r->expires_at, false};
    auto lifetime = r->expires_in.count() > 0 ? r->expires_in : assumed_lifetime;
    co_return fresh_token{std::move(r->access_token), std::move(r->refresh_token), sent_at, sent_at + lifetime, false};
}

void token_source_impl::finish(result<fresh_token> r) {
    std::vector<std::shared_ptr<waiter>> waiters;
    std::optional<result<auth_header>> outcome;
    std::optional<stored_token> to_save;
    {
        std::lock_guard lock(mutex_);
        flight_signal_.reset();
        const bool stopped = state_.stopped();  // then shutdown() already completed the waiters
        const bool got_token = state_.on_refresh_done(std::move(r), now(), options_.store ? &to_save : nullptr);
        if (stopped) return;
        if (got_token) outcome.emplace(header_locked());
        else outcome.emplace(state_.failure());
        waiters = waiters_.take_all();
    }
    for (auto& w : waiters) w->complete(*outcome);
    // After the waiters are on their way; still on the strand, so saves never overlap.
    if (to_save) (void)options_.store->save(*to_save);
}

// ---- public wrapper -----------------------------------------------------------------------------------

token_source::token_source(asio::any_io_executor executor, credentials creds, auth_options options, token_fetcher fetch)
    : impl_(std::make_shared<token_source_impl>(std::move(executor), std::move(creds), std::move(options),
                                                std::move(fetch))) {}

token_source::token_source(asio::any_io_executor executor, transport::pool& pool, credentials creds,
                           auth_options options)
    : token_source(executor, creds,  options,
                   creds.refreshable() ? http_token_fetcher(pool, creds, options) : token_fetcher{}) {}

token_source::~token_source() { impl_->shutdown(); }

std::optional<auth_header> token_source::try_get() { return impl_->try_get(); }

asio::awaitable<result<auth_header>> token_source::get() {
    auto impl = impl_;  // the source may be destroyed while this caller waits
    if (auto h = impl->try_get()) co_return std::move(*h);
    co_return co_await impl->async_get(asio::use_awaitable);
}

void token_source::invalidate(std::uint64_t generation) { impl_->invalidate(generation); }
bool token_source::refreshable() const noexcept { return impl_->refreshable(); }
token_source_stats token_source::stats() const { return impl_->stats(); }
boost::asio::any_io_executor token_source::get_executor() const noexcept { return impl_->get_executor(); }
void token_source::shutdown() { impl_->shutdown(); }

} // namespace daftra::auth
