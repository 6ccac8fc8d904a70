#pragma once
// The non-template half of the generic operations: request targets and bodies, and the answer
// envelopes Daftra documents (docs/daftra-api.md, "Envelopes"): v1 `{"code","result","data","pagination"}`,
// create `{"code":202,"result":"successful","id":…}`, v2 Laravel paginators and bare records.
// operations.hpp adds the model-specific decoding on top.

#include "daftra/core/result.hpp"
#include "daftra/resources/created.hpp"
#include "daftra/resources/query.hpp"
#include "daftra/resources/spec.hpp"
#include "daftra/transport/http.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace daftra::resources {

/// "path" / "path/{id}" of a resource, with ".json" when info.json_suffix.
std::string collection_target(const resource_info& info);
std::string item_target(const resource_info& info, std::int64_t id);
/// The target of a get: get_path with the id in place of "{id}" when the table gives one, else item_target.
std::string get_target(const resource_info& info, std::int64_t id);

/// A request with `Accept: application/json` (and `Content-Type: application/json` when a body is
/// given). Authentication headers are added by the client.
transport::request make_request(transport::verb method, std::string target, std::string body = {});

/// Serialises a request body: `{"<write_key>": fields, <siblings…>}`, or, when write_key is empty,
/// fields and siblings merged into one flat object.
std::string make_body(const resource_info& info, boost::json::object fields, boost::json::object siblings);

/// Fails with decode_error(...) for a non-2xx status and for a 2xx answer whose body says
/// `"result":"failed"`; fails with error_kind::decode when the body is not JSON (an empty body is
/// read as null). Otherwise the parsed body.
result<boost::json::value> parse_answer(const transport::response& response);

/// The error of a 2xx answer whose body says `"result":"failed"`, with the envelope's `code` (read
/// leniently, 0 when absent): parse_answer's, and the streaming decoder's (list_stream.hpp).
error failed_answer(const transport::response& response, std::int64_t code);

/// The records of a list answer and its pagination, whatever the envelope:
/// v1 `data` array (or PHP's `{"0":…}` object) + `pagination`, Laravel paginator
/// (`current_page`/`last_page`/`total` at the root or in `meta`).
struct list_view {
    std::vector<const boost::json::object*> items;  ///< point into the parsed answer
    std::int64_t page = 1;
    std::int64_t page_count = 1;
    std::int64_t total_results = 0;
};
/// `requested_page` fills `page` when the answer has no pagination.
result<list_view> list_items(const boost::json::value& root, std::int64_t requested_page);

/// The record of a get answer: v1 `data` object (or the first element of a `data` array), or the
/// root object itself for v2's bare records.
result<const boost::json::object*> single_item(const boost::json::value& root);

/// The object holding a record's fields inside one answer item: item[read_key] or
/// item[read_key_alt] when present (then `key` names it), else the item itself (key empty).
struct unwrapped {
    const boost::json::object* fields;
    std::string_view key;
};
unwrapped unwrap(const boost::json::object& item, const resource_info& info);

/// The new record's id of a create answer: `id` at the root (string or number), or inside `data`
/// / `data.<Wrapper>` as the secondary documentation shows; and the `number` beside that id, if any.
result<created> created_answer(const boost::json::value& root, const resource_info& info);
/// A document number as created::number reads it: a string as it is, an integer in decimal; empty for
/// anything else (and for none).
std::string document_number(const boost::json::value* v);

/// An error for a call the resource does not support; nothing is sent.
error unsupported(const resource_info& info, std::string_view operation);

/// Completes a decode error with the HTTP status, the raw body and where the record was
/// (`at`, e.g. "data[3]").
error decode_failure(error e, const transport::response& response, std::string_view at);

} // namespace daftra::resources
