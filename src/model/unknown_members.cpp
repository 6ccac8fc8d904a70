#include "daftra/model/unknown_members.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cassert>
#include <ostream>

namespace daftra::model {

namespace json = boost::json;

unknown_members::unknown_members(json::object members) : parsed_(new json::object(std::move(members))) {}

unknown_members::unknown_members(std::initializer_list<std::pair<json::string_view, json::value_ref>> init)
    : parsed_(new json::object(init)) {}

unknown_members::unknown_members(const unknown_members& other) : text_(other.text_) {
    // A received text is copied as text (the copy parses on its own first read); changed members
    // are copied as an object.
    if (text_.empty())
        if (const json::object* o = other.parsed_.load(std::memory_order_acquire)) parsed_.store(new json::object(*o));
}

unknown_members::unknown_members(unknown_members&& other) noexcept
    : text_(std::move(other.text_)), parsed_(other.parsed_.exchange(nullptr, std::memory_order_acq_rel)) {
    other.text_.clear();
}

unknown_members& unknown_members::operator=(const unknown_members& other) {
    if (this != &other) *this = unknown_members(other);
    return *this;
}

unknown_members& unknown_members::operator=(unknown_members&& other) noexcept {
    if (this != &other) {
        reset_parsed();
        text_ = std::move(other.text_);
        other.text_.clear();
        parsed_.store(other.parsed_.exchange(nullptr, std::memory_order_acq_rel), std::memory_order_release);
    }
    return *this;
}

unknown_members::~unknown_members() { reset_parsed(); }

void unknown_members::reset_parsed() noexcept { delete parsed_.exchange(nullptr, std::memory_order_acq_rel); }

json::object* unknown_members::parse() const {
    auto* fresh = new json::object();
    if (!text_.empty()) {
        // The text was written by the streaming decoder from a parsed answer, so it parses; the
        // check guards a broken invariant rather than an answer.
        json::error_code ec;
        json::value v = json::parse(text_, ec);
        assert(!ec && v.is_object());
        if (!ec && v.is_object()) *fresh = std::move(v.get_object());
    }
    json::object* expected = nullptr;
    if (parsed_.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel, std::memory_order_acquire))
        return fresh;
    delete fresh;  // another reader published first
    return expected;
}

const json::object& unknown_members::object() const {
    if (json::object* o = parsed_.load(std::memory_order_acquire)) return *o;
    return *parse();
}

json::object& unknown_members::modify() {
    json::object* o = parsed_.load(std::memory_order_acquire);
    if (!o) o = parse();
    std::string().swap(text_);  // the object counts from now on
    return *o;
}

bool unknown_members::empty() const noexcept {
    if (const json::object* o = parsed_.load(std::memory_order_acquire)) return o->empty();
    return text_.empty();  // the decoder writes no text for a record without unknown members
}

void unknown_members::clear() noexcept {
    reset_parsed();
    std::string().swap(text_);
}

bool operator==(const unknown_members& a, const unknown_members& b) {
    if (!a.text_.empty() && a.text_ == b.text_) return true;
    return a.object() == b.object();
}

std::ostream& operator<<(std::ostream& os, const unknown_members& u) { return os << json::serialize(u.object()); }

void detail::unknown_members_access::assign_text(unknown_members& u, std::string_view object_text) {
    u.reset_parsed();
    if (object_text.size() <= 2) u.text_.clear();  // "{}": nothing was received (empty() reads the text)
    else u.text_.assign(object_text.data(), object_text.size());
}

} // namespace daftra::model
