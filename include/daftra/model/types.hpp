#pragma once
// Building blocks of the typed models: child-row arrays, single related records and the
// free-form record used for relations the API reference does not describe.
// Kept free of Asio and Beast so that including a model stays cheap.

#include <boost/describe/class.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
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

/// A record whose fields the reference does not document: every key is kept in `extra`.
struct raw_record {
    boost::json::object extra;  ///< all keys as received
};
BOOST_DESCRIBE_STRUCT(raw_record, (), ())

} // namespace daftra::model
