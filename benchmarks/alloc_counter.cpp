// The counting allocator behind --count-allocs (see alloc_counter.hpp).
//
// The C functions are wrapped, not reimplemented: each counts, then calls glibc's own entry point
// (__libc_malloc, …), so the heap and free() stay glibc's and memory may be freed by anyone. Defined in
// the executable, they take precedence over libc's for every library of the process (OpenSSL, libstdc++).
// operator new allocates through malloc, so it is counted there once and also in its own counter.

#include "alloc_counter.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DAFTRA_BENCH_COUNT_ALLOCS 0  // the sanitizer's allocator must stay in charge
#else
#define DAFTRA_BENCH_COUNT_ALLOCS 1
#endif

namespace {

std::atomic<bool> counting{false};
std::atomic<std::uint64_t> heap_count{0};
std::atomic<std::uint64_t> heap_bytes{0};
std::atomic<std::uint64_t> cxx_count{0};

// start_recording(): one thread, nothing else running, so plain variables behind one atomic flag.
std::atomic<bool> recording{false};
std::size_t* record_into = nullptr;
std::size_t record_capacity = 0;
std::size_t recorded = 0;

inline void note_heap(std::size_t size) noexcept {
    if (recording.load(std::memory_order_relaxed)) {
        if (recorded < record_capacity) record_into[recorded] = size;
        ++recorded;
    }
    if (counting.load(std::memory_order_relaxed)) {
        heap_count.fetch_add(1, std::memory_order_relaxed);
        heap_bytes.fetch_add(size, std::memory_order_relaxed);
    }
}

inline void note_cxx() noexcept {
    if (counting.load(std::memory_order_relaxed)) cxx_count.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

namespace daftra::bench {

namespace allocs {

bool available() noexcept { return DAFTRA_BENCH_COUNT_ALLOCS != 0; }

void start_counting() noexcept { counting.store(true, std::memory_order_relaxed); }

void start_recording(std::size_t* sizes, std::size_t capacity) noexcept {
    record_into = sizes;
    record_capacity = capacity;
    recorded = 0;
    recording.store(true, std::memory_order_seq_cst);
}

std::size_t stop_recording() noexcept {
    recording.store(false, std::memory_order_seq_cst);
    return recorded;
}

totals counted() noexcept {
    totals t;
    t.heap = heap_count.load(std::memory_order_relaxed);
    t.heap_bytes = heap_bytes.load(std::memory_order_relaxed);
    t.cxx = cxx_count.load(std::memory_order_relaxed);
    return t;
}

} // namespace allocs

alloc_window::alloc_window(std::size_t total_requests) noexcept
    : open_at_(std::max<std::size_t>(1, total_requests / 5)), close_at_(total_requests * 4 / 5) {}

void alloc_window::request_done() noexcept {
    const std::size_t n = done_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (n == open_at_) {
        at_open_ = allocs::counted();
        opened_ = true;
    } else if (n == close_at_) {
        at_close_ = allocs::counted();
        closed_ = true;
    }
}

std::optional<alloc_window::per_request> alloc_window::result() const noexcept {
    if (!opened_ || !closed_ || close_at_ <= open_at_) return std::nullopt;
    per_request out;
    out.requests = close_at_ - open_at_;
    const auto n = static_cast<double>(out.requests);
    out.heap = static_cast<double>(at_close_.heap - at_open_.heap) / n;
    out.heap_bytes = static_cast<double>(at_close_.heap_bytes - at_open_.heap_bytes) / n;
    out.cxx = static_cast<double>(at_close_.cxx - at_open_.cxx) / n;
    return out;
}

} // namespace daftra::bench

#if DAFTRA_BENCH_COUNT_ALLOCS

// ---- the C allocation functions: count, then hand over to glibc ----

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);

void* malloc(std::size_t size) noexcept {
    note_heap(size);
    return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
    note_heap(count * size);
    return __libc_calloc(count, size);
}

// Counted as an allocation, as valgrind counts it.
void* realloc(void* p, std::size_t size) noexcept {
    note_heap(size);
    return __libc_realloc(p, size);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
    note_heap(size);
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
    note_heap(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
    note_heap(size);
    void* p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
} // extern "C"

// ---- operator new and delete, every form ----

namespace {

void* cxx_allocate(std::size_t size) {
    note_cxx();
    if (size == 0) size = 1;
    for (;;) {
        if (void* p = std::malloc(size)) return p;
        const std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

void* cxx_allocate(std::size_t size, std::align_val_t alignment) {
    note_cxx();
    if (size == 0) size = 1;
    const auto align = std::max(static_cast<std::size_t>(alignment), sizeof(void*));
    for (;;) {
        void* p = nullptr;
        if (posix_memalign(&p, align, size) == 0) return p;
        const std::new_handler handler = std::get_new_handler();
        if (!handler) throw std::bad_alloc();
        handler();
    }
}

template <class... Alignment>
void* cxx_allocate_nothrow(std::size_t size, Alignment... alignment) noexcept {
    try {
        return cxx_allocate(size, alignment...);
    } catch (...) {
        return nullptr;
    }
}

} // namespace

void* operator new(std::size_t size) { return cxx_allocate(size); }
void* operator new[](std::size_t size) { return cxx_allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return cxx_allocate_nothrow(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return cxx_allocate_nothrow(size); }
void* operator new(std::size_t size, std::align_val_t a) { return cxx_allocate(size, a); }
void* operator new[](std::size_t size, std::align_val_t a) { return cxx_allocate(size, a); }
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept { return cxx_allocate_nothrow(size, a); }
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept { return cxx_allocate_nothrow(size, a); }

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

#endif // DAFTRA_BENCH_COUNT_ALLOCS
