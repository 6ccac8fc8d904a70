#pragma once
// The shared state behind daftra::client. Calls in flight hold a shared_ptr to it, so destroying the
// client while they run is safe: shutdown() fails them, and the last one frees the state.

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/auth/token_source.hpp"
#include "daftra/client.hpp"
#include "daftra/transport/pool.hpp"

#include "rate_limiter.hpp"

#include <memory>

namespace daftra::detail {

class client_impl final : public resources::sender, public std::enable_shared_from_this<client_impl> {
public:
    client_impl(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options);

    /// Credentials + rate limits + retries + pool, with the client's options (see retry.hpp for what is
    /// retried).
    boost::asio::awaitable<result<transport::response>> send(transport::request request) override;
    boost::asio::any_io_executor executor() const override { return executor_; }
    std::string base_url() const override { return options_.base_url; }

    /// The same with per-call options. `keep_alive` owns `options` (and keeps this object alive)
    /// until the returned awaitable has finished.
    boost::asio::awaitable<result<transport::response>> send_with(transport::request request, const call_options& options,
                                                                  std::shared_ptr<const void> keep_alive);

    transport::pool_stats pool_stats() const { return pool_.stats(); }
    void shutdown();

private:
    boost::asio::any_io_executor executor_;
    fleet_parts fleet_parts_;  // what client_options::fleet made for this client (before options_: filled by its init)
    client_options options_;
    transport::pool pool_;
    auth::token_source tokens_;
    std::shared_ptr<rate_limiter> limiter_;  // null when client_options::rate_limit sets no limit
    auth::send_function attempt_;            // one attempt of a call: credentials + pool
    call_options defaults_;                  // empty: the client's own settings
};

} // namespace daftra::detail
