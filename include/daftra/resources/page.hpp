#pragma once
// One page of a list answer.

#include <cstdint>
#include <vector>

namespace daftra {

/// The records of one page and where it sits in the whole list. When an answer has no pagination
/// block, page is the requested page (1 if none), page_count equals page and total_results counts
/// the items received.
template <class T>
struct page {
    std::vector<T> items;
    std::int64_t page = 1;           ///< 1-based number of this page
    std::int64_t page_count = 1;     ///< number of pages of the whole list (0 for an empty list)
    std::int64_t total_results = 0;  ///< records in the whole list

    /// True when no page follows this one.
    bool last() const noexcept { return page >= page_count || items.empty(); }
};

} // namespace daftra
