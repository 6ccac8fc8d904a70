#pragma once
// One Redis command, formatted for the wire once, when it is made (hiredis's redisFormatCommandArgv:
// binary-safe arguments, no hand-written protocol).
//   redis::command get{"GET", key};
//   co_await redis.exec(redis::command("SET", key, value, "PX", "5000", "NX"));
// Inside a co_await statement, write the parenthesised form: g++ 12 miscompiles a braced list there
// ("array used as initializer", docs/compilers.md).

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace daftra::redis {

class command {
public:
    command(std::initializer_list<std::string_view> args);
    /// command("GET", key): the name and then each argument (anything convertible to std::string_view).
    template <class... Args>
    explicit command(std::string_view name, const Args&... args) {
        format(std::vector<std::string_view>{name, std::string_view(args)...});
    }
    explicit command(const std::vector<std::string>& args);

    /// The command as sent: RESP's array of bulk strings. Empty when the command had no arguments
    /// (connection::exec refuses it with error_kind::invalid_argument).
    const std::string& wire() const noexcept { return wire_; }
    /// The first argument ("GET"), for error messages. Arguments after it never appear in one: they may
    /// be tokens or other secrets.
    const std::string& name() const noexcept { return name_; }

private:
    void format(const std::vector<std::string_view>& args);
    std::string wire_;
    std::string name_;
};

} // namespace daftra::redis
