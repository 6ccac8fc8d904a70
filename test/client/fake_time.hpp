#pragma once
// A clock that moves only when the code under test sleeps, and a scripted attempt function: the retry
// loop runs its backoffs and Retry-After waits in no time, and every wait it asked for is recorded.

#include "daftra/auth/authenticated_send.hpp"
#include "daftra/core/clock.hpp"

#include <chrono>
#include <deque>
#include <vector>

namespace daftra::test {

struct fake_time {
    std::chrono::steady_clock::time_point steady = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    std::chrono::system_clock::time_point wall = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    std::vector<std::chrono::milliseconds> sleeps;

    void advance(std::chrono::milliseconds d) {
        steady += d;
        wall += d;
    }

    /// Hooks reading and moving this clock; `this` must outlive them.
    clock_hooks hooks() {
        clock_hooks h;
        h.now = [this] { return steady; };
        h.wall_now = [this] { return wall; };
        h.sleep = [this](std::chrono::milliseconds d) -> boost::asio::awaitable<boost::system::error_code> {
            sleeps.push_back(d);
            advance(d);
            co_return boost::system::error_code();
        };
        return h;
    }
};

/// Answers attempts from a script (the last entry repeats) and records what was sent and when.
struct scripted_attempts {
    struct attempt_record {
        transport::verb method;
        std::chrono::steady_clock::time_point at;
        std::optional<std::chrono::steady_clock::time_point> deadline;
    };

    fake_time* time = nullptr;
    std::deque<result<transport::response>> script;
    std::vector<attempt_record> sent;

    auth::send_function function() {
        return [this](transport::request req, transport::send_options opts) -> boost::asio::awaitable<result<transport::response>> {
            sent.push_back({req.method, time->steady, opts.deadline});
            auto answer = script.front();
            if (script.size() > 1) script.pop_front();
            co_return answer;
        };
    }
};

inline result<transport::response> answer(unsigned status, std::string headers = {}) {
    transport::response r;
    r.status = status;
    r.headers = std::move(headers);
    r.body = "{}";
    return r;
}

inline result<transport::response> failure(error_kind kind, bool maybe_sent) {
    error e;
    e.kind = kind;
    e.maybe_sent = maybe_sent;
    e.message = "scripted failure";
    return e;
}

} // namespace daftra::test
