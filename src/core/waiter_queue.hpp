#pragma once
// A FIFO of waiters (waiter.hpp: callers waiting for a connection, a token or a permit), linked through
// the waiters themselves: queueing costs no allocation beyond the waiter, and one that leaves early (its
// deadline, its caller's cancellation) unlinks in O(1). The queue owns each linked waiter through the
// previous one's `next`.

#include <cstddef>
#include <memory>
#include <vector>

namespace daftra::detail {

/// Node needs `std::shared_ptr<Node> next`, `Node* prev` and `bool linked`.
template <class Node>
class waiter_queue {
public:
    waiter_queue() = default;
    waiter_queue(const waiter_queue&) = delete;
    waiter_queue& operator=(const waiter_queue&) = delete;
    ~waiter_queue() { clear(); }

    bool empty() const noexcept { return head_ == nullptr; }
    std::size_t size() const noexcept { return size_; }

    void push_back(std::shared_ptr<Node> n) {
        Node* raw = n.get();
        raw->prev = tail_;
        raw->linked = true;
        if (tail_) tail_->next = std::move(n);
        else head_ = std::move(n);
        tail_ = raw;
        ++size_;
    }

    /// The oldest waiter, unlinked; null when empty.
    std::shared_ptr<Node> pop_front() {
        if (!head_) return nullptr;
        return unlink(*head_);
    }

    /// Unlinks `n` (which must be linked) and returns the queue's reference to it.
    std::shared_ptr<Node> unlink(Node& n) {
        std::shared_ptr<Node>& owner = n.prev ? n.prev->next : head_;
        std::shared_ptr<Node> self = std::move(owner);
        if (n.next) n.next->prev = n.prev;
        else tail_ = n.prev;
        owner = std::move(n.next);
        n.prev = nullptr;
        n.linked = false;
        --size_;
        return self;
    }

    /// Every waiter, unlinked, oldest first: what a shutdown or a finished refresh completes after its lock
    /// is let go.
    std::vector<std::shared_ptr<Node>> take_all() {
        std::vector<std::shared_ptr<Node>> all;
        all.reserve(size_);
        while (auto n = pop_front()) all.push_back(std::move(n));
        return all;
    }

    /// Unlinks everything front to back without recursion (a chain of 100,000 shared_ptrs destroyed by
    /// its head would recurse 100,000 deep).
    void clear() {
        while (pop_front()) {
        }
    }

private:
    std::shared_ptr<Node> head_;
    Node* tail_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace daftra::detail
