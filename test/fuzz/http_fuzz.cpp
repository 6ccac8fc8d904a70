// libFuzzer target for the HTTP layer's handling of hostile servers: whatever bytes a server sends, in
// whatever pieces they arrive, reading the answer ends (complete, or a typed parse error) without a
// crash, sanitizer report or unbounded memory. It drives the same sans-I/O reader the connection uses
// (src/transport/response_reader.hpp) the way Beast's read loop does: bytes appended to a buffer,
// parser.put() until it needs more, put_eof() at the end of the input.
//
// Input: byte 0 picks the size of the pieces (1..64 bytes, or everything at once) and byte 1 the limits,
// whether the request was a HEAD, and whether a body is streamed (a download: once the header is read,
// the parser takes buffer_body and hands the body over in pieces of 1 to 8 bytes, as the connection's
// stream_body does with 64 KiB); the rest is what the server sends.
// The buffer is bounded as the connection's is (read_buffer_limit); when it is full and the parser still
// needs more, Beast's read fails with buffer_overflow, and so does this loop.
// Invariants checked besides "no crash": a complete answer never exceeds the limits (its stored header
// fields, trailers included, at most max_header bytes; a streamed body at most its limit, delivered
// bytes counted); a parser that reports an error never reports done.

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

// The bytes of the server's answer, arriving in pieces into a buffer bounded as the connection's is.
struct wire {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t piece;
    std::size_t fed = 0;
    boost::beast::flat_buffer buffer;

    bool exhausted() const { return fed == size; }
    bool full() const { return buffer.size() == buffer.max_size(); }  // Beast's read: buffer_overflow
    void next_piece() {
        const std::size_t n = std::min({piece, size - fed, buffer.max_size() - buffer.size()});
        auto space = buffer.prepare(n);
        std::memcpy(space.data(), data + fed, n);
        buffer.commit(n);
        fed += n;
    }
};

// The body of a 2xx answer whose header `header_read` has read, streamed as the connection's
// stream_body does: the parser changes its body type, a Content-Length over the limit is refused before
// any byte, and the body is handed over in pieces of `chunk` bytes, each counted against the limit.
void stream(response_parser& header_read, wire& w, std::size_t limit, std::size_t chunk) {
    streaming_parser parser(std::move(header_read));
    parser.body_limit(limit);
    if (auto length = parser.content_length(); length && *length > limit) return;  // refused up front
    char piece[8];
    std::size_t delivered = 0;
    boost::system::error_code ec;
    while (!parser.is_done()) {
        parser.get().body().data = piece;
        parser.get().body().size = chunk;
        bool more = false;
        while (w.buffer.size() > 0 && !parser.is_done()) {
            const std::size_t used = parser.put(w.buffer.data(), ec);
            w.buffer.consume(used);
            if (ec == http::error::need_buffer) {  // the piece is full: hand it over
                ec = {};
                break;
            }
            if (ec == http::error::need_more) {
                ec = {};
                more = true;
                break;
            }
            if (ec || used == 0) break;
        }
        delivered += chunk - parser.get().body().size;
        if (delivered > limit) fail("a streamed body over its limit was delivered");
        if (ec) return;
        if (parser.is_done()) break;
        if (more || w.buffer.size() == 0) {
            if (w.exhausted()) {
                parser.put_eof(ec);
                if (!ec && !parser.is_done()) fail("put_eof accepted an incomplete streamed body");
                return;
            }
            if (w.full()) return;
            w.next_piece();
        }
    }
    parsed_answer head = take_head(parser);
    (void)head;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::size_t piece = data[0] == 0 ? size : 1 + data[0] % 64;
    answer_limits limits;
    limits.max_header = (data[1] & 1) ? 256 : 8192;
    limits.max_body = (data[1] & 2) ? 16 : 4096;
    limits.head_request = (data[1] & 4) != 0;
    const bool streamed = (data[1] & 8) != 0;
    const std::size_t chunk = 1 + (data[1] >> 5);  // 1 to 8 bytes per piece handed over
    data += 2;
    size -= 2;

    response_parser parser;
    configure(parser, limits);
    wire w{data, size, piece, 0, boost::beast::flat_buffer(read_buffer_limit(limits))};
    auto& buffer = w.buffer;
    boost::system::error_code ec;
    std::size_t& fed = w.fed;
    // A streamed answer changes its body type once the header is read (put() stops there: the parser is
    // not eager), before any of the body is parsed, as the connection's exchange does.
    auto streams_now = [&] {
        return streamed && !ec && parser.is_header_done() && !parser.is_done() && parser.get().result_int() / 100 == 2 &&
               !limits.head_request;
    };
    for (;;) {
        // Parse as far as the buffered bytes go; every pass consumes bytes or leaves the loop.
        while (buffer.size() > 0 && !parser.is_done() && !streams_now()) {
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec == http::error::need_more) {
                ec = {};
                break;
            }
            if (ec || used == 0) break;
        }
        if (streams_now()) {
            stream(parser, w, limits.max_body, chunk);
            return 0;
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
