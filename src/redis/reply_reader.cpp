#include "reply_reader.hpp"

#include <hiredis/read.h>

#include <climits>
#include <new>
#include <string>

namespace daftra::redis::detail {
namespace {

// The object hooks: hiredis calls them as it parses, a child after its parent array was made. A child
// lives in its parent's `elements` (sized when the parent was made); only the root is allocated, and
// freeObject is only ever called by hiredis on a root. None may throw (they are called from C): a
// failed allocation returns null, which hiredis reports as an out-of-memory error.

reply_reader::budget& budget_of(const redisReadTask* task) {
    return *static_cast<reply_reader::budget*>(task->privdata);
}

reply* place(const redisReadTask* task) {
    if (task->parent) {
        auto* parent = static_cast<reply*>(task->parent->obj);
        if (!parent || task->idx < 0 || static_cast<std::size_t>(task->idx) >= parent->elements.size())
            return nullptr;
        return &parent->elements[static_cast<std::size_t>(task->idx)];
    }
    budget_of(task).used = 0;  // a new reply starts a new budget
    return new (std::nothrow) reply;
}

void discard(const redisReadTask* task, reply* r) {
    if (!task->parent) delete r;
}

void* create_string(const redisReadTask* task, char* text, std::size_t len) {
    reply* r = place(task);
    if (!r) return nullptr;
    try {
        r->type = task->type == REDIS_REPLY_ERROR    ? reply_type::error
                  : task->type == REDIS_REPLY_STATUS ? reply_type::status
                                                     : reply_type::string;
        r->text.assign(text, len);
    } catch (...) {
        discard(task, r);
        return nullptr;
    }
    return r;
}

void* create_array(const redisReadTask* task, int elements) {
    auto& budget = budget_of(task);
    reply* r = place(task);  // first: a root resets the budget
    if (!r) return nullptr;
    if (elements < 0 || static_cast<std::size_t>(elements) > budget.max_elements - budget.used) {
        budget.refused = true;
        discard(task, r);
        return nullptr;
    }
    budget.used += static_cast<std::size_t>(elements);
    try {
        r->type = reply_type::array;
        r->elements.resize(static_cast<std::size_t>(elements));
    } catch (...) {
        discard(task, r);
        return nullptr;
    }
    return r;
}

void* create_integer(const redisReadTask* task, long long value) {
    reply* r = place(task);
    if (!r) return nullptr;
    r->type = reply_type::integer;
    r->integer = value;
    return r;
}

void* create_nil(const redisReadTask* task) {
    reply* r = place(task);
    if (!r) return nullptr;
    r->type = reply_type::nil;
    return r;
}

void free_object(void* root) { delete static_cast<reply*>(root); }

redisReplyObjectFunctions hooks{create_string, create_array, create_integer, create_nil, free_object};

} // namespace

reply_reader::reply_reader(reader_limits limits) : limits_(limits) { create(); }

reply_reader::~reply_reader() {
    if (reader_) redisReaderFree(reader_);
}

void reply_reader::create() {
    budget_ = budget{limits_.max_elements, 0, false};
    reader_ = redisReaderCreateWithFunctions(&hooks);
    if (!reader_) throw std::bad_alloc();
    reader_->privdata = &budget_;
}

void reply_reader::reset() {
    if (reader_) redisReaderFree(reader_);
    reader_ = nullptr;
    failed_ = false;
    failure_ = error{};
    create();
}

void reply_reader::fail(std::string message) {
    failed_ = true;
    failure_ = make_error(error_kind::protocol, {}, std::move(message));
}

bool reply_reader::feed(std::string_view bytes) {
    if (failed_) return false;
    if (redisReaderFeed(reader_, bytes.data(), bytes.size()) != REDIS_OK) {
        fail("redis: could not buffer the reply");
        return false;
    }
    // hiredis keeps a reply's bytes until it is complete (a bulk string is parsed only once all of it
    // arrived): what is buffered and not yet consumed is the size of the reply in progress.
    if (reader_->len - reader_->pos > limits_.max_bytes) {
        fail("redis: a reply over max_reply_bytes (" + std::to_string(limits_.max_bytes) + " bytes)");
        return false;
    }
    return true;
}

reply_reader::status reply_reader::next(reply& out) {
    if (failed_) return status::failed;
    void* got = nullptr;
    if (redisReaderGetReply(reader_, &got) != REDIS_OK) {
        if (budget_.refused)
            fail("redis: a reply with more than max_reply_elements (" + std::to_string(limits_.max_elements) +
                 ") array elements, or a negative count");
        else
            fail(std::string("redis: protocol error: ") + reader_->errstr);
        return status::failed;
    }
    if (!got) return status::need_more;
    std::unique_ptr<reply> root(static_cast<reply*>(got));
    out = std::move(*root);
    return status::reply;
}

result<reply> reply_result(reply r, std::string_view command) {
    if (r.type != reply_type::error) return r;
    std::string_view text = r.text;
    error e = make_error(error_kind::server, {}, "redis " + std::string(command) + ": " + std::string(text));
    e.error_type = std::string(text.substr(0, text.find(' ')));
    return e;
}

} // namespace daftra::redis::detail
