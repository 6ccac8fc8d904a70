// libFuzzer target for the Redis protocol layer's handling of hostile replies: whatever a server (or
// something posing as one) sends, in whatever pieces, reading ends in replies or a typed protocol error,
// without a crash, a sanitizer report or unbounded memory. It drives the reader the connection uses
// (src/redis/reply_reader.hpp: hiredis's reader with our object hooks) as link.cpp's read loop does:
// feed what arrived, take every complete reply, stop at the first failure.
//
// Input: byte 0 picks the size of the pieces (1..64 bytes, or everything at once), byte 1 the limits
// (small ones make the limit paths reachable); the rest is what the server sends.
// Invariants besides "no crash": a reply never holds more array elements than max_elements; a reader
// that failed keeps failing; every failure is of kind protocol.

#include "redis/reply_reader.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using daftra::redis::reply;
using daftra::redis::detail::reader_limits;
using daftra::redis::detail::reply_reader;

std::size_t count_elements(const reply& r) {
    std::size_t n = r.elements.size();
    for (const auto& e : r.elements) n += count_elements(e);
    return n;
}

[[noreturn]] void broken(const char* what) {
    std::fprintf(stderr, "redis_fuzz invariant broken: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t piece = data[0] % 65 == 0 ? size : data[0] % 65;
    reader_limits limits;
    if (data[1] & 1) limits.max_elements = 16;
    if (data[1] & 2) limits.max_bytes = 256;
    data += 2;
    size -= 2;

    reply_reader reader(limits);
    bool failed = false;
    for (std::size_t at = 0; at < size && !failed; at += piece) {
        const std::size_t n = size - at < piece ? size - at : piece;
        if (!reader.feed(std::string_view(reinterpret_cast<const char*>(data + at), n))) {
            failed = true;
            break;
        }
        for (;;) {
            reply r;
            auto st = reader.next(r);
            if (st == reply_reader::status::need_more) break;
            if (st == reply_reader::status::failed) {
                failed = true;
                break;
            }
            if (count_elements(r) > limits.max_elements) broken("a reply over max_elements");
            (void)daftra::redis::detail::reply_result(std::move(r), "GET");
        }
    }
    if (failed) {
        if (reader.failure().kind != daftra::error_kind::protocol) broken("a failure not of kind protocol");
        if (reader.feed("+OK\r\n")) broken("a failed reader took more input");
    }
    return 0;
}
