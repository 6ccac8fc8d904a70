#pragma once
// The one lenient converter between Daftra JSON and the typed models (declarations).
//
// Decoding reads each key of the record into the member its member table (model::description,
// types.hpp) names for it:
//   - a missing key or JSON null leaves the member empty; "" also empties a non-string member;
//   - numbers may arrive as numbers or strings ("12.50", "7"); booleans as true/false, 0/1, "0"/"1";
//   - strings accept numbers too (ids documented as strings often arrive as numbers);
//   - relations (model::rows, model::one) are read from inside the record first, then from the
//     sibling keys of the wrapper object, so `{"Invoice":{…,"InvoiceItem":[…]}}` and
//     `{"Invoice":{…},"InvoiceItem":[…]}` decode alike;
//   - keys the table does not name are kept in the model's `extra` object (siblings too, except the
//     wrapper key itself);
//   - a value that cannot be taken without loss (text in a number, 1.5 in an integer, an object in a
//     string) fails with error_kind::decode and a message naming the path, e.g.
//     "Invoice.InvoiceItem[1].unit_price: expected a number, got \"abc\"".
// Encoding omits empty optionals and empty relations and merges `extra` (typed members win a clash).
//
// The built-in models are instantiated inside the library. For your own models (structs with a
// model::description) include "daftra/detail/codec_impl.hpp" as well.

#include "daftra/core/result.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace daftra::model {

/// How encode lays out relations and booleans.
enum class encoding : unsigned char {
    /// A request body: writable relations go into `siblings` (as Daftra wants child rows next to the
    /// wrapper object), read-only relations are left out, booleans are sent as 0/1.
    request,
    /// A complete JSON view (display, storage, round trips): every relation nested in the record,
    /// booleans as true/false.
    full,
};

/// Decodes a T from `fields` (the record's own object). `siblings` is the object that holds the
/// wrapper (relations may sit there); `wrapper` is the key of `fields` inside `siblings`, skipped
/// when collecting extra keys and used as the first element of error paths.
template <class T>
result<T> decode(const boost::json::object& fields, const boost::json::object* siblings = nullptr,
                 std::string_view wrapper = {});

/// The same as decode, into `out` (which should be freshly default-constructed): lets a page decode
/// its records straight into their vector instead of moving each one there.
template <class T>
result<void> decode_to(T& out, const boost::json::object& fields, const boost::json::object* siblings = nullptr,
                       std::string_view wrapper = {});

/// Writes `value` into `fields`; in encoding::request mode writable relations go into `*siblings`
/// when it is given (into `fields` otherwise).
template <class T>
void encode(const T& value, boost::json::object& fields, boost::json::object* siblings, encoding mode);

/// Everything in `value` as one JSON object, relations nested (encoding::full).
template <class T>
boost::json::object to_json(const T& value) {
    boost::json::object out;
    encode(value, out, nullptr, encoding::full);
    return out;
}

} // namespace daftra::model
