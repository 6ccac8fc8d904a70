#include "cli/verbose.hpp"

#include "auth/redact.hpp"

#include <boost/beast/http/verb.hpp>

#include <array>
#include <cstdio>

namespace daftra::cli {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
}

// Names of query parameters that carry credentials by convention; "keywords" or "author_id" do not.
bool secret_name(std::string_view name) {
    constexpr std::array<std::string_view, 7> exact{"key", "auth", "authorization", "pass", "passwd", "sig",
                                                    "signature"};
    constexpr std::array<std::string_view, 5> endings{"token", "secret", "password", "apikey", "api_key"};
    const std::string n = lower(name);
    for (std::string_view e : exact)
        if (n == e) return true;
    for (std::string_view e : endings)
        if (n.ends_with(e)) return true;
    return false;
}

} // namespace

std::string origin_of(std::string_view base_url) {
    const auto scheme_end = base_url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(base_url);
    const auto authority_end = base_url.find_first_of("/?#", scheme_end + 3);
    return std::string(base_url.substr(0, authority_end));
}

std::string redact_query(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, question + 1));
    std::string_view query = target.substr(question + 1);
    bool first = true;
    while (true) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (!first) out += '&';
        first = false;
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && secret_name(pair.substr(0, eq))) {
            out += pair.substr(0, eq + 1);
            out += "***";
        } else {
            out += pair;
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::string trace_line(const transport::request_info& info, std::string_view origin,
                       const std::vector<std::string>& secrets) {
    std::string line(boost::beast::http::to_string(info.method));
    line += ' ';
    line += origin;
    line += redact_query(info.target);
    line += " -> ";
    line += info.status != 0 ? std::to_string(info.status) : std::string("no answer");
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, " (%.1f ms)", static_cast<double>(info.total.count()) / 1000.0);
    line += elapsed;
    if (info.replayed) line += " [replayed on a new connection]";
    // A second line of defence: the credentials the tool holds never appear, wherever they might hide.
    return auth::detail::redact(std::move(line), std::vector<std::string_view>(secrets.begin(), secrets.end()));
}

} // namespace daftra::cli
