#pragma once
// The memory of answers' bodies, kept per thread between answers (transport::recycle gives it back,
// the connection reads the next answer into it). See recycle() in daftra/transport/http.hpp for why.

#include <string>

namespace daftra::transport::detail {

/// An empty string with the capacity of a body given back on this thread, the largest one kept; an
/// empty string without capacity when none is kept.
std::string reusable_body() noexcept;

} // namespace daftra::transport::detail
