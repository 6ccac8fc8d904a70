#pragma once
// Decodes a whole `Content-Encoding: gzip` (or `deflate`) answer body with zlib's inflate.
// Internal to the transport: the exchange calls it once the body is complete.

#include "daftra/core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace daftra::transport::detail {

/// Decodes a gzip body (RFC 1952). Concatenated members are accepted and their outputs joined, as
/// gzip(1) does; anything else after a member is an error. An empty input decodes to an empty string
/// (an empty answer carries no gzip header). Errors, all error_kind::protocol with the reason in the
/// message: not gzip, corrupt or truncated data, a bad CRC or length trailer, trailing bytes, and an
/// output of more than `max_output` bytes (found without ever holding more than that).
result<std::string> gunzip(std::string_view compressed, std::size_t max_output);

/// Decodes a `Content-Encoding: deflate` body, which HTTP defines as a zlib stream (RFC 1950), with
/// the same rules and errors as gunzip (one stream only). Raw deflate without the zlib header, as some
/// old servers sent, is refused.
result<std::string> inflate_zlib(std::string_view compressed, std::size_t max_output);

} // namespace daftra::transport::detail
