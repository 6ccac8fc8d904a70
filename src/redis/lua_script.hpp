#pragma once
// A Lua script run by its SHA-1 (EVALSHA), its text sent only when Redis does not know it yet (NOSCRIPT:
// after a restart, a failover or SCRIPT FLUSH).

#include "daftra/redis/connection.hpp"

#include <string>
#include <vector>

namespace daftra::redis::detail {

struct lua_script {
    explicit lua_script(std::string source);
    std::string text;
    std::string sha;
};

/// `args` are EVALSHA's after the script: the number of keys, the keys, then the other arguments.
boost::asio::awaitable<result<reply>> run_script(connection& redis, const lua_script& script,
                                                 std::vector<std::string> args);

} // namespace daftra::redis::detail
