#pragma once
// Masks secrets inside text that came from elsewhere (a server's error message), as a second line of
// defence: our own messages never put a secret in the first place.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::auth::detail {

/// Replaces every occurrence of each non-empty secret in `text` by "***".
std::string redact(std::string text, const std::vector<std::string_view>& secrets);

/// Cuts `text` to at most `max` bytes (server messages end up in one-line error descriptions).
std::string clip(std::string text, std::size_t max = 200);

} // namespace daftra::auth::detail
