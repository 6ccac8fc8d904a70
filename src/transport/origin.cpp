#include "origin.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <stdexcept>

namespace daftra::transport::detail {

origin origin::parse(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) throw std::invalid_argument("daftra: not an absolute URL: '" + std::string(url) + "'");
    const boost::urls::url_view& u = *parsed;

    origin o;
    if (u.scheme_id() == boost::urls::scheme::https) o.tls = true;
    else if (u.scheme_id() == boost::urls::scheme::http) o.tls = false;
    else throw std::invalid_argument("daftra: URL scheme must be http or https: '" + std::string(url) + "'");

    if (!u.has_authority() || u.host().empty())
        throw std::invalid_argument("daftra: URL has no host: '" + std::string(url) + "'");
    if (u.has_userinfo()) throw std::invalid_argument("daftra: credentials in the URL are not supported");

    using boost::urls::host_type;
    o.host_is_ip = u.host_type() == host_type::ipv4 || u.host_type() == host_type::ipv6;
    o.host = u.host_type() == host_type::ipv6 ? std::string(u.host_address()) : std::string(u.host());
    o.port = o.tls ? 443 : 80;
    if (u.has_port()) {
        if (u.port_number() == 0) throw std::invalid_argument("daftra: bad port in URL: '" + std::string(url) + "'");
        o.port = u.port_number();
    }
    o.host_header = std::string(u.encoded_host_and_port());
    if (u.has_port() && o.port == (o.tls ? 443 : 80)) o.host_header = std::string(u.encoded_host());
    return o;
}

} // namespace daftra::transport::detail
