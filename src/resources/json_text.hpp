#pragma once
// Writes JSON text from Boost.JSON parser events: the streaming decoder (list_stream.cpp) keeps a
// record's unknown members as text this way instead of building a tree (model::unknown_members).
// Strings arrive unescaped and are escaped again; numbers keep the answer's own spelling, so that
// parsing the text gives exactly the values the answer held.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace daftra::resources::detail {

/// Whether `s` goes between a JSON string's quotes as it is (no quote, backslash or control character).
bool plain(std::string_view s) noexcept;

/// Appends `s` to `out` as the inside of a JSON string (quotes not included).
void append_escaped(std::string& out, std::string_view s);

/// Appends `<separator>"key":value` to `out`, the value between quotes when `quoted` (a string) and as it
/// is otherwise (a number's or literal's text, or nothing when an object or array follows), escaping
/// what needs it. One change of the string's size when nothing needs escaping, as with most keys.
void append_member(std::string& out, char separator, std::string_view key, std::string_view value, bool quoted);

/// One JSON value, possibly nested, written event by event into a string the caller owns. Keys and
/// strings may come in parts (the parser's *_part events) and are closed by the final event.
class json_text_writer {
public:
    /// Nesting this deep or more is refused (the parser's own limit, parse_options::max_depth, is 32).
    static constexpr std::size_t max_depth = 64;

    /// Starts a value at the end of `out`.
    void start(std::string& out) noexcept {
        out_ = &out;
        depth_ = 0;
        has_element_ = is_array_ = 0;
        in_text_ = false;
    }
    /// Levels open: the value is complete once a container's close brings this back to 0.
    std::size_t depth() const noexcept { return depth_; }

    bool open(bool array) {
        if (depth_ == max_depth) return false;
        before_value();
        *out_ += array ? '[' : '{';
        const std::uint64_t bit = std::uint64_t{1} << depth_++;
        has_element_ &= ~bit;
        if (array) is_array_ |= bit;
        else is_array_ &= ~bit;
        return true;
    }
    void close(bool array) {
        --depth_;
        *out_ += array ? ']' : '}';
    }
    void key_part(std::string_view s) {
        if (!in_text_) {
            const std::uint64_t bit = current_bit();
            if (has_element_ & bit) *out_ += ',';
            has_element_ |= bit;
            *out_ += '"';
            in_text_ = true;
        }
        append_escaped(*out_, s);
    }
    void key(std::string_view s) {
        key_part(s);
        *out_ += "\":";
        in_text_ = false;
    }
    void string_part(std::string_view s) {
        begin_scalar("\"");
        append_escaped(*out_, s);
    }
    void string(std::string_view s) {
        string_part(s);
        *out_ += '"';
        in_text_ = false;
    }
    /// A number's text or part of it (its last part ends the number), or `true`, `false`, `null`.
    void number_part(std::string_view s) {
        begin_scalar("");
        out_->append(s.data(), s.size());
    }
    void number(std::string_view s) {
        number_part(s);
        in_text_ = false;
    }
    void literal(std::string_view s) { number(s); }

private:
    std::uint64_t current_bit() const noexcept { return std::uint64_t{1} << (depth_ - 1); }

    // The first part of a string or number: its separator, and `opening` (a quote for strings).
    void begin_scalar(std::string_view opening) {
        if (in_text_) return;
        before_value();
        out_->append(opening.data(), opening.size());
        in_text_ = true;
    }

    // In an array, elements after the first are preceded by a comma (in an object the key is).
    void before_value() {
        if (depth_ == 0) return;
        const std::uint64_t bit = current_bit();
        if (!(is_array_ & bit)) return;
        if (has_element_ & bit) *out_ += ',';
        has_element_ |= bit;
    }

    std::string* out_ = nullptr;
    std::size_t depth_ = 0;
    std::uint64_t has_element_ = 0;  // bit d: the container at depth d+1 has an element already
    std::uint64_t is_array_ = 0;     // bit d: the container at depth d+1 is an array
    bool in_text_ = false;           // inside a key, string or number that came in parts
};

} // namespace daftra::resources::detail
