// Accept-Encoding negotiation and one-shot gzip compression with zlib.
#include "gzip.hpp"

#include "util.hpp"

#include <zlib.h>

#include <climits>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

namespace daftra::sandbox::detail {

namespace {

// Level 1: on a 1000-row invoice page (785 KB) it took 7.3 ms against 18-21 ms for level 6, for
// 99.7 KB against 78.4 KB. The sandbox is a benchmark target, so its own CPU time matters more.
constexpr int gzip_level = 1;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); nullopt when it is not one.
std::optional<bool> qvalue_positive(std::string_view v) {
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return std::nullopt;
    const bool one = v[0] == '1';
    bool nonzero_fraction = false;
    if (v.size() > 1) {
        if (v[1] != '.' || v.size() > 5) return std::nullopt;
        for (char c : v.substr(2)) {
            if (c < '0' || c > '9' || (one && c != '0')) return std::nullopt;
            nonzero_fraction |= c != '0';
        }
    }
    return one || nonzero_fraction;
}

// One list element "coding;q=0.5;other=x" -> the coding and whether its weight is above zero.
std::pair<std::string_view, bool> coding_and_weight(std::string_view element) {
    auto semi = element.find(';');
    const auto coding = trim(element.substr(0, semi));
    bool positive = true;
    while (semi != std::string_view::npos) {
        element.remove_prefix(semi + 1);
        semi = element.find(';');
        const auto param = trim(element.substr(0, semi));
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
            positive = qvalue_positive(param.substr(2)).value_or(false);
    }
    return {coding, positive};
}

} // namespace

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<bool> gzip, any;
    while (!accept_encoding.empty()) {
        const auto comma = accept_encoding.find(',');
        const auto [coding, positive] = coding_and_weight(accept_encoding.substr(0, comma));
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip = gzip.value_or(false) || positive;
        else if (coding == "*") any = positive;
        if (comma == std::string_view::npos) break;
        accept_encoding.remove_prefix(comma + 1);
    }
    return gzip ? *gzip : any.value_or(false);
}

std::string gzip_compress(std::string_view in, int level) {
    z_stream zs{};
    // 15 + 16: a 32 KiB window with the gzip wrapper; memLevel 8 is zlib's default.
    const int rc_init = deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (rc_init == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc_init != Z_OK) throw std::runtime_error("deflateInit2 failed");
    if (in.size() > UINT_MAX) {
        deflateEnd(&zs);
        throw std::length_error("gzip_compress: body over 4 GiB");
    }
    std::string out(deflateBound(&zs, in.size()), '\0');  // one pass: the bound always suffices
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
    return out;
}

std::string gzip_answer_body(std::string_view plain) { return gzip_compress(plain, gzip_level); }

bool gzip_applies(const response& r) {
    if (r.body.size() < gzip_min_bytes) return false;
    for (const auto& [name, value] : r.headers)
        if (iequals(name, "Content-Encoding")) return false;  // already encoded by its handler
    return true;
}

void use_gzip_body(response& r, std::string packed) {
    r.body = std::move(packed);
    r.headers.emplace_back("Vary", "Accept-Encoding");
    r.headers.emplace_back("Content-Encoding", "gzip");
}

bool maybe_gzip(response& r, bool accepted) {
    if (!gzip_applies(r)) return false;
    if (!accepted) {
        r.headers.emplace_back("Vary", "Accept-Encoding");
        return false;
    }
    use_gzip_body(r, gzip_answer_body(r.body));
    return true;
}

} // namespace daftra::sandbox::detail
