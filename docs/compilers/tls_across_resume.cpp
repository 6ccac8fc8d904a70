// Does a thread_local read in a coroutine body, after a co_await that resumed the coroutine on another
// thread, see the resuming thread's variable? No Asio, no SDK; docs/compilers.md has the results.
//   clang++-16 -std=c++20 -O2 -pthread tls_across_resume.cpp -o tls && ./tls
#include <condition_variable>
#include <coroutine>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

thread_local int thread_number = 0;  // 1 and 2 on the two worker threads

[[gnu::noinline]] int thread_number_now() { return thread_number; }  // an honest read, never inlined

struct queue {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::coroutine_handle<>> q;
    bool stop = false;
    void push(std::coroutine_handle<> h) { { std::lock_guard l(m); q.push_back(h); } cv.notify_one(); }
    void run(int number) {
        thread_number = number;
        for (;;) {
            std::unique_lock l(m);
            cv.wait(l, [&] { return stop || !q.empty(); });
            if (q.empty()) return;
            auto h = q.front(); q.pop_front(); l.unlock();
            h.resume();
        }
    }
};
queue threads[2];

// Suspends and resumes on the other thread.
struct hop {
    bool await_ready() { return false; }
    void await_suspend(std::coroutine_handle<> h) { threads[thread_number_now() % 2].push(h); }
    void await_resume() {}
};

struct task {
    struct promise_type {
        task get_return_object() { return {}; }
        std::suspend_never initial_suspend() { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() {}
    };
};

int stale = 0, reads = 0;

task hopper(int n) {
    co_await hop{};  // now on a worker thread
    for (int i = 0; i < n; ++i) {
        co_await hop{};  // resumes on the other worker thread
        ++reads;
        if (thread_number != thread_number_now()) ++stale;  // the body's own read against an honest one
    }
    for (auto& t : threads) { std::lock_guard l(t.m); t.stop = true; t.cv.notify_all(); }
}

int main() {
    std::thread a([] { threads[0].run(1); }), b([] { threads[1].run(2); });
    hopper(100000);
    a.join();
    b.join();
    std::printf("%d of %d thread_local reads after a resumption on another thread saw the previous thread's variable\n",
                stale, reads);
    return stale != 0;
}
