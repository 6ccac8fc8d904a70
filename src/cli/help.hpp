#pragma once
// The --help texts, one per level: the tool, a resource, an operation of a resource, site-info, raw.

#include "cli/arguments.hpp"

#include <string>

namespace daftra::cli {

/// The help for the level `inv` names (the deepest of tool, resource, operation). Throws
/// usage_error when it names a resource or operation that does not exist.
std::string help_for(const invocation& inv);

} // namespace daftra::cli
