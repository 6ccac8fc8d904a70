#include "response_reader.hpp"

#include <algorithm>
#include <cstdint>

namespace daftra::transport::detail {

namespace http = boost::beast::http;

void configure(response_parser& parser, const answer_limits& limits) {
    parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits.max_header, UINT32_MAX)));
    parser.body_limit(limits.max_body);
    parser.skip(limits.head_request);
}

parsed_answer take_answer(response_parser& parser) {
    auto& msg = parser.get();
    parsed_answer out;
    out.answer.status = msg.result_int();
    // One string for every header line: one allocation whatever their number.
    std::size_t header_bytes = 0;
    for (const auto& f : msg) header_bytes += f.name_string().size() + f.value().size() + 4;
    out.answer.headers.reserve(header_bytes);
    for (const auto& f : msg) {
        out.answer.headers.append(f.name_string().data(), f.name_string().size());
        out.answer.headers.append(": ");
        out.answer.headers.append(f.value().data(), f.value().size());
        out.answer.headers.append("\r\n");
    }
    out.answer.body = std::move(msg.body());
    out.keep_alive = msg.keep_alive();
    if (auto ka = msg.find(http::field::keep_alive); ka != msg.end()) out.hint = parse_keep_alive(ka->value());
    return out;
}

} // namespace daftra::transport::detail
