// The memory structures of the hot path: the per-connection header arena, the waiter FIFO and the
// per-thread cache of answers' bodies.

#include "daftra/transport/http.hpp"
#include "transport/body_cache.hpp"
#include "transport/header_arena.hpp"
#include "core/waiter_queue.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace memory_test {

using namespace daftra::transport::detail;
using daftra::detail::waiter_queue;

namespace {

struct node {
    int id = 0;
    std::shared_ptr<node> next;
    node* prev = nullptr;
    bool linked = false;
};

std::shared_ptr<node> make(int id) {
    auto n = std::make_shared<node>();
    n->id = id;
    return n;
}

std::vector<int> drain(waiter_queue<node>& q) {
    std::vector<int> out;
    while (auto n = q.pop_front()) out.push_back(n->id);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(body_cache_suite)

daftra::transport::response with_body(std::size_t capacity) {
    daftra::transport::response r;
    r.body.reserve(capacity);
    r.body = "some answer";
    return r;
}

BOOST_AUTO_TEST_CASE(a_recycled_body_comes_back_empty_with_its_memory) {
    auto r = with_body(64 * 1024);
    const char* memory = r.body.data();
    daftra::transport::recycle(std::move(r));
    std::string next = reusable_body();
    BOOST_TEST(next.empty());
    BOOST_TEST((next.data() == memory));
    BOOST_TEST(next.capacity() >= 64u * 1024);
    BOOST_TEST(reusable_body().capacity() < 4096u);  // nothing kept any more
}

BOOST_AUTO_TEST_CASE(small_and_huge_bodies_are_not_kept_and_the_largest_comes_first) {
    daftra::transport::recycle(with_body(100));               // cheap to allocate anew
    daftra::transport::recycle(with_body(8u << 20));          // more than a thread keeps
    BOOST_TEST(reusable_body().capacity() < 4096u);
    for (std::size_t kb : {8, 32, 16}) daftra::transport::recycle(with_body(kb * 1024));
    BOOST_TEST(reusable_body().capacity() == 32u * 1024);
    BOOST_TEST(reusable_body().capacity() == 16u * 1024);
    BOOST_TEST(reusable_body().capacity() == 8u * 1024);
    BOOST_TEST(reusable_body().capacity() < 4096u);
}

BOOST_AUTO_TEST_CASE(a_thread_keeps_at_most_eight_and_only_its_own) {
    for (int i = 0; i < 12; ++i) daftra::transport::recycle(with_body(8 * 1024));
    std::size_t elsewhere = 0;
    std::thread([&] { elsewhere = reusable_body().capacity(); }).join();
    BOOST_TEST(elsewhere < 4096u);
    int kept = 0;
    while (reusable_body().capacity() >= 8u * 1024) ++kept;
    BOOST_TEST(kept == 8);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(header_arena_suite)

BOOST_AUTO_TEST_CASE(pieces_come_from_the_block_and_it_starts_over_when_all_are_back) {
    header_arena arena;
    arena_allocator<char> alloc(&arena);
    char* a = alloc.allocate(100);
    char* b = alloc.allocate(50);
    BOOST_TEST(b == a + 100);
    BOOST_TEST(arena.used() == 150u);
    alloc.deallocate(a, 100);
    BOOST_TEST(arena.used() == 150u);  // b is still out: nothing may be reused yet
    alloc.deallocate(b, 50);
    BOOST_TEST(arena.used() == 0u);
    BOOST_TEST(alloc.allocate(10) == a);  // the next exchange starts at the front again
}

BOOST_AUTO_TEST_CASE(alignment_is_kept) {
    header_arena arena;
    arena_allocator<char> bytes(&arena);
    (void)bytes.allocate(3);
    arena_allocator<std::uint64_t> words(bytes);
    auto* w = words.allocate(2);
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(w) % alignof(std::uint64_t) == 0u);
}

BOOST_AUTO_TEST_CASE(what_does_not_fit_goes_to_the_heap_and_back) {
    header_arena arena;
    arena_allocator<char> alloc(&arena);
    char* small = alloc.allocate(16);
    char* big = alloc.allocate(64 * 1024);  // a server's huge header block
    BOOST_TEST((big < small || big > small + 4096));
    big[64 * 1024 - 1] = 'x';  // usable to its end
    alloc.deallocate(big, 64 * 1024);
    BOOST_TEST(arena.used() == 16u);
    alloc.deallocate(small, 16);
    BOOST_TEST(arena.used() == 0u);
}

BOOST_AUTO_TEST_CASE(without_an_arena_it_is_the_heap) {
    arena_allocator<int> heap;
    std::vector<int, arena_allocator<int>> v(heap);
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    BOOST_TEST(v[999] == 999);
}

BOOST_AUTO_TEST_CASE(a_string_on_the_arena_behaves) {
    header_arena arena;
    using arena_string = std::basic_string<char, std::char_traits<char>, arena_allocator<char>>;
    {
        const arena_allocator<char> alloc(&arena);
        arena_string s(alloc);
        for (int i = 0; i < 100; ++i) s += "header value ";
        BOOST_TEST(s.size() == 1300u);
    }
    BOOST_TEST(arena.used() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(waiter_queue_suite)

BOOST_AUTO_TEST_CASE(first_in_first_out) {
    waiter_queue<node> q;
    for (int i = 0; i < 5; ++i) q.push_back(make(i));
    BOOST_TEST(q.size() == 5u);
    BOOST_TEST(drain(q) == (std::vector<int>{0, 1, 2, 3, 4}));
    BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(unlinking_from_the_middle_the_front_and_the_back) {
    waiter_queue<node> q;
    std::vector<std::shared_ptr<node>> nodes;
    for (int i = 0; i < 6; ++i) {
        nodes.push_back(make(i));
        q.push_back(nodes.back());
    }
    auto mid = q.unlink(*nodes[2]);
    BOOST_TEST(mid == nodes[2]);
    BOOST_TEST(!nodes[2]->linked);
    q.unlink(*nodes[0]);
    q.unlink(*nodes[5]);
    BOOST_TEST(q.size() == 3u);
    q.push_back(make(9));  // the tail is right after unlinking the old one
    BOOST_TEST(drain(q) == (std::vector<int>{1, 3, 4, 9}));
}

BOOST_AUTO_TEST_CASE(the_queue_owns_what_it_links) {
    waiter_queue<node> q;
    std::weak_ptr<node> watch;
    {
        auto n = make(1);
        watch = n;
        q.push_back(std::move(n));
    }
    BOOST_TEST(!watch.expired());
    q.pop_front();
    BOOST_TEST(watch.expired());
}

BOOST_AUTO_TEST_CASE(a_hundred_thousand_waiters_are_freed_without_recursion) {
    // Destroyed by its head, a chain of shared_ptrs this long would overflow the stack.
    auto q = std::make_unique<waiter_queue<node>>();
    for (int i = 0; i < 100'000; ++i) q->push_back(make(i));
    BOOST_TEST(q->size() == 100'000u);
    q.reset();
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace memory_test
