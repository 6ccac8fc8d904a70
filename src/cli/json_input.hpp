#pragma once
// JSON given on the command line: JSON text, or @FILE (@- for standard input), and the records of
// create/update in either of the forms Daftra uses. Every failure is a usage_error.

#include "cli/usage_error.hpp"

#include "daftra/model/codec.hpp"
#include "daftra/resources/spec.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace daftra::cli {

/// The JSON value of a JSON|@FILE operand. `help_command` goes into the usage error.
boost::json::value read_json_operand(std::string_view operand, const std::string& help_command);

/// Where a record's own fields are in a create/update body.
struct record_location {
    const boost::json::object* fields;    ///< the record's own object
    const boost::json::object* siblings;  ///< the wrapper's object in the wrapper form, else nullptr
    std::string_view wrapper;             ///< the wrapper key in the wrapper form, else empty
};

/// The wrapper form `{"<Wrapper>":{…},"ChildRows":[…]}` when `body` has the resource's write or read
/// key holding an object; otherwise `body` is the bare record.
record_location locate_record(const boost::json::object& body, const resources::resource_info& info);

/// The record of a create/update operand, decoded by the SDK's lenient converter.
template <class Model>
Model record_from_operand(std::string_view operand, const resources::resource_spec<Model>& spec,
                          const std::string& help_command) {
    const boost::json::value body = read_json_operand(operand, help_command);
    if (!body.is_object())
        throw usage_error("a " + std::string(spec.id) + " record must be a JSON object", help_command);
    const record_location at = locate_record(body.get_object(), spec);
    auto decoded = model::decode<Model>(*at.fields, at.siblings, at.wrapper);
    if (!decoded)
        throw usage_error("not a valid " + std::string(spec.id) + " record: " + decoded.error().message, help_command);
    return std::move(*decoded);
}

} // namespace daftra::cli
