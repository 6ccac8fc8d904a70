#pragma once
// The steps of operations<Model> (operations.hpp). The library compiles them for every model of the
// resource table (src/resources/steps_*.cpp, DAFTRA_OPERATIONS_INSTANTIATE below); include this only
// for a resource of one's own.

#include "daftra/detail/record_sink.hpp"
#include "daftra/detail/envelope.hpp"
#include "daftra/detail/list_stream.hpp"
#include "daftra/resources/operations.hpp"

#include <string>

namespace daftra::resources {

template <class Model>
result<transport::request> operations<Model>::list_request(const query& q) const {
    if (!spec_->supports(op_list)) return unsupported(*spec_, "list");
    std::string base = spec_->list_path.empty() ? collection_target(*spec_) : std::string(spec_->list_path);
    if (spec_->list_filter_key.empty()) return make_request(transport::verb::get, with_query(base, q));
    query fixed = q;
    fixed.filters.insert(fixed.filters.begin(), {std::string(spec_->list_filter_key), std::string(spec_->list_filter_value)});
    return make_request(transport::verb::get, with_query(base, fixed));
}

template <class Model>
result<page<Model>> operations<Model>::list_answer(const transport::response& response, std::int64_t requested_page) const {
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

template <class Model>
result<page<Model>> operations<Model>::list_answer_from_tree(const transport::response& response, std::int64_t requested_page) const {
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

template <class Model>
result<transport::request> operations<Model>::get_request(std::int64_t id, const query& q) const {
    if (!spec_->supports(op_get)) return unsupported(*spec_, "get");
    const std::string target = spec_->singleton ? collection_target(*spec_) : get_target(*spec_, id);
    return make_request(transport::verb::get, with_query(target, q));
}

template <class Model>
result<Model> operations<Model>::get_answer(const transport::response& response) const {
    if (streamable(response)) {
        Model out{};
        const stream_outcome s = stream_get(response.body, *spec_, model::single_target(out));
        if (s.status == stream_outcome::decoded) return out;
        if (s.status == stream_outcome::failed) return failed_answer(response, s.code);
    }
    return get_answer_from_tree(response);
}

template <class Model>
result<Model> operations<Model>::get_answer_from_tree(const transport::response& response) const {
    auto root = parse_answer(response);
    if (!root) return root.error();
    auto item = single_item(*root);
    if (!item) return decode_failure(item.error(), response, {});
    auto u = unwrap(**item, *spec_);
    auto m = model::decode<Model>(*u.fields, u.key.empty() ? nullptr : *item, u.key);
    if (!m) return decode_failure(m.error(), response, "data");
    return m;
}

template <class Model>
result<transport::request> operations<Model>::create_request(const Model& record, const query& q) const {
    if (!spec_->supports(op_create)) return unsupported(*spec_, "create");
    const std::string target = spec_->create_path.empty() ? collection_target(*spec_) : std::string(spec_->create_path);
    return make_request(transport::verb::post, with_query(target, q), body_of(record));
}

template <class Model>
result<created> operations<Model>::create_answer(const transport::response& response) const {
    if (streamable(response)) {
        stream_outcome s = stream_create(response.body, *spec_);
        if (s.status == stream_outcome::decoded) return created{s.id, std::move(s.number)};
        if (s.status == stream_outcome::failed) return failed_answer(response, s.code);
    }
    return create_answer_from_tree(response);
}

template <class Model>
result<created> operations<Model>::create_answer_from_tree(const transport::response& response) const {
    auto root = parse_answer(response);
    if (!root) return root.error();
    auto made = created_answer(*root, *spec_);
    if (!made) return decode_failure(made.error(), response, {});
    return made;
}

template <class Model>
result<transport::request> operations<Model>::update_request(std::int64_t id, const Model& record, const query& q) const {
    if (!spec_->supports(op_update)) return unsupported(*spec_, "update");
    std::string body = encoded_body(record, spec_->update_repeats_id ? std::optional<std::int64_t>(id) : std::nullopt);
    if (spec_->update_as == update_form::post_with_id)
        return make_request(transport::verb::post, with_query(collection_target(*spec_), q), std::move(body));
    return make_request(transport::verb::put, with_query(item_target(*spec_, id), q), std::move(body));
}

template <class Model>
result<transport::request> operations<Model>::remove_request(std::int64_t id) const {
    if (!spec_->supports(op_remove)) return unsupported(*spec_, "remove");
    return make_request(transport::verb::delete_, item_target(*spec_, id));
}

template <class Model>
result<deleted> operations<Model>::remove_answer(const transport::response& response) const {
    auto root = parse_answer(response);
    if (root) {
        deleted gone;
        if (const auto* o = root->if_object())
            if (const auto* m = o->if_contains("message"); m && m->is_string()) gone.message = m->get_string();
        return gone;
    }
    if (root.error().kind == error_kind::not_found && response.after_unknown_outcome) {
        deleted gone;
        gone.already_gone = true;
        return gone;
    }
    return root.error();
}

template <class Model>
std::string operations<Model>::body_of(const Model& record) const {
    return encoded_body(record, std::nullopt);
}

template <class Model>
std::string operations<Model>::encoded_body(const Model& record, std::optional<std::int64_t> id) const {
    boost::json::object fields, siblings;
    model::encode(record, fields, &siblings, model::encoding::request);
    if (id) fields["id"] = *id;
    return make_body(*spec_, std::move(fields), std::move(siblings));
}

template <class Model>
result<void> operations<Model>::done(const transport::response& response) {
    auto root = parse_answer(response);
    if (!root) return root.error();
    return {};
}
} // namespace daftra::resources

/// Compiles the steps of operations<M>, at namespace scope.
#define DAFTRA_OPERATIONS_INSTANTIATE(M) template class daftra::resources::operations<M>;
/// Declares them compiled elsewhere (by DAFTRA_OPERATIONS_INSTANTIATE(M) in another source file).
#define DAFTRA_OPERATIONS_EXTERN(M) extern template class daftra::resources::operations<M>;
