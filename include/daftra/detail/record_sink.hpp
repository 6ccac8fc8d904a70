#pragma once
// The model side of the streaming decoder (detail/list_stream.hpp): answers are read event by
// event (no JSON tree) and every value is written straight into the models through record_ops, a
// table of functions per model type generated from its member table (model/member_table.hpp). The
// reader keeps a stack of (record, ops) frames, so nested relations (model::one) and child rows
// (model::rows) are decoded at any depth by the same few lines, with nothing written per model.
// Whatever the stream cannot decide exactly as the tree-based converter (codec.hpp) would, it
// declines, and the caller decodes the answer through the tree, which stays the reference and
// produces every error message.

#include "daftra/model/codec.hpp"
#include "daftra/model/unknown_members.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::model {

/// One scalar of an answer: a string (`text`), or a number, boolean or null (`value`).
struct scalar {
    std::string_view text;
    const boost::json::value* value = nullptr;  ///< null when the scalar is the string `text`
    /// When not null, holds `text` and may be moved from (a string the reader had to assemble).
    std::string* owned = nullptr;

    bool is_string() const noexcept { return value == nullptr; }
};

/// What a member of a record is, for the streaming decoder.
enum class member_kind : std::uint8_t { value, rows, one };

/// The operations the streaming decoder needs on records of one model type T, as plain functions
/// over type-erased pointers (`record` is a T*). Generated from T's member table by record_ops_of<T>
/// (record_builder_impl.hpp) and instantiated with the converter (DAFTRA_MODEL_INSTANTIATE).
struct record_ops {
    /// Index of the member with this JSON key, or static_cast<std::size_t>(-1).
    std::size_t (*find)(std::string_view key) noexcept;
    /// Members in the table, and their JSON keys (answers tend to list the keys in table order, so the
    /// reader tries the member after the previous one before hashing the key).
    std::size_t members;
    const std::string_view* keys;
    /// Per member: what it is.
    const member_kind* kinds;
    /// Reads a scalar into the non-relation member `index` with the lenient rules; false when the
    /// converter would reject it.
    bool (*set_scalar)(void* record, std::size_t index, const scalar& value);
    /// The same for an object or array value (built with a value_stack).
    bool (*set_value)(void* record, std::size_t index, const boost::json::value& value);
    /// The relation member `index`: its std::vector<R> (rows) or std::optional<R> (one), and R's ops.
    void* (*relation)(void* record, std::size_t index);
    const record_ops& (*relation_ops)(std::size_t index);
    /// The record's `extra`, or null when T has none (unknown keys are then dropped).
    unknown_members* (*extra)(void* record);

    // T as an element: `list` is a std::vector<T>*, `optional` a std::optional<T>*.
    void* (*push)(void* list);
    void (*pop)(void* list);
    void (*reserve)(void* list, std::size_t n);
    void* (*emplace)(void* optional);
};

/// T's table (instantiated with the converter; include "daftra/detail/codec_impl.hpp" for your own models).
template <class T>
const record_ops& record_ops_of() noexcept;

/// Where a streamed answer's records go, with their ops: a std::vector<T> (lists) or one T (gets).
struct record_target {
    const record_ops* ops = nullptr;
    void* object = nullptr;
};

template <class T>
record_target list_target(std::vector<T>& records) noexcept {
    return {&record_ops_of<T>(), &records};
}

template <class T>
record_target single_target(T& record) noexcept {
    return {&record_ops_of<T>(), &record};
}

} // namespace daftra::model
