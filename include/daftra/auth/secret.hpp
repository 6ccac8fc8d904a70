#pragma once
// A string that must never be printed: passwords, client secrets, tokens. It has no stream operator
// and no implicit conversion, so it cannot end up in a log line or an error message by accident;
// code that really needs the value (building a request) calls reveal(). The memory is wiped on
// destruction and reassignment.

#include <string>
#include <string_view>

namespace daftra::auth {

class secret {
public:
    secret() = default;
    explicit secret(std::string value) : value_(std::move(value)) {}
    secret(const secret&) = default;
    secret(secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    secret& operator=(const secret& other);
    secret& operator=(secret&& other) noexcept;
    ~secret() { wipe(); }

    /// The value itself. Only for putting it on the wire.
    const std::string& reveal() const noexcept { return value_; }
    bool empty() const noexcept { return value_.empty(); }
    friend bool operator==(const secret& a, const secret& b) noexcept { return a.value_ == b.value_; }

private:
    void wipe() noexcept;
    std::string value_;
};

} // namespace daftra::auth
