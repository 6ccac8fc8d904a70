#pragma once
// --count-allocs: heap allocations per request in the steady state.
//
// alloc_counter.cpp replaces the global operator new (every form) and wraps the C allocation functions
// (malloc, calloc, realloc, aligned_alloc, posix_memalign, memalign) of the process. Both are needed:
// Asio allocates its handler memory with std::aligned_alloc and OpenSSL with malloc, neither through
// operator new, and valgrind's "total heap usage" (the method this replaces) counts them all.
// Counting is off until start_counting(); while off each allocation costs one relaxed load.
// Sanitizer builds keep their own allocator: there the counter is not compiled in (available() is false).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace daftra::bench {

namespace allocs {

struct totals {
    std::uint64_t heap = 0;        ///< every allocation: malloc family + operator new (which calls malloc)
    std::uint64_t heap_bytes = 0;  ///< bytes asked for by those allocations
    std::uint64_t cxx = 0;         ///< those made through operator new / new[]
};

/// False in sanitizer builds, where the counter is left out.
bool available() noexcept;
/// Counts every allocation from now on.
void start_counting() noexcept;
/// The counts so far (relaxed: a snapshot good enough for averages over thousands of requests).
totals counted() noexcept;

/// Writes the size of every allocation from now on into `sizes` (at most `capacity` of them) until
/// stop_recording(), which returns how many were made (possibly more than capacity). For listing what
/// one operation allocates; use it on one thread with nothing else running.
void start_recording(std::size_t* sizes, std::size_t capacity) noexcept;
std::size_t stop_recording() noexcept;

} // namespace allocs

/// Allocations per request between the moments 20 % and 80 % of the requests are done, so connection
/// set-up and tear-down stay out of the figure. Workers call request_done() once per finished request
/// (success or failure), from any thread.
class alloc_window {
public:
    explicit alloc_window(std::size_t total_requests) noexcept;
    alloc_window(const alloc_window&) = delete;
    alloc_window& operator=(const alloc_window&) = delete;

    void request_done() noexcept;

    struct per_request {
        double heap = 0;        ///< allocations per request (all of them)
        double heap_bytes = 0;
        double cxx = 0;         ///< allocations through operator new per request
        std::size_t requests = 0;  ///< requests in the window
    };
    /// The figures, once both marks were passed; nullopt for a run too short to have a window.
    std::optional<per_request> result() const noexcept;

private:
    std::size_t open_at_;   // the request count at which the window opens (20 %)
    std::size_t close_at_;  // … and closes (80 %)
    std::atomic<std::size_t> done_{0};
    // Each written once, by the thread that finished the marking request; read after the run has
    // joined its threads (which orders the writes before the reads).
    allocs::totals at_open_;
    allocs::totals at_close_;
    bool opened_ = false;
    bool closed_ = false;
};

} // namespace daftra::bench
