// The refresher's decisions (token_state.hpp). No I/O, no lock: the caller holds the source's mutex.

#include "token_state.hpp"

#include "daftra/auth/errors.hpp"

#include <algorithm>

namespace daftra::auth::detail {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

token_state::token_state(bool refreshable, const auth_options& options, std::uint64_t seed)
    : refreshable_(refreshable), early_refresh_(options.early_refresh), backoff_(options.backoff),
      rng_(static_cast<std::minstd_rand::result_type>(seed)) {}

void token_state::hold_forever(secret access) {
    held_token t;
    t.access = std::move(access);
    t.expires_at = t.refresh_at = time_point::max();
    token_ = std::move(t);
}

void token_state::adopt_stored(const stored_token& s, time_point now) {
    // Its refresh token is worth having even when the access token expired.
    if (!s.refresh_token.empty()) refresh_token_ = s.refresh_token;
    if (s.access_token.empty() || now >= s.expires_at) return;
    held_token t;
    t.access = s.access_token;
    t.issued_at = s.issued_at;
    t.expires_at = s.expires_at;
    t.refresh_at = s.expires_at - skew_for(s.issued_at, s.expires_at);
    t.generation = ++generation_;
    token_ = std::move(t);
}

milliseconds token_state::skew_for(time_point issued_at, time_point expires_at) const {
    if (early_refresh_) return *early_refresh_;
    auto lifetime = std::chrono::duration_cast<milliseconds>(expires_at - issued_at);
    return std::clamp<milliseconds>(lifetime / 10, 0ms, 60'000ms);
}

milliseconds token_state::backoff(unsigned failures) {
    auto d = backoff_.initial;
    for (unsigned i = 0; i < failures && d < backoff_.max; ++i) d *= 2;
    d = std::min(d, backoff_.max);
    std::uniform_int_distribution<milliseconds::rep> pick(d.count() / 2, d.count());
    return milliseconds(pick(rng_));
}

bool token_state::usable(time_point now) const noexcept {
    return token_ && !token_->invalidated && now < token_->expires_at;
}

error token_state::failure() const {
    if (last_error_) return *last_error_;
    return make_error(error_kind::auth, make_error_code(errc::no_credentials), "no valid token");
}

// An early (background) refresh: the token is in its early window, none runs, and no backoff holds it.
bool token_state::background_due(time_point now) {
    if (!refreshable_ || in_flight_ || stopped_ || now < token_->refresh_at || now < retry_at_) return false;
    in_flight_ = true;
    ++stats_.refreshes;
    ++stats_.background_refreshes;
    return true;
}

token_state::get_decision token_state::on_get(time_point now) {
    get_decision d;
    if (stopped_) {
        d.action = get_action::stopped;
    } else if (usable(now)) {
        d.action = get_action::ready;
        d.start_refresh = background_due(now);
    } else if (!in_flight_ && last_error_ && now < retry_at_) {
        d.action = get_action::fail;  // backing off: fail at once, no new token request
    } else {
        d.action = get_action::wait;
        if (!in_flight_) {
            in_flight_ = d.start_refresh = true;
            ++stats_.refreshes;
        }
        ++stats_.waits;
    }
    return d;
}

bool token_state::on_try_get(time_point now, bool& start_refresh) {
    start_refresh = false;
    if (stopped_ || !usable(now)) return false;
    start_refresh = background_due(now);
    return true;
}

void token_state::invalidate(std::uint64_t generation) {
    if (refreshable_ && token_ && token_->generation == generation) token_->invalidated = true;
}

void token_state::forget_refresh_token(const secret& refused) {
    if (refresh_token_ == refused) refresh_token_ = secret();
}

bool token_state::on_refresh_done(result<fresh_token> r, time_point now, std::optional<stored_token>* save) {
    in_flight_ = false;
    if (stopped_) return false;  // stop() already failed the waiters
    if (r) {
        auto& f = *r;
        // Never replace a refresh token by an empty one: servers often send it only once.
        if (!f.refresh.empty()) refresh_token_ = std::move(f.refresh);
        held_token h;
        h.access = std::move(f.access);
        h.issued_at = f.issued_at;
        h.expires_at = f.expires_at;
        h.refresh_at = f.expires_at - skew_for(f.issued_at, f.expires_at);
        h.generation = ++generation_;
        token_ = std::move(h);
        last_error_.reset();
        failures_ = 0;
        retry_at_ = {};
        if (save && !f.from_store) *save = stored_token{token_->access, refresh_token_, token_->issued_at, token_->expires_at};
        // A token just issued goes to the waiters even if the clock already calls it expired (a
        // lifetime shorter than the round trip, or a clock jump).
        return true;
    }
    ++stats_.failed_refreshes;
    last_error_ = r.error();
    retry_at_ = now + backoff(failures_++);
    // A failed early refresh leaves the old token, still usable.
    return usable(now);
}

bool token_state::stop() noexcept {
    if (stopped_) return false;
    stopped_ = true;
    return true;
}

token_source_stats token_state::stats() const {
    auto s = stats_;
    s.generation = token_ ? token_->generation : 0;
    return s;
}

} // namespace daftra::auth::detail
