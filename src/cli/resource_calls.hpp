#pragma once
// The calls behind RESOURCE list/get/create/update/delete. Each is the resource's own steps
// (resources::operations<Model>: the request, then the decoding of the answer, both compiled once in
// the library) around one coroutine shared by every resource and operation, send_call(), which sends
// the request through the client like resource<Model> does. So the tool compiles one coroutine for
// single calls instead of five per model (35 models); only `list --all` keeps a coroutine per model,
// for the pager.

#include "cli/output.hpp"

#include "daftra/client.hpp"
#include "daftra/model/codec.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <functional>
#include <string>

namespace daftra::cli {

/// The error of a call on record `id` (0: the singleton) of resource `resource`, a not_found one
/// saying which record was not found ("not_found: invoices 999 not found: <the server's message>
/// (HTTP 404)"); others as they are.
api_error record_error(error e, std::string_view resource, std::int64_t id);

/// One request and what to do with its answer: decode it and print it, or throw api_error.
struct single_call {
    result<transport::request> request;
    std::function<void(const transport::response&, output&)> finish;
};

/// Sends `call.request` through `api` (credentials, retries, the pool), then calls `call.finish`.
boost::asio::awaitable<void> send_call(const client& api, single_call call, output& out);

/// A page as the tool prints it: {"items":[…],"page":N,"page_count":N,"total_results":N}, each item
/// through `to_json`.
template <class T, class ToJson>
boost::json::object page_json(const page<T>& p, ToJson to_json) {
    boost::json::array items;
    items.reserve(p.items.size());
    for (const auto& item : p.items) items.emplace_back(to_json(item));
    return boost::json::object{
        {"items", std::move(items)}, {"page", p.page}, {"page_count", p.page_count}, {"total_results", p.total_results}};
}

template <class Model>
single_call list_page_call(const resources::resource_spec<Model>& spec, const query& q) {
    const resources::operations<Model> ops(spec);
    return {ops.list_request(q), [ops, page_number = q.page.value_or(1)](const transport::response& r, output& out) {
                auto answer = ops.list_answer(r, page_number);
                if (!answer) throw api_error(answer.error());
                out.print(page_json(*answer, [](const Model& m) { return model::to_json(m); }));
            }};
}

template <class Model>
single_call get_call(const resources::resource_spec<Model>& spec, std::int64_t id) {
    const resources::operations<Model> ops(spec);
    return {ops.get_request(id), [ops, id](const transport::response& r, output& out) {
                auto record = ops.get_answer(r);
                if (!record) throw record_error(record.error(), ops.spec().id, id);
                out.print(model::to_json(*record));
            }};
}

template <class Model>
single_call create_call(const resources::resource_spec<Model>& spec, const Model& record) {
    const resources::operations<Model> ops(spec);
    return {ops.create_request(record), [ops](const transport::response& r, output& out) {
                auto made = ops.create_answer(r);
                if (!made) throw api_error(made.error());
                out.print(made->id);  // the id alone, for scripts (`id=$(daftra invoices create …)`)
            }};
}

template <class Model>
single_call update_call(const resources::resource_spec<Model>& spec, std::int64_t id, const Model& record) {
    const resources::operations<Model> ops(spec);
    return {ops.update_request(id, record), [ops, id](const transport::response& r, output& out) {
                auto done = ops.update_answer(r);
                if (!done) throw record_error(done.error(), ops.spec().id, id);
                out.confirm("updated " + std::string(ops.spec().id) + " " + std::to_string(id));
            }};
}

template <class Model>
single_call delete_call(const resources::resource_spec<Model>& spec, std::int64_t id) {
    const resources::operations<Model> ops(spec);
    return {ops.remove_request(id), [ops, id](const transport::response& r, output& out) {
                auto done = ops.remove_answer(r);
                if (!done) throw record_error(done.error(), ops.spec().id, id);
                const std::string what = std::string(ops.spec().id) + " " + std::to_string(id);
                if (done->already_gone)  // success (exit 0), but a script should know the last attempt found nothing
                    out.note(what + " was already gone: an earlier attempt, whose answer was lost, most likely deleted it");
                else
                    out.confirm("deleted " + what);
            }};
}

/// Every record from q.page on, one per line, streamed by the pager (which fetches pages ahead). The
/// progress line is redrawn as each page completes, from the pager's position.
template <class Model>
boost::asio::awaitable<void> list_all(resource<Model> r, query q, output& out) {
    const resources::all_options options;
    auto it = r.all(q, options);
    std::int64_t records = 0;
    std::int64_t page = 0;  // page of the records printed last
    while (auto next = co_await it.next()) {
        if (!*next) throw api_error(next->error());
        if (it.current_page() != page && records > 0) {  // the previous page is complete
            out.flush();
            out.progress(page, it.page_count(), records);
        }
        page = it.current_page();
        out.print_line(model::to_json(**next));
        ++records;
    }
    out.flush();
    if (records == 0) page = q.page.value_or(1);  // an empty list has 0 pages: say "page 1/1"
    out.progress(page, std::max(it.page_count(), page), records);
    out.end_progress();
}

} // namespace daftra::cli
