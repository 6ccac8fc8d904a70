#include "cli/json_input.hpp"

#include <boost/json/parse.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace daftra::cli {
namespace {

std::string read_all(std::istream& in) {
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string contents_of(std::string_view name, const std::string& help_command) {
    if (name == "-") return read_all(std::cin);
    std::ifstream file{std::string(name), std::ios::binary};
    if (!file) throw usage_error("cannot read '" + std::string(name) + "': " + std::strerror(errno), help_command);
    return read_all(file);
}

} // namespace

boost::json::value read_json_operand(std::string_view operand, const std::string& help_command) {
    const bool from_file = operand.starts_with('@');
    const std::string text = from_file ? contents_of(operand.substr(1), help_command) : std::string(operand);
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(text, ec);
    if (ec) {
        std::string message = "invalid JSON in ";
        if (from_file) message.append("'").append(operand.substr(1)).append("'");
        else message.append("the argument");
        message.append(": ").append(ec.message());
        throw usage_error(message, help_command);
    }
    return value;
}

record_location locate_record(const boost::json::object& body, const resources::resource_info& info) {
    for (std::string_view key : {info.write_key, info.read_key, info.read_key_alt}) {
        if (key.empty()) continue;
        auto it = body.find(key);
        if (it != body.end() && it->value().is_object()) return {&it->value().get_object(), &body, key};
    }
    return {&body, nullptr, {}};
}

} // namespace daftra::cli
