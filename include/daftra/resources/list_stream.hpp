#pragma once
// The fast path of list answers: reads the v1 envelope `{"data":[{"<Wrapper>":{…}, …}, …],
// "pagination":{…}}` with Boost.JSON's event parser and hands each record's scalars to a
// model::record_sink, without building a JSON tree first. It covers the common shape only and
// declines everything else (see stream_list), leaving it to the tree path of operations::list_answer,
// which stays the reference: test/fuzz/stream_fuzz.cpp checks that both paths agree.

#include "daftra/model/record_sink.hpp"

#include <cstdint>
#include <string_view>

namespace daftra::resources {

struct resource_info;

/// The pagination of a streamed list answer, with list_items' defaults already applied.
struct list_position {
    std::int64_t page = 1;
    std::int64_t page_count = 1;
    std::int64_t total_results = 0;
};

/// Streams the records of a 2xx list answer `body` into `sink`. Returns false (and the caller must use
/// the tree path, discarding what the sink received) unless the answer is a JSON object with a `data`
/// array of items whose first key is info.read_key (or read_key_alt) holding a record of scalars,
/// scalar siblings after it, a `pagination` object, no `"result":"failed"`, no repeated key where it
/// matters, and nothing the sink declines. Malformed JSON also declines: the tree path reports it.
bool stream_list(std::string_view body, const resource_info& info, std::int64_t requested_page,
                 model::record_sink& sink, list_position& position);

} // namespace daftra::resources
