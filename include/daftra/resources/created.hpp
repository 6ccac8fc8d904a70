#pragma once
// The value of a successful create (resource::create).

#include <cstdint>
#include <iosfwd>
#include <string>

namespace daftra {

/// A record the server created.
struct created {
    /// The new record's id.
    std::int64_t id = 0;
    /// The new document's number as the server sent it, when its answer carries one: Daftra documents
    /// that an invoice's create "returns the new id and number" (read from `number` beside `id`; a
    /// number sent as a JSON integer is given in decimal). Empty when the answer has none.
    std::string number;

    /// The id: a `created` stands where an id is expected (`api.invoices().get(*made)`), as create()
    /// returned the id alone before.
    operator std::int64_t() const noexcept { return id; }
};

/// "42" or "42 (INV-0042)": for logs and test messages.
std::ostream& operator<<(std::ostream& os, const created& c);

} // namespace daftra
