#pragma once
// The one error type of the SDK. Every call returns daftra::result<T>; its error says what kind of
// failure happened, the HTTP status when there was an answer, Daftra's message and per-field errors.
// Nothing secret (passwords, client secrets, tokens) is ever put into an error.

#include "daftra/core/compiler_check.hpp"

#include <boost/system/error_code.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace boost { struct source_location; }

namespace daftra {

/// What went wrong, coarse enough to branch on.
enum class error_kind : unsigned char {
    transport,         ///< connection failed or was lost (refused, reset, EOF, DNS failure, closed mid-answer)
    timeout,           ///< a phase timeout or the call's deadline expired
    pool_timeout,      ///< no connection became free within acquire_timeout
    cancelled,         ///< the caller cancelled, or the client/pool was destroyed
    tls,               ///< TLS handshake or certificate verification failed
    protocol,          ///< the server broke HTTP: garbage instead of HTTP, header or body over the limit
    invalid_argument,  ///< the call itself was wrong (bad URL, bad option); nothing was sent
    auth,              ///< obtaining a token failed (bad credentials, token endpoint failure)
    unauthorized,      ///< HTTP 401 on an API call
    forbidden,         ///< HTTP 403
    not_found,         ///< HTTP 404
    validation,        ///< HTTP 400/422 with field errors
    rate_limited,      ///< HTTP 429
    client,            ///< any other 4xx
    server,            ///< HTTP 5xx
    decode,            ///< the answer arrived but is not the JSON we expected
};

/// Name of an error kind, e.g. "pool_timeout".
std::string_view to_string(error_kind kind) noexcept;

/// One rejected field of a request (v1 `validation_errors`, v2 `errors`).
struct field_error {
    std::string field;    ///< e.g. "client_id" or "Invoice.client_id" as the server names it
    std::string message;  ///< the server's text
};

/// Everything known about one failed call.
struct error {
    error_kind kind = error_kind::transport;
    boost::system::error_code code;  ///< the low-level cause, when there is one
    unsigned status = 0;             ///< HTTP status, 0 when no answer was received
    std::string message;             ///< human-readable; Daftra's message for HTTP errors
    std::vector<field_error> fields; ///< per-field validation errors
    /// The answer's `error_type`, when it has one (Daftra's requisitions add it to 403 and 404 answers);
    /// a non-string value as its JSON text. Empty otherwise.
    std::string error_type;
    /// The answer's `extra_data` as JSON text (it may be any JSON value), when it has one. Empty otherwise.
    std::string extra_data;
    std::string body;                ///< raw answer body, when there was one (may be cut at 64 KiB)
    /// True when the request may have reached the server (it was at least partly written).
    /// A non-idempotent request with this flag set was not, and will not be, sent again by the SDK.
    bool maybe_sent = false;

    /// One line: "kind: message (HTTP status) [field: message; …]".
    std::string describe() const;
};

/// Exception form of daftra::error, thrown by result<T>::value().
class api_error : public std::runtime_error {
public:
    explicit api_error(daftra::error e);
    const daftra::error& error() const noexcept { return error_; }

private:
    daftra::error error_;
};

/// Found by boost::system::result<T, daftra::error>::value() through ADL.
[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

/// An error with only a kind, a cause and a message (the common case below the HTTP layer).
error make_error(error_kind kind, boost::system::error_code code, std::string message);

/// Maps an HTTP status to its error kind (2xx/3xx map to client; callers check success first).
error_kind kind_for_status(unsigned status) noexcept;

} // namespace daftra
