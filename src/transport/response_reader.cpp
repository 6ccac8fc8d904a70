#include "response_reader.hpp"

#include <algorithm>
#include <cstdint>

namespace daftra::transport::detail {

namespace http = boost::beast::http;

namespace {

// What one field adds to response::headers (take_answer): "name: value\r\n".
std::size_t stored_size(std::size_t name, std::size_t value) noexcept { return name + value + 4; }

} // namespace

template <class Body>
void basic_response_parser<Body>::on_field_impl(http::field name, boost::beast::string_view name_string,
                                                boost::beast::string_view value, boost::beast::error_code& ec) {
    const std::size_t cost = stored_size(name_string.size(), value.size());
    if (cost > field_budget_) {
        ec = http::error::header_limit;
        return;
    }
    field_budget_ -= cost;
    this->get().insert(name, name_string, value);
}

template class basic_response_parser<http::string_body>;
template class basic_response_parser<http::buffer_body>;

void configure(response_parser& parser, const answer_limits& limits) {
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header, UINT32_MAX)));
    parser.field_budget(limits.max_header);
    parser.body_limit(limits.max_body);
    parser.skip(limits.head_request);
}

std::size_t read_buffer_limit(const answer_limits& limits) noexcept {
    // 64 KiB is what one Beast read asks for; 16 KiB is what a connection reserves up front.
    constexpr std::size_t one_read = 64u << 10;
    return std::max<std::size_t>(limits.max_header, 16u << 10) + one_read;
}

template <class Body>
parsed_answer take_head(const basic_response_parser<Body>& parser) {
    const auto& msg = parser.get();
    parsed_answer out;
    out.answer.status = msg.result_int();
    // One string for every header line: one allocation whatever their number.
    std::size_t header_bytes = 0;
    for (const auto& f : msg) header_bytes += stored_size(f.name_string().size(), f.value().size());
    out.answer.headers.reserve(header_bytes);
    for (const auto& f : msg) {
        out.answer.headers.append(f.name_string().data(), f.name_string().size());
        out.answer.headers.append(": ");
        out.answer.headers.append(f.value().data(), f.value().size());
        out.answer.headers.append("\r\n");
    }
    out.keep_alive = msg.keep_alive();
    if (auto ka = msg.find(http::field::keep_alive); ka != msg.end()) out.hint = parse_keep_alive(ka->value());
    return out;
}

template parsed_answer take_head(const basic_response_parser<http::string_body>&);
template parsed_answer take_head(const basic_response_parser<http::buffer_body>&);

parsed_answer take_answer(response_parser& parser) {
    parsed_answer out = take_head(parser);
    out.answer.body = std::move(parser.get().body());
    return out;
}

} // namespace daftra::transport::detail
