// Differential libFuzzer target: the streaming decoder of list answers (resources/list_stream.hpp,
// model/record_builder_impl.hpp) against the tree decoder it stands in for. Coroutine-free, so clang 14
// builds it (test/fuzz/CMakeLists.txt, DAFTRA_FUZZ=ON); replay_main.cpp replays stream_corpus/ under
// g++ in ctest.
//
// Input: byte 0 picks the resource (modulo the table size), byte 1 the requested page, the rest is a
// 200 answer body. Invariants, aborting on a breach:
//   - when the stream accepts the answer, the tree decodes it too, to the same page (positions and
//     every record's full JSON, `extra` included);
//   - list_answer (stream first, tree as fallback) fails exactly when the tree fails, with the same
//     error, and otherwise returns the tree's page.

#include "daftra/model/codec.hpp"
#include "daftra/resources/list_stream.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/table.hpp"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void breach(const char* what, const std::string& body) {
    std::fprintf(stderr, "stream_fuzz: %s\nbody: %s\n", what, body.c_str());
    std::abort();
}

template <class Model>
bool same_page(const daftra::page<Model>& a, const daftra::page<Model>& b) {
    if (a.page != b.page || a.page_count != b.page_count || a.total_results != b.total_results) return false;
    if (a.items.size() != b.items.size()) return false;
    for (std::size_t i = 0; i < a.items.size(); ++i)
        if (daftra::model::to_json(a.items[i]) != daftra::model::to_json(b.items[i])) return false;
    return true;
}

template <class Model>
void compare(const daftra::resources::resource_spec<Model>& spec, std::int64_t requested,
             const daftra::transport::response& response) {
    auto ops = daftra::resources::operations(spec);
    const auto tree = ops.list_answer_from_tree(response, requested);

    daftra::page<Model> streamed;
    daftra::model::record_builder<Model> sink(streamed.items);
    daftra::resources::list_position position;
    if (daftra::resources::stream_list(response.body, spec, requested, sink, position)) {
        streamed.page = position.page;
        streamed.page_count = position.page_count;
        streamed.total_results = position.total_results;
        if (!tree) breach(("the stream accepted what the tree rejects: " + tree.error().message).c_str(), response.body);
        if (!same_page(streamed, *tree)) breach("the stream and the tree decoded different pages", response.body);
    }

    const auto combined = ops.list_answer(response, requested);
    if (combined.has_value() != tree.has_value()) breach("list_answer and the tree disagree on success", response.body);
    if (!tree) {
        if (combined.error().kind != tree.error().kind || combined.error().message != tree.error().message)
            breach("list_answer and the tree fail differently", response.body);
    } else if (!same_page(*combined, *tree)) {
        breach("list_answer and the tree decoded different pages", response.body);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const unsigned which = data[0];
    const std::int64_t requested = 1 + data[1] % 4;
    daftra::transport::response response;
    response.status = 200;
    response.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);

    unsigned index = 0, count = 0;
    daftra::resources::for_each_resource([&](const auto&) { ++count; });
    daftra::resources::for_each_resource([&](const auto& spec) {
        if (index++ != which % count || !spec.supports(daftra::resources::op_list)) return;
        compare(spec, requested, response);
    });
    return 0;
}
