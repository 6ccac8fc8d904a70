#include "body_cache.hpp"

#include "daftra/transport/http.hpp"

#include <array>
#include <cstddef>
#include <utility>

namespace daftra::transport {

namespace {

// A few buffers per thread: the thread of the io_context that reads an answer is, in the usual case,
// the one whose coroutine decodes it and gives it back. Bounded, so that a burst of large answers
// leaves at most slots * largest bytes behind per thread.
struct body_cache {
    static constexpr std::size_t slots = 8;
    static constexpr std::size_t smallest = 4096;      // smaller bodies are cheap to allocate anew
    static constexpr std::size_t largest = 4u << 20;   // larger ones are freed, not kept
    std::array<std::string, slots> kept;
    std::size_t count = 0;
};

thread_local body_cache cache;

} // namespace

void recycle(response&& answer) noexcept {
    std::string& body = answer.body;
    if (body.capacity() < body_cache::smallest || body.capacity() > body_cache::largest) return;
    if (cache.count == body_cache::slots) return;
    body.clear();
    cache.kept[cache.count++] = std::move(body);
}

std::string detail::reusable_body() noexcept {
    if (cache.count == 0) return {};
    // The largest kept: answers of one kind tend to be of one size, and a buffer too small still
    // saves the copy of its contents when it grows.
    std::size_t best = 0;
    for (std::size_t i = 1; i < cache.count; ++i)
        if (cache.kept[i].capacity() > cache.kept[best].capacity()) best = i;
    std::string out = std::move(cache.kept[best]);
    if (best != cache.count - 1) cache.kept[best] = std::move(cache.kept[cache.count - 1]);
    --cache.count;
    return out;
}

} // namespace daftra::transport
