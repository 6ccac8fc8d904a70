#include "cli/help.hpp"

#include "cli/catalog.hpp"
#include "cli/documented_filters.hpp"
#include "cli/more_commands.hpp"
#include "cli/usage_error.hpp"

#include "daftra/resources/table.hpp"

#include <cstdio>

namespace daftra::cli {
namespace {

constexpr std::string_view global_text = R"(Usage: daftra [OPTIONS] COMMAND ...

A command-line client of the Daftra API. Answers are printed as JSON on stdout: indented when
stdout is a terminal, on one line otherwise (--format chooses).

Commands:
  RESOURCE list [--page N] [--limit N] [--sort FIELD] [--direction asc|desc]
                [--filter KEY=VALUE]... [--all]
  RESOURCE get ID
  RESOURCE create JSON|@FILE
  RESOURCE update ID JSON|@FILE
  RESOURCE delete ID
  site-info
  raw METHOD PATH [JSON|@FILE]
  listing MODEL
  download URL [-o FILE]
  v2 list|get|show|create|update|multi …
  help [RESOURCE [OPERATION] | site-info | raw | listing | download | v2]

  `daftra help RESOURCE` (or `daftra RESOURCE --help`) and `daftra help RESOURCE OPERATION` tell more.

Options (anywhere on the line, before a `--`):
  --base-url URL   the account's origin, https://SUBDOMAIN.daftra.com (default: $DAFTRA_BASE_URL);
                   an http:// URL is refused: credentials never travel unencrypted
  --ca FILE        PEM file of the CAs to trust instead of the system's (default: $DAFTRA_CA_FILE)
  --format pretty|compact
                   JSON indented, or on one line (default: pretty on a terminal, else compact);
                   `list --all` always prints one compact record per line
  -o, --output FILE
                   where download, invoices pdf and invoices html write the file (default: stdout)
  --level N        the v2 detail level of v2 list and v2 get: -1, 1 (default) to 4
  --verbose        one line on stderr per HTTP attempt: method, URL, status, time (never a
                   credential: secret-looking query values are shown as ***)
  -h, --help       this help
  --version        the SDK's version
  --               ends the options: every later word is an argument, even one starting with -

Environment:
  DAFTRA_BASE_URL        the account's origin (required unless --base-url is given)
  DAFTRA_API_KEY         an API key, sent in the apikey header
  DAFTRA_BEARER_TOKEN    a Bearer token obtained elsewhere, sent as it is (never refreshed)
  DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, DAFTRA_USERNAME, DAFTRA_PASSWORD
                         OAuth2 password grant (all four)
  DAFTRA_CLIENT_ID, DAFTRA_CLIENT_SECRET, DAFTRA_REFRESH_TOKEN
                         OAuth2 refresh grant, when no username and password are set.
                         The first of these that is set wins: DAFTRA_API_KEY wins over all.
  DAFTRA_TOKEN_PATH      the token endpoint's path, or several separated by commas, tried in order
                         (default: /v2/oauth/token, then /api2/oauth/token)
  DAFTRA_CA_FILE         as --ca
  DAFTRA_REDIS_URL       redis://[user:password@]host:port/db, rediss://… or unix:///path: share the
                         token with the account's other processes through Redis (a build with
                         daftra::redis); DAFTRA_REDIS_KEY encrypts it there (64 hex digits),
                         DAFTRA_REDIS_PREFIX names its keys (default daftra),
                         DAFTRA_REDIS_LOCK_TTL bounds a refresh's lock in ms (default 30000)
  Secrets are never printed, not even in error messages.

Exit status:
  0  success (warnings on stderr, such as a --filter key the API reference does not document,
     do not change it)
  1  the API or the connection failed (one line on stderr, with the rejected fields if any)
  2  usage error (nothing was sent)

Resources and their operations:
)";

constexpr std::string_view list_text = R"(Usage: daftra {id} list [--page N] [--limit N] [--sort FIELD] [--direction asc|desc]
                   [--filter KEY=VALUE]... [--all]

GET {list}: one page of records, printed as one JSON object:
  {"items":[…],"page":N,"page_count":N,"total_results":N}

Options:
  --page N             the page, from 1 (default: the server's, 1)
  --limit N            records per page (default: the server's, 20; Daftra accepts up to 1000)
  --sort FIELD         order by this field (default: the server's order)
  --direction asc|desc sort direction (default: the server's; DESC when --sort is given)
  --filter KEY=VALUE   a query parameter sent as is, e.g. client_id=7, filter[status]=2; repeatable.
                       A KEY the API reference does not document (see below) is sent all the
                       same, with a warning on stderr: Daftra may ignore a filter it does not know
                       and answer the whole list
  --all                every record of every page from --page on, one JSON object per line (NDJSON),
                       fetched ahead page by page; a larger --limit means fewer requests. Progress
                       goes to stderr when stderr is a terminal.
)";

constexpr std::string_view get_text = R"(Usage: daftra {id} get ID

GET {item}: one record as a JSON object, its related rows nested (e.g. an invoice's
InvoiceItem rows).
)";

constexpr std::string_view singleton_get_text = R"(Usage: daftra {id} get

GET {list}: the account's record as a JSON object (the same as `daftra site-info`).
)";

constexpr std::string_view record_text = R"(
JSON is the record as JSON text, or @FILE to read it from FILE (@- reads standard input), either
  the bare record:            {"field":…, "ChildRows":[…]}
  or Daftra's wrapper form:   {"{wrapper}":{"field":…}, "ChildRows":[…]}
It is checked against the model before anything is sent: a value of the wrong type is a usage
error. Fields the model does not know are sent as they are.
)";

constexpr std::string_view create_text = R"(Usage: daftra {id} create JSON|@FILE

POST {create}: creates a record and prints its id.
)";

constexpr std::string_view update_text = R"(Usage: daftra {id} update ID JSON|@FILE

PUT {item}: changes the fields given (child rows given replace the existing ones). Prints
nothing on stdout; a confirmation goes to stderr when it is a terminal.
)";

constexpr std::string_view delete_text = R"(Usage: daftra {id} delete ID

DELETE {item}: deletes the record. Prints nothing on stdout; a confirmation goes to stderr
when it is a terminal. When an attempt's answer was lost and the retry finds the record gone
(404), that attempt most likely deleted it: the command succeeds (exit 0) and says on stderr
that the record was already gone. A 404 on the first attempt fails (not_found, exit 1).
)";

constexpr std::string_view site_info_text = R"(Usage: daftra site-info

GET /api2/site_info.json: the account's information (Site) as a JSON object.
)";

constexpr std::string_view raw_text = R"(Usage: daftra raw METHOD PATH [JSON|@FILE]

Any request on the account's origin, with the credentials applied and the usual retries:
  METHOD   GET, POST, PUT, PATCH, DELETE, … (any case)
  PATH     the path and query, starting with /, e.g. /api2/listing/Branch.json or
           '/v2/api/entity/invoice/list/1?per_page=5'
  JSON     a request body (any JSON value), or @FILE to read it from FILE (@- reads standard input)
Prints the answer's JSON (null for an empty answer). A non-2xx status or a "result":"failed"
answer is an error (exit 1).
)";

// Replaces every {name} of `text`: {id}, {path}, {wrapper}, and the request targets {list},
// {item} and {create} as the SDK builds them.
std::string fill(std::string_view text, const resources::resource_info& info) {
    const std::string path = std::string(info.path);
    const std::string suffix = info.json_suffix ? ".json" : "";
    const std::string list = info.list_path.empty() ? path + suffix : std::string(info.list_path);
    const std::string item = path + "/ID" + suffix;
    const std::string create = info.create_path.empty() ? path + suffix : std::string(info.create_path);
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        auto take = [&](std::string_view key, std::string_view value) {
            if (text.substr(i, key.size()) != key) return false;
            out += value;
            i += key.size();
            return true;
        };
        if (take("{id}", info.id) || take("{path}", path) || take("{list}", list) || take("{item}", item) ||
            take("{create}", create) ||
            take("{wrapper}", info.write_key.empty() ? std::string_view("…") : info.write_key))
            continue;
        out += text[i++];
    }
    return out;
}

std::string global_help() {
    std::string out(global_text);
    resources::for_each_resource([&](const resources::resource_info& info) {
        char line[128];
        std::snprintf(line, sizeof line, "  %-26.*s %s\n", static_cast<int>(info.id.size()), info.id.data(),
                      supported_operations(info).c_str());
        out += line;
    });
    out += "\nMore operations of a resource (the documented endpoints beyond those):\n";
    for (const auto& e : extra_operations()) {  // appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "lit" + string
        out.append("  ").append(e.resource).append(" ").append(e.name).append(" ").append(e.synopsis).append("\n");
    }
    return out;
}

// The filters the API reference documents for `id`, wrapped at 100 columns; "" when it has no entry.
std::string documented_filters_text(std::string_view id) {
    const auto keys = documented_filters(id);
    if (!keys) return {};
    // Built by appending: g++ 12 warns falsely (-Wrestrict) on "literal" + std::string here.
    std::string out = "\nFilters the API reference documents for ";
    out += id;
    out += " (--filter KEY=VALUE):\n";
    if (keys->empty()) {
        out += "  none\n";
        return out;
    }
    std::string line(1, ' ');
    for (std::size_t i = 0; i < keys->size(); ++i) {
        std::string word(1, ' ');
        word += (*keys)[i];
        if (i + 1 < keys->size()) word += ',';
        if (line.size() + word.size() > 100) {
            out += line;
            out += '\n';
            line.assign(1, ' ');
        }
        line += word;
    }
    out += line;
    out += '\n';
    return out;
}

// The synopsis and meaning of one operation, without the record format.
std::string operation_summary(const resources::resource_info& info, resources::op o) {
    switch (o) {
    case resources::op_list: return fill(list_text, info) + documented_filters_text(info.id);
    case resources::op_get: return fill(info.singleton ? singleton_get_text : get_text, info);
    case resources::op_create: return fill(create_text, info);
    case resources::op_update: return fill(update_text, info);
    default: return fill(delete_text, info);
    }
}

bool takes_record(resources::op o) { return o == resources::op_create || o == resources::op_update; }

std::string operation_help(const resources::resource_info& info, resources::op o) {
    return operation_summary(info, o) + (takes_record(o) ? fill(record_text, info) : std::string());
}

std::string resource_help(const resources::resource_info& info) {
    std::string out = "Usage: daftra " + std::string(info.id) + " OPERATION ...\n\n";
    out += std::string(info.id) + " at " + std::string(info.path);
    if (!info.write_key.empty()) out += " (wrapper \"" + std::string(info.write_key) + "\")";
    out += ". Operations:\n";
    bool any_record = false;
    for (resources::op o : {resources::op_list, resources::op_get, resources::op_create, resources::op_update,
                            resources::op_remove}) {
        if (!info.supports(o)) continue;
        out += "\n";
        out += operation_summary(info, o);
        any_record |= takes_record(o);
    }
    if (any_record) out += fill(record_text, info);
    for (const auto& e : extra_operations())
        if (e.resource == info.id) out.append("\n").append(extra_operation_help(e));
    return out;
}

} // namespace

std::string help_for(const invocation& inv) {
    switch (inv.kind) {
    case command_kind::none: return global_help();
    case command_kind::site_info: return std::string(site_info_text);
    case command_kind::raw: return std::string(raw_text);
    case command_kind::listing: return listing_help();
    case command_kind::download: return download_help();
    case command_kind::v2: return v2_help(inv.operation);
    case command_kind::resource: break;
    }
    const resources::resource_info& info = require_resource(inv.resource);
    if (inv.operation.empty()) return resource_help(info);
    if (const auto* extra = find_extra_operation(inv.resource, inv.operation)) return extra_operation_help(*extra);
    return operation_help(info, require_operation(info, inv.operation));
}

} // namespace daftra::cli
