#pragma once
// "Did you mean …?": the nearest of some known words to a mistyped one, by edit distance, offered
// only when it is close enough to be a typo rather than another word altogether.

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace daftra::cli {

/// Levenshtein distance (insertions, deletions, substitutions; a swap of two neighbours counts 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` when it is at most 2 edits away and fewer than half of `word`'s
/// letters differ; nullopt otherwise. Ties go to the earlier candidate.
std::optional<std::string_view> nearest(std::string_view word, std::span<const std::string_view> candidates);

/// "; did you mean 'X'?" for the nearest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

} // namespace daftra::cli
