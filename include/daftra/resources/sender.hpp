#pragma once
// What the typed calls send their requests through. daftra::client implements it (credentials,
// retries, the connection pool); tests implement it with canned answers.

#include "daftra/core/result.hpp"
#include "daftra/transport/http.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>

namespace daftra::resources {

class sender {
public:
    virtual ~sender() = default;

    /// Sends one request and returns the complete answer (any HTTP status), or a transport/auth error.
    /// Must be safe to call from several coroutines at once. Resources and pagers hold the sender by
    /// shared_ptr, so it outlives every call made through them.
    virtual boost::asio::awaitable<result<transport::response>> send(transport::request request) = 0;

    /// Where background work of the typed calls (pages fetched ahead by all()) runs.
    virtual boost::asio::any_io_executor executor() const = 0;

    /// The origin requests go to ("https://acme.daftra.com"), against which an absolute URL given to a
    /// call (a download) is checked. Default: empty, unknown, so only origin-form targets are accepted.
    virtual std::string base_url() const { return {}; }
};

} // namespace daftra::resources
