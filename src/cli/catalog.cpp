#include "cli/catalog.hpp"

#include "cli/suggest.hpp"
#include "cli/usage_error.hpp"

#include "daftra/resources/table.hpp"

#include <array>
#include <vector>

namespace daftra::cli {
namespace {

using resources::op;

constexpr std::array<op, 5> all_operations{resources::op_list, resources::op_get, resources::op_create,
                                           resources::op_update, resources::op_remove};

} // namespace

const resources::resource_info* find_resource(std::string_view id) noexcept {
    const resources::resource_info* found = nullptr;
    resources::for_each_resource([&](const resources::resource_info& info) {
        if (!found && info.id == id) found = &info;
    });
    return found;
}

std::string_view operation_name(op o) noexcept {
    switch (o) {
    case resources::op_list: return "list";
    case resources::op_get: return "get";
    case resources::op_create: return "create";
    case resources::op_update: return "update";
    case resources::op_remove: return "delete";
    default: return "?";
    }
}

std::optional<op> operation_from(std::string_view word) noexcept {
    for (op o : all_operations)
        if (operation_name(o) == word) return o;
    return std::nullopt;
}

std::string supported_operations(const resources::resource_info& info) {
    std::string out;
    for (op o : all_operations) {
        if (!info.supports(o)) continue;
        if (!out.empty()) out += ' ';
        out += operation_name(o);
    }
    return out;
}

const resources::resource_info& require_resource(std::string_view id) {
    const resources::resource_info* info = find_resource(id);
    if (!info) {
        // The first word may also have been meant as one of the other commands.
        std::vector<std::string_view> words{"site-info", "raw", "help"};
        resources::for_each_resource([&](const resources::resource_info& r) { words.push_back(r.id); });
        throw usage_error("unknown resource '" + std::string(id) + "'" + did_you_mean(id, words) +
                          " (`daftra --help` lists the resources and commands)");
    }
    return *info;
}

op require_operation(const resources::resource_info& info, std::string_view word) {
    const std::string id(info.id);
    const std::optional<op> o = operation_from(word);
    if (o && info.supports(*o)) return *o;
    std::vector<std::string_view> supported;
    for (op candidate : all_operations)
        if (info.supports(candidate)) supported.push_back(operation_name(candidate));
    const std::string problem = word.empty() ? "missing operation for " + id
                                             : id + " has no operation '" + std::string(word) + "'";
    throw usage_error(problem + "; it supports: " + supported_operations(info) + did_you_mean(word, supported),
                      "daftra " + id + " --help");
}

} // namespace daftra::cli
