// libFuzzer target for response decoding: envelopes, the lenient converter for every model of the
// resource table, create ids and error bodies. Coroutine-free, so any clang builds it
// (test/fuzz/CMakeLists.txt, DAFTRA_FUZZ=ON); replay_main.cpp replays the corpus under g++ in ctest.
//
// Input: byte 0 picks the resource (modulo the table size), byte 1 the operation and status, the rest
// is the answer body. Besides "no crash, no sanitizer report", it checks one invariant: whatever
// decodes, re-encodes to JSON that decodes again to the same JSON.

#include "daftra/model/codec.hpp"
#include "daftra/detail/error_decoding.hpp"
#include "daftra/resources/operations.hpp"  // the steps: src/resources/steps_*.cpp
#include "daftra/resources/table.hpp"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

template <class Model>
void check_round_trip(const Model& m) {
    boost::json::object full = daftra::model::to_json(m);
    auto again = daftra::model::decode<Model>(full);
    if (!again) {
        std::fprintf(stderr, "re-decoding failed: %s\n", again.error().message.c_str());
        std::abort();
    }
    if (daftra::model::to_json(*again) != full) {
        std::fprintf(stderr, "round trip changed %s\n", boost::json::serialize(full).c_str());
        std::abort();
    }
}

template <class Spec>
void exercise(const Spec& spec, unsigned selector, const daftra::transport::response& response) {
    auto ops = daftra::resources::operations(spec);
    switch (selector % 4) {
    case 0:
        if (auto p = ops.list_answer(response, 1))
            for (const auto& item : p->items) check_round_trip(item);
        break;
    case 1:
        if (auto m = ops.get_answer(response)) check_round_trip(*m);
        break;
    case 2: (void)ops.create_answer(response); break;
    default: (void)ops.remove_answer(response); break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const unsigned which = data[0];
    const unsigned selector = data[1];
    daftra::transport::response response;
    // Mostly success answers; every 8th selector an error status, to reach decode_error too.
    static constexpr unsigned statuses[] = {200, 200, 202, 200, 200, 201, 200, 400, 401, 403, 404, 422, 429, 500, 502, 200};
    response.status = statuses[(selector / 4) % (sizeof statuses / sizeof statuses[0])];
    response.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);

    unsigned index = 0, count = 0;
    daftra::resources::for_each_resource([&](const auto&) { ++count; });
    daftra::resources::for_each_resource([&](const auto& spec) {
        if (index++ == which % count) exercise(spec, selector, response);
    });
    (void)daftra::resources::decode_error(response.status, response.body);
    return 0;
}
