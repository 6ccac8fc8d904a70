#pragma once
// JSON text as the tool prints it, compact or indented: like boost::json::serialize, except that
// numbers held as doubles are written in their shortest round-trip form ("20", "12.5") instead of
// Boost.JSON 1.81's scientific notation ("2E1"), which is valid JSON but hard to read.

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>

namespace daftra::cli {

/// Appends `v` to `out` as compact JSON text.
void append_json(std::string& out, const boost::json::value& v);

/// Appends `v` to `out` as indented JSON text: two spaces a level, one member or element a line,
/// `{}` and `[]` for empty ones; numbers and strings as append_json writes them.
void append_json_pretty(std::string& out, const boost::json::value& v, std::size_t indent = 0);

} // namespace daftra::cli
