#pragma once
// Content-Encoding: gzip for the sandbox's answers: whether the client accepts it, and compressing
// an answer body in place. zlib only; no Beast here.

#include "message.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace daftra::sandbox::detail {

/// Answers smaller than this go out as they are: the gzip header and trailer (18 bytes) and the
/// compression time are not worth it for a short error or a single record.
inline constexpr std::size_t gzip_min_bytes = 1024;

/// True when an Accept-Encoding value (several header lines joined with ", ") accepts gzip:
/// `gzip` or `x-gzip` with a non-zero q, or else `*` with a non-zero q (RFC 9110 §12.5.3).
/// Tokens are case-insensitive; q=0 refuses; an unreadable q refuses.
bool accepts_gzip(std::string_view accept_encoding);

/// gzip-compresses `in` (a single member, RFC 1952). Throws std::bad_alloc when zlib cannot allocate.
std::string gzip_compress(std::string_view in, int level);

/// Compresses r's body and sets Content-Encoding: gzip when the client accepts gzip and the body is
/// at least gzip_min_bytes; Vary: Accept-Encoding is set on every answer of that size, compressed
/// or not, since its form depends on that header.
void maybe_gzip(response& r, std::string_view accept_encoding);

} // namespace daftra::sandbox::detail
