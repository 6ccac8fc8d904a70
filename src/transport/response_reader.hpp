#pragma once
// The sans-I/O half of reading an answer: Beast's response parser set up with the pool's limits, and
// the parsed message turned into a transport::response plus what it says about the connection.
// connection.cpp drives it with async reads; the HTTP fuzz target (test/fuzz/http_fuzz.cpp) feeds it
// hostile bytes directly, so what the fuzzer proves holds for the real read path.

#include "header_arena.hpp"
#include "keep_alive.hpp"

#include "daftra/transport/http.hpp"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <tuple>
#include <utility>

namespace daftra::transport::detail {

/// The answer's header fields live in the connection's header_arena (heap when default-constructed).
using fields_allocator = arena_allocator<char>;

/// What an answer may cost us: a server cannot make the client hold more than max_header bytes of
/// header fields (trailers included, each counted as the "name: value\r\n" it becomes in
/// response::headers), max_body bytes of body, and read_buffer_limit() bytes of unparsed input,
/// whatever it sends.
struct answer_limits {
    std::size_t max_header = 64u << 10;
    std::size_t max_body = 256u << 20;
    bool head_request = false;  ///< a HEAD answer has no body whatever its Content-Length says
};

/// Beast's response parser with one cumulative budget for every field it stores. Beast's own
/// header_limit is not enough on its own: it bounds the bytes one put() may scan from where it starts
/// (fields already parsed are consumed, so a header block read in pieces may total more), and it does
/// not apply to chunked trailers at all, which Beast adds to the message as fields without a limit.
/// `Body` is string_body for answers read whole, buffer_body for bodies streamed to a body_sink.
template <class Body>
class basic_response_parser : public boost::beast::http::response_parser<Body, fields_allocator> {
    using base = boost::beast::http::response_parser<Body, fields_allocator>;
    template <class>
    friend class basic_response_parser;

public:
    basic_response_parser() = default;
    /// The fields' storage comes from `alloc` (the connection's header arena).
    explicit basic_response_parser(const fields_allocator& alloc)
        : base(std::piecewise_construct, std::make_tuple(), std::make_tuple(alloc)) {}
    /// Takes over a parser that has read the header and nothing of the body, with its remaining budget
    /// (trailers are still charged to it): how a streamed answer changes its body type.
    template <class OtherBody>
    explicit basic_response_parser(basic_response_parser<OtherBody>&& header_read)
        : base(static_cast<typename basic_response_parser<OtherBody>::base&&>(header_read)),
          field_budget_(header_read.field_budget_) {}

    /// Bytes of fields the parser will still store before failing with http::error::header_limit.
    void field_budget(std::size_t bytes) noexcept { field_budget_ = bytes; }

private:
    // Replaces base::on_field_impl (which only inserts the field) to charge the budget first.
    void on_field_impl(boost::beast::http::field name, boost::beast::string_view name_string,
                       boost::beast::string_view value, boost::beast::error_code& ec) override;

    std::size_t field_budget_ = 64u << 10;
};

using response_parser = basic_response_parser<boost::beast::http::string_body>;
using streaming_parser = basic_response_parser<boost::beast::http::buffer_body>;
extern template class basic_response_parser<boost::beast::http::string_body>;
extern template class basic_response_parser<boost::beast::http::buffer_body>;

/// Applies the limits to a parser that has not read anything yet.
void configure(response_parser& parser, const answer_limits& limits);

/// The most unparsed input a connection's read buffer may hold (its max_size): a whole header block,
/// a chunk-size line with its extensions, or a trailer section must fit, plus one read. Beyond it
/// Beast's read fails with http::error::buffer_overflow instead of growing the buffer: without it a
/// server that never ends a chunk line or its trailers makes the client buffer until the body timeout.
std::size_t read_buffer_limit(const answer_limits& limits) noexcept;

/// A complete answer taken out of the parser (its body is moved out).
struct parsed_answer {
    response answer;
    bool keep_alive = false;  ///< HTTP/1.1 without "Connection: close" (or 1.0 with keep-alive)
    keep_alive_hint hint;     ///< the server's Keep-Alive header, when it sent one
};

/// Call only once parser.is_done().
parsed_answer take_answer(response_parser& parser);

/// The status line and headers (no body) and what they say about the connection; callable as soon as
/// the header is read, and again once the body is done (trailers are then included).
template <class Body>
parsed_answer take_head(const basic_response_parser<Body>& parser);

} // namespace daftra::transport::detail
