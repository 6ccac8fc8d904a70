#include "daftra/resources/created.hpp"

#include <ostream>

namespace daftra {

std::ostream& operator<<(std::ostream& os, const created& c) {
    os << c.id;
    if (!c.number.empty()) os << " (" << c.number << ')';
    return os;
}

} // namespace daftra
