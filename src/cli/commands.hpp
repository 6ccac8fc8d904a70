#pragma once
// A command line turned into an action: everything it says is checked first (resource, operation,
// ids, JSON bodies decoded into their models), so a usage error is raised before anything is sent.

#include "cli/arguments.hpp"
#include "cli/output.hpp"

#include "daftra/client.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace daftra::cli {

/// Runs the command on a client. Failures of the call are thrown as daftra::api_error.
using action = std::function<boost::asio::awaitable<void>(const client&, output&)>;

/// Throws usage_error when the command cannot run.
action prepare(const invocation& inv);

/// The RESOURCE OPERATION … commands, dispatched over the resource table (resource_commands.cpp).
action prepare_resource_command(const invocation& inv);

/// Refuses list options on a command other than list.
void refuse_list_options(const invocation& inv);

/// Exactly the operands `names` lists ("ID", "JSON|@FILE", …), else a usage error "WHAT: missing NAME"
/// or "WHAT: unexpected argument 'X'".
void expect_operands(const invocation& inv, std::span<const std::string_view> names, const std::string& what,
                     const std::string& help);
void expect_operands(const invocation& inv, std::initializer_list<std::string_view> names, const std::string& what,
                     const std::string& help);

/// An operand that must be a positive whole number (an id): "WHAT must be a positive whole number, got 'X'".
std::int64_t positive_operand(const std::string& text, std::string_view what, const std::string& help);

} // namespace daftra::cli
