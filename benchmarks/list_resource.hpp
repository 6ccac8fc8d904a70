#pragma once
// The modes that take a list URL (typed, paginate) run on the resource of the table whose list it is.

#include "daftra/detail/envelope.hpp"
#include "daftra/resources/table.hpp"

#include <string>
#include <string_view>

namespace daftra::bench {

/// Calls `f(spec)` with the resource whose list target is `path` (e.g. "/api2/invoices.json") and returns
/// true, or returns false when no resource lists there.
template <class F>
bool with_listed_resource(std::string_view path, F&& f) {
    bool found = false;
    resources::for_each_resource([&](const auto& spec) {
        if (found || !spec.supports(resources::op_list)) return;
        const std::string target =
            spec.list_path.empty() ? resources::collection_target(spec) : std::string(spec.list_path);
        if (target != path) return;
        found = true;
        f(spec);
    });
    return found;
}

} // namespace daftra::bench
