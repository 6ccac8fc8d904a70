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
// Answers are decoded by the streaming decoder (list_stream.hpp): parser events straight into the
// models, no JSON tree. What it declines (odd shapes, and every answer that is an error) goes through
// the tree (the *_from_tree steps), the reference both are checked against (test/fuzz/stream_fuzz.cpp).

#include "daftra/model/codec.hpp"
#include "daftra/model/record_sink.hpp"
#include "daftra/resources/deleted.hpp"
#include "daftra/resources/envelope.hpp"
#include "daftra/resources/list_stream.hpp"
#include "daftra/resources/page.hpp"
#include "daftra/resources/query.hpp"
#include "daftra/resources/spec.hpp"

#include <string>

namespace daftra::resources {

template <class Model>
class operations {
public:
    constexpr explicit operations(const resource_spec<Model>& spec) noexcept : spec_(&spec) {}

    const resource_spec<Model>& spec() const noexcept { return *spec_; }

    /// GET path[.json]?page=…&limit=…&sort=…&direction=…&filters…
    result<transport::request> list_request(const query& q) const {
        if (!spec_->supports(op_list)) return unsupported(*spec_, "list");
        std::string base = spec_->list_path.empty() ? collection_target(*spec_) : std::string(spec_->list_path);
        return make_request(transport::verb::get, with_query(base, q));
    }

    /// One page of records; `requested_page` fills page when the answer has no pagination.
    /// Read straight into the models (list_stream.hpp) unless the stream declines; then, and for
    /// every error, through the JSON tree (list_answer_from_tree), which gives the same result.
    result<page<Model>> list_answer(const transport::response& response, std::int64_t requested_page = 1) const {
        if (streamable(response)) {
            page<Model> out;
            const stream_outcome s = stream_list(response.body, *spec_, requested_page, model::list_target(out.items));
            if (s.status == stream_outcome::decoded) {
                out.page = s.page;
                out.page_count = s.page_count;
                out.total_results = s.total_results;
                return out;
            }
            if (s.status == stream_outcome::failed) return failed_answer(response, s.code);
        }
        return list_answer_from_tree(response, requested_page);
    }

    /// list_answer through a parsed JSON tree: the reference the streaming path is checked against.
    result<page<Model>> list_answer_from_tree(const transport::response& response, std::int64_t requested_page = 1) const {
        auto root = parse_answer(response);
        if (!root) return root.error();
        auto view = list_items(*root, requested_page);
        if (!view) return decode_failure(view.error(), response, {});
        page<Model> out;
        out.page = view->page;
        out.page_count = view->page_count;
        out.total_results = view->total_results;
        out.items.reserve(view->items.size());
        std::size_t i = 0;
        for (const boost::json::object* item : view->items) {
            auto u = unwrap(*item, *spec_);
            auto done = model::decode_to(out.items.emplace_back(), *u.fields, u.key.empty() ? nullptr : item, u.key);
            if (!done) return decode_failure(done.error(), response, "data[" + std::to_string(i) + "]");
            ++i;
        }
        return out;
    }

    /// GET path/{id}[.json] (path[.json] for singletons, where `id` is ignored).
    result<transport::request> get_request(std::int64_t id) const {
        if (!spec_->supports(op_get)) return unsupported(*spec_, "get");
        return make_request(transport::verb::get, spec_->singleton ? collection_target(*spec_) : item_target(*spec_, id));
    }

    /// The record; streamed like list_answer, else through the tree (get_answer_from_tree).
    result<Model> get_answer(const transport::response& response) const {
        if (streamable(response)) {
            Model out{};
            const stream_outcome s = stream_get(response.body, *spec_, model::single_target(out));
            if (s.status == stream_outcome::decoded) return out;
            if (s.status == stream_outcome::failed) return failed_answer(response, s.code);
        }
        return get_answer_from_tree(response);
    }

    /// get_answer through a parsed JSON tree: the reference.
    result<Model> get_answer_from_tree(const transport::response& response) const {
        auto root = parse_answer(response);
        if (!root) return root.error();
        auto item = single_item(*root);
        if (!item) return decode_failure(item.error(), response, {});
        auto u = unwrap(**item, *spec_);
        auto m = model::decode<Model>(*u.fields, u.key.empty() ? nullptr : *item, u.key);
        if (!m) return decode_failure(m.error(), response, "data");
        return m;
    }

    /// POST path[.json] (or create_path) with `{"<write_key>": {...}, "<ChildRows>": [...]}`.
    result<transport::request> create_request(const Model& record) const {
        if (!spec_->supports(op_create)) return unsupported(*spec_, "create");
        std::string target = spec_->create_path.empty() ? collection_target(*spec_) : std::string(spec_->create_path);
        return make_request(transport::verb::post, std::move(target), body_of(record));
    }

    /// The new record's id; streamed like list_answer, else through the tree (create_answer_from_tree).
    result<std::int64_t> create_answer(const transport::response& response) const {
        if (streamable(response)) {
            const stream_outcome s = stream_create(response.body, *spec_);
            if (s.status == stream_outcome::decoded) return s.id;
            if (s.status == stream_outcome::failed) return failed_answer(response, s.code);
        }
        return create_answer_from_tree(response);
    }

    /// create_answer through a parsed JSON tree: the reference.
    result<std::int64_t> create_answer_from_tree(const transport::response& response) const {
        auto root = parse_answer(response);
        if (!root) return root.error();
        auto id = created_id(*root, *spec_);
        if (!id) return decode_failure(id.error(), response, {});
        return id;
    }

    /// PUT path/{id}[.json] with the same body as create. Daftra replaces child rows with the ones sent.
    result<transport::request> update_request(std::int64_t id, const Model& record) const {
        if (!spec_->supports(op_update)) return unsupported(*spec_, "update");
        return make_request(transport::verb::put, item_target(*spec_, id), body_of(record));
    }

    result<void> update_answer(const transport::response& response) const { return done(response); }

    /// DELETE path/{id}[.json]
    result<transport::request> remove_request(std::int64_t id) const {
        if (!spec_->supports(op_remove)) return unsupported(*spec_, "remove");
        return make_request(transport::verb::delete_, item_target(*spec_, id));
    }

    /// Success, or the error of the answer. "Not found" after an earlier attempt of the call may have
    /// reached the server unanswered (response.after_unknown_outcome) is success with already_gone set:
    /// that attempt most likely deleted the record (see deleted.hpp). A first attempt's 404 stays
    /// error_kind::not_found.
    result<deleted> remove_answer(const transport::response& response) const {
        auto root = parse_answer(response);
        if (root) return deleted{};
        if (root.error().kind == error_kind::not_found && response.after_unknown_outcome) {
            deleted gone;
            gone.already_gone = true;
            return gone;
        }
        return root.error();
    }

    /// The request body for `record` (create and update).
    std::string body_of(const Model& record) const {
        boost::json::object fields, siblings;
        model::encode(record, fields, &siblings, model::encoding::request);
        return make_body(*spec_, std::move(fields), std::move(siblings));
    }

private:
    // Non-2xx answers are errors (decode_error reads them); an empty body is the tree's to report.
    static bool streamable(const transport::response& response) noexcept {
        return response.status >= 200 && response.status <= 299 && !response.body.empty();
    }

    static result<void> done(const transport::response& response) {
        auto root = parse_answer(response);
        if (!root) return root.error();
        return {};
    }

    const resource_spec<Model>* spec_;
};

template <class Model>
operations(const resource_spec<Model>&) -> operations<Model>;

} // namespace daftra::resources
