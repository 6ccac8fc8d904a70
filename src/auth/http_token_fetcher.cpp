// The real token_fetcher: one token request through transport::pool, with the path fallback of
// auth_options::token_paths.

#include "daftra/auth/errors.hpp"
#include "daftra/auth/token_endpoint.hpp"
#include "daftra/transport/pool.hpp"
#include "redact.hpp"

#include <atomic>
#include <stdexcept>

namespace daftra::auth {

namespace asio = boost::asio;

namespace {

struct fetcher_state {
    transport::pool& pool;
    credentials creds;
    body_encoding encoding;
    std::vector<std::string> paths;
    milliseconds timeout;
    // Index of the path that answered last; only the refresher's single task calls the fetcher, the
    // atomic just keeps a concurrent misuse from being undefined behaviour.
    std::atomic<std::size_t> path_index{0};
};

asio::awaitable<result<issued_token>> fetch(std::shared_ptr<fetcher_state> st, grant_request grant) {
    auto secrets = st->creds.secrets();
    if (!grant.refresh_token.empty()) secrets.push_back(grant.refresh_token.reveal());
    for (auto i = st->path_index.load(std::memory_order_relaxed); i < st->paths.size(); ++i) {
        transport::send_options so;
        so.deadline = std::chrono::steady_clock::now() + st->timeout;
        auto r = co_await st->pool.send(make_token_request(st->creds, grant, st->encoding, st->paths[i]), so);
        if (!r) {
            error e;
            e.kind = error_kind::auth;
            e.code = make_error_code(errc::unavailable);
            e.message = detail::redact("token endpoint unreachable: " + r.error().describe(), secrets);
            co_return e;
        }
        // 404: this deployment serves the token endpoint under another of the documented paths.
        if (r->status == 404 && i + 1 < st->paths.size()) continue;
        st->path_index.store(i, std::memory_order_relaxed);
        co_return parse_token_response(*r, st->creds, grant);
    }
    error e;  // only reached with an empty path list
    e.kind = error_kind::auth;
    e.code = make_error_code(errc::rejected);
    e.message = "no token endpoint path configured";
    co_return e;
}

} // namespace

token_fetcher http_token_fetcher(transport::pool& pool, credentials creds, const auth_options& options) {
    if (!creds.refreshable())
        throw std::invalid_argument("daftra: http_token_fetcher needs OAuth2 credentials (password_grant or refresh_grant)");
    // Brace-initialised in place: the atomic member makes the aggregate immovable.
    std::shared_ptr<fetcher_state> st(
        new fetcher_state{pool, std::move(creds), options.encoding, options.token_paths, options.token_timeout, {}});
    return [st](const grant_request& g) { return fetch(st, g); };
}

} // namespace daftra::auth
