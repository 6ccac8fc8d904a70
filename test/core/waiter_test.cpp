// The waiter shared by the pool, the token source and the rate limiter (src/core/waiter.hpp): where and
// when its handler runs, its deadline, its cancellation hook, and the FIFO it is queued in.

#include "core/waiter.hpp"
#include "core/waiter_queue.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace waiter_test {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;
using int_waiter = daftra::detail::waiter<void(error_code, int)>;

BOOST_AUTO_TEST_SUITE(waiter_rules)

BOOST_AUTO_TEST_CASE(completion_is_posted_to_the_handler_executor_never_inline) {
    asio::io_context io;
    auto strand = asio::make_strand(io);
    std::optional<int> got;
    bool on_strand = false;
    auto w = std::make_shared<int_waiter>(asio::bind_executor(strand, [&](error_code, int v) {
        got = v;
        on_strand = strand.running_in_this_thread();
    }), io.get_executor());
    w->complete({}, 7);
    BOOST_TEST(w->completed());
    BOOST_TEST(!got.has_value());  // not inside complete()
    io.run();
    BOOST_TEST(got.value_or(0) == 7);
    BOOST_TEST(on_strand);
}

BOOST_AUTO_TEST_CASE(a_deadline_calls_the_owner_and_disarm_stops_it) {
    asio::io_context io;
    int expired = 0, completed = 0;
    auto a = std::make_shared<int_waiter>([&](error_code, int) { ++completed; }, io.get_executor());
    auto b = std::make_shared<int_waiter>([&](error_code, int) { ++completed; }, io.get_executor());
    a->arm_deadline(0ms, [&] { ++expired; a->complete(asio::error::timed_out, 0); });
    b->arm_deadline(0ms, [&] { ++expired; });
    b->disarm();
    b->complete({}, 1);
    io.run();
    BOOST_TEST(expired == 1);
    BOOST_TEST(completed == 2);
}

BOOST_AUTO_TEST_CASE(the_cancellation_slot_reaches_the_owner_and_lets_go_on_completion) {
    asio::io_context io;
    asio::cancellation_signal signal;
    std::optional<error_code> got;
    auto w = std::make_shared<int_waiter>(
        asio::bind_cancellation_slot(signal.slot(), [&](error_code ec, int) { got = ec; }), io.get_executor());
    auto owner = std::make_shared<int>(0);  // what an owner's hook holds (the pool holds itself)
    w->on_cancellation([&, owner](asio::cancellation_type) { w->complete(asio::error::operation_aborted, 0); });
    BOOST_TEST(owner.use_count() == 2);
    signal.emit(asio::cancellation_type::terminal);
    io.run();
    BOOST_TEST((got == error_code(asio::error::operation_aborted)));
    BOOST_TEST(owner.use_count() == 1);  // the completion let go of the hook
}

BOOST_AUTO_TEST_CASE(queued_waiters_leave_in_fifo_order_and_from_the_middle) {
    asio::io_context io;
    std::vector<int> order;
    daftra::detail::waiter_queue<int_waiter> queue;
    std::vector<std::shared_ptr<int_waiter>> all;
    for (int i = 0; i < 4; ++i) {
        all.push_back(std::make_shared<int_waiter>([&order](error_code, int v) { order.push_back(v); }, io.get_executor()));
        queue.push_back(all.back());
    }
    queue.unlink(*all[2])->complete(asio::error::operation_aborted, 2);  // leaves early
    int next = 10;
    while (auto w = queue.pop_front()) w->complete({}, next++);
    io.run();
    BOOST_TEST((order == std::vector<int>{2, 10, 11, 12}));  // posted in the order completed
    BOOST_TEST(queue.empty());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace waiter_test
