#pragma once
// The members of pager<Model> (pager.hpp). The library compiles them for every model of the resource
// table (src/resources/instances_*.cpp); include this only for a model of one's own.

#include "daftra/resources/operations.hpp"
#include "daftra/resources/pager.hpp"
#include "daftra/resources/sender.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>

namespace daftra::resources {

template <class Model>
struct pager<Model>::state {
    using channel_type = boost::asio::experimental::concurrent_channel<void(boost::system::error_code, result<page<Model>>)>;

    // One page on its way: the channel carries its decoded answer, the signal cancels its request.
    struct fetch_state {
        explicit fetch_state(const boost::asio::any_io_executor& ex) : channel(ex, 1) {}
        channel_type channel;
        boost::asio::cancellation_signal cancel;
    };

    state(std::shared_ptr<sender> s, const resource_spec<Model>& spec, query q, all_options options)
        : sender_(std::move(s)), strand_(boost::asio::make_strand(sender_->executor())), ops_(spec), query_(std::move(q)),
          parallel_(options.parallel_pages < 1 ? 1 : options.parallel_pages), next_page_(query_.page.value_or(1)) {}

    state(const state&) = delete;
    state& operator=(const state&) = delete;
    ~state() { cancel_all(); }

    static boost::asio::awaitable<void> fetch(std::shared_ptr<sender> s, operations<Model> ops, transport::request req,
                                              std::int64_t page_number, std::shared_ptr<fetch_state> fetching) {
        auto response = co_await s->send(std::move(req));
        result<page<Model>> decoded = response ? ops.list_answer(*response, page_number)
                                               : result<page<Model>>(response.error());
        if (response) transport::recycle(std::move(*response));  // the body's memory, for the next page
        // Capacity 1 and one send: this never blocks. It fails only when the pager is gone.
        fetching->channel.try_send(boost::system::error_code(), std::move(decoded));
    }

    void launch() {
        const std::int64_t number = next_page_++;
        query q = query_;
        q.page = number;
        auto fetching = std::make_shared<fetch_state>(strand_);
        inflight_.push_back(fetching);
        auto req = ops_.list_request(q);
        if (!req) {
            fetching->channel.try_send(boost::system::error_code(), result<page<Model>>(req.error()));
            return;
        }
        auto slot = fetching->cancel.slot();
        boost::asio::co_spawn(strand_, fetch(sender_, ops_, std::move(*req), number, fetching),
                              boost::asio::bind_cancellation_slot(slot, boost::asio::detached));
    }

    void cancel_all() {
        for (auto& fetching : inflight_) {
            fetching->channel.close();
            // Cancellation signals are not thread-safe: emit on the strand the fetch runs on.
            boost::asio::post(strand_, [fetching] { fetching->cancel.emit(boost::asio::cancellation_type::terminal); });
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

template <class Model>
pager<Model>::pager(std::shared_ptr<sender> s, const resource_spec<Model>& spec, query q, all_options options)
    : state_(std::make_unique<state>(std::move(s), spec, std::move(q), options)) {}

// The state moves as a whole, so a moved-from pager holds none and its fetches stay with the new owner.
template <class Model> pager<Model>::pager(pager&&) noexcept = default;
template <class Model> pager<Model>& pager<Model>::operator=(pager&&) noexcept = default;
template <class Model> pager<Model>::~pager() = default;

template <class Model>
boost::asio::awaitable<std::optional<result<Model>>> pager<Model>::next() {
    if (!state_) co_return std::nullopt;  // moved from
    state& st = *state_;
    while (st.buffer_.empty()) {
        if (st.done_) co_return std::nullopt;
        if (st.inflight_.empty()) st.launch();
        auto fetching = st.inflight_.front();
        st.inflight_.pop_front();
        auto [ec, answer] = co_await fetching->channel.async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
        // Release the fetch's state on its strand: its cancellation signal holds the handler co_spawn
        // installed, which must not be destroyed on this thread while the strand may still be
        // finishing the fetch coroutine. When this wait was cancelled, the fetch it waited for is
        // cancelled too (there, since signals are not thread-safe): nobody will take its page.
        boost::asio::post(st.strand_, [done = std::move(fetching), abandoned = bool(ec)] {
            if (abandoned) done->cancel.emit(boost::asio::cancellation_type::terminal);
        });
        if (ec) {
            st.done_ = true;
            st.cancel_all();
            error e;
            e.kind = error_kind::cancelled;
            e.code = ec;
            e.message = "the page fetch was cancelled";
            co_return std::optional<result<Model>>(std::move(e));
        }
        if (!answer) {
            st.done_ = true;
            st.cancel_all();
            co_return std::optional<result<Model>>(answer.error());
        }
        st.page_count_ = answer->page_count;
        st.total_results_ = answer->total_results;
        st.buffered_page_ = answer->page;
        if (answer->last()) {
            // Pages fetched beyond the last one (page_count shrank meanwhile) are dropped.
            st.done_ = true;
            st.cancel_all();
        }
        st.buffer_.assign(std::make_move_iterator(answer->items.begin()), std::make_move_iterator(answer->items.end()));
        if (!st.done_)
            while (st.inflight_.size() < st.parallel_ && st.next_page_ <= st.page_count_) st.launch();
    }
    st.page_ = st.buffered_page_;
    std::optional<result<Model>> out(std::move(st.buffer_.front()));
    st.buffer_.pop_front();
    co_return out;
}

template <class Model>
boost::asio::any_io_executor pager<Model>::executor() const {
    // A moved-from pager has no sender; its next() ends at once wherever it runs.
    if (!state_) return boost::asio::system_executor();
    return state_->sender_->executor();
}

template <class Model>
std::int64_t pager<Model>::current_page() const noexcept {
    return state_ ? state_->page_ : 0;
}

template <class Model>
std::int64_t pager<Model>::page_count() const noexcept {
    return state_ ? state_->page_count_ : 0;
}

template <class Model>
std::int64_t pager<Model>::total_results() const noexcept {
    return state_ ? state_->total_results_ : 0;
}

} // namespace daftra::resources
