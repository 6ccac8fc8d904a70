#pragma once
// Helpers shared by the handler translation units: Daftra answer bodies, form and multipart
// decoding, the numbers-as-strings rewrite, timestamps. JSON and Boost.URL only.

#include "message.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daftra::sandbox::detail {

using param_list = std::vector<std::pair<std::string, std::string>>;

response json_response(unsigned status, const boost::json::value& body);
/// {"result":"failed","code":status,"message":message}
response error_response(unsigned status, std::string_view message);
response method_not_allowed(std::string_view allow);

/// Decodes "a=1&b=x+y" (percent escapes; '+' as space when plus_as_space). nullopt when malformed.
std::optional<param_list> parse_params(std::string_view query, bool plus_as_space);
/// Decodes the simple fields of a multipart/form-data body. nullopt when malformed.
std::optional<param_list> parse_multipart(std::string_view body, std::string_view content_type);

/// Rewrites every number inside v (recursively) as a string: 12 -> "12", 1.5 -> "1.5".
void stringify_numbers(boost::json::value& v);

/// "2026-11-29 04:41:20" (UTC), the Daftra date-time form.
std::string now_string();

bool iequals(std::string_view a, std::string_view b);

} // namespace daftra::sandbox::detail
