#pragma once
// --verbose: one stderr line per HTTP attempt, from the SDK's per-exchange hook
// (transport::pool_options::on_request), with nothing secret in it.

#include "daftra/transport/options.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace daftra::cli {

/// The origin part of a base URL, "https://host[:port]" (the SDK ignores a path).
std::string origin_of(std::string_view base_url);

/// `target` with the value of every query parameter named as credentials are (apikey, access_token,
/// client_secret, password, signature, …) replaced by "***".
std::string redact_query(std::string_view target);

/// "GET https://acme.daftra.com/api2/invoices/7.json -> 404 (12 ms)", or "-> no answer (…)" when the
/// attempt failed before a status line. Any of `secrets` found in the line is replaced by "***".
std::string trace_line(const transport::request_info& info, std::string_view origin,
                       const std::vector<std::string>& secrets);

} // namespace daftra::cli
