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

#include <span>
#include <string_view>
#include <vector>

namespace daftra::resources {

/// POST /api2/notes/{type}/{owner_id}.json: a note on a record (`type` as Daftra names the owner's
/// kind; the allowed values are not documented). Body `{"Note":{...}}` plus an optional sibling
/// `FollowUpReminder` from the note's relation.
transport::request note_create_request(std::string_view owner_type, std::int64_t owner_id, const note& n);

/// GET /api2/follow_up_actions/{type}.json?…: the follow-up actions of one item type.
transport::request follow_up_actions_request(std::string_view type, const query& q);

/// POST /api2/invoices/add_bulk.json with a JSON array of invoice bodies (same shape as create).
transport::request bulk_invoice_request(std::span<const invoice> invoices);
/// The per-invoice outcomes of a bulk create, in the order sent: the new id, or the error the server
/// gave for that invoice (`"result":"failed"`, a message, or no id).
result<std::vector<result<std::int64_t>>> bulk_invoice_answer(const transport::response& response);

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
/// The bare record of a v2 get.
result<boost::json::object> v2_get_answer(const transport::response& response);
/// POST …/{entity} with a flat body; the answer's `id` is the new record's.
transport::request v2_create_request(std::string_view entity, const boost::json::object& body);
/// PUT …/{entity}/{id} with a flat body (which also carries `id`, as the reference shows).
transport::request v2_update_request(std::string_view entity, std::int64_t id, boost::json::object body);

} // namespace daftra::resources
