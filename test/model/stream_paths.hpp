#pragma once
// For the tests of the streaming decoder: runs an answer through list_answer/get_answer/create_answer,
// checks which path decoded it (streamed_answers()) and that the tree path gives the same result.

#include "daftra/detail/list_stream.hpp"
#include "daftra/resources/operations.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <type_traits>

namespace stream_paths {

using namespace daftra;

inline transport::response ok(std::string body) {
    transport::response r;
    r.status = 200;
    r.body = std::move(body);
    return r;
}

template <class M>
std::string json_of(const M& m) {
    return boost::json::serialize(model::to_json(m));
}

enum class path { stream, tree };

// An answer as a failed check shows it: long ones cut.
inline std::string shown(const std::string& body) {
    constexpr std::size_t most = 300;
    return body.size() <= most ? body : body.substr(0, most) + "… (" + std::to_string(body.size()) + " bytes)";
}

// Runs `call` and tells which path decoded the answer.
template <class F>
path taken(F&& call) {
    const auto before = resources::streamed_answers();
    call();
    return resources::streamed_answers() > before ? path::stream : path::tree;
}

template <class T>
void same_result(const result<T>& a, const result<T>& b) {
    BOOST_REQUIRE_EQUAL(a.has_value(), b.has_value());
    if (!a) {
        BOOST_TEST(a.error().message == b.error().message);
        BOOST_TEST(static_cast<int>(a.error().kind) == static_cast<int>(b.error().kind));
        BOOST_TEST(a.error().status == b.error().status);
        return;
    }
    if constexpr (std::is_same_v<T, created>) {
        BOOST_TEST(a->id == b->id);
        BOOST_TEST(a->number == b->number);
    } else if constexpr (requires { a->items; }) {
        BOOST_TEST(a->page == b->page);
        BOOST_TEST(a->page_count == b->page_count);
        BOOST_TEST(a->total_results == b->total_results);
        BOOST_REQUIRE_EQUAL(a->items.size(), b->items.size());
        for (std::size_t i = 0; i < a->items.size(); ++i) BOOST_TEST(json_of(a->items[i]) == json_of(b->items[i]));
    } else {
        BOOST_TEST(json_of(*a) == json_of(*b));
    }
}

// list_answer against list_answer_from_tree; returns the page and which path list_answer took.
template <class Model>
result<page<Model>> list(const resources::resource_spec<Model>& spec, const std::string& body, path expected,
                         std::int64_t requested = 1) {
    auto ops = resources::operations(spec);
    result<page<Model>> out = error{};
    BOOST_TEST((taken([&] { out = ops.list_answer(ok(body), requested); }) == expected), "path of " << shown(body));
    same_result(out, ops.list_answer_from_tree(ok(body), requested));
    return out;
}

template <class Model>
result<Model> get(const resources::resource_spec<Model>& spec, const std::string& body, path expected) {
    auto ops = resources::operations(spec);
    result<Model> out = error{};
    BOOST_TEST((taken([&] { out = ops.get_answer(ok(body)); }) == expected), "path of " << shown(body));
    same_result(out, ops.get_answer_from_tree(ok(body)));
    return out;
}

template <class Model>
result<created> create(const resources::resource_spec<Model>& spec, const std::string& body, path expected) {
    auto ops = resources::operations(spec);
    result<created> out = error{};
    BOOST_TEST((taken([&] { out = ops.create_answer(ok(body)); }) == expected), "path of " << shown(body));
    same_result(out, ops.create_answer_from_tree(ok(body)));
    return out;
}

} // namespace stream_paths
