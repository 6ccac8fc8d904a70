#pragma once
// The command line, split into global options, the command words and the list options. Only the
// form is checked here (numbers are numbers, options are known); whether a resource exists and
// supports the operation is decided against the resource table by commands.cpp.

#include "daftra/resources/query.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::cli {

/// What the first word asks for.
enum class command_kind {
    none,       ///< no command word (only options, or nothing at all)
    resource,   ///< RESOURCE OPERATION … (a line of the resource table)
    site_info,  ///< site-info
    raw,        ///< raw METHOD PATH [JSON|@FILE]
    listing,    ///< listing MODEL
    download,   ///< download URL [-o FILE]
    v2,         ///< v2 list|get|show|create|update|multi … (the v2 entity API)
};

/// How JSON answers are printed (--format).
enum class json_format {
    pretty,   ///< indented, one member per line
    compact,  ///< one line
};

struct invocation {
    std::optional<std::string> base_url;  ///< --base-url URL (overrides DAFTRA_BASE_URL)
    std::optional<std::string> ca_file;   ///< --ca FILE (overrides DAFTRA_CA_FILE)
    bool help = false;                    ///< -h / --help or the command word help
    bool version = false;                 ///< --version, anywhere on the line
    bool verbose = false;                 ///< --verbose: one line per HTTP attempt on stderr
    /// --format pretty|compact; not given: pretty when stdout is a terminal, compact otherwise.
    std::optional<json_format> format;

    command_kind kind = command_kind::none;
    std::string resource;               ///< the RESOURCE word (kind == resource)
    std::string operation;              ///< the OPERATION word; empty when missing
    std::vector<std::string> operands;  ///< the words after the operation (after site-info / raw)

    std::optional<std::string> output_file;  ///< -o / --output FILE (downloads)
    std::optional<int> level;                ///< --level N (v2 list/get: -1, 1 to 4)

    daftra::query list_query;  ///< --page, --limit, --sort, --direction, --filter
    bool all = false;          ///< --all
    /// The list options given, as written ("--limit"), so other commands can refuse them.
    std::vector<std::string> list_options;
};

/// Parses argv[1..]. Throws usage_error for a malformed line, except when --help is present: then
/// the line is read as far as it can be, so the help of the level named is shown. A first word
/// `help` is --help for the words after it (`daftra help invoices list`). After `--`, every word is
/// a word, never an option, even one that starts with '-'.
invocation parse_arguments(std::span<const std::string_view> args);

/// The help command for an invocation's level: "daftra --help", "daftra invoices --help",
/// "daftra invoices list --help", …
std::string help_command_for(const invocation& inv);

} // namespace daftra::cli
