#include "cli/resource_calls.hpp"

#include "daftra/resources/sender.hpp"

namespace daftra::cli {

api_error record_error(error e, std::string_view resource, std::int64_t id) {
    if (e.kind == error_kind::not_found) {
        // Appended piece by piece: g++ 12 -O3 warns (-Wrestrict, wrongly) about `" " + std::to_string(id)`.
        std::string what(resource);
        if (id > 0) what.append(" ").append(std::to_string(id));
        what.append(" not found");
        if (!e.message.empty()) what.append(": ").append(e.message);
        e.message = std::move(what);
    }
    return api_error(std::move(e));
}

boost::asio::awaitable<void> send_call(const client& api, single_call call, output& out) {
    if (!call.request) throw api_error(call.request.error());
    auto response = co_await api.sender()->send(std::move(*call.request));
    if (!response) throw api_error(response.error());
    call.finish(*response, out);
}

} // namespace daftra::cli
