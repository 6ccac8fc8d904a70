#pragma once
// One Redis reply (RESP2), as hiredis's reader delivers it: a string, a status, an error, an integer,
// nil, or an array of replies. The SDK builds this tree itself through hiredis's object hooks, so a
// reply never holds a hiredis pointer and is freed like any value.

#include <string>
#include <string_view>
#include <vector>

namespace daftra::redis {

enum class reply_type : unsigned char {
    string,   ///< a bulk string (`$…`): binary-safe
    array,    ///< a multi-bulk reply (`*…`); its elements are in `elements`
    integer,  ///< `:…`; the value is in `integer`
    nil,      ///< a nil bulk string or nil array (`$-1`, `*-1`)
    status,   ///< `+OK`, `+PONG`, …
    error,    ///< `-ERR …`, `-NOSCRIPT …`: a Redis error inside an array (a top-level one is a failed call)
};

struct reply {
    reply_type type = reply_type::nil;
    std::string text;              ///< string, status and error replies
    long long integer = 0;         ///< integer replies
    std::vector<reply> elements;   ///< array replies

    bool is_nil() const noexcept { return type == reply_type::nil; }
    /// The text of a string or status reply; empty for any other type.
    std::string_view str() const noexcept {
        return type == reply_type::string || type == reply_type::status ? std::string_view(text) : std::string_view();
    }
};

} // namespace daftra::redis
