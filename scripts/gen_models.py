#!/usr/bin/env python3
"""Generates the typed model headers from the API reference (resources.json).

resources.json is a machine-readable description of Daftra's documented API (every resource's path,
wrapper key, fields with types, read-only and required marks, relations), compiled from Daftra's public
documentation; it is kept outside this repository. The headers generated from it are committed, so
users and the build never need it: only a maintainer regenerating the models does.

    scripts/gen_models.py [--check] [path/to/resources.json]   (default: ../shared/api/resources.json)

--check regenerates into a scratch directory and fails when the committed files differ (for CI).

Writes include/daftra/model/<model>.hpp (one per resource), include/daftra/model/rows.hpp (the
child-row types), include/daftra/model/all.hpp, and src/model/instances_<n>.cpp (the explicit
instantiations of the converter, so that users of the models never compile it); the resource table
include/daftra/resources/table.hpp with for_each_resource, the client's accessors
include/daftra/client/resource_accessors.hpp, and src/resources/steps_<n>.cpp and instances_<n>.cpp
(the steps, calls and pager of every line of the table): the list of resources is written once, here. The output is
committed; rerun this script when resources.json changes.

Every model is one flat aggregate (designated initializers work on any member), followed by its
member table, model::description<model> (see model/types.hpp): the JSON key and flags of each member,
and the pointers to the members, in declaration order. The converter walks that table.

Type mapping: integer -> optional<int64_t>, number -> optional<double>, string -> optional<string>,
boolean -> optional<bool>, array -> optional<json::array>, anything mixed -> optional<json::value>.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_DIR = os.path.join(ROOT, "include", "daftra", "model")
SRC_DIR = os.path.join(ROOT, "src", "model")
RESOURCES_SRC_DIR = os.path.join(ROOT, "src", "resources")
RESOURCES_INCLUDE_DIR = os.path.join(ROOT, "include", "daftra", "resources")
CLIENT_INCLUDE_DIR = os.path.join(ROOT, "include", "daftra", "client")

# resource id -> C++ type name (singular; `staff_member` because `staff` reads as a collection;
# `client_record` because daftra::client is the SDK's client class).
MODEL_NAMES = {
    "invoices": "invoice", "estimates": "estimate", "credit_notes": "credit_note",
    "refund_receipts": "refund_receipt", "purchase_invoices": "purchase_order",
    "purchase_refunds": "purchase_refund", "clients": "client_record", "suppliers": "supplier",
    "staff": "staff_member", "client_attendance_log": "client_attendance",
    "client_appointments": "client_appointment", "invoice_appointments": "invoice_appointment",
    "estimate_appointments": "estimate_appointment",
    "work_order_appointments": "work_order_appointment", "notes": "note", "products": "product",
    "product_categories": "product_category", "time_tracking": "time_entry",
    "work_orders": "work_order", "taxes": "tax", "invoice_payments": "invoice_payment",
    "client_payments": "client_payment", "expenses": "expense", "incomes": "income",
    "stores": "store", "stock_transactions": "stock_transaction", "treasuries": "treasury",
    "journals": "journal", "journal_accounts": "journal_account", "journal_cats": "journal_category",
    "follow_up_statuses": "follow_up_status", "follow_up_actions": "follow_up_action",
    "listing": "listing", "site_info": "site_info", "requisitions": "requisition",
    "bookings": "booking", "advance_payments": "advance_payment", "branches": "branch",
    # v2_entity is generic (any entity), so it has no model: its calls return JSON.
}

# Child-row types, defined once in rows.hpp: (type name, resource id whose field list it takes, key).
ROW_TYPES = [
    ("invoice_item", "invoices", "item_fields", "A line of a sales document (`InvoiceItem`)."),
    ("payment", "invoices", "payment_fields",
     "A payment submitted with a sales document (`Payment` on invoices)."),
    ("purchase_order_item", "purchase_invoices", "item_fields",
     "A line of a purchase document (`PurchaseOrderItem`)."),
    ("journal_transaction", "journals", "item_fields", "A debit/credit line of a journal (`JournalTransaction`)."),
    ("requisition_item", "requisitions", "item_fields", "A line of a requisition (`RequisitionItem`)."),
]

# Relation key -> (C++ type, "rows" | "one", header to include or None).
# Keys not listed here are relations the reference names without fields: rows of raw_record.
RELATIONS = {
    "InvoiceItem": ("invoice_item", "rows", "rows"),
    "Payment": ("payment", "rows", "rows"),
    "InvoicePayment": ("invoice_payment", "rows", "invoice_payment"),
    "PurchaseOrderItem": ("purchase_order_item", "rows", "rows"),
    "JournalTransaction": ("journal_transaction", "rows", "rows"),
    "RequisitionItem": ("requisition_item", "rows", "rows"),
    "ProductCategory": ("product_category", "rows", "product_category"),
    "Client": ("client_record", "one", "client_record"),
    "Supplier": ("supplier", "one", "supplier"),
    "staff": ("staff_member", "one", "staff_member"),
    "time_formatted": ("elapsed_time", "one", "rows"),
    "FollowUpReminder": ("client_appointment", "one", "client_appointment"),
}

# The v2-only entities the reference documents (its entity API section; follow_up_status and booking are
# lines of their own above). The reference gives none of their fields, so they share one model,
# v2_record (its id, every other key in `extra`); each is a line of the table, reached as the entity's
# plural (api.brands()). Parameterised keys (le_workflow-type-entity-{id}) stay with the untyped v2_* calls.
V2_ENTITIES = ["leave_application", "attendance_log", "purchase_debit_note", "product_bundle", "brand",
               "unit_template", "cost_center", "site_payment_gateway", "credit_usage", "charge_usage",
               "credit_type", "credit_charge", "package", "credit_type_package", "asset_type", "asset_location",
               "storage", "employee_asset", "designation", "department", "employment_type"]
V2_POST_WITH_ID = {"credit_usage", "credit_type", "credit_charge", "package"}  # edited by POST with the id
for _entity in V2_ENTITIES:
    MODEL_NAMES[_entity + "s"] = "v2_record"


def gen_v2_record():
    lines = header("v2_record: a record of a v2-only entity of the Entity API v2 (/v2/api/entity/{entity}).", [])
    lines += ["/// A record of an entity the reference documents on the v2 entity API without its fields (brand,",
              "/// unit_template, cost_center, leave_application, …: api.brands(), api.unit_templates(), …). The id",
              "/// is typed; every other key is kept in `extra` as received and sent back from it.",
              "struct v2_record {",
              "    std::optional<std::int64_t> id{};  ///< read-only; answers carry it",
              "    model::unknown_members extra{};  ///< the record's fields, as received (unknown_members.hpp)",
              "};"]
    lines += description("v2_record", [("id", ["model::field::read_only"])])
    lines += ["", "} // namespace daftra"]
    write(os.path.join(MODEL_DIR, "v2_record.hpp"), lines)
    return "v2_record"


# A relation written differently by one resource: (resource id, key) -> as in RELATIONS.
RELATION_OVERRIDES = {("advance_payments", "Payment"): ("payment", "one", "rows")}


def derived_resources(by_id):
    """Resources the reference documents in prose (its other endpoints) rather than as a resource of
    their own, built from the resource whose schema they reuse."""
    inv = by_id["invoices"]
    fields = []
    for f in inv["fields"]:
        f = dict(f)
        if f["name"] == "type":
            f["default"] = 19
            f["note"] = "19 (Advance Payment): what makes the invoice an advance payment"
            f.pop("enum", None)
        fields.append(f)
    advance = {
        "name": "Advance payments", "id": "advance_payments", "path": "/api2/invoices", "wrapper": "Invoice",
        "response_wrapper": "Invoice", "fields": fields,
        "item_wrappers": ["InvoiceItem", "Payment", "InvoiceCustomField"], "response_nested": [],
        "operations": ["list", "get", "create"],
        "endpoints": {"list": "GET /v2/api/entity/invoice/list/1", "get": "GET /v2/api/entity/invoice/{id}/1",
                      "create": "POST /api2/invoices{format}"},
        "notes": "Invoices of type 19. Created through the invoice endpoint with `Payment` as one object "
                 "(not an array); listed and read through the v2 entity API (the invoice entity with "
                 "filter[type]=19, level 1: the document's own fields, no rows).",
    }
    branches = {
        "name": "Branches", "id": "branches", "path": "/api2/branches", "wrapper": None,
        "response_wrapper": "Branch", "fields": [], "item_wrappers": [], "response_nested": [],
        "operations": ["list"], "endpoints": {"list": "GET /api2/branches"},
        "notes": "Filed under v2 but served by the v1 server with the v1 envelope (data[].Branch, "
                 "pagination). The reference lists no fields: every key is kept in `extra`.",
    }
    v2 = [{"name": f"v2 entity {e}", "id": e + "s", "v2_entity": e, "path": f"/v2/api/entity/{e}",
           "wrapper": None, "fields": [], "operations": ["list", "get", "create", "update"], "endpoints": {}}
          for e in V2_ENTITIES]
    return [advance, branches] + v2


# The resource table (include/daftra/resources/table.hpp) is derived from each resource's endpoints:
# an operation whose target is the resource's path (plus "/{id}" for get, update and remove) is a
# table operation; a list or create target elsewhere without placeholders becomes list_path or
# create_path; one with other placeholders (notes' create, follow-up actions' list) is a call of its
# own on the client, not a table operation. What the reference leaves open is decided here:
TABLE_VARIABLE = {"site_info": "site"}  # the variable's name when it is not the id; site has no accessor
TABLE_PATH = {  # where the reference gives no single base path, or one without /api2
    "follow_up_statuses": "/api2/follow_up_statuses",
    "follow_up_actions": "/api2/follow_up_actions",
    "bookings": "/api2/bookings",
}
TABLE_READ_KEY_ALT = {"client_appointments": "FollowUpReminder", "product_categories": "Category"}
TABLE_LIST_FILTER = {"advance_payments": ("filter[type]", "19")}  # a parameter every list of it sends
TABLE_ORDER = ["list", "get", "create", "update", "delete"]
OP_NAMES = {"list": "op_list", "get": "op_get", "create": "op_create", "update": "op_update", "delete": "op_remove"}

# Documented types that real answers contradict. Quantities are decimals in Daftra (1.5 kg, 0.25 h)
# although the schema says integer; an int64 member would reject such answers.
TYPE_OVERRIDES = {("invoice_item", "quantity"): "number", ("purchase_order_item", "quantity"): "number"}

CPP_KEYWORDS = set("""alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern false
float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or
or_eq private protected public register reinterpret_cast requires return short signed sizeof static
static_assert static_cast struct switch template this thread_local throw true try typedef typeid typename
union unsigned using virtual void volatile wchar_t while xor xor_eq extra""".split())

CPP_TYPES = {
    "integer": "std::optional<std::int64_t>",
    "number": "std::optional<double>",
    "string": "std::optional<std::string>",
    "boolean": "std::optional<bool>",
    "array": "std::optional<boost::json::array>",
}


def cpp_type(t):
    return CPP_TYPES.get(t, "std::optional<boost::json::value>")


def member_name(json_key):
    # The member table keeps the JSON key, so a member named after a keyword just gets a trailing '_'.
    return json_key + "_" if json_key in CPP_KEYWORDS else json_key


def comment(f):
    bits = []
    if f.get("required") is True:
        bits.append("required")
    if f.get("read_only"):
        bits.append("read-only")
    if f.get("format"):
        bits.append(f["format"])
    if f.get("enum"):
        bits.append("; ".join(f["enum"]))
    if f.get("note"):
        bits.append(standalone(f["note"]))
    text = ", ".join(bits).replace("*/", "* /")
    return f"  ///< {text}" if text else ""


# The reference tags its statements with their source ([D], [A], ...) and cites its own sections (§9);
# the generated comments must read on their own, so the tags become words.
SOURCE_TAGS = [
    ("[D]", "(Daftra's developer docs)"), ("[A]", "(the older daftradocs222 site)"),
    ("[C]", "(Daftra's own client code)"), ("[I]", "(inferred, not documented)"),
    ("see §9", "see the API's other documented endpoints"), ("(§9)", "(documented among the other endpoints)"),
]


def standalone(text):
    for tag, words in SOURCE_TAGS:
        text = text.replace(tag, words)
    return text


def field_lines(owner, fields):
    out = []
    for f in fields:
        t = TYPE_OVERRIDES.get((owner, f["name"]), f["type"])
        init = str(f["default"]) if "default" in f else ""
        out.append(f"    {cpp_type(t)} {member_name(f['name'])}{{{init}}};{comment(f)}")
    return out


def field_entries(fields):
    """(JSON key, flags) of plain fields, for the member table."""
    return [(f["name"], ["model::field::read_only"] if f.get("read_only") else []) for f in fields]


def wrapped(items, indent, width=108, separator=","):
    """items joined by `separator` and a space in lines of at most `width` columns."""
    lines, cur = [], ""
    for item in items:
        piece = item + separator
        if cur and len(indent) + len(cur) + 1 + len(piece) > width:
            lines.append(indent + cur)
            cur = piece
        else:
            cur = f"{cur} {piece}" if cur else piece
    if cur:
        lines.append(indent + cur)
    if lines and separator:
        lines[-1] = lines[-1][:-len(separator)]  # no separator after the last item
    return lines


def description(name, entries):
    """The member table of `name`: entries are (JSON key, [flag names]) in declaration order."""
    out = ["", f"/// The member table of {name} for the converter (model::description in model/types.hpp).",
           "template <>",
           f"struct model::description<{name}> {{"]
    if not entries:
        out.append("    static constexpr std::array<model::field, 0> fields{};")
        out.append("    using members = model::members<>;")
    else:
        cells = []
        for key, flags in entries:
            cells.append(f'{{"{key}", {" | ".join(flags)}}}' if flags else f'{{"{key}"}}')
        out.append(f"    static constexpr std::array<model::field, {len(entries)}> fields{{{{")
        out += wrapped(cells, "        ")
        out.append("    }};")
        out.append("    using members = model::members<")
        out += wrapped([f"&{name}::{member_name(key)}" for key, _ in entries], "        ")
        out[-1] += ">;"
    out.append("};")
    return out


def header(title, includes):
    lines = ["#pragma once",
             f"// {title}",
             "// Generated by scripts/gen_models.py from the API reference (resources.json, a description of",
             "// Daftra's documented fields; see the script). Do not edit: change the script and regenerate.",
             "",
             '#include "daftra/model/types.hpp"']
    for inc in sorted(set(includes)):
        lines.append(f'#include "daftra/model/{inc}.hpp"')
    lines += ["", "namespace daftra {", ""]
    return lines


def write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")


def gen_rows(res_by_id):
    lines = header("Child-row types shared by several resources (invoice items, payments, …).", [])
    names = []
    for name, rid, key, doc in ROW_TYPES:
        fields = res_by_id[rid][key]
        lines.append(f"/// {doc}")
        lines.append(f"struct {name} {{")
        lines += field_lines(name, fields)
        lines.append("    model::unknown_members extra{};  ///< keys the reference does not document, kept as received (unknown_members.hpp)")
        lines.append("};")
        lines += description(name, field_entries(fields))
        lines.append("")
        names.append(name)
    lines.append("/// Elapsed time of a time-tracking entry as answered on reads (`time_formatted`).")
    lines.append("struct elapsed_time {")
    for n in ("hours", "minutes", "seconds"):
        lines.append(f"    std::optional<std::int64_t> {n}{{}};")
    lines.append("    std::optional<std::string> string{};  ///< e.g. \"01:30\"")
    lines.append("    model::unknown_members extra{};  ///< keys the reference does not document, kept as received (unknown_members.hpp)")
    lines.append("};")
    lines += description("elapsed_time", [(n, []) for n in ("hours", "minutes", "seconds", "string")])
    lines.append("")
    names.append("elapsed_time")
    lines.append("} // namespace daftra")
    write(os.path.join(MODEL_DIR, "rows.hpp"), lines)
    return names


def gen_model(r):
    name = MODEL_NAMES[r["id"]]
    fields = list(r["fields"])
    # Every record answer carries its id even where the field list omits it; the general listing's
    # answer is an id -> title map, not records, so it gets none.
    if r["id"] != "listing" and not any(f["name"] == "id" for f in fields):
        fields.insert(0, {"name": "id", "type": "integer", "read_only": True,
                          "note": "not in the reference's field list; answers carry it"})
    writes = list(r.get("item_wrappers") or [])
    reads = list(r.get("response_nested") or [])
    relations = []
    for key in writes + [k for k in reads if k not in writes]:
        rtype, kind, inc = RELATION_OVERRIDES.get((r["id"], key)) or RELATIONS.get(key, ("model::raw_record", "rows", None))
        mode = "read_write" if key in writes else "read_only"
        relations.append((key, rtype, kind, inc, mode))

    includes = [inc for (_, _, _, inc, _) in relations if inc and inc != name]
    wrapper = r.get("wrapper") or r.get("response_wrapper") or "-"
    lines = header(f"{r['name']}: {r['path']} (wrapper `{wrapper}`).", includes)
    keys = r.get("response_wrapper")
    doc = f"/// {r['name']}: request wrapper `{r.get('wrapper') or '(none: flat body)'}`"
    if keys and keys != r.get("wrapper"):
        doc += f", answer wrapper `{keys}`"
    lines.append(doc + ".")
    if r.get("notes"):
        for chunk in wrap(standalone(r["notes"]), 96):
            lines.append(f"/// {chunk}")
    lines.append(f"struct {name} {{")
    lines += field_lines(name, fields)
    for key, rtype, kind, _, mode in relations:
        what = "rows" if kind == "rows" else "one"
        default_mode = "read_write" if kind == "rows" else "read_only"
        targs = rtype if mode == default_mode else f"{rtype}, model::access::{mode}"
        note = "sent as a sibling array" if (kind == "rows" and mode == "read_write") else \
            ("sent as a sibling object" if mode == "read_write" else "answers only")
        lines.append(f"    model::{what}<{targs}> {member_name(key)}{{}};  ///< `{key}`, {note}")
    lines.append("    model::unknown_members extra{};  ///< keys the reference does not document, kept as received (unknown_members.hpp)")
    lines.append("};")
    entries = field_entries(fields)
    for key, _, _, _, mode in relations:
        flags = ["model::field::relation"] + (["model::field::read_only"] if mode == "read_only" else [])
        entries.append((key, flags))
    lines += description(name, entries)
    lines.append("")
    lines.append("} // namespace daftra")
    write(os.path.join(MODEL_DIR, f"{name}.hpp"), lines)
    return name


def wrap(text, width):
    words, out, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        out.append(cur)
    return out


def gen_instances(row_names, model_names):
    everything = ["model::raw_record"] + row_names + model_names
    parts = 4
    for i in range(parts):
        chunk = everything[i::parts]
        lines = ["// Explicit instantiations of the lenient converter for the built-in models, so that code using",
                 "// the models links against them instead of compiling the converter. Generated by",
                 "// scripts/gen_models.py; split in parts so that they build in parallel.",
                 "",
                 '#include "daftra/model/all.hpp"',
                 '#include "daftra/detail/codec_impl.hpp"',
                 "",
                 "namespace daftra::model {",
                 ""]
        for t in chunk:
            q = t if t.startswith("model::") else f"daftra::{t}"
            q = q.replace("model::", "daftra::model::") if q.startswith("model::") else q
            lines.append(f"DAFTRA_MODEL_INSTANTIATE({q})")
        lines += ["", "} // namespace daftra::model"]
        write(os.path.join(SRC_DIR, f"instances_{i + 1}.cpp"), lines)


def gen_resource_instances(resource_ids):
    """src/resources/steps_<n>.cpp and instances_<n>.cpp: the steps, then the calls and pager, of every
    resource of the table."""
    # listing has calls of its own on the client (its paths carry a model name), not a line of the table.
    models = list(dict.fromkeys(MODEL_NAMES[r] for r in resource_ids if r != "listing"))  # v2_record once
    parts = 4
    for i in range(parts):
        part = models[i::parts]
        lines = ["// Explicit instantiations of the steps (requests and the decoding of answers, no I/O) for the",
                 "// models of the resource table. Apart from the calls (instances_<n>.cpp) so that the libFuzzer",
                 "// build, which has no coroutines, compiles them once for every decoder target. Generated by",
                 "// scripts/gen_models.py; split in parts so that they build in parallel.",
                 "",
                 '#include "daftra/model/all.hpp"',
                 '#include "daftra/resources/operations_impl.hpp"',
                 ""]
        lines += [f"DAFTRA_OPERATIONS_INSTANTIATE(daftra::{m})" for m in part]
        write(os.path.join(RESOURCES_SRC_DIR, f"steps_{i + 1}.cpp"), lines)
        lines = ["// Explicit instantiations of the typed calls and the pager for the models of the resource table,",
                 "// so that code making calls links against them instead of compiling the coroutines and the",
                 "// decoder per model (resources/resource.hpp). Their steps are in steps_<n>.cpp. Generated by",
                 "// scripts/gen_models.py; split in parts so that they build in parallel.",
                 "",
                 '#include "daftra/model/all.hpp"',
                 '#include "daftra/resources/resource_impl.hpp"',
                 ""]
        lines += [f"DAFTRA_OPERATIONS_EXTERN(daftra::{m})" for m in part]
        lines += [""]
        lines += [f"DAFTRA_RESOURCE_CALLS_INSTANTIATE(daftra::{m})" for m in part]
        write(os.path.join(RESOURCES_SRC_DIR, f"instances_{i + 1}.cpp"), lines)


def v2_table_line(r):
    """A v2-only entity's line: list, get, create and update as the entity API documents them."""
    e, rid = r["v2_entity"], r["id"]
    base = f"/v2/api/entity/{e}"
    parts = [f'.id = "{rid}"', f'.path = "{base}"', '.write_key = ""', '.read_key = ""',
             ".ops = op_list | op_get | op_create | op_update", ".json_suffix = false",
             f'.list_path = "{base}/list/1"', f'.get_path = "{base}/{{id}}/1"']
    if e in V2_POST_WITH_ID:
        parts.append(".update_as = update_form::post_with_id")
    parts.append(".update_repeats_id = true")
    return rid, f"inline constexpr resource_spec<v2_record> {rid}{{{{{', '.join(parts)}}}}};"


def table_line(r):
    """One line of the resource table for resource `r` of the reference."""
    if r.get("v2_entity"):
        return v2_table_line(r)
    rid = r["id"]
    path = TABLE_PATH.get(rid, r["path"])
    ops, suffix, list_path, create_path, singleton = [], False, "", "", False
    get_path = ""
    for op in [o for o in TABLE_ORDER if o in r["operations"]]:
        endpoint = r["endpoints"][op].split(" ")[1]  # "GET /api2/x/{id}{format} (note)" -> the target
        suffix = suffix or "{format}" in endpoint
        target = endpoint.replace("{format}", "").replace("[.json]", "")
        if target.startswith("/") and not target.startswith(("/api2/", "/v2/")) and path.startswith("/api2/"):
            target = "/api2" + target  # documented without a base (follow-ups): the SDK's is /api2
        tail = target[len(path):] if target.startswith(path) else None
        if op in ("list", "create") and tail == "":
            ops.append(op)
        elif op in ("get", "update", "delete") and tail is not None and tail.startswith("/{") and tail.endswith("}") \
                and tail.count("{") == 1:
            ops.append(op)
        elif op == "get" and tail == "":
            ops.append(op)
            singleton = True
        elif op == "get" and target.count("{") == 1:
            ops.append(op)  # documented elsewhere than path/{id} (bookings' get is a v2 entity call)
            get_path = target[:target.index("{")] + "{id}" + target[target.index("}") + 1:]
        elif op in ("list", "create") and "{" not in target:
            ops.append(op)
            if op == "list":
                list_path = target
            else:
                create_path = target
    write_key = r["wrapper"] or ""
    read_key = r.get("response_wrapper") or write_key
    parts = [f'.id = "{rid}"', f'.path = "{path}"', f'.write_key = "{write_key}"', f'.read_key = "{read_key}"']
    if rid in TABLE_READ_KEY_ALT:
        parts.append(f'.read_key_alt = "{TABLE_READ_KEY_ALT[rid]}"')
    if ops != TABLE_ORDER:
        parts.append(".ops = " + " | ".join(OP_NAMES[o] for o in ops))
    if not suffix:
        parts.append(".json_suffix = false")
    if list_path:
        parts.append(f'.list_path = "{list_path}"')
    if create_path:
        parts.append(f'.create_path = "{create_path}"')
    if get_path:
        parts.append(f'.get_path = "{get_path}"')
    if rid in TABLE_LIST_FILTER:
        key, value = TABLE_LIST_FILTER[rid]
        parts.append(f'.list_filter_key = "{key}", .list_filter_value = "{value}"')
    if singleton:
        parts.append(".singleton = true")
    variable = TABLE_VARIABLE.get(rid, rid)
    return variable, f"inline constexpr resource_spec<{MODEL_NAMES[rid]}> {variable}{{{{{', '.join(parts)}}}}};"


def gen_resource_table(resources):
    """include/daftra/resources/table.hpp (the table and for_each_resource) and
    include/daftra/client/resource_accessors.hpp (the client's accessor per resource)."""
    table = [table_line(r) for r in resources if r["id"] in MODEL_NAMES and r["id"] != "listing"]
    lines = ["#pragma once",
             "// The resource table: every resource Daftra's API documentation describes as one declarative line.",
             "// Generated by scripts/gen_models.py from the API reference, with the models (docs/design.md,",
             '// "generated models"); do not edit. The generic operations (operations.hpp) implement',
             "// list/get/create/update/remove for all of them; nothing is written per resource.",
             "//",
             "// Not in the table, because their paths carry more than an id (they are calls of their own on the",
             "// client): general listing (/api2/listing/{model}), notes' create (/api2/notes/{type}/{id}),",
             "// follow-up actions' list (/follow_up_actions/{type}), bulk invoice create, booking status/convert",
             '// and the generic v2 entity API.',
             "",
             '#include "daftra/model/all.hpp"',
             '#include "daftra/resources/spec.hpp"',
             "",
             "namespace daftra::resources {",
             "",
             "// clang-format off"]
    lines += [line for _, line in table]
    lines += ["// clang-format on",
              "",
              "/// Calls `f(spec)` for every line of the table, in table order (used by tests and the command line).",
              "template <class F>",
              "constexpr void for_each_resource(F&& f) {"]
    lines += wrapped([f"f({v});" for v, _ in table], "    ", separator="")
    lines += ["}", "", "} // namespace daftra::resources"]
    write(os.path.join(RESOURCES_INCLUDE_DIR, "table.hpp"), lines)

    acc = ["#pragma once",
           "// The client's accessor of every resource of the table, e.g. api.invoices(). Generated by",
           "// scripts/gen_models.py with the table (daftra/resources/table.hpp); do not edit.",
           "",
           '#include "daftra/resources/resource.hpp"',
           '#include "daftra/resources/table.hpp"',
           "",
           "namespace daftra::resources {",
           "",
           "/// A base of daftra::client_base: one accessor per resource, over Client's sender().",
           "template <class Client>",
           "class resource_accessors {",
           "public:"]
    for (variable, _), r in zip(table, [r for r in resources if r["id"] in MODEL_NAMES and r["id"] != "listing"]):
        if r["id"] in TABLE_VARIABLE:
            continue  # site_info: a call of the client (site_info()), not a resource handle
        acc.append(f"    resource<{MODEL_NAMES[r['id']]}> {variable}() const {{ return {{self().sender(), resources::{variable}}}; }}")
    acc += ["",
            "private:",
            "    const Client& self() const noexcept { return static_cast<const Client&>(*this); }",
            "};",
            "",
            "} // namespace daftra::resources"]
    write(os.path.join(CLIENT_INCLUDE_DIR, "resource_accessors.hpp"), acc)


def main():
    global MODEL_DIR, SRC_DIR, RESOURCES_SRC_DIR, RESOURCES_INCLUDE_DIR, CLIENT_INCLUDE_DIR
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    if check:
        import filecmp
        import tempfile
        committed = (MODEL_DIR, SRC_DIR, RESOURCES_SRC_DIR, RESOURCES_INCLUDE_DIR, CLIENT_INCLUDE_DIR)
        with tempfile.TemporaryDirectory() as scratch:
            scratch_dirs = tuple(os.path.join(scratch, d) for d in ("model", "src", "resources", "resources_h", "client_h"))
            MODEL_DIR, SRC_DIR, RESOURCES_SRC_DIR, RESOURCES_INCLUDE_DIR, CLIENT_INCLUDE_DIR = scratch_dirs
            for d in scratch_dirs:
                os.makedirs(d)
            generate(args)
            stale = [f for d, c in zip(scratch_dirs, committed) for f in os.listdir(d)
                     if not os.path.exists(os.path.join(c, f)) or not filecmp.cmp(os.path.join(d, f), os.path.join(c, f), shallow=False)]
        if stale:
            print("out of date: " + ", ".join(sorted(stale)) + " (run scripts/gen_models.py)")
            sys.exit(1)
        print("generated models are up to date")
        return
    generate(args)


def generate(args):
    src = args[0] if args else os.path.join(ROOT, "..", "shared", "api", "resources.json")
    with open(src, encoding="utf-8") as f:
        resources = json.load(f)
    by_id = {r["id"]: r for r in resources}
    resources = resources + derived_resources(by_id)
    row_names = gen_rows(by_id)
    model_names = [gen_model(r) for r in resources if r["id"] in MODEL_NAMES and not r.get("v2_entity")]
    model_names.append(gen_v2_record())
    all_lines = ["#pragma once",
                 "// Every typed model of the SDK. Generated by scripts/gen_models.py.",
                 "",
                 '#include "daftra/model/rows.hpp"']
    all_lines += [f'#include "daftra/model/{n}.hpp"' for n in model_names]
    all_lines += ["",
                  "namespace daftra::model {",
                  "",
                  "template <class... T>",
                  "struct type_list {};",
                  "",
                  "/// Every generated type: raw_record, the child-row types and the models (for generic code and tests).",
                  "using generated_types = type_list<"]
    all_lines += wrapped(["raw_record"] + [f"daftra::{n}" for n in row_names + model_names], "    ")
    all_lines[-1] += ">;"
    all_lines += ["", "} // namespace daftra::model"]
    write(os.path.join(MODEL_DIR, "all.hpp"), all_lines)
    gen_instances(row_names, model_names)
    gen_resource_instances([r["id"] for r in resources if r["id"] in MODEL_NAMES])
    gen_resource_table(resources)
    print(f"generated {len(model_names)} models and {len(row_names)} row types")


if __name__ == "__main__":
    main()
