#include "daftra/auth/token_store.hpp"

namespace daftra::auth {

std::optional<stored_token> memory_token_store::load() {
    std::lock_guard lock(mutex_);
    return token_;
}

boost::system::error_code memory_token_store::save(const stored_token& token) {
    std::lock_guard lock(mutex_);
    token_ = token;
    return {};
}

} // namespace daftra::auth
