#pragma once
// Memory for the header fields of one exchange. Beast's basic_fields allocates once per field, for
// the request we write and for the response we parse: about eleven heap allocations a request. A
// connection serves one exchange at a time, so it owns one arena: fields are carved from a fixed block
// by bumping an offset, and the block is reused as soon as every piece of it has been given back
// (the request message and the parser are locals of the exchange). Header blocks larger than the
// block (a server may send up to max_response_header) spill to the heap, piece by piece.

#include <cstddef>
#include <memory>
#include <new>

namespace daftra::transport::detail {

class header_arena {
public:
    header_arena() = default;
    header_arena(const header_arena&) = delete;
    header_arena& operator=(const header_arena&) = delete;

    void* allocate(std::size_t bytes, std::size_t align) {
        std::size_t offset = (used_ + align - 1) & ~(align - 1);
        if (align <= alignof(std::max_align_t) && offset + bytes <= sizeof(block_)) {
            used_ = offset + bytes;
            ++live_;
            return block_ + offset;
        }
        return ::operator new(bytes, std::align_val_t(align));
    }

    void deallocate(void* p, std::size_t /*bytes*/, std::size_t align) noexcept {
        auto* b = static_cast<std::byte*>(p);
        if (b >= block_ && b < block_ + sizeof(block_)) {
            if (--live_ == 0) used_ = 0;  // everything given back: start over at the front
            return;
        }
        ::operator delete(p, std::align_val_t(align));  // unsized: clang 14 has no sized deallocation by default
    }

    /// Bytes of the block in use (for tests).
    std::size_t used() const noexcept { return used_; }

private:
    // 4 KiB holds the request we send and a typical answer's header block (nginx: ~200 bytes;
    // Daftra's answers carry a dozen headers) with room to spare.
    alignas(std::max_align_t) std::byte block_[4096];
    std::size_t used_ = 0;
    std::size_t live_ = 0;
};

/// A standard allocator over a header_arena. Default-constructed (no arena) it is the heap, so types
/// built on it stay default-constructible (the HTTP fuzz target uses it that way).
template <class T>
class arena_allocator {
public:
    using value_type = T;

    arena_allocator() noexcept = default;
    explicit arena_allocator(header_arena* arena) noexcept : arena_(arena) {}
    template <class U>
    arena_allocator(const arena_allocator<U>& other) noexcept : arena_(other.arena()) {}

    T* allocate(std::size_t n) {
        if (!arena_) return std::allocator<T>().allocate(n);
        return static_cast<T*>(arena_->allocate(n * sizeof(T), alignof(T)));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (!arena_) return std::allocator<T>().deallocate(p, n);
        arena_->deallocate(p, n * sizeof(T), alignof(T));
    }

    header_arena* arena() const noexcept { return arena_; }

    template <class U>
    bool operator==(const arena_allocator<U>& other) const noexcept { return arena_ == other.arena(); }

private:
    header_arena* arena_ = nullptr;
};

} // namespace daftra::transport::detail
