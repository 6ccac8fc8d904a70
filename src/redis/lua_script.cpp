#include "lua_script.hpp"

#include "token_crypto.hpp"

namespace daftra::redis::detail {

lua_script::lua_script(std::string source) : text(std::move(source)), sha(sha1_hex(text)) {}

boost::asio::awaitable<result<reply>> run_script(connection& redis, const lua_script& script,
                                                 std::vector<std::string> args) {
    std::vector<std::string> evalsha{"EVALSHA", script.sha};
    evalsha.insert(evalsha.end(), args.begin(), args.end());
    command by_sha(evalsha);
    auto r = co_await redis.exec(std::move(by_sha));
    if (r || r.error().error_type != "NOSCRIPT") co_return r;
    std::vector<std::string> eval{"EVAL", script.text};
    eval.insert(eval.end(), args.begin(), args.end());
    command by_text(eval);
    co_return co_await redis.exec(std::move(by_text));
}

} // namespace daftra::redis::detail
