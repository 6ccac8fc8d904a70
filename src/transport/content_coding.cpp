#include "content_coding.hpp"

#include "gzip_decoder.hpp"
#include "header_value.hpp"

#include <boost/beast/core/string.hpp>

#include <string>
#include <string_view>

namespace daftra::transport::detail {

namespace {

using boost::beast::iequals;

// Removes every "name: value\r\n" line whose name is one of the two the decoding made untrue.
void drop_encoding_lines(std::string& headers) {
    std::string kept;
    kept.reserve(headers.size());
    std::string_view rest = headers;
    while (!rest.empty()) {
        const auto end = rest.find("\r\n");
        const std::string_view line = rest.substr(0, end == std::string_view::npos ? rest.size() : end + 2);
        rest.remove_prefix(line.size());
        const std::string_view name = line.substr(0, line.find(':'));
        if (iequals(name, "content-encoding") || iequals(name, "content-length")) continue;
        kept.append(line);
    }
    headers = std::move(kept);
}

} // namespace

std::optional<error> decode_content(response& answer, std::size_t max_body) {
    const auto header = answer.header("content-encoding");
    if (!header) return std::nullopt;
    const std::string_view coding = trim_ows(*header);
    if (coding.empty() || iequals(coding, "identity")) return std::nullopt;

    result<std::string> decoded = error{};
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) decoded = gunzip(answer.body, max_body);
    else if (iequals(coding, "deflate")) decoded = inflate_zlib(answer.body, max_body);
    else
        // Several codings ("gzip, br") or one we never offered: we cannot give the caller the body.
        return make_error(error_kind::protocol, {},
                          "the server answered with Content-Encoding '" + std::string(coding.substr(0, 64)) +
                              "', which was not asked for (Accept-Encoding: " + accepted_encodings + ")");
    if (!decoded) {
        error e = std::move(decoded).error();
        e.message = "cannot decode the " + std::string(coding) + " answer body: " + e.message;
        return e;
    }
    answer.body = std::move(*decoded);
    drop_encoding_lines(answer.headers);
    return std::nullopt;
}

} // namespace daftra::transport::detail
