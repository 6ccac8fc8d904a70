// The event-driven reader of list answers (see list_stream.hpp). Its rules mirror parse_answer,
// list_items and unwrap (envelope.cpp) for the shapes it accepts; anything else declines.

#include "daftra/resources/list_stream.hpp"

#include "daftra/model/lenient.hpp"
#include "daftra/resources/spec.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <string>

namespace daftra::resources {
namespace json = boost::json;

namespace {

// The containers whose keys matter; anything else is skipped (outside the records) or declined.
enum class place : unsigned char { root, data, item, record, pagination };

// Which pagination number a key fills, as list_items reads them.
enum pagination_key : unsigned char { page_key, page_count_key, total_results_key, other_key };

class list_handler {
public:
    // The same limits as the tree parser, so that both refuse the same answers.
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    list_handler(std::string_view body, const resource_info& info, model::record_sink& sink)
        : body_(body), info_(info), sink_(sink) {}

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }

    bool on_object_begin(json::error_code&) { return open(false); }
    bool on_array_begin(json::error_code&) { return open(true); }
    bool on_object_end(std::size_t, json::error_code&) { return close(); }
    bool on_array_end(std::size_t, json::error_code&) { return close(); }

    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&) {
        if (key_.empty() && in_body(s)) {
            key_view_ = std::string_view(s.data(), s.size());  // unescaped, in one piece: stays valid
        } else {
            key_.append(s.data(), s.size());  // from parts or the parser's buffer for escapes
            key_view_ = key_;
        }
        return take_key();
    }

    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        text_.append(s.data(), s.size());
        return true;
    }
    bool on_string(json::string_view s, std::size_t n, json::error_code&) {
        model::scalar v;
        if (n == s.size()) {
            v.text = std::string_view(s.data(), s.size());  // whole in one piece: no copy
        } else {
            text_.append(s.data(), s.size());
            v.text = text_;
        }
        const bool ok = take(v);
        text_.clear();
        return ok;
    }

    bool on_number_part(json::string_view, json::error_code&) { return true; }
    bool on_int64(std::int64_t i, json::string_view, json::error_code&) { return take_value(json::value(i)); }
    bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) { return take_value(json::value(u)); }
    bool on_double(double d, json::string_view, json::error_code&) { return take_value(json::value(d)); }
    bool on_bool(bool b, json::error_code&) { return take_value(json::value(b)); }
    bool on_null(json::error_code&) { return take_value(json::value(nullptr)); }

    bool on_comment_part(json::string_view, json::error_code&) { return false; }
    bool on_comment(json::string_view, json::error_code&) { return false; }

    /// True when the whole answer had the accepted shape.
    bool complete() const noexcept { return depth_ == 0 && data_seen_ && pagination_seen_; }

    list_position position(std::int64_t requested_page) const {
        // list_items' defaults: page from the request, total from the items, page_count from page.
        list_position p;
        p.page = numbers_[page_key].value_or(requested_page);
        p.total_results = numbers_[total_results_key].value_or(items_);
        p.page_count = numbers_[page_count_key].value_or(p.page);
        return p;
    }

private:
    static constexpr std::size_t max_places = 4;  // root > data > item > record

    bool in_body(json::string_view s) const noexcept {
        const std::less_equal<const char*> before_or_at;
        return before_or_at(body_.data(), s.data()) && before_or_at(s.data() + s.size(), body_.data() + body_.size());
    }

    void forget_key() noexcept {
        key_.clear();
        key_view_ = {};
    }

    bool take_value(const json::value& v) {
        model::scalar s;
        s.value = &v;
        return take(s);
    }

    place top() const noexcept { return places_[depth_ - 1]; }

    bool push(place p) {
        places_[depth_++] = p;
        return true;
    }

    // A key of the current container: the checks that depend on the key alone.
    bool take_key() {
        if (skipping_ > 0) {
            forget_key();
            return true;
        }
        switch (top()) {
        case place::root:
            if (key_view_ == "data") return !std::exchange(data_seen_, true);
            if (key_view_ == "pagination") return !std::exchange(pagination_seen_, true);
            return true;
        case place::item:
            // A second wrapper key: unwrap's choice between them is left to the tree path.
            if (key_view_ == info_.read_key || (!info_.read_key_alt.empty() && key_view_ == info_.read_key_alt)) return first_key_;
            return !first_key_;  // an item that does not start with its wrapper: left to the tree path
        case place::pagination:
            number_ = other_key;
            if (key_view_ == "page") number_ = page_key;
            else if (key_view_ == "page_count") number_ = page_count_key;
            else if (key_view_ == "total_results") number_ = total_results_key;
            if (number_ != other_key && std::exchange(number_seen_[number_], true)) return false;
            return true;
        default: return true;
        }
    }

    // An object or array starts.
    bool open(bool array) {
        if (skipping_ > 0) {
            ++skipping_;
            return true;
        }
        if (depth_ == 0) return !array && push(place::root);
        bool ok = true;
        switch (top()) {
        case place::root:
            if (key_view_ == "data") ok = array && push(place::data);
            else if (key_view_ == "pagination") ok = !array && push(place::pagination);
            else skipping_ = 1;
            break;
        case place::data:
            ok = !array && push(place::item);
            first_key_ = true;
            break;
        case place::item:
            // Only the wrapper's object, as the item's first key (take_key checked which key it is).
            ok = !array && first_key_ && sink_.begin_record(key_view_) && push(place::record);
            first_key_ = false;
            break;
        case place::pagination:
            // list_items falls back to its default for a number that is not a scalar.
            if (number_ != other_key) numbers_[number_].reset();
            skipping_ = 1;
            break;
        case place::record: ok = false; break;  // nested values: relations and the like
        }
        forget_key();
        return ok;
    }

    bool close() {
        if (skipping_ > 0) {
            --skipping_;
            return true;
        }
        const place closing = top();
        --depth_;
        if (closing == place::record) sink_.end_fields();
        if (closing == place::item) {
            if (first_key_) return false;  // {} or an item without its wrapper
            ++items_;
        }
        return true;
    }

    // A scalar value, for the key before it (or an element of `data`).
    bool take(const model::scalar& v) {
        if (skipping_ > 0) return true;
        if (depth_ == 0) return false;
        bool ok = true;
        switch (top()) {
        case place::root:
            if (key_view_ == "data" || key_view_ == "pagination") ok = false;  // null or text where a container belongs
            else if (key_view_ == "result") ok = !(v.is_string() && v.text == "failed");
            break;
        case place::data: ok = false; break;
        case place::item: ok = !first_key_ && sink_.sibling(key_view_, v); break;
        case place::record: ok = sink_.field(key_view_, v); break;
        case place::pagination:
            if (number_ != other_key) numbers_[number_] = lenient_int(v);
            break;
        }
        forget_key();
        return ok;
    }

    // int_or (envelope.cpp): a lenient integer, or nothing when absent, null or unreadable.
    static std::optional<std::int64_t> lenient_int(const model::scalar& v) {
        std::optional<std::int64_t> out;
        std::string why;
        bool ok = false;
        if (v.is_string()) {
            const json::value text(json::string_view(v.text.data(), v.text.size()));
            ok = model::lenient::read(text, out, why);
        } else {
            ok = model::lenient::read(*v.value, out, why);
        }
        if (!ok) out.reset();
        return out;
    }

    std::string_view body_;
    const resource_info& info_;
    model::record_sink& sink_;
    std::array<place, max_places> places_{};
    std::size_t depth_ = 0;     // containers open below the skipped ones
    std::size_t skipping_ = 0;  // depth inside a value that does not matter
    std::string key_;           // the current key when it had to be copied (parts, escapes)
    std::string_view key_view_; // the current key
    std::string text_;          // a string value that arrived in parts
    bool first_key_ = false;    // the current item has not shown its wrapper yet
    bool data_seen_ = false;
    bool pagination_seen_ = false;
    pagination_key number_ = other_key;
    std::array<std::optional<std::int64_t>, 3> numbers_{};
    std::array<bool, 3> number_seen_{};
    std::int64_t items_ = 0;
};

// How many records the answer may hold: occurrences of the quoted wrapper keys (text that happens to
// contain one only makes the guess larger; capped so that a hostile answer cannot make it reserve much
// more than it sends). Reserving saves moving whole models as the page grows.
std::size_t records_hint(std::string_view body, const resource_info& info) {
    constexpr std::size_t most = 1000;
    std::size_t count = 0;
    for (std::string_view key : {info.read_key, info.read_key_alt}) {
        if (key.empty()) continue;
        for (std::size_t at = body.find(key); at != std::string_view::npos; at = body.find(key, at + key.size()))
            count += at > 0 && at + key.size() < body.size() && body[at - 1] == '"' && body[at + key.size()] == '"';
    }
    return std::min(count, most);
}

} // namespace

bool stream_list(std::string_view body, const resource_info& info, std::int64_t requested_page,
                 model::record_sink& sink, list_position& position) {
    if (info.read_key.empty()) return false;  // flat records: the tree path
    sink.reserve(records_hint(body, info));
    json::basic_parser<list_handler> parser(json::parse_options(), body, info, sink);
    json::error_code ec;
    const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
    if (ec || used != body.size() || !parser.done() || !parser.handler().complete()) return false;
    position = parser.handler().position(requested_page);
    return true;
}

} // namespace daftra::resources
