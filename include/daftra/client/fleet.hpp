#pragma once
// A fleet: the processes of one account sharing their token and their rate budget
// (client_options::fleet). The SDK's core knows only this interface; daftra::redis implements it:
//
//   #include <daftra/redis/fleet.hpp>
//   options.fleet = daftra::redis::make_fleet(redis::fleet_options_from_url("redis://cache:6379").value());
//   options.rate_limit.requests_per_second = 200;  // the whole account's budget
//
// The client asks the fleet for the parts of its account (auth::fleet_account(base_url, credentials))
// when it is made, and uses them as auth_options::shared_store and rate_limit_options::shared unless
// those are set already.

#include "daftra/auth/credentials.hpp"
#include "daftra/auth/shared_token_store.hpp"
#include "daftra/client/rate_limit.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>

namespace daftra {

/// What a fleet gives one account's client.
struct fleet_parts {
    std::shared_ptr<auth::shared_token_store> tokens;  ///< null: tokens stay this process's own
    std::shared_ptr<shared_rate_budget> rate;          ///< null: the rate limit stays this process's own
};

class fleet {
public:
    virtual ~fleet() = default;
    /// The shared parts for `account`, on `ex` (the client's executor).
    virtual fleet_parts attach(boost::asio::any_io_executor ex, const std::string& account) = 0;
};

} // namespace daftra

namespace daftra::auth {

/// "<tenant>:<client_id>:<username>": which processes share a token and a budget. The tenant is the API
/// host (from base_url), the client id and user name come from the credentials (empty for static ones,
/// so an API key's processes share by host).
std::string fleet_account(std::string_view base_url, const credentials& creds);

} // namespace daftra::auth
