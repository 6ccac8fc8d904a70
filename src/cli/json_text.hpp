#pragma once
// JSON text as the tool prints it: compact, like boost::json::serialize, except that numbers held
// as doubles are written in their shortest round-trip form ("20", "12.5") instead of Boost.JSON
// 1.81's scientific notation ("2E1"), which is valid JSON but hard to read.

#include <boost/json/value.hpp>

#include <string>

namespace daftra::cli {

/// Appends `v` to `out` as compact JSON text.
void append_json(std::string& out, const boost::json::value& v);

} // namespace daftra::cli
