#pragma once
// Reading HTTP header values: the pieces the answer reader's helpers share.

#include <string_view>

namespace daftra::transport::detail {

/// s without the optional white space (spaces and tabs, RFC 9110 "OWS") around it.
inline std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

} // namespace daftra::transport::detail
