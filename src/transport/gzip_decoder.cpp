// zlib inflate over a complete body: the output is sized from the gzip trailer when it can be, grown
// otherwise, and never allowed past the caller's limit.
#include "gzip_decoder.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <new>

namespace daftra::transport::detail {

namespace {

enum class format { gzip, zlib };

constexpr std::size_t min_growth = 16 * 1024;
// Deflate cannot expand more than about 1032:1, so a larger ISIZE is a lie not worth reserving for.
constexpr std::size_t max_ratio = 1032;

struct stream_guard {
    z_stream zs{};
    bool live = false;
    ~stream_guard() {
        if (live) inflateEnd(&zs);
    }
};

const char* name(format f) { return f == format::gzip ? "gzip" : "deflate"; }

error bad_body(format f, std::string what) {
    return make_error(error_kind::protocol, make_error_code(boost::system::errc::bad_message),
                      std::string(name(f)) + " answer body: " + what);
}

error too_large(format f, std::size_t max_output) {
    return make_error(error_kind::protocol, make_error_code(boost::system::errc::value_too_large),
                      std::string(name(f)) + " answer body decodes to more than " + std::to_string(max_output) +
                          " bytes (the response body limit)");
}

// First output size: the gzip ISIZE trailer (the last member's length mod 2^32), clamped.
std::size_t initial_size(std::string_view in, format f, std::size_t max_output) {
    std::size_t hint = in.size() * 4;
    if (f == format::gzip && in.size() >= 18) {
        const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
        hint = std::uint32_t(t[0]) | std::uint32_t(t[1]) << 8 | std::uint32_t(t[2]) << 16 | std::uint32_t(t[3]) << 24;
    }
    const std::size_t ceiling = in.size() > SIZE_MAX / max_ratio ? SIZE_MAX : in.size() * max_ratio;
    return std::min({hint, max_output, ceiling});
}

result<std::string> inflate_all(std::string_view in, std::size_t max_output, format f) {
    std::string out;
    if (in.empty()) return out;
    if (f == format::gzip && (in.size() < 2 || in[0] != '\x1f' || in[1] != '\x8b'))
        return bad_body(f, "not gzip data (it does not start with the gzip magic bytes 1f 8b)");
    out.resize(initial_size(in, f, max_output));

    stream_guard g;
    z_stream& zs = g.zs;
    // 15 + 16: a 32 KiB window and the gzip wrapper; 15 alone: the zlib wrapper.
    const int rc_init = inflateInit2(&zs, f == format::gzip ? 15 + 16 : 15);
    if (rc_init == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc_init != Z_OK) return bad_body(f, "zlib cannot start inflating");
    g.live = true;

    const auto* next = reinterpret_cast<const unsigned char*>(in.data());
    std::size_t left = in.size();  // input not yet handed to zlib (uInt is 32 bits)
    std::size_t produced = 0;
    unsigned char probe = 0;

    for (;;) {
        if (zs.avail_in == 0 && left > 0) {
            const auto take = static_cast<uInt>(std::min<std::size_t>(left, UINT_MAX));
            zs.next_in = const_cast<unsigned char*>(next);
            zs.avail_in = take;
            next += take;
            left -= take;
        }
        // With the buffer full, inflate one byte aside: the stream may be over (no growth needed), or
        // there is more, which is either room to grow into or past the limit.
        const bool full = produced == out.size();
        zs.next_out = full ? &probe : reinterpret_cast<unsigned char*>(out.data() + produced);
        zs.avail_out = full ? 1 : static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT_MAX));
        const uInt offered = zs.avail_out;

        const int rc = inflate(&zs, Z_NO_FLUSH);
        const std::size_t made = offered - zs.avail_out;
        if (full && made > 0) {
            if (produced >= max_output) return too_large(f, max_output);
            out.resize(std::min(max_output, std::max(out.size() * 2, produced + min_growth)));
            out[produced] = static_cast<char>(probe);
        }
        produced += made;

        switch (rc) {
        case Z_OK:
            continue;
        case Z_STREAM_END: {
            const std::size_t rest = zs.avail_in + left;
            if (rest == 0) {
                out.resize(produced);
                return out;
            }
            const std::string_view tail = in.substr(in.size() - rest);
            // Another gzip member may follow (RFC 1952 §2.2); nothing else may.
            if (f == format::gzip && tail.size() >= 2 && tail[0] == '\x1f' && tail[1] == '\x8b') {
                inflateReset(&zs);
                continue;
            }
            return bad_body(f, std::to_string(rest) + " trailing bytes after the compressed data");
        }
        case Z_BUF_ERROR:  // no progress with output room left: the input ended mid-stream
            return bad_body(f, "truncated (the compressed data ends before the end of the stream)");
        case Z_NEED_DICT:
            return bad_body(f, "needs a preset dictionary");
        case Z_MEM_ERROR:
            throw std::bad_alloc();
        default: {  // Z_DATA_ERROR: bad header or block, "incorrect data check" (CRC), "incorrect length check"
            const std::string_view why = zs.msg ? zs.msg : "invalid data";
            return bad_body(f, std::string(why == "incorrect data check" ? "checksum mismatch, corrupt (" : "corrupt (") +
                                   std::string(why) + ")");
        }
        }
    }
}

} // namespace

result<std::string> gunzip(std::string_view compressed, std::size_t max_output) {
    return inflate_all(compressed, max_output, format::gzip);
}

result<std::string> inflate_zlib(std::string_view compressed, std::size_t max_output) {
    return inflate_all(compressed, max_output, format::zlib);
}

} // namespace daftra::transport::detail
