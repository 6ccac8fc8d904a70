#pragma once
// all(): every record of every page as an async range.
//
//   auto it = api.clients().all(daftra::query().with_limit(1000));
//   while (auto c = co_await it.next()) {      // std::optional<result<client_record>>; nullopt after the end
//       if (!*c) { report(c->error()); break; } // an error ends the range: it is delivered once
//       use(**c);
//   }
//
// The next page is fetched while the current one is consumed; once the first answer tells the page
// count, up to `options.parallel_pages` pages are fetched at the same time. Records come out in order.
// Thread safety: one pager is used by one coroutine at a time; its background fetches run on a strand
// of the sender's executor and hand pages over through thread-safe channels.
// Destruction cancels the fetches still running.
//
// The members are defined in pager_impl.hpp and compiled once in the library for every model of the
// resource table (src/resources/instances_*.cpp), so code that pages compiles none of it; a model of
// one's own needs `#include "daftra/resources/pager_impl.hpp"` in one of its files.

#include "daftra/core/completion.hpp"
#include "daftra/core/result.hpp"
#include "daftra/resources/page.hpp"
#include "daftra/resources/query.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>

namespace daftra::resources {

class sender;
template <class Model> struct resource_spec;

/// Settings of all().
struct all_options {
    /// Pages fetched at the same time once the page count is known. Default 2: the next page is
    /// always on its way while one is consumed; more helps only with slow answers and many pages.
    /// Values below 1 are taken as 1.
    unsigned parallel_pages = 2;
};

template <class Model>
class pager {
public:
    /// `q.page` is the first page fetched (default 1); `q.limit` the page size (server default 20).
    pager(std::shared_ptr<sender> s, const resource_spec<Model>& spec, query q, all_options options);

    /// A moved-from pager is at its end: next() returns std::nullopt.
    pager(pager&& other) noexcept;
    /// Cancels the fetches of the range this pager held, then takes over `other`'s.
    pager& operator=(pager&& other) noexcept;
    pager(const pager&) = delete;
    pager& operator=(const pager&) = delete;
    ~pager();

    /// The next record, an error (once, then the end), or std::nullopt after the last record.
    boost::asio::awaitable<std::optional<result<Model>>> next();
    /// next() with any completion token, completed with void(std::optional<result<Model>>)
    /// (daftra/core/completion.hpp). The pager must outlive the call.
    template <completion_token_for<std::optional<result<Model>>> Token>
    auto next(Token&& token) {
        return complete_with(executor(), next(), std::forward<Token>(token));
    }

    // Where the range stands, for progress reports ("page 3 of 10, 60 of 200 records"). Each is known
    // once next() has returned a record of the first page fetched, and 0 before that.

    /// Page number of the record next() returned last.
    std::int64_t current_page() const noexcept;
    /// Pages of the whole list, as the latest answer said.
    std::int64_t page_count() const noexcept;
    /// Records of the whole list, as the latest answer said.
    std::int64_t total_results() const noexcept;

private:
    boost::asio::any_io_executor executor() const;  // the sender's

    struct state;  // pager_impl.hpp: the range's position, its buffered records and fetches in flight
    std::unique_ptr<state> state_;
};

} // namespace daftra::resources
