#include "daftra/client/fleet.hpp"

#include <boost/url/parse.hpp>

namespace daftra::auth {

std::string fleet_account(std::string_view base_url, const credentials& creds) {
    std::string tenant;
    if (auto u = boost::urls::parse_uri(base_url)) {
        tenant = u->host();
        if (u->has_port()) tenant.append("_").append(u->port());  // two sandboxes on one host are two accounts
    }
    std::string client_id, username;
    if (const auto* p = std::get_if<password_grant>(&creds.value())) {
        client_id = p->client_id;
        username = p->username;
    } else if (const auto* r = std::get_if<refresh_grant>(&creds.value())) {
        client_id = r->client_id;
    }
    std::string account = std::move(tenant);
    account.append(":").append(client_id).append(":").append(username);
    return account;
}

} // namespace daftra::auth
