#pragma once
// The documented endpoints that are not plain CRUD on a table line (docs/daftra-api.md, "Other
// endpoints": notes, follow-ups, bulk invoices, bookings, advance payments, the v2 entity API), as
// sans-I/O request builders and answer decoders. daftra::client sends them.

#include "daftra/model/invoice.hpp"
#include "daftra/model/note.hpp"
#include "daftra/detail/envelope.hpp"
#include "daftra/resources/page.hpp"
#include "daftra/resources/query.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::resources {

/// POST /api2/notes/{type}/{owner_id}.json: a note on a record (`type` as Daftra names the owner's
/// kind; the allowed values are not documented). Body `{"Note":{...}}` plus an optional sibling
/// `FollowUpReminder` from the note's relation.
transport::request note_create_request(std::string_view owner_type, std::int64_t owner_id, const note& n);

/// GET /api2/follow_up_actions/{type}.json?…: the follow-up actions of one item type.
transport::request follow_up_actions_request(std::string_view type, const query& q);

/// POST /api2/invoices/add_bulk.json with a JSON array of invoice bodies (same shape as create). `q`'s
/// parameters go on the target: the reference lists `send`, `client_id` and `terminal_id` there,
/// without saying what they do.
transport::request bulk_invoice_request(std::span<const invoice> invoices, const query& q = query());
/// The per-invoice outcomes of a bulk create, in the order sent: the new id and number, or the error the server
/// gave for that invoice (`"result":"failed"`, a message, or no id).
result<std::vector<result<created>>> bulk_invoice_answer(const transport::response& response);

/// GET /api2/bookings/change_status/{id}/{status} (1 confirmed, 3 canceled, 4 done).
transport::request booking_status_request(std::int64_t id, int status);
/// GET /api2/bookings/convert_to_invoice/{id}.
transport::request booking_convert_request(std::int64_t id);

/// v2 entity API (`/v2/api/entity/{entity}`), records as JSON objects.
/// List: GET …/{entity}/list/{level}?page=…&per_page=…&<filters> (q.limit is sent as per_page;
/// filters as given, e.g. {"filter[type]", "19"}).
transport::request v2_list_request(std::string_view entity, int level, const query& q);
/// A Laravel paginator (bare or with `meta`) as a page of objects.
result<page<boost::json::object>> v2_list_answer(const transport::response& response, std::int64_t requested_page);
/// GET …/{entity}/{id}/{level}
transport::request v2_get_request(std::string_view entity, std::int64_t id, int level);
/// GET …/{entity}/{id}/show: the get variant Daftra's own plugin uses (answered like v2_get_request).
transport::request v2_show_request(std::string_view entity, std::int64_t id);
/// The bare record of a v2 get.
result<boost::json::object> v2_get_answer(const transport::response& response);
/// POST …/{entity} with a flat body; the answer's `id` is the new record's.
transport::request v2_create_request(std::string_view entity, const boost::json::object& body);
/// How an entity's records are edited. The reference documents PUT …/{entity}/{id} with the body
/// repeating `id`, and, for some entities (credit usage, credit types, credit charges, packages), POST
/// …/{entity} with `id` in the body.
enum class v2_edit { put_to_record, post_with_id };
/// The documented form for `entity`: post_with_id for credit_usage, credit_type, credit_charge and
/// package, put_to_record for every other.
v2_edit v2_edit_form(std::string_view entity) noexcept;
/// An edit in `entity`'s documented form (v2_edit_form), the body carrying `id` either way.
transport::request v2_update_request(std::string_view entity, std::int64_t id, boost::json::object body);

/// One part of a multi-entity call (POST /v2/api/multi-entity): one record of an entity (`show`) or
/// one page of it (`list`), answered under `alias`.
struct v2_multi_part {
    enum class action_kind { show, list };
    /// The entity, e.g. "invoice", "client". No default.
    std::string key;
    /// Default list.
    action_kind action = action_kind::list;
    /// show: the record's id (sent as options.id). Ignored by list.
    std::int64_t id = 0;
    /// list: page, page size (sent as per_page), sort, direction and filters, sent as `options`.
    query options{};
    /// The detail level, 1 to 4 (as in v2_list). Default 1.
    int data_level = 1;
    /// The key the part is answered under. Empty: `key` (two parts of one call must differ).
    std::string alias{};

    const std::string& answer_key() const noexcept { return alias.empty() ? key : alias; }
};

/// The answers of a multi-entity call, by alias: a record for each `show` part and a page for each
/// `list` part, each a result of its own (one part's failure does not fail the others).
struct v2_multi_answer {
    std::map<std::string, result<boost::json::object>, std::less<>> records;
    std::map<std::string, result<page<boost::json::object>>, std::less<>> pages;
};

/// POST /v2/api/multi-entity with `[{key, action, options, data_level, alias}, …]`. Fails with
/// invalid_argument when `parts` is empty, a key is empty or two parts share an alias.
result<transport::request> v2_multi_request(std::span<const v2_multi_part> parts);
/// Each part's answer, found under its alias and read as v2_get_answer / v2_list_answer read theirs.
/// A part missing from the answer, or answered with something else than a record or a page (an error
/// object `{"message": …}`), is that part's error.
result<v2_multi_answer> v2_multi_answer_of(const transport::response& response, std::span<const v2_multi_part> parts);

} // namespace daftra::resources
