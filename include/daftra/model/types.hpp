#pragma once
// Building blocks of the typed models: child-row arrays, single related records, the free-form
// record used for relations the API reference does not describe, and the member table
// (model::description) through which the converter sees a model's members.
// Kept free of Asio and Beast so that including a model stays cheap.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "daftra/model/unknown_members.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::model {

/// Whether a relation member is written into request bodies.
enum class access : unsigned char {
    read_write,  ///< decoded from answers and sent in requests (child rows such as InvoiceItem)
    read_only,   ///< decoded from answers only (e.g. the Client record nested in an invoice answer);
                 ///< sending it back could make the server save the related record too
};

/// Child rows of a record (`InvoiceItem`, `Payment`, …), named after their JSON key.
/// Requests carry them as a sibling array of the wrapper object:
/// `{"Invoice": {...}, "InvoiceItem": [...]}`. Answers may nest them inside the wrapper object or
/// put them beside it; both are read. An empty vector is not sent.
template <class Row, access Access = access::read_write>
struct rows : std::vector<Row> {
    using row_type = Row;
    static constexpr access mode = Access;
    using std::vector<Row>::vector;
};

/// One related record (`Client` inside an invoice answer), named after its JSON key.
/// Empty when the answer has none (PHP sends an empty related record as `[]`, which is read as empty).
template <class Record, access Access = access::read_only>
struct one : std::optional<Record> {
    using record_type = Record;
    static constexpr access mode = Access;
    using std::optional<Record>::optional;
    using std::optional<Record>::operator=;
};

/// What a model's member table says of one member (see description).
struct field {
    /// Bits of `flags`.
    enum : std::uint8_t {
        read_only = 1,  ///< answers only: documented read-only, or a relation with access::read_only
        relation = 2,   ///< a model::rows or model::one member
    };
    std::string_view key;    ///< the JSON key (a member named after a C++ keyword has a trailing '_', its key not)
    std::uint8_t flags = 0;  ///< read_only | relation
};

/// The members of a model as pointers to members, in declaration order.
template <auto... Members>
struct members {
    static constexpr std::size_t size = sizeof...(Members);
};

/// The member table of model T, through which the converter (codec_impl.hpp) reads and writes it:
///
///     template <> struct model::description<T> {
///         static constexpr std::array<model::field, N> fields{{{"key", flags}, …}};
///         using members = model::members<&T::member, …>;  // fields[i] describes the i-th
///     };
///
/// scripts/gen_models.py writes one after every generated model. The members it lists are
/// std::optional of int64_t, double, bool, std::string, boost::json::array or boost::json::value,
/// model::rows<…> or model::one<…>; a `model::unknown_members extra` member (unknown_members.hpp), not
/// listed, receives the keys nothing else takes. Being a separate table, it leaves the model a plain aggregate of any size.
template <class T>
struct description;

/// A record whose fields the reference does not document: every key is kept in `extra`.
struct raw_record {
    unknown_members extra{};  ///< all keys as received
};
template <>
struct description<raw_record> {
    static constexpr std::array<field, 0> fields{};
    using members = model::members<>;
};

} // namespace daftra::model
