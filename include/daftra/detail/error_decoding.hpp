#pragma once
// Turns a Daftra error answer into daftra::error.

#include "daftra/core/error.hpp"

#include <string_view>

namespace daftra::resources {

/// Longest raw body kept in error::body; a longer one is cut (error bodies are small; an HTML error
/// page from a proxy need not be kept whole).
inline constexpr std::size_t max_error_body = 64 * 1024;

/// Builds the error for an answer with HTTP status `status` and body `body`:
///   - kind from kind_for_status(status), status as given, body kept (cut at max_error_body);
///   - message: Daftra's `message` (v1 `{"result":"failed","code":…,"message":…}`, Laravel
///     `{"message":…}`, or a v1 object nested in `message`); "HTTP <status>" when there is none;
///   - fields: v1 `validation_errors` (`{"field":"reason"}`) and v2 `errors`
///     (`{"field":["reason",…]}`), also their array forms (`["reason",…]`,
///     `[{"field":…,"message":…}]`); nested objects give dotted names ("Invoice.client_id").
/// A body that is not JSON keeps only the status-derived kind and message.
error decode_error(unsigned status, std::string_view body);

} // namespace daftra::resources
