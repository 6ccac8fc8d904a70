#pragma once
// result<T>: a value or a daftra::error. Test with `if (r)`, read r.error(); r.value() throws api_error.

#include "daftra/core/error.hpp"

#include <boost/system/result.hpp>

namespace daftra {

template <class T>
using result = boost::system::result<T, error>;

} // namespace daftra
