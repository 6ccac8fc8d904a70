// Differential libFuzzer target: the streaming decoder of answers (detail/list_stream.hpp,
// detail/record_builder_impl.hpp) against the tree decoder it stands in for. Coroutine-free, so any clang
// builds it (test/fuzz/CMakeLists.txt, DAFTRA_FUZZ=ON); replay_main.cpp replays stream_corpus/ under
// g++ in ctest.
//
// Input: byte 0 picks the resource (modulo the table size); byte 1 the requested page (1 + byte % 4)
// and the operation ((byte / 4) % 3: 0 list, 1 get, 2 create; so the older corpus files, all with
// byte 1 below 4, stay lists); the rest is a 200 answer body. Invariants, aborting on a breach:
//   - when the stream decodes the answer, the tree decodes it too, to the same result (page positions
//     and every record's full JSON, `extra` included; the record of a get; the id and number of a create);
//   - when the stream reports a failed envelope, the tree fails with the same error;
//   - the operation (stream first, tree as fallback) fails exactly when the tree fails, with the same
//     error, and otherwise returns the tree's result.

#include "daftra/model/codec.hpp"
#include "daftra/detail/list_stream.hpp"
#include "daftra/resources/operations.hpp"  // the steps: src/resources/steps_*.cpp
#include "daftra/resources/table.hpp"

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>

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

bool same_error(const daftra::error& a, const daftra::error& b) {
    return a.kind == b.kind && a.message == b.message && a.status == b.status && a.body == b.body;
}

template <class T>
bool same_value(const T& a, const T& b) {
    if constexpr (std::is_same_v<T, daftra::created>) return a.id == b.id && a.number == b.number;
    else if constexpr (requires { a.items; }) return same_page(a, b);
    else return daftra::model::to_json(a) == daftra::model::to_json(b);
}

// The operation's answer (`combined`) against the tree's.
template <class T>
void check_same(const daftra::result<T>& combined, const daftra::result<T>& tree, const std::string& body) {
    if (combined.has_value() != tree.has_value()) breach("the operation and the tree disagree on success", body);
    if (!tree) {
        if (!same_error(combined.error(), tree.error())) breach("the operation and the tree fail differently", body);
    } else if (!same_value(*combined, *tree)) {
        breach("the operation and the tree decoded different results", body);
    }
}

// What the stream alone made of the answer, against the tree.
template <class T>
void check_stream(const daftra::resources::stream_outcome& s, const T* streamed, const daftra::result<T>& tree,
                  const daftra::transport::response& response) {
    using daftra::resources::stream_outcome;
    if (s.status == stream_outcome::decoded) {
        if (!tree) breach(("the stream accepted what the tree rejects: " + tree.error().message).c_str(), response.body);
        if (!same_value(*streamed, *tree)) breach("the stream and the tree decoded different results", response.body);
    } else if (s.status == stream_outcome::failed) {
        if (tree) breach("the stream reported a failed envelope the tree decodes", response.body);
        if (!same_error(daftra::resources::failed_answer(response, s.code), tree.error()))
            breach("the stream's failed envelope differs from the tree's error", response.body);
    }
}

template <class Model>
void compare(const daftra::resources::resource_spec<Model>& spec, unsigned operation, std::int64_t requested,
             const daftra::transport::response& response) {
    namespace res = daftra::resources;
    auto ops = res::operations(spec);
    switch (operation) {
    case 0: {
        const auto tree = ops.list_answer_from_tree(response, requested);
        daftra::page<Model> streamed;
        const auto s = res::stream_list(response.body, spec, requested, daftra::model::list_target(streamed.items));
        streamed.page = s.page;
        streamed.page_count = s.page_count;
        streamed.total_results = s.total_results;
        check_stream(s, &streamed, tree, response);
        check_same(ops.list_answer(response, requested), tree, response.body);
        break;
    }
    case 1: {
        const auto tree = ops.get_answer_from_tree(response);
        Model streamed{};
        const auto s = res::stream_get(response.body, spec, daftra::model::single_target(streamed));
        check_stream(s, &streamed, tree, response);
        check_same(ops.get_answer(response), tree, response.body);
        break;
    }
    default: {
        const auto tree = ops.create_answer_from_tree(response);
        const auto s = res::stream_create(response.body, spec);
        const daftra::created streamed{s.id, s.number};
        check_stream(s, &streamed, tree, response);
        check_same(ops.create_answer(response), tree, response.body);
        break;
    }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const unsigned which = data[0];
    const std::int64_t requested = 1 + data[1] % 4;
    const unsigned operation = (data[1] / 4) % 3;
    daftra::transport::response response;
    response.status = 200;
    response.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);

    unsigned index = 0, count = 0;
    daftra::resources::for_each_resource([&](const auto&) { ++count; });
    daftra::resources::for_each_resource([&](const auto& spec) {
        if (index++ == which % count) compare(spec, operation, requested, response);
    });
    return 0;
}
