#pragma once
// The ONE generic implementation of list / get / create / update / remove for every resource of the
// table, as sans-I/O steps: build the request, then decode the answer. The client sends the request
// through auth, retry and the pool in between; tests and the fuzz target drive the steps directly.
//
//   resources::operations ops{resources::invoices};
//   transport::request req = ops.list_request(query().with_page(2).with_limit(100));
//   ... response = send(req) ...
//   result<page<invoice>> p = ops.list_answer(response, 2);
//
// Operations a resource does not support fail in the *_request step with
// error_kind::invalid_argument; nothing should be sent then.
//
// Answers are decoded by the streaming decoder (detail/list_stream.hpp): parser events straight into the
// models, no JSON tree. What it declines (odd shapes, and every answer that is an error) goes through
// the tree (the *_from_tree steps), the reference both are checked against (test/fuzz/stream_fuzz.cpp).
//
// The steps are defined in operations_impl.hpp and compiled once in the library for every model of
// the resource table (src/resources/steps_*.cpp); a resource of one's own includes that file.

#include "daftra/model/codec.hpp"
#include "daftra/detail/record_sink.hpp"
#include "daftra/resources/created.hpp"
#include "daftra/resources/deleted.hpp"
#include "daftra/detail/envelope.hpp"
#include "daftra/detail/list_stream.hpp"
#include "daftra/resources/page.hpp"
#include "daftra/resources/query.hpp"
#include "daftra/resources/spec.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace daftra::resources {

template <class Model>
class operations {
public:
    constexpr explicit operations(const resource_spec<Model>& spec) noexcept : spec_(&spec) {}

    const resource_spec<Model>& spec() const noexcept { return *spec_; }

    /// GET path[.json]?page=…&limit=…&sort=…&direction=…&filters… (list_path when the table gives one,
    /// with the table's list filter first).
    result<transport::request> list_request(const query& q) const;

    /// One page of records; `requested_page` fills page when the answer has no pagination.
    /// Read straight into the models (detail/list_stream.hpp) unless the stream declines; then, and for
    /// every error, through the JSON tree (list_answer_from_tree), which gives the same result.
    result<page<Model>> list_answer(const transport::response& response, std::int64_t requested_page = 1) const;

    /// list_answer through a parsed JSON tree: the reference the streaming path is checked against.
    result<page<Model>> list_answer_from_tree(const transport::response& response, std::int64_t requested_page = 1) const;

    /// GET path/{id}[.json] (get_path with the id when the table gives one; path[.json] for singletons,
    /// where `id` is ignored). `q` adds query parameters (`recursive` on sales documents).
    result<transport::request> get_request(std::int64_t id, const query& q = query()) const;

    /// The record; streamed like list_answer, else through the tree (get_answer_from_tree).
    result<Model> get_answer(const transport::response& response) const;

    /// get_answer through a parsed JSON tree: the reference.
    result<Model> get_answer_from_tree(const transport::response& response) const;

    /// POST path[.json] (or create_path) with `{"<write_key>": {...}, "<ChildRows>": [...]}`.
    /// `q` adds query parameters to the target (documented ones on writes are few: add_bulk's `send`,
    /// `client_id`, `terminal_id`); page, limit and sort are sent if set, like any parameter.
    result<transport::request> create_request(const Model& record, const query& q = query()) const;

    /// The new record's id; streamed like list_answer, else through the tree (create_answer_from_tree).
    result<created> create_answer(const transport::response& response) const;

    /// create_answer through a parsed JSON tree: the reference.
    result<created> create_answer_from_tree(const transport::response& response) const;

    /// PUT path/{id}[.json] with the same body as create (repeating the id when the table says so; POST
    /// path with the id for update_form::post_with_id). Daftra replaces child rows with the ones sent.
    result<transport::request> update_request(std::int64_t id, const Model& record, const query& q = query()) const;

    result<void> update_answer(const transport::response& response) const { return done(response); }

    /// DELETE path/{id}[.json]
    result<transport::request> remove_request(std::int64_t id) const;

    /// Success, or the error of the answer. "Not found" after an earlier attempt of the call may have
    /// reached the server unanswered (response.after_unknown_outcome) is success with already_gone set:
    /// that attempt most likely deleted the record (see deleted.hpp). A first attempt's 404 stays
    /// error_kind::not_found.
    result<deleted> remove_answer(const transport::response& response) const;

    /// The request body for `record` (create and update).
    std::string body_of(const Model& record) const;

private:
    // Non-2xx answers are errors (decode_error reads them); an empty body is the tree's to report.
    static bool streamable(const transport::response& response) noexcept {
        return response.status >= 200 && response.status <= 299 && !response.body.empty();
    }

    static result<void> done(const transport::response& response);

    // The request body, with `id` among the record's fields when given (v2 edits repeat it).
    std::string encoded_body(const Model& record, std::optional<std::int64_t> id) const;

    const resource_spec<Model>* spec_;
};

template <class Model>
operations(const resource_spec<Model>&) -> operations<Model>;

} // namespace daftra::resources
