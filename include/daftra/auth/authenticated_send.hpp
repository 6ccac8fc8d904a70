#pragma once
// Sends one API request with the credential header, applying the 401 rule: a 401 invalidates the token
// only if it is the one this request carried (its generation), and the request goes once more with a
// valid token; a second 401 is returned as error_kind::unauthorized. This is what daftra::client calls
// for every request (below its retry loop: an invalidated token is a matter of auth, not of retrying).

#include "daftra/auth/token_source.hpp"
#include "daftra/core/result.hpp"
#include "daftra/transport/http.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>

namespace daftra::transport { class pool; }

namespace daftra::auth {

/// How a request is sent: pool::send, or a fake in tests.
using send_function = std::function<boost::asio::awaitable<result<transport::response>>(
    transport::request, transport::send_options)>;

/// Adds the header from `source`, sends, and handles a 401 as above. Any other status is returned as a
/// response (the caller maps it). Waiting for a token is bounded by options.deadline when one is set
/// (error_kind::timeout). With static credentials a 401 is not retried (a refresh cannot fix it).
/// (Overloads instead of `options = {}`: g++ 12 destroys a default argument of an awaited call twice.)
boost::asio::awaitable<result<transport::response>> authenticated_send(
    const send_function& send, token_source& source, transport::request req, transport::send_options options);
boost::asio::awaitable<result<transport::response>> authenticated_send(
    const send_function& send, token_source& source, transport::request req);

/// The same through a pool.
boost::asio::awaitable<result<transport::response>> authenticated_send(
    transport::pool& pool, token_source& source, transport::request req, transport::send_options options);
boost::asio::awaitable<result<transport::response>> authenticated_send(
    transport::pool& pool, token_source& source, transport::request req);

} // namespace daftra::auth
