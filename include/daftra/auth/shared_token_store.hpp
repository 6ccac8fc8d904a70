#pragma once
// A token shared by every process of one account (auth_options::shared_store), so that a fleet of
// processes refreshes like one client: at an expiry one process requests a token and the others adopt it.
// The token source keeps its own single flight in front: each process asks the shared store at most once
// per refresh, and the store decides whether this process fetches (calling `fetch`, the real token
// request) or adopts what another process stored. daftra::redis provides one: auth::redis_token_store.

#include "daftra/auth/secret.hpp"
#include "daftra/auth/token_endpoint.hpp"
#include "daftra/core/result.hpp"

#include <boost/asio/awaitable.hpp>

namespace daftra::auth {

class shared_token_store {
public:
    virtual ~shared_token_store() = default;

    /// A token for the account, for the token source's refresh: one that another process stored and that
    /// is not `held` (the token this process has and is replacing) nor due for refresh itself, or one
    /// fetched with `fetch(grant)` by whichever process the fleet lets fetch. A store that cannot reach its
    /// backend fetches directly (at most one request per process per refresh, as without a store); it
    /// never fails a refresh that `fetch` alone would have served.
    virtual boost::asio::awaitable<result<issued_token>> obtain(const grant_request& grant, const token_fetcher& fetch,
                                                                const secret& held) = 0;

    /// A request with `failed` was answered 401: forget it fleet-wide, unless another token has already
    /// replaced it (compare-and-delete). Does not wait; failures are ignored (the token expires anyway).
    virtual void discard(const secret& failed) = 0;

    /// Closes its connections (a client that got the store from its fleet calls it on shutdown, so that
    /// io_context::run() can return). Later refreshes request their tokens as without a store.
    virtual void shutdown() {}
};

} // namespace daftra::auth
