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

#include "daftra/resources/operations.hpp"
#include "daftra/resources/sender.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <memory>
#include <optional>

namespace daftra::resources {

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
    pager(std::shared_ptr<sender> s, const resource_spec<Model>& spec, query q, all_options options = {})
        : sender_(std::move(s)), strand_(boost::asio::make_strand(sender_->executor())), ops_(spec), query_(std::move(q)),
          parallel_(options.parallel_pages < 1 ? 1 : options.parallel_pages),
          next_page_(query_.page.value_or(1)) {}

    pager(pager&& other) noexcept
        : sender_(std::move(other.sender_)), strand_(std::move(other.strand_)), ops_(other.ops_), query_(std::move(other.query_)),
          parallel_(other.parallel_), next_page_(other.next_page_), page_count_(other.page_count_),
          total_results_(other.total_results_), buffered_page_(other.buffered_page_), page_(other.page_), done_(other.done_),
          buffer_(std::move(other.buffer_)), inflight_(std::move(other.inflight_)) {
        other.inflight_.clear();  // the moved-from pager must not cancel the fetches it gave away
        other.done_ = true;
    }
    pager& operator=(pager&& other) noexcept {
        cancel_all();
        sender_ = std::move(other.sender_);
        strand_ = std::move(other.strand_);
        ops_ = other.ops_;
        query_ = std::move(other.query_);
        parallel_ = other.parallel_;
        next_page_ = other.next_page_;
        page_count_ = other.page_count_;
        total_results_ = other.total_results_;
        buffered_page_ = other.buffered_page_;
        page_ = other.page_;
        done_ = other.done_;
        buffer_ = std::move(other.buffer_);
        inflight_ = std::move(other.inflight_);
        other.inflight_.clear();
        other.done_ = true;
        return *this;
    }
    pager(const pager&) = delete;
    pager& operator=(const pager&) = delete;
    ~pager() { cancel_all(); }

    /// The next record, an error (once, then the end), or std::nullopt after the last record.
    boost::asio::awaitable<std::optional<result<Model>>> next() {
        while (buffer_.empty()) {
            if (done_) co_return std::nullopt;
            if (inflight_.empty()) launch();
            auto fetch = inflight_.front();
            inflight_.pop_front();
            auto [ec, answer] = co_await fetch->channel.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
            // Release the fetch's state on its strand: its cancellation signal holds the handler co_spawn
            // installed, which must not be destroyed on this thread while the strand may still be
            // finishing the fetch coroutine. When this wait was cancelled, the fetch it waited for is
            // cancelled too (there, since signals are not thread-safe): nobody will take its page.
            boost::asio::post(strand_, [done = std::move(fetch), abandoned = bool(ec)] {
                if (abandoned) done->cancel.emit(boost::asio::cancellation_type::terminal);
            });
            if (ec) {
                done_ = true;
                cancel_all();
                error e;
                e.kind = error_kind::cancelled;
                e.code = ec;
                e.message = "the page fetch was cancelled";
                co_return std::optional<result<Model>>(std::move(e));
            }
            if (!answer) {
                done_ = true;
                cancel_all();
                co_return std::optional<result<Model>>(answer.error());
            }
            page_count_ = answer->page_count;
            total_results_ = answer->total_results;
            buffered_page_ = answer->page;
            if (answer->last()) {
                // Pages fetched beyond the last one (page_count shrank meanwhile) are dropped.
                done_ = true;
                cancel_all();
            }
            buffer_.assign(std::make_move_iterator(answer->items.begin()), std::make_move_iterator(answer->items.end()));
            if (!done_)
                while (inflight_.size() < parallel_ && next_page_ <= page_count_) launch();
        }
        page_ = buffered_page_;
        std::optional<result<Model>> out(std::move(buffer_.front()));
        buffer_.pop_front();
        co_return out;
    }

    // Where the range stands, for progress reports ("page 3 of 10, 60 of 200 records"). Each is known
    // once next() has returned a record of the first page fetched, and 0 before that.

    /// Page number of the record next() returned last.
    std::int64_t current_page() const noexcept { return page_; }
    /// Pages of the whole list, as the latest answer said.
    std::int64_t page_count() const noexcept { return page_count_; }
    /// Records of the whole list, as the latest answer said.
    std::int64_t total_results() const noexcept { return total_results_; }

private:
    using channel_type = boost::asio::experimental::concurrent_channel<void(boost::system::error_code, result<page<Model>>)>;

    // One page on its way: the channel carries its decoded answer, the signal cancels its request.
    struct fetch_state {
        explicit fetch_state(const boost::asio::any_io_executor& ex) : channel(ex, 1) {}
        channel_type channel;
        boost::asio::cancellation_signal cancel;
    };

    static boost::asio::awaitable<void> fetch(std::shared_ptr<sender> s, operations<Model> ops, transport::request req,
                                              std::int64_t page_number, std::shared_ptr<fetch_state> state) {
        auto response = co_await s->send(std::move(req));
        result<page<Model>> decoded = response ? ops.list_answer(*response, page_number)
                                               : result<page<Model>>(response.error());
        // Capacity 1 and one send: this never blocks. It fails only when the pager is gone.
        state->channel.try_send(boost::system::error_code(), std::move(decoded));
    }

    void launch() {
        const std::int64_t number = next_page_++;
        query q = query_;
        q.page = number;
        auto state = std::make_shared<fetch_state>(strand_);
        inflight_.push_back(state);
        auto req = ops_.list_request(q);
        if (!req) {
            state->channel.try_send(boost::system::error_code(), result<page<Model>>(req.error()));
            return;
        }
        auto slot = state->cancel.slot();
        boost::asio::co_spawn(strand_, fetch(sender_, ops_, std::move(*req), number, state),
                              boost::asio::bind_cancellation_slot(slot, boost::asio::detached));
    }

    void cancel_all() {
        for (auto& state : inflight_) {
            state->channel.close();
            // Cancellation signals are not thread-safe: emit on the strand the fetch runs on.
            boost::asio::post(strand_, [state] { state->cancel.emit(boost::asio::cancellation_type::terminal); });
        }
        inflight_.clear();
    }

    std::shared_ptr<sender> sender_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    operations<Model> ops_;
    query query_;
    std::size_t parallel_;
    std::int64_t next_page_;
    std::int64_t page_count_ = 0;
    std::int64_t total_results_ = 0;
    std::int64_t buffered_page_ = 0;  // page of the records in buffer_
    std::int64_t page_ = 0;
    bool done_ = false;
    std::deque<result<Model>> buffer_;
    std::deque<std::shared_ptr<fetch_state>> inflight_;
};

} // namespace daftra::resources
