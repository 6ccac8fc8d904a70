#pragma once
// The fast path of every answer: reads a 2xx body with Boost.JSON's event parser and writes the
// records straight into the models (detail/record_sink.hpp), without building a JSON tree first.
// It follows the tree path's envelope rules (envelope.cpp: parse_answer, list_items, single_item,
// unwrap, created_answer) and the converter's rules (codec_impl.hpp: decode_into, read_member):
//   - lists: v1 `{"data":[{"<Wrapper>":{…}, <siblings>}, …], "pagination":{…}}`, flat (v2) items,
//     Laravel's paginator fields at the root or in `meta`, `"data": null`;
//   - gets: `{"data":{…}}`, `{"data":[{…}, …]}` (the first), the bare record (v2), wrapped or flat;
//   - creates: `id` at the root, in `data` or in `data.<Wrapper>`;
//   - `"result":"failed"` envelopes (reported as failed, with the envelope's `code`);
//   - records with nested relations (model::one) and child rows (model::rows) at any depth, inside
//     the record or beside its wrapper, PHP's "nothing" spellings, unknown keys (nested values too)
//     into `extra`.
// It declines (and the caller must take the tree path, discarding what the target received) what it
// cannot decide exactly as the tree would: malformed JSON, repeated keys where they matter (the tree
// keeps the last), values the lenient readers reject (the tree writes the message), a record where no
// object is, PHP's maps of rows or items (`{"0":{…}}`), a wrapper that is not its item's first key,
// and any answer the tree would reject. test/fuzz/stream_fuzz.cpp checks both paths agree.

#include "daftra/detail/record_sink.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace daftra::resources {

struct resource_info;

/// What the stream made of an answer.
struct stream_outcome {
    enum status_t : unsigned char {
        declined,  ///< take the tree path (the target may hold partial records: discard them)
        decoded,   ///< the target holds the answer's records
        failed,    ///< a `"result":"failed"` envelope: see failed_answer (envelope.hpp)
    };
    status_t status = declined;
    /// Lists: the pagination, with list_items' defaults applied.
    std::int64_t page = 1;
    std::int64_t page_count = 1;
    std::int64_t total_results = 0;
    /// Creates: the new id, and the number beside it (created::number; empty when none).
    std::int64_t id = 0;
    std::string number;
    /// Failed envelopes: the lenient `code`, 0 when absent or unreadable.
    std::int64_t code = 0;
};

/// A list answer into `target` (a std::vector<Model>, model::list_target).
stream_outcome stream_list(std::string_view body, const resource_info& info, std::int64_t requested_page,
                           model::record_target target);

/// A get answer into `target` (a freshly default-constructed Model, model::single_target).
stream_outcome stream_get(std::string_view body, const resource_info& info, model::record_target target);

/// A create answer: the new id.
stream_outcome stream_create(std::string_view body, const resource_info& info);

/// Answers the stream has decoded or reported failed in this process (any thread). Tests read it
/// around a call to tell which path the call took.
std::uint64_t streamed_answers() noexcept;

} // namespace daftra::resources
