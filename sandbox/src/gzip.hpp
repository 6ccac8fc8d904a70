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

/// An answer body compressed as the sandbox sends it (gzip_compress at the sandbox's level).
std::string gzip_answer_body(std::string_view plain);

/// True when r may go out gzip-encoded: a body of at least gzip_min_bytes that no handler has
/// encoded already (no Content-Encoding header).
bool gzip_applies(const response& r);

/// Makes r a gzip answer: `packed` (from gzip_answer_body of r's body) as the body, with
/// Vary: Accept-Encoding and Content-Encoding: gzip. Only for answers where gzip_applies(r).
void use_gzip_body(response& r, std::string packed);

/// Compresses r's body and sets Content-Encoding: gzip when the client accepts gzip (`accepted`:
/// accepts_gzip of its Accept-Encoding) and gzip_applies(r); Vary: Accept-Encoding is set on every
/// answer where gzip_applies, compressed or not, since its form depends on that header.
/// Returns true when it compressed.
bool maybe_gzip(response& r, bool accepted);

} // namespace daftra::sandbox::detail
