#pragma once
// The coroutines behind RESOURCE list/get/create/update/delete, one template for every resource.
// They take everything by value: they run after the command line has been checked and consumed.

#include "cli/output.hpp"

#include "daftra/client.hpp"
#include "daftra/model/codec.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <string>

namespace daftra::cli {

/// The error of a call on record `id` (0: the singleton) of resource `resource`, a not_found one
/// saying which record was not found ("not_found: invoices 999 not found: <the server's message>
/// (HTTP 404)"); others as they are.
inline api_error record_error(error e, std::string_view resource, std::int64_t id) {
    if (e.kind == error_kind::not_found) {
        std::string what = std::string(resource) + (id > 0 ? " " + std::to_string(id) : std::string()) + " not found";
        if (!e.message.empty()) what += ": " + e.message;
        e.message = std::move(what);
    }
    return api_error(std::move(e));
}

template <class Model>
boost::asio::awaitable<void> list_page(resource<Model> r, query q, output& out) {
    auto answer = co_await r.list(q);
    if (!answer) throw api_error(answer.error());
    boost::json::array items;
    items.reserve(answer->items.size());
    for (const Model& m : answer->items) items.emplace_back(model::to_json(m));
    boost::json::object page;
    page["items"] = std::move(items);
    page["page"] = answer->page;
    page["page_count"] = answer->page_count;
    page["total_results"] = answer->total_results;
    out.print(page);
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

template <class Model>
boost::asio::awaitable<void> get_record(resource<Model> r, std::int64_t id, output& out) {
    auto record = co_await r.get(id);
    if (!record) throw record_error(record.error(), r.spec().id, id);
    out.print(model::to_json(*record));
}

template <class Model>
boost::asio::awaitable<void> create_record(resource<Model> r, Model record, output& out) {
    auto id = co_await r.create(record);
    if (!id) throw api_error(id.error());
    out.print(*id);
}

template <class Model>
boost::asio::awaitable<void> update_record(resource<Model> r, std::int64_t id, Model record, output& out) {
    auto done = co_await r.update(id, record);
    if (!done) throw record_error(done.error(), r.spec().id, id);
    out.confirm("updated " + std::string(r.spec().id) + " " + std::to_string(id));
}

template <class Model>
boost::asio::awaitable<void> delete_record(resource<Model> r, std::int64_t id, output& out) {
    auto done = co_await r.remove(id);
    if (!done) throw record_error(done.error(), r.spec().id, id);
    const std::string what = std::string(r.spec().id) + " " + std::to_string(id);
    if (done->already_gone)  // success (exit 0), but a script should know the last attempt found nothing
        out.note(what + " was already gone: an earlier attempt, whose answer was lost, most likely deleted it");
    else
        out.confirm("deleted " + what);
}

} // namespace daftra::cli
