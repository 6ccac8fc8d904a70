#include "daftra/auth/errors.hpp"

#include <string>

namespace daftra::auth {

namespace {

class category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "daftra.auth"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::invalid_client: return "the token endpoint rejected the client id or secret";
        case errc::invalid_grant: return "the token endpoint rejected the username/password or refresh token";
        case errc::rejected: return "the token endpoint rejected the request";
        case errc::unavailable: return "the token endpoint is unavailable";
        case errc::bad_response: return "the token endpoint answered without a usable token";
        case errc::no_credentials: return "no credentials left to obtain a token with";
        }
        return "unknown auth error";
    }
};

} // namespace

const boost::system::error_category& auth_category() noexcept {
    // A stateless constant, like the standard categories: not process-wide state in any sense that matters.
    static const category instance;
    return instance;
}

bool is_credentials_error(const boost::system::error_code& ec) noexcept {
    return ec == errc::invalid_client || ec == errc::invalid_grant || ec == errc::rejected ||
           ec == errc::no_credentials;
}

} // namespace daftra::auth
