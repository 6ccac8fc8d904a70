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

/// Every record from q.page on, one per line. The first page is read with list() because its
/// pagination block is what the progress line needs (the pager does not expose it); the pager takes
/// over from the second page and fetches ahead.
template <class Model>
boost::asio::awaitable<void> list_all(resource<Model> r, query q, output& out) {
    auto first = co_await r.list(q);
    if (!first) throw api_error(first.error());
    for (const Model& m : first->items) out.print_line(model::to_json(m));
    out.flush();

    const std::int64_t first_count = static_cast<std::int64_t>(first->items.size());
    const std::int64_t page_size = std::max<std::int64_t>(q.limit.value_or(first_count), 1);
    std::int64_t page_count = std::max(first->page_count, first->page);  // an empty list has 0 pages
    std::int64_t records = first_count;
    out.progress(first->page, page_count, records);

    if (!first->last()) {
        query rest = q;
        rest.page = first->page + 1;
        resources::all_options options;
        auto it = r.all(rest, options);
        while (auto next = co_await it.next()) {
            if (!*next) throw api_error(next->error());
            out.print_line(model::to_json(**next));
            ++records;
            if ((records - first_count) % page_size == 0) {
                out.flush();
                const std::int64_t page = first->page + (records - first_count) / page_size;
                page_count = std::max(page_count, page);
                out.progress(page, page_count, records);
            }
        }
        out.flush();
        const std::int64_t last_page = first->page + (records - first_count + page_size - 1) / page_size;
        out.progress(last_page, std::max(page_count, last_page), records);
    }
    out.end_progress();
}

template <class Model>
boost::asio::awaitable<void> get_record(resource<Model> r, std::int64_t id, output& out) {
    auto record = co_await r.get(id);
    if (!record) throw api_error(record.error());
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
    if (!done) throw api_error(done.error());
    out.confirm("updated " + std::string(r.spec().id) + " " + std::to_string(id));
}

template <class Model>
boost::asio::awaitable<void> delete_record(resource<Model> r, std::int64_t id, output& out) {
    auto done = co_await r.remove(id);
    if (!done) throw api_error(done.error());
    out.confirm("deleted " + std::string(r.spec().id) + " " + std::to_string(id));
}

} // namespace daftra::cli
