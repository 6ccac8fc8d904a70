#pragma once
// The reply side of the protocol without I/O: bytes in, redis::reply trees out, through hiredis's reader
// (redisReaderFeed/GetReply) with object hooks that build our own tree and enforce the limits. What
// link.cpp reads from the socket and what redis_fuzz feeds hostile bytes to.

#include "daftra/core/result.hpp"
#include "daftra/redis/reply.hpp"

#include <cstddef>
#include <memory>
#include <string_view>

struct redisReader;

namespace daftra::redis::detail {

struct reader_limits {
    std::size_t max_bytes = 64u << 20;   ///< bytes buffered for a reply not yet complete
    std::size_t max_elements = 1u << 16; ///< array elements in one reply, nested ones included
};

class reply_reader {
public:
    enum class status { reply, need_more, failed };

    explicit reply_reader(reader_limits limits);
    ~reply_reader();
    reply_reader(const reply_reader&) = delete;
    reply_reader& operator=(const reply_reader&) = delete;

    /// Takes the next bytes read. False (and failure() set) once the input is not RESP or over a limit;
    /// after that the reader stays failed until reset().
    bool feed(std::string_view bytes);
    /// The next complete reply into `out`, or need_more, or failed.
    status next(reply& out);
    const error& failure() const noexcept { return failure_; }
    /// Forgets everything buffered (a new connection).
    void reset();

    /// What the object hooks share (the reader's privdata); public for them only.
    struct budget {
        std::size_t max_elements = 0;
        std::size_t used = 0;
        bool refused = false;  // an array over the budget, not hiredis's own error
    };

private:
    void fail(std::string message);
    void create();

    reader_limits limits_;
    budget budget_;
    redisReader* reader_ = nullptr;
    bool failed_ = false;
    error failure_;
};

/// A reply as a call's result: a top-level error reply becomes an error of kind server, with its first
/// word in error_type (NOSCRIPT, WRONGTYPE, …) and `command` (the command's name only) in the message.
result<reply> reply_result(reply r, std::string_view command);

} // namespace daftra::redis::detail
