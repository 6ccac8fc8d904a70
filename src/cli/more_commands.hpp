#pragma once
// The commands beyond RESOURCE list/get/create/update/delete: the documented endpoints that are calls
// of their own on the client, as extra operations of their resource (notes create on a record, invoices
// create-bulk, pdf and html, bookings status and convert, follow_up_actions list of a type), and the
// commands listing, download and v2 (the v2 entity API). As everywhere in the tool, the command line
// is checked before anything is sent.

#include "cli/commands.hpp"

#include <span>
#include <string>
#include <string_view>

namespace daftra::cli {

/// An operation of a resource that is not a line of the resource table.
struct extra_operation {
    std::string_view resource;  ///< "invoices"
    std::string_view name;      ///< "pdf"
    std::string_view synopsis;  ///< the words after `daftra RESOURCE NAME`: "ID [-o FILE]"
    std::string_view help;      ///< what it does, for --help
    bool takes_output;          ///< accepts -o FILE
    action (*prepare)(const invocation&);
};

/// Every extra operation, by resource.
std::span<const extra_operation> extra_operations() noexcept;
/// The extra operation `name` of `resource`, or nullptr.
const extra_operation* find_extra_operation(std::string_view resource, std::string_view name) noexcept;

action prepare_listing(const invocation& inv);
action prepare_download(const invocation& inv);
action prepare_v2(const invocation& inv);

/// The --help texts of the commands above.
std::string extra_operation_help(const extra_operation& op);
std::string listing_help();
std::string download_help();
std::string v2_help(std::string_view operation);

} // namespace daftra::cli
