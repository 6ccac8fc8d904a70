#pragma once
// The shared state behind daftra::client. Calls in flight hold a shared_ptr to it, so destroying the
// client while they run is safe: shutdown() fails them, and the last one frees the state.

#include "daftra/auth/token_source.hpp"
#include "daftra/client.hpp"
#include "daftra/transport/pool.hpp"

#include <mutex>
#include <random>

namespace daftra::detail {

class client_impl final : public resources::sender, public std::enable_shared_from_this<client_impl> {
public:
    client_impl(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options);

    /// Credentials + retries + pool (see retry.hpp for what is retried).
    boost::asio::awaitable<result<transport::response>> send(transport::request request) override;
    boost::asio::any_io_executor executor() const override { return executor_; }

    transport::pool_stats pool_stats() const { return pool_.stats(); }
    void shutdown();

private:
    static boost::asio::awaitable<result<transport::response>> send_with_retries(std::shared_ptr<client_impl> self,
                                                                               transport::request request);
    /// A uniform wait in [0, ceiling] ("full jitter"): spreads the retries of many callers.
    std::chrono::milliseconds jitter(std::chrono::milliseconds ceiling);

    boost::asio::any_io_executor executor_;
    client_options options_;
    transport::pool pool_;
    auth::token_source tokens_;
    std::mutex rng_mutex_;
    std::minstd_rand rng_;
};

} // namespace daftra::detail
