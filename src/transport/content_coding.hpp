#pragma once
// The answer's Content-Encoding undone, so callers always get the plain body. The pool asks for
// compressed answers (pool_options::accept_compression) and decodes them here, once the whole body is in.

#include "daftra/core/error.hpp"
#include "daftra/transport/http.hpp"

#include <cstddef>
#include <optional>

namespace daftra::transport::detail {

/// The Accept-Encoding the pool sends: what decode_content can undo.
inline constexpr const char* accepted_encodings = "gzip, deflate";

/// Replaces a gzip or deflate body by its decoding (at most `max_body` bytes) and drops the
/// Content-Encoding and Content-Length lines from answer.headers, which described the encoded body.
/// No Content-Encoding, or `identity`: nothing changes. An encoding we did not offer, or a body that
/// does not decode, is an error_kind::protocol error.
std::optional<error> decode_content(response& answer, std::size_t max_body);

} // namespace daftra::transport::detail
