// The pool's rules without I/O (src/transport/pool_state.hpp), one test per rule of design.md's
// "Transport" rules, each driven by events and explicit times: no sockets, no timers, no sleeps. The
// socket-level tests (pool_reuse_test, pool_cancel_test, pool_faults_test) check the same rules end
// to end.

#include "transport/pool_state.hpp"

#include <boost/test/unit_test.hpp>

#include <deque>
#include <map>
#include <random>

namespace pool_state_test {

using namespace daftra::transport::detail;
using namespace std::chrono_literals;

namespace {

struct fake_connection : connection_record {
    int id = 0;
};

struct fake_waiter {
    int id = 0;
    std::shared_ptr<fake_waiter> next;  // waiter_queue links
    fake_waiter* prev = nullptr;
    bool linked = false;
};

struct fake_traits {
    using connection = std::shared_ptr<fake_connection>;
    using waiter = fake_waiter;

    int* opened;
    clock::time_point* now;

    connection open() const {
        auto c = std::make_shared<fake_connection>();
        c->id = ++*opened;
        c->created = *now;
        return c;
    }
    static connection_record& record(const connection& c) noexcept { return *c; }
};

// A pool_state with its clock and a few helpers, for the tests to read like the events they send.
struct fixture {
    explicit fixture(pool_limits l = limits(2)) : state(fake_traits{&opened, &now}, l) {}

    static pool_limits limits(std::size_t max_connections) {
        pool_limits l;
        l.max_connections = max_connections;
        l.idle_timeout = 30s;
        return l;
    }

    using state_type = pool_state<fake_traits>;
    using take = state_type::take;

    // try_take, expecting a connection.
    std::shared_ptr<fake_connection> take_one() {
        std::shared_ptr<fake_connection> c;
        const auto t = state.try_take(now, c, closed);
        BOOST_TEST_REQUIRE((t == take::got));
        BOOST_TEST_REQUIRE(c != nullptr);
        return c;
    }
    // try_take, expecting to wait; queues a waiter.
    std::shared_ptr<fake_waiter> wait_one(int id) {
        std::shared_ptr<fake_connection> c;
        BOOST_TEST_REQUIRE((state.try_take(now, c, closed) == take::must_wait));
        auto w = std::make_shared<fake_waiter>();
        w->id = id;
        state.wait(w);
        return w;
    }
    // A completed exchange: the connection served one more request.
    state_type::handoff release_used(std::shared_ptr<fake_connection> c, bool reusable = true) {
        c->connected = true;
        ++c->requests;
        return state.release(std::move(c), reusable, now, closed);
    }

    int opened = 0;
    clock::time_point now{} ;
    std::vector<std::shared_ptr<fake_connection>> closed;
    state_type state;
};

} // namespace

BOOST_AUTO_TEST_SUITE(pool_rules)

BOOST_AUTO_TEST_CASE(new_connections_open_only_below_max_connections) {
    fixture f;
    auto a = f.take_one();
    auto b = f.take_one();
    BOOST_TEST(a->id != b->id);
    BOOST_TEST(f.state.open_count() == 2u);
    f.wait_one(1);  // the third call waits: max_connections is 2
    BOOST_TEST(f.state.opened_total() == 2u);
    BOOST_TEST(f.state.waiting_count() == 1u);
}

BOOST_AUTO_TEST_CASE(the_most_recently_used_idle_connection_is_taken_first) {
    fixture f;
    auto a = f.take_one();
    auto b = f.take_one();
    f.release_used(a);
    f.now += 1s;
    f.release_used(b);
    BOOST_TEST(f.state.idle_count() == 2u);
    BOOST_TEST(f.take_one()->id == b->id);  // the warmest: the other one may expire and close
    BOOST_TEST(f.take_one()->id == a->id);
    BOOST_TEST(f.state.opened_total() == 2u);
}

BOOST_AUTO_TEST_CASE(a_released_connection_goes_straight_to_the_oldest_waiter) {
    fixture f(fixture::limits(1));
    auto a = f.take_one();
    auto w1 = f.wait_one(1);
    auto w2 = f.wait_one(2);
    auto h = f.release_used(a);
    BOOST_TEST_REQUIRE(h.to != nullptr);
    BOOST_TEST(h.to->id == 1);
    BOOST_TEST(h.conn->id == a->id);
    BOOST_TEST(f.state.idle_count() == 0u);  // handed over, never idle: nobody else can take it meanwhile
    auto h2 = f.release_used(h.conn);
    BOOST_TEST_REQUIRE(h2.to != nullptr);
    BOOST_TEST(h2.to->id == 2);
    BOOST_TEST(f.state.waiting_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_waiter_that_left_is_passed_over_and_one_already_served_cannot_leave) {
    fixture f(fixture::limits(1));
    auto a = f.take_one();
    auto w1 = f.wait_one(1);
    auto w2 = f.wait_one(2);
    BOOST_TEST(f.state.leave(*w1));  // its deadline, or its caller's cancellation
    BOOST_TEST(!f.state.leave(*w1)); // twice is harmless
    auto h = f.release_used(a);
    BOOST_TEST_REQUIRE(h.to != nullptr);
    BOOST_TEST(h.to->id == 2);
    // w2 was handed the connection: leaving now fails, so its call gives the connection back.
    BOOST_TEST(!f.state.leave(*w2));
    auto back = f.state.release(h.conn, true, f.now, f.closed);
    BOOST_TEST(back.to == nullptr);
    BOOST_TEST(f.state.idle_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_discarded_connection_gives_its_slot_to_the_oldest_waiter_as_a_new_one) {
    fixture f(fixture::limits(1));
    auto a = f.take_one();
    auto w1 = f.wait_one(1);
    auto h = f.release_used(a, false);  // a timeout, a parse error, Connection: close
    BOOST_TEST_REQUIRE(f.closed.size() == 1u);
    BOOST_TEST(f.closed[0]->id == a->id);
    BOOST_TEST_REQUIRE(h.to != nullptr);
    BOOST_TEST(h.to->id == 1);
    BOOST_TEST(h.conn->id != a->id);
    BOOST_TEST(!h.conn->connected);
    BOOST_TEST(f.state.open_count() == 1u);  // the slot was reused, the limit kept
}

BOOST_AUTO_TEST_CASE(a_discarded_connection_without_waiters_frees_its_slot) {
    fixture f(fixture::limits(1));
    auto a = f.take_one();
    auto h = f.release_used(a, false);
    BOOST_TEST(h.to == nullptr);
    BOOST_TEST(f.state.open_count() == 0u);
    BOOST_TEST(f.take_one()->id != a->id);
}

BOOST_AUTO_TEST_CASE(idle_connections_expire_after_idle_timeout) {
    fixture f;
    auto a = f.take_one();
    f.release_used(a);
    f.now += 30s - 1ms;
    auto again = f.take_one();
    BOOST_TEST(again->id == a->id);  // still fresh
    f.release_used(again);
    f.now += 30s;
    auto fresh = f.take_one();
    BOOST_TEST(fresh->id != a->id);
    BOOST_TEST_REQUIRE(f.closed.size() == 1u);
    BOOST_TEST(f.closed[0]->id == a->id);
    BOOST_TEST(f.state.open_count() == 1u);
}

BOOST_AUTO_TEST_CASE(expired_connections_are_closed_by_any_event) {
    fixture f;
    auto a = f.take_one();
    auto b = f.take_one();
    f.release_used(a);
    f.now += 31s;
    f.release_used(b);  // the release itself closes a, idle for 31 s
    BOOST_TEST_REQUIRE(f.closed.size() == 1u);
    BOOST_TEST(f.closed[0]->id == a->id);
    BOOST_TEST(f.state.idle_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_server_keep_alive_timeout_shortens_the_idle_period) {
    fixture f;
    auto a = f.take_one();
    a->server_idle_timeout = 5s;  // Keep-Alive: timeout=5
    f.release_used(a);
    BOOST_TEST((a->idle_until == f.now + 4s));  // a second early, never racing the server's close
    f.now += 4s;
    BOOST_TEST(f.take_one()->id != a->id);
    BOOST_TEST(f.closed.size() == 1u);
}

BOOST_AUTO_TEST_CASE(request_limits_retire_a_connection) {
    pool_limits l = fixture::limits(2);
    l.max_requests_per_connection = 2;
    fixture f(l);
    auto a = f.take_one();
    f.release_used(a);  // 1 request
    auto again = f.take_one();
    BOOST_TEST(again->id == a->id);
    f.release_used(again);  // 2 requests: retired
    BOOST_TEST(f.state.idle_count() == 0u);
    BOOST_TEST(f.closed.size() == 1u);

    // The server's Keep-Alive max counts the same way.
    auto b = f.take_one();
    b->max_requests = 1;
    f.release_used(b);
    BOOST_TEST(f.closed.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_old_connection_is_retired) {
    pool_limits l = fixture::limits(2);
    l.max_connection_age = 60s;
    fixture f(l);
    auto a = f.take_one();
    f.now += 59s;
    f.release_used(a);
    BOOST_TEST(f.state.idle_count() == 1u);
    f.now += 1s;  // 60 s old while idle: closed by the next event, never reused
    BOOST_TEST(f.take_one()->id != a->id);
    BOOST_TEST(f.closed.size() == 1u);
}

BOOST_AUTO_TEST_CASE(replace_gives_a_new_connection_the_same_slot) {
    fixture f(fixture::limits(1));
    auto a = f.take_one();
    auto b = f.state.replace(a);
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST((*b)->id != a->id);
    BOOST_TEST(f.state.open_count() == 1u);
}

BOOST_AUTO_TEST_CASE(stop_fails_waiters_closes_everything_and_refuses_later_calls) {
    fixture f(fixture::limits(2));
    auto a = f.take_one();
    auto b = f.take_one();
    auto w1 = f.wait_one(1);
    auto w2 = f.wait_one(2);
    auto stopped = f.state.stop();
    BOOST_TEST(stopped.waiters.size() == 2u);
    BOOST_TEST(stopped.waiters[0]->id == 1);  // failed in the order they came
    BOOST_TEST(stopped.connections.size() == 2u);  // those in use are closed under their calls
    std::shared_ptr<fake_connection> c;
    BOOST_TEST((f.state.try_take(f.now, c, f.closed) == fixture::take::stopped));
    auto h = f.release_used(a);  // the call in flight finishes: closed, given to nobody
    BOOST_TEST(h.to == nullptr);
    BOOST_TEST(f.closed.size() == 1u);
    BOOST_TEST(!f.state.replace(a).has_value());
    BOOST_TEST(f.state.stop().waiters.empty());  // idempotent
}

BOOST_AUTO_TEST_CASE(stop_closes_idle_connections_too) {
    fixture f(fixture::limits(2));
    auto a = f.take_one();
    f.release_used(a);
    auto stopped = f.state.stop();
    BOOST_TEST_REQUIRE(stopped.connections.size() == 1u);
    BOOST_TEST(stopped.connections[0]->id == a->id);
    BOOST_TEST(f.state.idle_count() == 0u);
}

BOOST_AUTO_TEST_CASE(the_liveness_check_is_skipped_only_for_a_recent_idempotent_reuse) {
    connection_record c;
    const clock::time_point t0{};
    c.released = t0;
    BOOST_TEST(!needs_liveness_check(c, true, t0 + 1h));  // not connected yet: nothing to check
    c.connected = true;
    BOOST_TEST(!needs_liveness_check(c, true, t0 + 50ms));
    BOOST_TEST(needs_liveness_check(c, true, t0 + 101ms));
    BOOST_TEST(needs_liveness_check(c, false, t0 + 1ms));  // a POST is always checked
}

BOOST_AUTO_TEST_CASE(only_a_request_that_cannot_duplicate_is_replayed_once_before_its_deadline) {
    failed_exchange stale;
    stale.stale_candidate = true;
    failed_exchange stale_sent = stale;
    stale_sent.maybe_sent = true;
    BOOST_TEST(may_replay(stale, true, false, true));        // GET on a dropped connection
    BOOST_TEST(may_replay(stale_sent, true, false, true));   // GET, even if it may have left
    BOOST_TEST(may_replay(stale, false, false, true));       // POST that provably never left
    BOOST_TEST(!may_replay(stale_sent, false, false, true)); // POST that may have left: never twice
    BOOST_TEST(!may_replay(stale, true, true, true));        // once only
    BOOST_TEST(!may_replay(stale, true, false, false));      // not past the call's deadline
    BOOST_TEST(!may_replay(failed_exchange{}, true, false, true));  // not a dropped connection
}

BOOST_AUTO_TEST_CASE(a_call_waits_until_acquire_timeout_or_its_deadline_whichever_is_first) {
    const clock::time_point t0{};
    auto by_acquire = wait_limit_for(t0, 5s, t0 + 60s);
    BOOST_TEST((by_acquire.until == t0 + 5s));
    BOOST_TEST(!by_acquire.is_call_deadline);
    auto by_deadline = wait_limit_for(t0, 5s, t0 + 2s);
    BOOST_TEST((by_deadline.until == t0 + 2s));
    BOOST_TEST(by_deadline.is_call_deadline);
}

// Thousands of events from a fixed seed (so every run is the same): calls take, wait, leave and
// release at random; the rules must hold after each event. FIFO: among the waiters still queued, the
// one served is always the oldest.
BOOST_AUTO_TEST_CASE(random_events_keep_every_invariant) {
    pool_limits l = fixture::limits(3);
    l.max_requests_per_connection = 7;
    fixture f(l);
    std::mt19937 random(20261206);
    std::vector<std::shared_ptr<fake_connection>> in_use;
    std::deque<std::shared_ptr<fake_waiter>> queued;  // the model: FIFO of waiters still waiting
    int next_waiter = 0, served = 0;
    for (int event = 0; event < 20000; ++event) {
        f.now += std::chrono::milliseconds(random() % 500);
        switch (random() % 4) {
        case 0: {  // a call arrives
            std::shared_ptr<fake_connection> c;
            const auto t = f.state.try_take(f.now, c, f.closed);
            if (t == fixture::take::got) {
                BOOST_TEST_REQUIRE(queued.empty());  // nobody may wait while a connection is free
                in_use.push_back(c);
            } else {
                auto w = std::make_shared<fake_waiter>();
                w->id = ++next_waiter;
                f.state.wait(w);
                queued.push_back(w);
            }
            break;
        }
        case 1:  // a waiter leaves
            if (!queued.empty()) {
                auto it = queued.begin() + static_cast<std::ptrdiff_t>(random() % queued.size());
                BOOST_TEST_REQUIRE(f.state.leave(**it));
                queued.erase(it);
            }
            break;
        default:  // a call finishes
            if (!in_use.empty()) {
                const auto i = random() % in_use.size();
                auto c = in_use[i];
                in_use.erase(in_use.begin() + static_cast<std::ptrdiff_t>(i));
                auto h = f.release_used(c, random() % 5 != 0);
                if (h.to) {
                    BOOST_TEST_REQUIRE(!queued.empty());
                    BOOST_TEST_REQUIRE(h.to == queued.front());  // the oldest
                    queued.pop_front();
                    in_use.push_back(h.conn);
                    ++served;
                } else {
                    BOOST_TEST_REQUIRE(queued.empty());  // no waiter is left behind
                }
            }
        }
        BOOST_TEST_REQUIRE(f.state.open_count() <= l.max_connections);
        BOOST_TEST_REQUIRE(f.state.open_count() == f.state.idle_count() + in_use.size());
        BOOST_TEST_REQUIRE(f.state.waiting_count() == queued.size());
        for (const auto& c : in_use) BOOST_TEST_REQUIRE(c->requests < l.max_requests_per_connection);
    }
    BOOST_TEST(served > 200);  // the scenario did exercise hand-offs (296 with this seed)
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace pool_state_test
