#include "daftra/redis/command.hpp"

#include <hiredis/hiredis.h>

#include <new>

namespace daftra::redis {

command::command(std::initializer_list<std::string_view> args) { format(std::vector<std::string_view>(args)); }

command::command(const std::vector<std::string>& args) {
    format(std::vector<std::string_view>(args.begin(), args.end()));
}

void command::format(const std::vector<std::string_view>& args) {
    if (args.empty()) return;
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (auto a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    char* formatted = nullptr;
    const int n = redisFormatCommandArgv(&formatted, static_cast<int>(argv.size()), argv.data(), lengths.data());
    if (n < 0 || !formatted) throw std::bad_alloc();  // hiredis fails only when it cannot allocate
    try {
        wire_.assign(formatted, static_cast<std::size_t>(n));
    } catch (...) {
        redisFreeCommand(formatted);
        throw;
    }
    redisFreeCommand(formatted);
    name_ = args.front();
}

} // namespace daftra::redis
