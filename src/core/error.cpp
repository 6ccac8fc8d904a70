#include "daftra/core/error.hpp"

#include <boost/assert/source_location.hpp>

namespace daftra {

std::string_view to_string(error_kind kind) noexcept {
    switch (kind) {
    case error_kind::transport: return "transport";
    case error_kind::timeout: return "timeout";
    case error_kind::pool_timeout: return "pool_timeout";
    case error_kind::cancelled: return "cancelled";
    case error_kind::tls: return "tls";
    case error_kind::protocol: return "protocol";
    case error_kind::invalid_argument: return "invalid_argument";
    case error_kind::auth: return "auth";
    case error_kind::unauthorized: return "unauthorized";
    case error_kind::forbidden: return "forbidden";
    case error_kind::not_found: return "not_found";
    case error_kind::validation: return "validation";
    case error_kind::rate_limited: return "rate_limited";
    case error_kind::client: return "client";
    case error_kind::server: return "server";
    case error_kind::decode: return "decode";
    }
    return "unknown";
}

std::string error::describe() const {
    std::string out(to_string(kind));
    out += ": ";
    out += message.empty() ? code.message() : message;
    if (status != 0) {
        out += " (HTTP ";
        out += std::to_string(status);
        out += ')';
    }
    if (!fields.empty()) {
        out += " [";
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += "; ";
            out += fields[i].field;
            out += ": ";
            out += fields[i].message;
        }
        out += ']';
    }
    return out;
}

api_error::api_error(daftra::error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}

void throw_exception_from_error(const error& e, const boost::source_location&) { throw api_error(e); }

error make_error(error_kind kind, boost::system::error_code code, std::string message) {
    error e;
    e.kind = kind;
    e.code = code;
    e.message = std::move(message);
    return e;
}

error_kind kind_for_status(unsigned status) noexcept {
    switch (status) {
    case 400:
    case 422: return error_kind::validation;
    case 401: return error_kind::unauthorized;
    case 403: return error_kind::forbidden;
    case 404: return error_kind::not_found;
    case 408: return error_kind::timeout;
    case 429: return error_kind::rate_limited;
    default: return status >= 500 ? error_kind::server : error_kind::client;
    }
}

} // namespace daftra
