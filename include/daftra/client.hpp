#pragma once
// daftra::client: the SDK's entry point. It owns one connection pool to the tenant's origin, the token
// refresher and the retry policy, and hands out the typed resources of the table:
//
//   daftra::client api(io.get_executor(), daftra::auth::api_key{daftra::auth::secret("…")},
//                      {.base_url = "https://acme.daftra.com"});
//   auto inv = co_await api.invoices().get(7);          // result<daftra::invoice>
//   query q; q.limit = 100;                              // name objects before co_await (g++ 12)
//   auto page = co_await api.clients().list(q);          // result<page<daftra::client_record>>
//   auto it = api.products().all(q);                     // every record of every page
//
// Per-call options: `with()` returns a handle with the same resources and calls whose calls use
// other call_options (a deadline, a timeout, a retry policy); it shares everything else:
//
//   daftra::call_options o; o.timeout = std::chrono::seconds(2); o.retry = daftra::retry_options{};
//   o.retry->max_attempts = 1;
//   auto quick = api.with(o);                            // name it: no braced temporaries in co_await
//   auto inv = co_await quick.invoices().get(7);         // fails after 2 s at most, never retried
//
// Thread safety: one client may be used by coroutines on any threads of a multi-threaded io_context.
// There is no process-wide state. Destruction (or shutdown()) fails the calls in flight with
// error_kind::cancelled and stops the token refresher; the io_context must keep running until they
// have finished. Resources, pagers and calls keep the client's shared state alive, so they may outlive
// the client: their calls then fail with error_kind::cancelled.

#include "daftra/auth/credentials.hpp"
#include "daftra/auth/options.hpp"
#include "daftra/client/call_options.hpp"
#include "daftra/client/client_base.hpp"
#include "daftra/core/clock.hpp"
#include "daftra/client/environment.hpp"
#include "daftra/client/fleet.hpp"
#include "daftra/client/rate_limit.hpp"
#include "daftra/client/retry.hpp"
#include "daftra/client/scoped_client.hpp"
#include "daftra/transport/options.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>

namespace daftra {

/// Everything configurable about a client; each part documents its own defaults.
struct client_options {
    /// The tenant's origin, "https://{subdomain}.daftra.com" (a custom domain works the same). A path,
    /// if present, is ignored. Required: the constructor throws std::invalid_argument without it.
    std::string base_url{};
    /// Connections, timeouts, TLS (CA file), body limits. The per-call deadline is
    /// pool.request_timeout (default 120 s), retries and rate-limit waits included; call_options
    /// (client::with()) sets another for some calls.
    transport::pool_options pool{};
    /// Token endpoint paths, body encoding, header style, early refresh, token store.
    auth::auth_options auth{};
    /// Attempts and backoff of failed calls (client::with() overrides it for some calls).
    retry_options retry{};
    /// Client-side limits on request rate and on requests in flight. Default: none.
    rate_limit_options rate_limit{};
    /// The processes of the same account sharing one token and one rate budget (client/fleet.hpp;
    /// daftra::redis::make_fleet). Default: nullptr, this process alone.
    std::shared_ptr<daftra::fleet> fleet{};
    /// The clocks and sleep of every layer: call deadlines, the pool's idle timeout and queue, token
    /// expiry and refresh pauses, retries, rate limits. The client gives it to the pool and the token
    /// source, where it fills the hooks that pool.clock and auth.clock leave empty. For tests.
    /// Default: the real ones.
    clock_hooks clock{};
};

namespace detail { class client_impl; }

class client : public client_base {
public:
    /// Throws std::invalid_argument for a bad base_url and when the TLS settings cannot be loaded.
    client(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // The resources (api.invoices(), …) and calls (site_info(), raw(), …) are those of client_base.

    /// A handle on this client whose calls use `options` (deadline, timeout, retry policy). It shares the
    /// client's connections, tokens and rate limits, and keeps them alive like a resource does; calls
    /// through it after shutdown fail with error_kind::cancelled. Pagers made from it (all()) apply the
    /// options to every page.
    scoped_client with(const call_options& options) const;

    /// Connection pool counters.
    transport::pool_stats pool_stats() const;

    /// Fails every call in flight and every later call with error_kind::cancelled. Idempotent.
    void shutdown();

private:
    explicit client(std::shared_ptr<detail::client_impl> impl);

    std::shared_ptr<detail::client_impl> impl_;
};

} // namespace daftra
