// RESOURCE OPERATION …: one generic path for every line of the resource table.
#include "cli/catalog.hpp"
#include "cli/commands.hpp"
#include "cli/documented_filters.hpp"
#include "cli/json_input.hpp"
#include "cli/resource_calls.hpp"
#include "cli/usage_error.hpp"

#include <iostream>
#include <optional>

namespace daftra::cli {
namespace {

using resources::op;

std::int64_t record_id(const std::string& text, const std::string& help) { return positive_operand(text, "ID", help); }

// The operands each operation takes, for the messages about missing ones.
std::vector<std::string_view> operand_names(op o, bool singleton) {
    switch (o) {
    case resources::op_get: return singleton ? std::vector<std::string_view>{} : std::vector<std::string_view>{"ID"};
    case resources::op_create: return {"JSON|@FILE"};
    case resources::op_update: return {"ID", "JSON|@FILE"};
    case resources::op_remove: return {"ID"};
    default: return {};
    }
}

// The action of a single call, whatever its model: the request is made (the record encoded) here,
// while the command line is checked, so the action holds no model.
action sending(single_call call) {
    return [call = std::move(call)](const client& api, output& out) { return send_call(api, call, out); };
}

template <class Model>
action prepare_for(const resources::resource_spec<Model>& spec, const invocation& inv) {
    const std::string id(spec.id);
    const op o = require_operation(spec, inv.operation);
    const std::string help = help_command_for(inv);
    if (o != resources::op_list) refuse_list_options(inv);
    expect_operands(inv, operand_names(o, spec.singleton), id + " " + inv.operation, help);

    const auto* s = &spec;  // a line of the table: lives as long as the program
    switch (o) {
    case resources::op_list:
        // Daftra may ignore a filter it does not know and answer the whole list: say so before sending.
        for (const auto& filter : inv.list_query.filters)
            if (auto warning = undocumented_filter_warning(spec.id, filter.first); !warning.empty())
                std::cerr << "daftra: " << warning << '\n';
        if (inv.all)
            return [s, q = inv.list_query](const client& api, output& out) { return list_all(api.resource_for(*s), q, out); };
        return sending(list_page_call(spec, inv.list_query));
    case resources::op_get:
        return sending(get_call(spec, spec.singleton ? 0 : record_id(inv.operands[0], help)));
    case resources::op_create:
        return sending(create_call(spec, record_from_operand(inv.operands[0], spec, help)));
    case resources::op_update: {
        const std::int64_t record = record_id(inv.operands[0], help);
        return sending(update_call(spec, record, record_from_operand(inv.operands[1], spec, help)));
    }
    default:
        return sending(delete_call(spec, record_id(inv.operands[0], help)));
    }
}

} // namespace

action prepare_resource_command(const invocation& inv) {
    const resources::resource_info& info = require_resource(inv.resource);
    std::optional<action> prepared;
    resources::for_each_resource([&](const auto& spec) {
        if (&spec == &info) prepared = prepare_for(spec, inv);
    });
    return std::move(*prepared);
}

} // namespace daftra::cli
