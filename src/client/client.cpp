// daftra::client: ties the pool, the token source, the rate limiter and the retry loop together.

#include "client_impl.hpp"
#include "retry_loop.hpp"
#include "scoped_sender.hpp"

#include <stdexcept>

namespace daftra {
namespace detail {

namespace {

const std::string& checked_origin(const std::string& base_url) {
    if (base_url.empty()) throw std::invalid_argument("daftra::client: client_options::base_url is required");
    return base_url;
}

// One clock for every layer: the pool and the token source take the client's hooks where their own
// options leave them empty. A fleet gives the account's shared token and budget where none is set.
client_options with_shared_parts(client_options o, const boost::asio::any_io_executor& ex,
                                 const auth::credentials& creds, fleet_parts& used) {
    o.pool.clock = o.pool.clock.or_else(o.clock);
    o.auth.clock = o.auth.clock.or_else(o.clock);
    if (o.fleet) {
        fleet_parts parts = o.fleet->attach(ex, auth::fleet_account(checked_origin(o.base_url), creds));
        if (!o.auth.shared_store && creds.refreshable()) o.auth.shared_store = used.tokens = std::move(parts.tokens);
        if (!o.rate_limit.shared && o.rate_limit.requests_per_second > 0) o.rate_limit.shared = used.rate = std::move(parts.rate);
    }
    return o;
}

} // namespace

client_impl::client_impl(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options)
    : executor_(executor), options_(with_shared_parts(std::move(options), executor, credentials, fleet_parts_)),
      pool_(executor, checked_origin(options_.base_url), options_.pool),
      tokens_(executor, pool_, std::move(credentials), options_.auth) {
    if (rate_limiter::limits(options_.rate_limit))
        limiter_ = std::make_shared<rate_limiter>(executor, options_.rate_limit, options_.clock);
    // A raw `this`: every call holds the client_impl alive (retry_plan::keep_alive) while it runs, and
    // a pointer keeps the std::function free of allocations.
    attempt_ = [this](transport::request req, transport::send_options opts) {
        return auth::authenticated_send(pool_, tokens_, std::move(req), opts);
    };
}

boost::asio::awaitable<result<transport::response>> client_impl::send(transport::request request) {
    return send_with(std::move(request), defaults_, shared_from_this());
}

boost::asio::awaitable<result<transport::response>> client_impl::send_with(transport::request request,
                                                                          const call_options& options,
                                                                          std::shared_ptr<const void> keep_alive) {
    retry_plan plan;
    plan.policy = options.retry ? &*options.retry : &options_.retry;
    plan.clock = &options_.clock;
    plan.limiter = limiter_.get();
    plan.deadline = options_.clock.steady_time() + options.timeout.value_or(options_.pool.request_timeout);
    if (options.deadline && *options.deadline < plan.deadline) plan.deadline = *options.deadline;
    plan.keep_alive = std::move(keep_alive);
    return send_with_retries(attempt_, std::move(request), std::move(plan));
}

void client_impl::shutdown() {
    if (limiter_) limiter_->shutdown();
    tokens_.shutdown();
    pool_.shutdown();
    // The fleet's parts made for this client (not ones the caller set and may share): their connections.
    if (fleet_parts_.tokens) fleet_parts_.tokens->shutdown();
    if (fleet_parts_.rate) fleet_parts_.rate->shutdown();
}

} // namespace detail

client::client(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options)
    : client(std::make_shared<detail::client_impl>(std::move(executor), std::move(credentials), std::move(options))) {}

client::client(std::shared_ptr<detail::client_impl> impl) : client_base(impl), impl_(std::move(impl)) {}

client::~client() { impl_->shutdown(); }

scoped_client client::with(const call_options& options) const {
    return scoped_client(std::make_shared<detail::scoped_sender>(impl_, options));
}

transport::pool_stats client::pool_stats() const { return impl_->pool_stats(); }

void client::shutdown() { impl_->shutdown(); }

} // namespace daftra
