#pragma once
// A model's `extra`: the members of a record that its model does not describe, kept as received.
//
// The streaming decoder stores them as the JSON text of one object (one allocation per record, no
// JSON tree), and the text is parsed into a boost::json::object only when somebody reads it. Most
// callers never look at `extra`, so most records never pay for the tree. Reading works as on a
// boost::json::object (at, contains, find, iteration, size, comparison, conversion to
// `const boost::json::object&`); writing goes through `modify()` or the few writers below, after
// which the object is what counts and the received text is dropped.
//
// Threads: like a standard container, const members may be called from several threads at once
// (the first reader's parse is published atomically; a concurrent first reader may parse too and
// throws its copy away), non-const members need exclusive access.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

namespace daftra::model {

class unknown_members;

namespace detail {
// The decoders' access: the stream writes the text it built, the tests read which form is held.
struct unknown_members_access {
    static void assign_text(unknown_members& u, std::string_view object_text);
};
} // namespace detail

class unknown_members {
public:
    using key_type = boost::json::object::key_type;
    using const_iterator = boost::json::object::const_iterator;

    /// No members.
    unknown_members() noexcept = default;
    /// Members from an object, e.g. `.extra = boost::json::object{{"custom", "kept"}}`.
    unknown_members(boost::json::object members);
    /// Members as with a boost::json::object's initializer list: `.extra = {{"custom", "kept"}}`.
    unknown_members(std::initializer_list<std::pair<boost::json::string_view, boost::json::value_ref>> init);

    unknown_members(const unknown_members& other);
    unknown_members(unknown_members&& other) noexcept;
    unknown_members& operator=(const unknown_members& other);
    unknown_members& operator=(unknown_members&& other) noexcept;
    ~unknown_members();

    // ---- reading (parses the received text on the first call) --------------------------------

    /// The members as an object.
    const boost::json::object& object() const;
    operator const boost::json::object&() const { return object(); }

    bool empty() const noexcept;
    std::size_t size() const { return object().size(); }
    bool contains(std::string_view key) const { return object().contains(key); }
    const boost::json::value* if_contains(std::string_view key) const { return object().if_contains(key); }
    /// Throws std::out_of_range (as boost::json::object::at) when the key is absent.
    const boost::json::value& at(std::string_view key) const { return object().at(key); }
    const_iterator find(std::string_view key) const { return object().find(key); }
    const_iterator begin() const { return object().begin(); }
    const_iterator end() const { return object().end(); }

    /// The members as the decoder received them: the text of one JSON object (`{"k":v,…}`, with
    /// the values' own spelling of numbers), without parsing it. Empty when the members were not
    /// read from an answer by the streaming decoder, or were changed since.
    std::string_view received_text() const noexcept { return text_; }

    /// Whether the members are held as a parsed object (read or changed since they were received).
    bool is_parsed() const noexcept { return parsed_.load(std::memory_order_acquire) != nullptr; }

    // ---- writing (the object becomes what counts; the received text is dropped) ----------------

    /// The members as an object that may be changed.
    boost::json::object& modify();
    boost::json::value& operator[](std::string_view key) { return modify()[key]; }
    template <class Arg>
    std::pair<boost::json::object::iterator, bool> emplace(std::string_view key, Arg&& arg) {
        return modify().emplace(key, std::forward<Arg>(arg));
    }
    std::size_t erase(std::string_view key) { return modify().erase(key); }
    void clear() noexcept;

    /// Equal members, whatever their form (text is compared as parsed: `{"a":1.0}` equals `{"a":1.0}`
    /// parsed from `1.00`, as boost::json::object's comparison says).
    friend bool operator==(const unknown_members& a, const unknown_members& b);
    friend bool operator==(const unknown_members& a, const boost::json::object& b) { return a.object() == b; }
    /// Writes the members as JSON.
    friend std::ostream& operator<<(std::ostream& os, const unknown_members& u);

private:
    friend struct detail::unknown_members_access;

    boost::json::object* parse() const;
    void reset_parsed() noexcept;

    std::string text_;  // the received object's text; empty when none was received or it was changed
    // The parsed members, owned; once set by a const reader it stays until the next non-const call.
    mutable std::atomic<boost::json::object*> parsed_{nullptr};
};

} // namespace daftra::model
