// The commands beyond the resource table's operations (more_commands.hpp). Each prepare_* checks the
// whole command line and returns the action; each action makes its call before co_await-ing it (g++ 12
// mishandles by-value temporaries inside a co_await expression).
#include "cli/more_commands.hpp"

#include "cli/json_input.hpp"
#include "cli/resource_calls.hpp"
#include "cli/usage_error.hpp"

#include "daftra/model/codec.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <optional>
#include <vector>

namespace daftra::cli {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;

// Only --filter among the list options (query parameters of a write).
void only_filters(const invocation& inv, const std::string& help) {
    for (const auto& o : inv.list_options)
        if (o != "--filter") throw usage_error(o + " does not apply here (--filter KEY=VALUE adds a query parameter)", help);
}

void no_level(const invocation& inv, const std::string& help) {
    if (inv.level) throw usage_error("--level applies only to v2 list and v2 get", help);
}

// An entity name of the v2 API: letters, digits, '_' and '-' ("le_workflow-type-entity-3").
std::string entity_name(const std::string& word, const std::string& help) {
    bool ok = !word.empty() && word.size() <= 100;
    for (char c : word)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
    if (!ok) throw usage_error("not an entity name: '" + word + "' (letters, digits, _ and -)", help);
    return word;
}

json::value same(const json::object& o) { return o; }

// Standard output as a download's sink. It cannot start over: an attempt cut short after writing
// fails the command rather than print the start twice.
class stdout_sink final : public transport::body_sink {
public:
    result<void> begin(const transport::response&) override {
        if (written_) return make_error(error_kind::transport, {}, "the download was cut short after writing to standard output; use -o FILE to have it retried");
        return {};
    }
    result<void> write(std::string_view bytes) override {
        written_ = true;
        if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size())
            return make_error(error_kind::invalid_argument, {}, "cannot write to standard output");
        return {};
    }

private:
    bool written_ = false;
};

asio::awaitable<void> fetch_to(const client& api, std::string url, std::optional<std::string> file, output& out) {
    if (file) {
        auto call = api.download_to_file(std::move(url), *file);
        auto saved = co_await std::move(call);
        if (!saved) throw api_error(saved.error());
        out.confirm("saved " + std::to_string(saved->bytes) + " bytes (" +
                    (saved->content_type.empty() ? std::string("no content type") : saved->content_type) + ") to " + *file);
        co_return;
    }
    auto call = api.download(std::move(url), std::make_shared<stdout_sink>());
    auto got = co_await std::move(call);
    std::fflush(stdout);
    if (!got) throw api_error(got.error());
}

asio::awaitable<void> invoice_file(const client& api, std::int64_t id, invoice_document which,
                                   std::optional<std::string> file, output& out) {
    const query header_only = query().with_recursive(recursion::header_only);
    auto call = api.invoices().get(id, header_only);
    auto inv = co_await std::move(call);
    if (!inv) throw record_error(inv.error(), "invoices", id);
    const auto& url = which == invoice_document::pdf ? inv->invoice_pdf_url : inv->invoice_html_url;
    if (!url || url->empty())
        throw api_error(make_error(error_kind::decode, {}, "invoice " + std::to_string(id) + " has no " +
                                                               (which == invoice_document::pdf ? "invoice_pdf_url" : "invoice_html_url")));
    co_await fetch_to(api, *url, std::move(file), out);
}

action prepare_invoice_file(const invocation& inv, invoice_document which) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    no_level(inv, help);
    expect_operands(inv, {"ID"}, "invoices " + inv.operation, help);
    const std::int64_t id = positive_operand(inv.operands[0], "ID", help);
    return [id, which, file = inv.output_file](const client& api, output& out) { return invoice_file(api, id, which, file, out); };
}

action prepare_pdf(const invocation& inv) { return prepare_invoice_file(inv, invoice_document::pdf); }
action prepare_html(const invocation& inv) { return prepare_invoice_file(inv, invoice_document::html); }

asio::awaitable<void> bulk_create(const client& api, std::vector<invoice> invoices, query q, output& out) {
    auto call = api.create_invoices(invoices, q);
    auto outcomes = co_await std::move(call);
    if (!outcomes) throw api_error(outcomes.error());
    json::array printed;
    std::optional<error> first_failure;
    for (const auto& o : *outcomes) {
        if (o) {
            json::object made{{"id", o->id}};
            if (!o->number.empty()) made["number"] = o->number;
            printed.emplace_back(std::move(made));
        } else {
            printed.emplace_back(json::object{{"error", o.error().describe()}});
            if (!first_failure) first_failure = o.error();
        }
    }
    out.print(printed);
    if (first_failure) throw api_error(*first_failure);  // the array above says which; exit 1
}

action prepare_bulk(const invocation& inv) {
    const std::string help = help_command_for(inv);
    only_filters(inv, help);
    no_level(inv, help);
    expect_operands(inv, {"JSON|@FILE"}, "invoices create-bulk", help);
    const json::value body = read_json_operand(inv.operands[0], help);
    if (!body.is_array() || body.get_array().empty())
        throw usage_error("invoices create-bulk takes a non-empty JSON array of invoices", help);
    std::vector<invoice> invoices;
    for (std::size_t i = 0; i < body.get_array().size(); ++i) {
        const auto& item = body.get_array()[i];
        if (!item.is_object()) throw usage_error("element " + std::to_string(i) + " is not a JSON object", help);
        const record_location at = locate_record(item.get_object(), resources::invoices);
        auto decoded = model::decode<invoice>(*at.fields, at.siblings, at.wrapper);
        if (!decoded)
            throw usage_error("element " + std::to_string(i) + " is not a valid invoice: " + decoded.error().message, help);
        invoices.push_back(std::move(*decoded));
    }
    return [invoices = std::move(invoices), q = inv.list_query](const client& api, output& out) {
        return bulk_create(api, invoices, q, out);
    };
}

asio::awaitable<void> note_on(const client& api, std::string type, std::int64_t owner, note n, output& out) {
    auto call = api.create_note(std::move(type), owner, n);
    auto id = co_await std::move(call);
    if (!id) throw api_error(id.error());
    out.print(*id);
}

action prepare_note(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    no_level(inv, help);
    expect_operands(inv, {"TYPE", "OWNER_ID", "JSON|@FILE"}, "notes create", help);
    if (inv.operands[0].empty()) throw usage_error("TYPE must not be empty (e.g. client)", help);
    const std::int64_t owner = positive_operand(inv.operands[1], "OWNER_ID", help);
    note n = record_from_operand(inv.operands[2], resources::notes, help);
    return [type = inv.operands[0], owner, n = std::move(n)](const client& api, output& out) {
        return note_on(api, type, owner, n, out);
    };
}

asio::awaitable<void> booking_status(const client& api, std::int64_t id, int status, output& out) {
    auto call = api.set_booking_status(id, status);
    auto done = co_await std::move(call);
    if (!done) throw record_error(done.error(), "bookings", id);
    out.confirm("bookings " + std::to_string(id) + ": status " + std::to_string(status));
}

action prepare_booking_status(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    no_level(inv, help);
    expect_operands(inv, {"ID", "STATUS"}, "bookings status", help);
    const std::int64_t id = positive_operand(inv.operands[0], "ID", help);
    const std::string& word = inv.operands[1];
    int status = 0;
    if (word == "1" || word == "confirmed") status = 1;
    else if (word == "3" || word == "canceled" || word == "cancelled") status = 3;
    else if (word == "4" || word == "done") status = 4;
    else throw usage_error("STATUS is 1 (confirmed), 3 (canceled) or 4 (done), got '" + word + "'", help);
    return [id, status](const client& api, output& out) { return booking_status(api, id, status, out); };
}

asio::awaitable<void> booking_convert(const client& api, std::int64_t id, output& out) {
    auto call = api.convert_booking(id);
    auto answer = co_await std::move(call);
    if (!answer) throw record_error(answer.error(), "bookings", id);
    out.print(*answer);
}

action prepare_booking_convert(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    no_level(inv, help);
    expect_operands(inv, {"ID"}, "bookings convert", help);
    const std::int64_t id = positive_operand(inv.operands[0], "ID", help);
    return [id](const client& api, output& out) { return booking_convert(api, id, out); };
}

asio::awaitable<void> actions_of(const client& api, std::string type, query q, output& out) {
    auto call = api.follow_up_actions_of(std::move(type), q);
    auto p = co_await std::move(call);
    if (!p) throw api_error(p.error());
    out.print(page_json(*p, [](const follow_up_action& a) { return model::to_json(a); }));
}

action prepare_actions_of(const invocation& inv) {
    const std::string help = help_command_for(inv);
    no_level(inv, help);
    if (inv.all) throw usage_error("--all does not apply to follow_up_actions list (one page per call: use --page)", help);
    expect_operands(inv, {"TYPE"}, "follow_up_actions list", help);
    if (inv.operands[0].empty()) throw usage_error("TYPE must not be empty", help);
    return [type = inv.operands[0], q = inv.list_query](const client& api, output& out) { return actions_of(api, type, q, out); };
}

constexpr extra_operation extras[] = {
    {"invoices", "create-bulk", "JSON|@FILE [--filter KEY=VALUE]...",
     "POST /api2/invoices/add_bulk.json: creates the invoices of a JSON array (each as `invoices create`\n"
     "takes it), one by one on the server (not atomic). Prints one result per invoice, in order:\n"
     "{\"id\":N,\"number\":\"…\"} or {\"error\":\"…\"}; exits 1 when any failed. --filter KEY=VALUE adds a query\n"
     "parameter (the reference lists send, client_id and terminal_id, undescribed).\n",
     false, &prepare_bulk},
    {"invoices", "pdf", "ID [-o FILE]",
     "The invoice's PDF (its invoice_pdf_url), written to FILE, which is replaced only once the whole file\n"
     "has arrived; without -o, to standard output.\n",
     true, &prepare_pdf},
    {"invoices", "html", "ID [-o FILE]", "The invoice's HTML page (its invoice_html_url), as pdf does.\n", true, &prepare_html},
    {"notes", "create", "TYPE OWNER_ID JSON|@FILE",
     "POST /api2/notes/TYPE/OWNER_ID.json: a note on a record (TYPE names the owner's kind, e.g. client;\n"
     "the reference does not list the values). Prints the new note's id.\n",
     false, &prepare_note},
    {"bookings", "status", "ID STATUS",
     "GET /api2/bookings/change_status/ID/STATUS: STATUS is 1 or confirmed, 3 or canceled, 4 or done.\n", false,
     &prepare_booking_status},
    {"bookings", "convert", "ID", "GET /api2/bookings/convert_to_invoice/ID: prints the answer as JSON (its shape is not documented).\n",
     false, &prepare_booking_convert},
    {"follow_up_actions", "list", "TYPE [--page N] [--limit N] [--sort FIELD] [--direction asc|desc] [--filter KEY=VALUE]...",
     "GET /api2/follow_up_actions/TYPE.json: the follow-up actions of one item type, one page, as `list`\n"
     "prints it. (The same path with an existing action's id reads that action: the reference's collision.)\n",
     false, &prepare_actions_of},
};

// ---------------------------------------------------------------------------------------------------
// listing, download, v2

asio::awaitable<void> show_listing(const client& api, std::string model, output& out) {
    auto call = api.listing(std::move(model));
    auto l = co_await std::move(call);
    if (!l) throw api_error(l.error());
    out.print(*l);
}

asio::awaitable<void> v2_list(const client& api, std::string entity, int level, query q, output& out) {
    auto call = api.v2_list(std::move(entity), level, q);
    auto p = co_await std::move(call);
    if (!p) throw api_error(p.error());
    out.print(page_json(*p, same));
}

asio::awaitable<void> v2_get(const client& api, std::string entity, std::int64_t id, std::optional<int> level, output& out) {
    auto call = level ? api.v2_get(entity, id, *level) : api.v2_show(entity, id);
    auto r = co_await std::move(call);
    if (!r) throw record_error(r.error(), entity, id);
    out.print(*r);
}

asio::awaitable<void> v2_create(const client& api, std::string entity, json::object body, output& out) {
    auto call = api.v2_create(std::move(entity), std::move(body));
    auto id = co_await std::move(call);
    if (!id) throw api_error(id.error());
    out.print(*id);
}

asio::awaitable<void> v2_update(const client& api, std::string entity, std::int64_t id, json::object body, output& out) {
    const std::string what = entity + " " + std::to_string(id);
    auto call = api.v2_update(std::move(entity), id, std::move(body));
    auto done = co_await std::move(call);
    if (!done) throw api_error(done.error());
    out.confirm("updated " + what);
}

asio::awaitable<void> v2_multi(const client& api, std::vector<resources::v2_multi_part> parts, output& out) {
    auto call = api.v2_multi(parts);
    auto answer = co_await std::move(call);
    if (!answer) throw api_error(answer.error());
    json::object printed;
    for (const auto& [alias, r] : answer->records)
        printed[alias] = r ? json::value(*r) : json::value(json::object{{"error", r.error().describe()}});
    for (const auto& [alias, p] : answer->pages)
        printed[alias] = p ? json::value(page_json(*p, same)) : json::value(json::object{{"error", p.error().describe()}});
    out.print(printed);
}

json::object object_operand(const std::string& operand, const std::string& help) {
    json::value v = read_json_operand(operand, help);
    if (!v.is_object()) throw usage_error("the record must be a JSON object", help);
    return std::move(v.get_object());
}

// One part of `v2 multi`: {"key":…, "action":"show"|"list", "id":N, "options":{…}, "data_level":N, "alias":…}.
resources::v2_multi_part part_from(const json::value& v, std::size_t i, const std::string& help) {
    const std::string at = "part " + std::to_string(i);
    const json::object* o = v.if_object();
    if (!o) throw usage_error(at + " is not a JSON object", help);
    resources::v2_multi_part p;
    const json::value* key = o->if_contains("key");
    if (!key || !key->is_string()) throw usage_error(at + " needs \"key\" (the entity)", help);
    p.key = entity_name(std::string(key->get_string()), help);
    const json::value* act = o->if_contains("action");
    const std::string action_word = act && act->is_string() ? std::string(act->get_string()) : "list";
    if (action_word == "show") p.action = resources::v2_multi_part::action_kind::show;
    else if (action_word != "list") throw usage_error(at + ": action is show or list, got '" + action_word + "'", help);
    if (p.action == resources::v2_multi_part::action_kind::show) {
        const json::value* id = o->if_contains("id");
        if (!id || !id->is_int64() || id->get_int64() < 1) throw usage_error(at + ": show needs a positive \"id\"", help);
        p.id = id->get_int64();
    }
    if (const json::value* opts = o->if_contains("options")) {
        if (!opts->is_object()) throw usage_error(at + ": options must be an object", help);
        for (const auto& [k, val] : opts->get_object()) {
            const std::string text = val.is_string() ? std::string(val.get_string()) : json::serialize(val);
            if (k == "page" && val.is_int64()) p.options.page = val.get_int64();
            else if (k == "per_page" && val.is_int64()) p.options.limit = val.get_int64();
            else p.options.filters.emplace_back(std::string(k), text);
        }
    }
    if (const json::value* l = o->if_contains("data_level")) {
        if (!l->is_int64()) throw usage_error(at + ": data_level must be a number", help);
        p.data_level = static_cast<int>(l->get_int64());
    }
    if (const json::value* a = o->if_contains("alias")) {
        if (!a->is_string()) throw usage_error(at + ": alias must be a string", help);
        p.alias = std::string(a->get_string());
    }
    return p;
}

} // namespace

std::span<const extra_operation> extra_operations() noexcept { return extras; }

const extra_operation* find_extra_operation(std::string_view resource, std::string_view name) noexcept {
    for (const auto& e : extras)
        if (e.resource == resource && e.name == name) return &e;
    return nullptr;
}

std::string extra_operation_help(const extra_operation& op) {
    std::string out = "Usage: daftra ";
    out.append(op.resource).append(" ").append(op.name).append(" ").append(op.synopsis).append("\n\n").append(op.help);
    return out;
}

action prepare_listing(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    no_level(inv, help);
    expect_operands(inv, {"MODEL"}, "listing", help);
    if (inv.operands[0].empty()) throw usage_error("MODEL must not be empty (e.g. Branch)", help);
    return [model = inv.operands[0]](const client& api, output& out) { return show_listing(api, model, out); };
}

action prepare_download(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    no_level(inv, help);
    expect_operands(inv, {"URL"}, "download", help);
    return [url = inv.operands[0], file = inv.output_file](const client& api, output& out) { return fetch_to(api, url, file, out); };
}

action prepare_v2(const invocation& inv) {
    const std::string help = help_command_for(inv);
    const std::string& op = inv.operation;
    const std::string what = "v2 " + op;
    if (op.empty()) throw usage_error("v2: missing OPERATION (list, get, show, create, update or multi)", help);
    if (op != "list") refuse_list_options(inv);
    if (inv.level && op != "list" && op != "get") throw usage_error("--level applies only to v2 list and v2 get", help);
    if (op == "list") {
        if (inv.all) throw usage_error("--all does not apply to v2 list (one page per call: use --page)", help);
        expect_operands(inv, {"ENTITY"}, what, help);
        return [entity = entity_name(inv.operands[0], help), level = inv.level.value_or(1), q = inv.list_query](
                   const client& api, output& out) { return v2_list(api, entity, level, q, out); };
    }
    if (op == "get" || op == "show") {
        expect_operands(inv, {"ENTITY", "ID"}, what, help);
        std::optional<int> level;
        if (op == "get") level = inv.level.value_or(1);
        return [entity = entity_name(inv.operands[0], help), id = positive_operand(inv.operands[1], "ID", help), level](
                   const client& api, output& out) { return v2_get(api, entity, id, level, out); };
    }
    if (op == "create") {
        expect_operands(inv, {"ENTITY", "JSON|@FILE"}, what, help);
        return [entity = entity_name(inv.operands[0], help), body = object_operand(inv.operands[1], help)](
                   const client& api, output& out) { return v2_create(api, entity, body, out); };
    }
    if (op == "update") {
        expect_operands(inv, {"ENTITY", "ID", "JSON|@FILE"}, what, help);
        return [entity = entity_name(inv.operands[0], help), id = positive_operand(inv.operands[1], "ID", help),
                body = object_operand(inv.operands[2], help)](const client& api, output& out) {
            return v2_update(api, entity, id, body, out);
        };
    }
    if (op == "multi") {
        expect_operands(inv, {"JSON|@FILE"}, what, help);
        const json::value v = read_json_operand(inv.operands[0], help);
        if (!v.is_array() || v.get_array().empty()) throw usage_error("v2 multi takes a non-empty JSON array of parts", help);
        std::vector<resources::v2_multi_part> parts;
        for (std::size_t i = 0; i < v.get_array().size(); ++i) parts.push_back(part_from(v.get_array()[i], i, help));
        // The SDK's own check of the parts (aliases, keys), as a usage error: nothing is sent.
        if (auto req = resources::v2_multi_request(parts); !req) throw usage_error(req.error().message, help);
        return [parts = std::move(parts)](const client& api, output& out) { return v2_multi(api, parts, out); };
    }
    throw usage_error("v2: unknown operation '" + op + "' (list, get, show, create, update or multi)", help);
}

std::string listing_help() {
    return "Usage: daftra listing MODEL\n\n"
           "GET /api2/listing/MODEL.json: the account's id -> title map of MODEL (Branch, Timezone, dateFormats,\n"
           "InvoiceLayout, GroupPrice, Role, languageCodes, TimeActivity, … the reference lists no others).\n";
}

std::string download_help() {
    return "Usage: daftra download URL [-o FILE]\n\n"
           "Downloads a file of the account: an absolute URL on the account's origin (an invoice's\n"
           "invoice_pdf_url, an attachment) or a path starting with /. Written to FILE, which is replaced only\n"
           "once the whole file has arrived (-o, --output), else to standard output. A URL on another host is\n"
           "refused: the credentials go to the account's origin only. At most 64 MiB.\n";
}

std::string v2_help(std::string_view operation) {
    std::string out =
        "Usage: daftra v2 list ENTITY [--level N] [--page N] [--limit N] [--sort FIELD] [--direction asc|desc]\n"
        "                 [--filter KEY=VALUE]...\n"
        "       daftra v2 get ENTITY ID [--level N]\n"
        "       daftra v2 show ENTITY ID\n"
        "       daftra v2 create ENTITY JSON|@FILE\n"
        "       daftra v2 update ENTITY ID JSON|@FILE\n"
        "       daftra v2 multi JSON|@FILE\n\n"
        "The v2 entity API (/v2/api/entity/ENTITY/…), records as flat JSON objects, for any entity (brand,\n"
        "unit_template, cost_center, leave_application, booking, invoice, …). --level is the detail level:\n"
        "1 (the default) the record's own fields, 2 to 4 its relations, -1 as documented for some lists.\n"
        "list prints {\"items\":[…],\"page\":N,\"page_count\":N,\"total_results\":N} (--limit is sent as\n"
        "per_page); get and show print the record (show reads …/ID/show); create prints the new id; update\n"
        "edits in the entity's documented form (PUT, or POST with the id for credit_usage, credit_type,\n"
        "credit_charge and package). multi sends several reads in one POST /v2/api/multi-entity: a JSON array\n"
        "of {\"key\":ENTITY, \"action\":\"show\"|\"list\", \"id\":N, \"options\":{\"page\":N,\"per_page\":N,…},\n"
        "\"data_level\":N, \"alias\":NAME}; it prints an object of each part's answer by alias (its key when it\n"
        "has none), an {\"error\":…} for a part that failed.\n";
    (void)operation;
    return out;
}

} // namespace daftra::cli
