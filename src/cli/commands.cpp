#include "cli/commands.hpp"

#include "cli/catalog.hpp"
#include "cli/json_input.hpp"
#include "cli/more_commands.hpp"
#include "cli/usage_error.hpp"

#include "daftra/model/codec.hpp"

#include <charconv>
#include <optional>
#include <string>

namespace daftra::cli {
namespace {

boost::asio::awaitable<void> show_site_info(const client& api, output& out) {
    auto info = co_await api.site_info();
    if (!info) throw api_error(info.error());
    out.print(model::to_json(*info));
}

boost::asio::awaitable<void> send_raw(const client& api, transport::verb method, std::string target,
                                      std::optional<boost::json::value> body, output& out) {
    // The call is made before the co_await: g++ 12 mishandles by-value temporaries inside co_await.
    auto call = api.raw(method, std::move(target), std::move(body));
    auto answer = co_await std::move(call);
    if (!answer) throw api_error(answer.error());
    out.print(*answer);
}

action prepare_site_info(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    if (!inv.operands.empty()) throw usage_error("site-info takes no arguments, got '" + inv.operands.front() + "'", help);
    return [](const client& api, output& out) { return show_site_info(api, out); };
}

action prepare_raw(const invocation& inv) {
    const std::string help = help_command_for(inv);
    refuse_list_options(inv);
    if (inv.operands.size() < 2) throw usage_error("raw needs a METHOD and a PATH", help);
    if (inv.operands.size() > 3) throw usage_error("unexpected argument '" + inv.operands[3] + "'", help);

    std::string upper;
    for (char c : inv.operands[0]) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    const transport::verb method = boost::beast::http::string_to_verb(upper);
    if (method == transport::verb::unknown) throw usage_error("unknown HTTP method '" + inv.operands[0] + "'", help);

    std::string target = inv.operands[1];
    if (!target.starts_with('/'))
        throw usage_error("PATH must start with / (e.g. /api2/site_info.json), got '" + target + "'", help);

    std::optional<boost::json::value> body;
    if (inv.operands.size() == 3) body = read_json_operand(inv.operands[2], help);
    return [method, target, body](const client& api, output& out) { return send_raw(api, method, target, body, out); };
}

} // namespace

void expect_operands(const invocation& inv, std::span<const std::string_view> names, const std::string& what,
                     const std::string& help) {
    if (inv.operands.size() < names.size())
        throw usage_error(what + ": missing " + std::string(names[inv.operands.size()]), help);
    if (inv.operands.size() > names.size())
        throw usage_error(what + ": unexpected argument '" + inv.operands[names.size()] + "'", help);
}

void expect_operands(const invocation& inv, std::initializer_list<std::string_view> names, const std::string& what,
                     const std::string& help) {
    expect_operands(inv, std::span<const std::string_view>(names.begin(), names.size()), what, help);
}

std::int64_t positive_operand(const std::string& text, std::string_view what, const std::string& help) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1)
        throw usage_error(std::string(what) + " must be a positive whole number, got '" + text + "'", help);
    return value;
}

void refuse_list_options(const invocation& inv) {
    if (!inv.list_options.empty())
        throw usage_error(inv.list_options.front() + " applies only to list", help_command_for(inv));
}

action prepare(const invocation& inv) {
    const extra_operation* extra =
        inv.kind == command_kind::resource ? find_extra_operation(inv.resource, inv.operation) : nullptr;
    const bool takes_output = inv.kind == command_kind::download || (extra && extra->takes_output);
    if (inv.output_file && !takes_output)
        throw usage_error("-o applies only to download, invoices pdf and invoices html", help_command_for(inv));
    if (inv.level && inv.kind != command_kind::v2)
        throw usage_error("--level applies only to v2 list and v2 get", help_command_for(inv));
    switch (inv.kind) {
    case command_kind::none: throw usage_error("missing command");
    case command_kind::site_info: return prepare_site_info(inv);
    case command_kind::raw: return prepare_raw(inv);
    case command_kind::listing: return prepare_listing(inv);
    case command_kind::download: return prepare_download(inv);
    case command_kind::v2: return prepare_v2(inv);
    case command_kind::resource: break;
    }
    if (extra) {
        (void)require_resource(inv.resource);
        return extra->prepare(inv);
    }
    return prepare_resource_command(inv);
}

} // namespace daftra::cli
