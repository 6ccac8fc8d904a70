#pragma once
// Lenient readers of single JSON values into the member types of the models. Used by the converter
// (codec_impl.hpp) and by the envelope decoder. Each read returns false and sets `why` to
// ": expected …, got …" when the value cannot be taken without loss; null always empties the member.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daftra::model::lenient {

/// Integers: JSON integers, doubles with no fraction, booleans (0/1), and strings holding any of
/// these ("7", " 7 ", "7.0"); "" empties the member.
bool read(const boost::json::value& v, std::optional<std::int64_t>& out, std::string& why);
/// Numbers: any JSON number or a string holding a finite decimal number ("12.50", "1e3"); "" empties.
bool read(const boost::json::value& v, std::optional<double>& out, std::string& why);
/// Booleans: true/false, 0/1, "0"/"1", "true"/"false"; "" empties.
bool read(const boost::json::value& v, std::optional<bool>& out, std::string& why);
/// Strings: strings as they are; numbers and booleans in their shortest text form (booleans as 1/0).
bool read(const boost::json::value& v, std::optional<std::string>& out, std::string& why);
/// Arrays: JSON arrays; "" and {} (PHP's empty array) empty the member.
bool read(const boost::json::value& v, std::optional<boost::json::array>& out, std::string& why);
/// Any JSON value but null.
bool read(const boost::json::value& v, std::optional<boost::json::value>& out, std::string& why);

/// The string case of the readers above, for text that is not in a json::value (the streaming
/// decoder, detail/record_builder_impl.hpp): the same rules, so that both decoders agree; false
/// where those fail (the tree decoder then writes the message).
bool read_text(std::string_view text, std::optional<std::int64_t>& out) noexcept;
bool read_text(std::string_view text, std::optional<double>& out) noexcept;
bool read_text(std::string_view text, std::optional<bool>& out) noexcept;

/// Parses a whole string (surrounding spaces allowed) as an integer; false if it is not one.
bool parse_int(std::string_view text, std::int64_t& out) noexcept;
/// Parses a whole string (surrounding spaces allowed) as a finite number; false if it is not one.
bool parse_double(std::string_view text, double& out) noexcept;

/// A short description of a value for error messages: its JSON text cut at 40 characters.
std::string excerpt(const boost::json::value& v);

} // namespace daftra::model::lenient
