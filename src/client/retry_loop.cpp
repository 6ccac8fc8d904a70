#include "retry_loop.hpp"

#include "rate_limiter.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <optional>
#include <random>

namespace daftra::detail {

namespace {

// Full jitter: uniform in [0, ceiling]. One generator per thread: no lock on the retry path.
std::chrono::milliseconds uniform_jitter(std::chrono::milliseconds ceiling) {
    if (ceiling.count() <= 0) return std::chrono::milliseconds(0);
    thread_local std::minstd_rand rng(std::random_device{}());
    std::uniform_int_distribution<std::int64_t> pick(0, ceiling.count());
    return std::chrono::milliseconds(pick(rng));
}

bool cancelled(const boost::asio::cancellation_state& state) {
    return state.cancelled() != boost::asio::cancellation_type::none;
}

// True when an attempt that is about to be retried may have acted on the server without saying so
// definitely: a failure after (part of) the request was written (reset, connection lost, timeout), or a
// gateway's 502/504, whose server behind may have acted on it. 408, 429 and 503 say the request was
// not handled; a failure without maybe_sent was never sent.
bool outcome_unknown(const result<transport::response>& answer) {
    if (answer) return answer->status == 502 || answer->status == 504 || answer->after_unknown_outcome;
    return answer.error().maybe_sent;
}

error deadline_passed() {
    return make_error(error_kind::timeout, boost::asio::error::timed_out, "the call's deadline passed before it was sent");
}

} // namespace

boost::asio::awaitable<result<transport::response>> send_with_retries(const auth::send_function& attempt,
                                                                     transport::request request, retry_plan plan) {
    const retry_options& policy = *plan.policy;
    const clock_hooks& clock = *plan.clock;
    const unsigned attempts = policy.max_attempts < 1 ? 1 : policy.max_attempts;
    if (clock.steady_time() >= plan.deadline) co_return deadline_passed();
    const auto cancellation = co_await boost::asio::this_coro::cancellation_state;  // a live view
    bool unknown_before = false;  // an earlier attempt may have acted on the server (outcome_unknown)

    for (unsigned n = 1;; ++n) {
        // A cancellation that came while an attempt finished anyway: end here with an error, before
        // the next co_await would throw it.
        if (n > 1 && cancelled(cancellation))
            co_return make_error(error_kind::cancelled, boost::asio::error::operation_aborted, "cancelled between attempts");
        std::optional<rate_limiter::permit> permit;
        if (plan.limiter) {
            auto granted = co_await plan.limiter->acquire(plan.deadline);
            if (!granted) co_return granted.error();
            permit.emplace(std::move(*granted));
        }
        transport::send_options send_opts;
        send_opts.deadline = plan.deadline;
        // Each attempt but the last sends a copy: `request` stays for the next one (the decisions below
        // read it only when another attempt is allowed).
        transport::request sent;
        if (n < attempts)
            sent = request;
        else
            sent = std::move(request);
        auto answer = co_await attempt(std::move(sent), send_opts);
        permit.reset();  // a call waiting to retry holds no slot
        if (answer && unknown_before) answer->after_unknown_outcome = true;

        std::optional<std::chrono::milliseconds> wait;
        if (answer) {
            if (n >= attempts || !retry::retry_answer(request, answer->status)) co_return answer;
            if (auto value = answer->header("Retry-After")) {
                wait = retry::parse_retry_after(*value, clock.wall_time());
                if (wait && *wait > policy.max_retry_after) co_return answer;  // the server asks for too long
            }
        } else if (n >= attempts || !retry::retry_failure(request, answer.error())) {
            co_return answer;
        }
        if (!wait) {
            const auto ceiling = retry::backoff_ceiling(policy, n + 1);
            wait = policy.jitter ? std::clamp(policy.jitter(ceiling), std::chrono::milliseconds(0), ceiling)
                                 : uniform_jitter(ceiling);
        }
        if (clock.steady_time() + *wait >= plan.deadline) co_return answer;  // no time left for another attempt
        unknown_before = unknown_before || outcome_unknown(answer);

        if (cancelled(cancellation))
            co_return make_error(error_kind::cancelled, boost::asio::error::operation_aborted, "cancelled while waiting to retry");
        const boost::system::error_code ec = co_await clock.sleep_for(*wait);
        if (ec) co_return make_error(error_kind::cancelled, ec, "cancelled while waiting to retry");
    }
}

} // namespace daftra::detail
