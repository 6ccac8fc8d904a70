#pragma once
// The sans-I/O half of reading an answer: Beast's response parser set up with the pool's limits, and
// the parsed message turned into a transport::response plus what it says about the connection.
// connection.cpp drives it with async reads; the HTTP fuzz target (test/fuzz/http_fuzz.cpp) feeds it
// hostile bytes directly, so what the fuzzer proves holds for the real read path.

#include "header_arena.hpp"
#include "keep_alive.hpp"

#include "daftra/transport/http.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>

namespace daftra::transport::detail {

/// The answer's header fields live in the connection's header_arena (heap when default-constructed).
using fields_allocator = arena_allocator<char>;
using response_parser = boost::beast::http::response_parser<boost::beast::http::string_body, fields_allocator>;

/// What an answer may cost us: a server cannot make the client hold more than max_header bytes of
/// header (chunk extensions included) plus max_body bytes of body, whatever it sends.
struct answer_limits {
    std::size_t max_header = 64u << 10;
    std::size_t max_body = 256u << 20;
    bool head_request = false;  ///< a HEAD answer has no body whatever its Content-Length says
};

void configure(response_parser& parser, const answer_limits& limits);

/// A complete answer taken out of the parser (its body is moved out).
struct parsed_answer {
    response answer;
    bool keep_alive = false;  ///< HTTP/1.1 without "Connection: close" (or 1.0 with keep-alive)
    keep_alive_hint hint;     ///< the server's Keep-Alive header, when it sent one
};

/// Call only once parser.is_done().
parsed_answer take_answer(response_parser& parser);

} // namespace daftra::transport::detail
