// libFuzzer target for the HTTP layer's handling of hostile servers: whatever bytes a server sends, in
// whatever pieces they arrive, reading the answer ends (complete, or a typed parse error) without a
// crash, sanitizer report or unbounded memory. It drives the same sans-I/O reader the connection uses
// (src/transport/response_reader.hpp) the way Beast's read loop does: bytes appended to a buffer,
// parser.put() until it needs more, put_eof() at the end of the input.
//
// Input: byte 0 picks the size of the pieces (1..64 bytes, or everything at once) and byte 1 the limits
// and whether the request was a HEAD; the rest is what the server sends.
// The buffer is bounded as the connection's is (read_buffer_limit); when it is full and the parser still
// needs more, Beast's read fails with buffer_overflow, and so does this loop.
// Invariants checked besides "no crash": a complete answer never exceeds the limits (its stored header
// fields, trailers included, at most max_header bytes); a parser that reports an error never reports done.

#include "transport/response_reader.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

namespace http = boost::beast::http;
using namespace daftra::transport::detail;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "http_fuzz: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t piece = data[0] == 0 ? size : 1 + data[0] % 64;
    answer_limits limits;
    limits.max_header = (data[1] & 1) ? 256 : 8192;
    limits.max_body = (data[1] & 2) ? 16 : 4096;
    limits.head_request = (data[1] & 4) != 0;
    data += 2;
    size -= 2;

    response_parser parser;
    configure(parser, limits);
    boost::beast::flat_buffer buffer(read_buffer_limit(limits));
    boost::system::error_code ec;
    std::size_t fed = 0;
    for (;;) {
        // Parse as far as the buffered bytes go; every pass consumes bytes or leaves the loop.
        while (buffer.size() > 0 && !parser.is_done()) {
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec == http::error::need_more) {
                ec = {};
                break;
            }
            if (ec || used == 0) break;
        }
        if (ec || parser.is_done()) break;
        if (fed == size) {  // the server closed the connection
            parser.put_eof(ec);
            if (!ec && !parser.is_done()) fail("put_eof accepted an incomplete message");
            break;
        }
        if (buffer.size() == buffer.max_size()) break;  // Beast's read: http::error::buffer_overflow
        const std::size_t n = std::min({piece, size - fed, buffer.max_size() - buffer.size()});  // the next piece arrives
        auto space = buffer.prepare(n);
        std::memcpy(space.data(), data + fed, n);
        buffer.commit(n);
        fed += n;
    }
    if (!ec && parser.is_done()) {
        parsed_answer got = take_answer(parser);
        if (got.answer.body.size() > limits.max_body) fail("body over the limit");
        if (limits.head_request && !got.answer.body.empty()) fail("a HEAD answer with a body");
        // "name: value\r\n" per field, header and trailer fields alike, is what the budget counts.
        if (got.answer.headers.size() > limits.max_header) fail("headers over the limit");
    }
    return 0;
}
