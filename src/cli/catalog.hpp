#pragma once
// The command line's view of the resource table: finding a line by its id and naming operations.
// The operation words are the SDK's, except that remove is spelled "delete" as in HTTP.

#include "daftra/resources/spec.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace daftra::cli {

/// The table line whose id is `id`, or nullptr.
const resources::resource_info* find_resource(std::string_view id) noexcept;

/// "list", "get", "create", "update" or "delete".
std::string_view operation_name(resources::op o) noexcept;

/// The operation a word names, or nullopt.
std::optional<resources::op> operation_from(std::string_view word) noexcept;

/// The operations `info` supports, in table order, separated by spaces: "list get".
std::string supported_operations(const resources::resource_info& info);

/// The line named `id`; throws usage_error for an unknown one.
const resources::resource_info& require_resource(std::string_view id);

/// The operation `word` names when `info` supports it; otherwise throws usage_error naming the
/// operations it supports (also for an empty word: the operation is missing).
resources::op require_operation(const resources::resource_info& info, std::string_view word);

} // namespace daftra::cli
