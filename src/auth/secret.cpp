#include "daftra/auth/secret.hpp"
#include "daftra/auth/credentials.hpp"

#include <openssl/crypto.h>

namespace daftra::auth {

secret& secret::operator=(const secret& other) {
    if (this != &other) {
        wipe();
        value_ = other.value_;
    }
    return *this;
}

secret& secret::operator=(secret&& other) noexcept {
    if (this != &other) {
        wipe();
        value_ = std::move(other.value_);
        other.wipe();
    }
    return *this;
}

void secret::wipe() noexcept {
    // OPENSSL_cleanse, unlike memset, is not optimised away. Covers the whole capacity: a shorter
    // value assigned earlier may have left the tail of a longer one in the buffer.
    if (value_.capacity() != 0) OPENSSL_cleanse(value_.data(), value_.capacity());
    value_.clear();
}

std::vector<std::string_view> credentials::secrets() const {
    std::vector<std::string_view> out;
    auto add = [&](const secret& s) {
        if (!s.empty()) out.push_back(s.reveal());
    };
    std::visit([&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, password_grant>) {
            add(c.client_secret);
            add(c.password);
        } else if constexpr (std::is_same_v<T, refresh_grant>) {
            add(c.client_secret);
            add(c.refresh_token);
        } else if constexpr (std::is_same_v<T, bearer_token>) {
            add(c.token);
        } else {
            add(c.key);
        }
    }, value_);
    return out;
}

} // namespace daftra::auth
