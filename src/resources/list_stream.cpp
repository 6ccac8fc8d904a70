// The event-driven reader of answers (see list_stream.hpp). Its rules mirror parse_answer, list_items,
// single_item, unwrap and created_id (envelope.cpp) and decode_into / read_member (codec_impl.hpp)
// for the shapes it accepts; anything else declines. The models are reached only through
// model::record_ops, so one reader serves every model: a stack of frames, each a container of the
// answer with the record (and its ops) it fills.

#include "daftra/detail/list_stream.hpp"
#include "daftra/detail/envelope.hpp"

#include "daftra/model/lenient.hpp"
#include "daftra/resources/spec.hpp"
#include "json_text.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <atomic>
#include <array>
#include <bitset>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace daftra::resources {
namespace json = boost::json;

namespace {

// Relaxed: a count for tests, one increment per answer, read after the calls it counts have finished.
std::atomic<std::uint64_t> streamed_count{0};

constexpr std::size_t no_member = static_cast<std::size_t>(-1);
constexpr std::size_t max_members = 256;  // per model; the largest built-in model has 81

enum class operation : unsigned char { list, get, create };

// The containers the reader tracks, one frame each.
enum class place : unsigned char {
    root,            // the answer's object (lists and creates)
    data_list,       // list: the `data` array, whose elements are items
    get_data_array,  // get: `data` as an array; its first element is the item
    item,            // an answer item (and a get's root): its wrapper key opens the record, siblings follow
    record,          // a record's own keys
    rows_array,      // the array of a model::rows member: each object is a row
    one_array,       // a model::one member given as an array: one object at most
    numbers,         // `pagination` or `meta`
    create_data,     // create: the `data` object
    create_wrapper,  // create: `data.<Wrapper>`
};

enum class item_state : unsigned char {
    start,     // no key yet: the first key decides between wrapped and flat
    pending,   // a get's root before its first object or array: scalars are kept (stash_) until it is
               // clear whether this is an envelope (`data`), a wrapped or a flat record
    wrapped,   // the wrapper's object opened the record: the keys after it are siblings
    envelope,  // a get's root after `data`: the other keys only matter for `result` and `code`
};

// What a key beside the wrapper does.
enum class sibling_action : unsigned char { skip, relation, extra };

// Keys of the answer's root that matter whatever the operation.
enum class root_key : unsigned char { other, result, code, data, pagination, meta, id, number, current_page, total, last_page };

// The three groups of page numbers list_items reads, and the keys of each.
enum number_group : unsigned char { root_numbers, pagination_numbers, meta_numbers };
constexpr std::size_t no_number = 3;

struct frame {
    place where = place::root;
    item_state state = item_state::start;
    bool top = false;            // record: the item itself (a flat record): a wrapper object in it declines
    bool root = false;           // item/record: the get's root: a later `data` declines
    bool map_candidate = false;  // record read from an object given for rows: all keys unknown with object values so far
    bool wrapped = false;        // record: the object of its item's wrapper key
    number_group group = root_numbers;
    void* object = nullptr;  // record/item: the record; rows_array: the vector; one_array: the optional
    void* list = nullptr;    // record of a row: its vector (to drop the row `{}` stands for)
    const model::record_ops* ops = nullptr;
    std::size_t keys = 0;          // record: keys so far; one_array, get_data_array: elements so far
    std::size_t next = 0;          // record: the member after the previous key's (the likely next key)
    // record, and an item after its wrapper: where the record's unknown members are being written
    // (extra_text_), and the hashes of their keys (extra_keys_); no_member until the first
    std::size_t extra_at = no_member;
    std::size_t hashes_at = 0;
    std::size_t siblings_at = 0;  // item: extra_keys_ from here on came from beside the wrapper
    std::bitset<max_members> seen;      // record: members set; item: members set by the record's keys
    std::bitset<max_members> siblings;  // item: relations read from beside the wrapper
};

// An unknown key of a record being read: its hash, and where its text is (scratch::extra_key_chars).
struct unknown_key {
    std::size_t hash, at, size;
};

// The reader's buffers for unknown members. They are kept per thread from one answer to the next
// (scratch_lease), so that decoding a page does not grow them again: with them, a record's unknown
// members cost one allocation (their text in `extra`) instead of the scratch's growth on every page.
struct scratch {
    std::string extra_text;  // the unknown members of the records open (finish_extra)
    std::string extra_key_chars;
    std::vector<unknown_key> extra_keys;

    void clear() noexcept {
        extra_text.clear();
        extra_key_chars.clear();
        extra_keys.clear();
    }
    // Buffers that grew past this for one large answer are freed rather than kept by the thread.
    void trim() noexcept {
        constexpr std::size_t keep = 256 * 1024;
        for (std::string* s : {&extra_text, &extra_key_chars})
            if (s->capacity() > keep) std::string().swap(*s);
        if (extra_keys.capacity() * sizeof(unknown_key) > keep) std::vector<unknown_key>().swap(extra_keys);
    }
};

// This thread's scratch, or fresh buffers when it is in use already (a reader inside a reader).
class scratch_lease {
public:
    scratch_lease() : mine_(!busy_) {
        if (mine_) busy_ = true;
        else own_.emplace();
        get().clear();
    }
    ~scratch_lease() {
        if (!mine_) return;
        cached_.trim();
        busy_ = false;
    }
    scratch_lease(const scratch_lease&) = delete;
    scratch_lease& operator=(const scratch_lease&) = delete;

    scratch& get() noexcept { return mine_ ? cached_ : *own_; }

private:
    static thread_local scratch cached_;
    static thread_local bool busy_;
    bool mine_;
    std::optional<scratch> own_;
};
thread_local scratch scratch_lease::cached_;
thread_local bool scratch_lease::busy_ = false;

class answer_handler {
public:
    // The same limits as the tree parser, so that both refuse the same answers.
    static constexpr std::size_t max_object_size = json::object::max_size();
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    answer_handler(std::string_view body, const resource_info& info, operation op, model::record_target target,
                   scratch& buffers)
        : body_(body), info_(info), op_(op), target_(target), extra_text_(buffers.extra_text),
          extra_key_chars_(buffers.extra_key_chars), extra_keys_(buffers.extra_keys) {}

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }

    bool on_object_begin(json::error_code&) { return open(false); }
    bool on_array_begin(json::error_code&) { return open(true); }
    // (While an unknown member's object or array is written as text, every event goes to writer_.)
    bool on_object_end(std::size_t n, json::error_code&) { return close(n, false); }
    bool on_array_end(std::size_t n, json::error_code&) { return close(n, true); }

    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        if (texting_) return writer_.key_part(s), true;
        if (building_ > 0) {
            values_.push_chars(s);
            return true;
        }
        key_.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&) {
        if (building_ > 0 || texting_) [[unlikely]] return nested_key(s);
        if (key_.empty() && in_body(s)) {
            key_view_ = std::string_view(s.data(), s.size());  // unescaped, in one piece: stays valid
        } else {
            key_.append(s.data(), s.size());  // from parts or the parser's buffer for escapes
            key_view_ = key_;
        }
        if (skipping_ > 0) {
            forget_key();
            return true;
        }
        return next_key(key_view_) || take_key(key_view_) || decline();
    }

    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        if (texting_) writer_.string_part(s);
        else if (building_ > 0) values_.push_chars(s);
        else if (skipping_ == 0) text_.append(s.data(), s.size());
        return true;
    }
    bool on_string(json::string_view s, std::size_t n, json::error_code&) {
        if (building_ > 0 || texting_) [[unlikely]] return nested_string(s);
        if (skipping_ > 0) return true;
        model::scalar v;
        if (n == s.size()) {
            v.text = std::string_view(s.data(), s.size());  // whole in one piece: no copy
        } else {
            text_.append(s.data(), s.size());
            v.text = text_;
            v.owned = &text_;
        }
        const bool ok = member_value() ? take_member(v) : take(v);
        text_.clear();
        return ok || decline();
    }

    // Keys and strings inside a value built for a member or written as text for `extra`: out of line,
    // so that the common path of on_key and on_string stays small enough to be inlined into the parser.
    [[gnu::noinline]] bool nested_key(json::string_view s) {
        if (texting_) writer_.key(s);
        else values_.push_key(s);
        return true;
    }
    [[gnu::noinline]] bool nested_string(json::string_view s) {
        if (texting_) writer_.string(s);
        else values_.push_string(s);
        return true;
    }

    bool on_number_part(json::string_view s, json::error_code&) {
        if (texting_) writer_.number_part(s);
        else if (building_ == 0 && skipping_ == 0) number_text_.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, json::string_view s, json::error_code&) {
        if (texting_) return writer_.number(s), true;
        if (building_ > 0) return values_.push_int64(i), true;
        return take_number(json::value(i), s);
    }
    bool on_uint64(std::uint64_t u, json::string_view s, json::error_code&) {
        if (texting_) return writer_.number(s), true;
        if (building_ > 0) return values_.push_uint64(u), true;
        return take_number(json::value(u), s);
    }
    bool on_double(double d, json::string_view s, json::error_code&) {
        if (texting_) return writer_.number(s), true;
        if (building_ > 0) return values_.push_double(d), true;
        return take_number(json::value(d), s);
    }
    bool on_bool(bool b, json::error_code&) {
        if (texting_) return writer_.literal(b ? "true" : "false"), true;
        if (building_ > 0) return values_.push_bool(b), true;
        return take_value(json::value(b));
    }
    bool on_null(json::error_code&) {
        if (texting_) return writer_.literal("null"), true;
        if (building_ > 0) return values_.push_null(), true;
        return take_value(json::value(nullptr));
    }

    bool on_comment_part(json::string_view, json::error_code&) { return decline(); }
    bool on_comment(json::string_view, json::error_code&) { return decline(); }

    /// The outcome once the parser has read the whole body without error.
    stream_outcome outcome(std::int64_t requested_page) const {
        stream_outcome out;
        if (declined_ || depth_ != 0 || !root_seen_) return out;
        if (failed_) {
            out.status = stream_outcome::failed;
            out.code = code_.value_or(0);
            return out;
        }
        switch (op_) {
        case operation::list: {
            if (!data_seen_) return out;  // list_items: "a list answer must have `data`"
            // list_items' defaults: page from the request, total from the items, page_count from page.
            const auto& n = pagination_object_ ? numbers_[pagination_numbers]
                                               : numbers_[meta_object_ ? meta_numbers : root_numbers];
            out.page = n[0].value_or(requested_page);
            out.total_results = n[2].value_or(items_);
            out.page_count = n[1].value_or(out.page);
            break;
        }
        case operation::get:
            if (!record_done_) return out;
            break;
        case operation::create: {
            // created_answer: `id` at the root, else in `data`, else in data.<read_key> or
            // data.<read_key_alt>; the number beside it.
            std::size_t level = 0;
            if (!root_id_seen_) {
                if (!data_object_) return out;
                level = 1;
                if (!data_id_seen_) {
                    if (wrapper_object_[0]) level = 2;
                    else if (wrapper_object_[1]) level = 3;
                    else return out;
                }
            }
            const std::optional<json::value>& id = ids_[level];
            if (!id) return out;  // no id: the tree writes the error
            std::optional<std::int64_t> value;
            std::string why;
            if (!model::lenient::read(*id, value, why) || !value) return out;
            out.id = *value;
            out.number = document_number(doc_numbers_[level] ? &*doc_numbers_[level] : nullptr);
            break;
        }
        }
        out.status = stream_outcome::decoded;
        return out;
    }

private:
    static constexpr std::size_t max_frames = 40;  // parse_options::max_depth is 32

    bool decline() noexcept {
        declined_ = true;
        return false;
    }

    bool in_body(json::string_view s) const noexcept {
        const std::less_equal<const char*> before_or_at;
        return before_or_at(body_.data(), s.data()) && before_or_at(s.data() + s.size(), body_.data() + body_.size());
    }

    bool is_wrapper(std::string_view key) const noexcept {
        return (!info_.read_key.empty() && key == info_.read_key) ||
               (!info_.read_key_alt.empty() && key == info_.read_key_alt);
    }

    void forget_key() noexcept {
        key_.clear();
        key_view_ = {};
    }

    frame& top() noexcept { return frames_[depth_ - 1]; }

    frame* push(place where) {
        if (depth_ == max_frames) return nullptr;
        frame& f = frames_[depth_++];
        f = frame();
        f.where = where;
        return &f;
    }

    frame* push_record(void* record, const model::record_ops& ops) {
        if (ops.members > max_members) return nullptr;
        frame* f = push(place::record);
        if (f) {
            f->object = record;
            f->ops = &ops;
        }
        return f;
    }

    static bool is_nothing(const model::scalar& v) noexcept {
        // codec_impl.hpp's is_nothing for scalars: null, "", false
        if (v.is_string()) return v.text.empty();
        return v.value->is_null() || (v.value->is_bool() && !v.value->get_bool());
    }

    // int_or (envelope.cpp): a lenient integer, or nothing when null, empty or unreadable.
    static std::optional<std::int64_t> lenient_int(const model::scalar& v) {
        std::optional<std::int64_t> out;
        bool ok = false;
        if (v.is_string()) {
            ok = model::lenient::read_text(v.text, out);
        } else {
            std::string why;
            ok = model::lenient::read(*v.value, out, why);
        }
        if (!ok) out.reset();
        return out;
    }

    static json::value copy_of(const model::scalar& v) {
        if (v.is_string()) return json::value(json::string_view(v.text.data(), v.text.size()));
        return *v.value;
    }

    // A number, with its text as the answer spells it (for `extra`).
    bool take_number(const json::value& v, json::string_view last_part) {
        if (number_text_.empty()) {
            raw_number_ = std::string_view(last_part.data(), last_part.size());
        } else {
            number_text_.append(last_part.data(), last_part.size());
            raw_number_ = number_text_;
        }
        const bool ok = take_value(v);
        raw_number_ = {};
        number_text_.clear();
        return ok;
    }

    bool take_value(const json::value& v) {
        if (skipping_ > 0) return true;
        model::scalar s;
        s.value = &v;
        return (member_value() ? take_member(s) : take(s)) || decline();
    }

    // ---- the hot path: keys and values of nested records ----------------------------------------
    // Most events of a page are a key of a record below the root and its scalar value. These do
    // what take_key/record_key and take/record_scalar do for them, in small functions that the
    // handler inlines; anything else (a key out of table order, a repeated key, extra, the root) goes
    // the general way.

    // A key that names the member after the previous key's, as answers list them: no hashing.
    bool next_key(std::string_view key) noexcept {
        if (depth_ < 2) return false;  // the root has its own rules (classify_root, `data`)
        frame& f = top();
        if (f.where != place::record || f.next >= f.ops->members) return false;
        const std::size_t index = f.next;
        if (!same_text(f.ops->keys[index], key) || f.seen[index]) return false;
        ++f.keys;
        index_ = index;
        f.next = index + 1;
        f.map_candidate = false;
        f.seen[index] = true;
        return true;
    }

    // Whether the current scalar is the value of a member of a record below the root.
    bool member_value() const noexcept {
        return depth_ > 1 && index_ != no_member && frames_[depth_ - 1].where == place::record;
    }

    bool take_member(const model::scalar& v) {
        frame& f = top();
        f.map_candidate = false;
        const bool ok = f.ops->kinds[index_] == model::member_kind::value ? f.ops->set_scalar(f.object, index_, v)
                                                                          : is_nothing(v);
        forget_key();
        return ok;
    }

    // Equality of two keys without a call to memcmp: keys are short, and compared once per key.
    static bool same_text(std::string_view a, std::string_view b) noexcept {
        std::size_t n = a.size();
        if (n != b.size()) return false;
        const char* p = a.data();
        const char* q = b.data();
        const auto word = [](const char* at) {
            std::uint64_t w;
            std::memcpy(&w, at, sizeof w);
            return w;
        };
        const auto half = [](const char* at) {
            std::uint32_t w;
            std::memcpy(&w, at, sizeof w);
            return w;
        };
        if (n >= 8) {
            for (; n > 8; n -= 8, p += 8, q += 8)
                if (word(p) != word(q)) return false;
            return word(p + n - 8) == word(q + n - 8);  // the last 8 bytes, overlapping the previous ones
        }
        if (n >= 4) return half(p) == half(q) && half(p + n - 4) == half(q + n - 4);
        for (; n > 0; --n, ++p, ++q)
            if (*p != *q) return false;
        return true;
    }

    // ---- keys ----------------------------------------------------------------------------------

    static root_key classify_root(std::string_view key) noexcept {
        if (key == "result") return root_key::result;
        if (key == "code") return root_key::code;
        if (key == "data") return root_key::data;
        if (key == "pagination") return root_key::pagination;
        if (key == "meta") return root_key::meta;
        if (key == "id") return root_key::id;
        if (key == "number") return root_key::number;
        if (key == "current_page") return root_key::current_page;
        if (key == "total") return root_key::total;
        if (key == "last_page") return root_key::last_page;
        return root_key::other;
    }

    // A key of the current container: the checks that depend on the key alone.
    bool take_key(std::string_view key) {
        if (depth_ == 1) root_key_ = classify_root(key);
        frame& f = top();
        switch (f.where) {
        case place::root:
            return true;
        case place::numbers:
            number_ = no_number;
            if (f.group == pagination_numbers) {
                if (key == "page") number_ = 0;
                else if (key == "page_count") number_ = 1;
                else if (key == "total_results") number_ = 2;
            } else {
                if (key == "current_page") number_ = 0;
                else if (key == "last_page") number_ = 1;
                else if (key == "total") number_ = 2;
            }
            return true;
        case place::create_data:
        case place::create_wrapper:
            return true;
        case place::item:
            if (f.root && f.state != item_state::pending && key == "data") return false;  // the tree would take it
            if (f.state == item_state::wrapped) return sibling_key(f, key);
            return true;
        case place::record:
            if (f.root && key == "data") return false;
            return record_key(f, key);
        default:
            return false;  // arrays have no keys
        }
    }

    bool record_key(frame& f, std::string_view key) {
        ++f.keys;
        const std::size_t index = f.next < f.ops->members && f.ops->keys[f.next] == key ? f.next : f.ops->find(key);
        index_ = index;
        if (index == no_member) return true;  // repeated unknown keys are caught when added to extra
        f.next = index + 1;
        f.map_candidate = false;
        if (f.seen[index]) return false;  // the tree keeps the last of repeated keys: let it decide
        f.seen[index] = true;
        return true;
    }

    bool sibling_key(frame& f, std::string_view key) {
        if (is_wrapper(key)) return false;  // a second wrapper: unwrap's choice is left to the tree
        action_ = sibling_action::skip;
        const std::size_t index = f.ops->find(key);
        index_ = index;
        if (index != no_member) {
            // Known keys beside the wrapper are ignored by decode_into, except relations the record
            // itself did not carry.
            if (f.ops->kinds[index] == model::member_kind::value || f.seen[index]) return true;
            if (f.siblings[index]) return false;  // repeated
            f.siblings[index] = true;
            action_ = sibling_action::relation;
            return true;
        }
        if (f.ops->extra(f.object)) {
            const std::size_t at = find_unknown(f, key, std::hash<std::string_view>{}(key));
            if (at == no_member) action_ = sibling_action::extra;
            else if (at >= f.siblings_at) return false;  // a repeated sibling: the tree resolves it
            // else the record's own key wins: the sibling is skipped
        }
        return true;
    }

    // ---- scalars -------------------------------------------------------------------------------

    void root_scalar(const model::scalar& v) {
        if (root_key_ == root_key::result) failed_ = v.is_string() && v.text == "failed";
        else if (root_key_ == root_key::code) code_ = lenient_int(v);
    }

    // A scalar value, for the key before it (or an element of an array).
    bool take(const model::scalar& v) {
        if (depth_ == 0) return false;  // not an object: every operation's tree path rejects it
        if (depth_ == 1) root_scalar(v);
        frame& f = top();
        bool ok = true;
        switch (f.where) {
        case place::root:
            ok = root_value_scalar(v);
            break;
        case place::numbers:
            if (number_ != no_number) numbers_[f.group][number_] = lenient_int(v);
            break;
        case place::create_data:
            if (key_view_ == "id") ok = !std::exchange(data_id_seen_, true) && (ids_[1] = copy_of(v), true);
            else if (key_view_ == "number") ok = take_number(1, v);
            else if (const int w = wrapper_index(key_view_); w >= 0) ok = !std::exchange(wrapper_seen_[w], true);
            break;
        case place::create_wrapper:
            if (key_view_ == "id") ok = !std::exchange(wrapper_id_seen_[f.keys], true) && (ids_[2 + f.keys] = copy_of(v), true);
            else if (key_view_ == "number") ok = take_number(2 + f.keys, v);
            break;
        case place::data_list:
        case place::rows_array:
        case place::one_array:
            ok = false;  // a scalar where a record belongs
            break;
        case place::get_data_array:
            ok = f.keys++ > 0;  // the first element must be the record
            break;
        case place::item:
            ok = item_scalar(f, v);
            break;
        case place::record:
            ok = record_scalar(f, key_view_, v);
            break;
        }
        forget_key();
        return ok;
    }

    bool root_value_scalar(const model::scalar& v) {
        switch (root_key_) {
        case root_key::data:
            if (std::exchange(data_seen_, true)) return false;
            // For creates a non-object `data` holds no id; list_items reads `"data": null` as no
            // records and fails on other scalars.
            if (op_ == operation::create) return true;
            return !v.is_string() && v.value->is_null();
        case root_key::pagination:
            if (std::exchange(pagination_seen_, true)) return false;
            return true;  // not an object: the Laravel fields are read instead
        case root_key::meta:
            if (std::exchange(meta_seen_, true)) return false;
            return true;
        case root_key::current_page: numbers_[root_numbers][0] = lenient_int(v); return true;
        case root_key::last_page: numbers_[root_numbers][1] = lenient_int(v); return true;
        case root_key::total: numbers_[root_numbers][2] = lenient_int(v); return true;
        case root_key::id:
            if (op_ != operation::create) return true;
            if (std::exchange(root_id_seen_, true)) return false;
            ids_[0] = copy_of(v);
            return true;
        case root_key::number:
            return op_ != operation::create || take_number(0, v);
        default: return true;
        }
    }

    // A create answer's `number` at `level` (as ids_); a repeated one is left to the tree, whose object
    // keeps the last.
    bool take_number(std::size_t level, const model::scalar& v) {
        if (std::exchange(doc_number_seen_[level], true)) return false;
        doc_numbers_[level] = copy_of(v);
        return true;
    }

    bool item_scalar(frame& f, const model::scalar& v) {
        switch (f.state) {
        case item_state::start:
            // Not a wrapper object: the item is the record itself.
            to_flat(f);
            return record_key(f, key_view_) && record_scalar(f, key_view_, v);
        case item_state::pending:
            if (root_key_ == root_key::data) return false;  // single_item: `data` must hold a record
            stash_.push_back({std::string(key_view_), copy_of(v), std::string(raw_number_)});
            return true;
        case item_state::wrapped:
            return sibling_scalar(f, key_view_, v);
        case item_state::envelope:
            return true;
        }
        return false;
    }

    bool record_scalar(frame& f, std::string_view key, const model::scalar& v) {
        f.map_candidate = false;
        const std::size_t index = index_;
        if (index == no_member) return add_extra(f, key, v);
        switch (f.ops->kinds[index]) {
        case model::member_kind::value: return f.ops->set_scalar(f.object, index, v);
        default: return is_nothing(v);  // a relation spelled as "nothing" stays empty; other scalars are errors
        }
    }

    bool sibling_scalar(frame& f, std::string_view key, const model::scalar& v) {
        switch (action_) {
        case sibling_action::skip: return true;
        case sibling_action::relation: return is_nothing(v);
        case sibling_action::extra: return add_extra(f, key, v);
        }
        return false;
    }

    // ---- unknown members: written as the text of one object per record (model::unknown_members) --

    bool add_extra(frame& f, std::string_view key, const model::scalar& v) {
        if (!f.ops->extra(f.object)) return true;  // a model without `extra` drops them
        if (v.is_string()) return add_extra_member(f, key, v.text, true);
        if (!raw_number_.empty()) return add_extra_member(f, key, raw_number_, false);
        if (v.value->is_null()) return add_extra_member(f, key, "null", false);
        if (v.value->is_bool()) return add_extra_member(f, key, v.value->get_bool() ? "true" : "false", false);
        // A number always comes with its text. (Writing the value again would not do: Boost.JSON 1.81
        // does not read every long number back to the same double.)
        return false;
    }

    // Where f's record has the unknown key `key` among extra_keys_, or no_member.
    std::size_t find_unknown(const frame& f, std::string_view key, std::size_t hash) const noexcept {
        if (f.extra_at == no_member) return no_member;
        for (std::size_t i = f.hashes_at; i < extra_keys_.size(); ++i) {
            const unknown_key& k = extra_keys_[i];
            if (k.hash == hash && std::string_view(extra_key_chars_).substr(k.at, k.size) == key) return i;
        }
        return no_member;
    }

    // Writes `"key":value` into f's object text, opening it or after a comma; `value` is a string's text
    // (`quoted`), a scalar's JSON text, or nothing when an object or array follows. False, for the tree
    // to decide, when the key repeats one of the record's unknown keys (the tree keeps the last), or the
    // record has more unknown keys than the linear repeat check is meant for.
    bool add_extra_member(frame& f, std::string_view key, std::string_view value, bool quoted) {
        static constexpr std::size_t max_unknown_keys = 512;
        const std::size_t hash = std::hash<std::string_view>{}(key);
        char separator = ',';
        if (f.extra_at == no_member) {
            f.extra_at = extra_text_.size();
            f.hashes_at = extra_keys_.size();
            separator = '{';
        } else {
            if (extra_keys_.size() - f.hashes_at >= max_unknown_keys) return false;
            if (find_unknown(f, key, hash) != no_member) return false;
        }
        extra_keys_.push_back({hash, extra_key_chars_.size(), key.size()});
        extra_key_chars_.append(key);
        detail::append_member(extra_text_, separator, key, value, quoted);
        return true;
    }

    // An unknown member's object or array: the events until it closes are written as text.
    bool begin_extra_container(frame& f, std::string_view key, bool array) {
        if (!add_extra_member(f, key, {}, false)) return false;
        writer_.start(extra_text_);
        texting_ = true;
        return writer_.open(array);
    }

    // f's record is complete: its text goes into its `extra` (one allocation) and leaves the scratch.
    // Records close innermost first, so the text of the record closing is always the scratch's tail.
    void finish_extra(frame& f) {
        if (f.extra_at == no_member) return;
        extra_text_ += '}';
        model::detail::unknown_members_access::assign_text(*f.ops->extra(f.object),
                                                           std::string_view(extra_text_).substr(f.extra_at));
        extra_text_.resize(f.extra_at);
        if (f.hashes_at < extra_keys_.size()) extra_key_chars_.resize(extra_keys_[f.hashes_at].at);
        extra_keys_.resize(f.hashes_at);
        f.extra_at = no_member;
    }

    // The item turns out to be its own record (no wrapper object first).
    static void to_flat(frame& f) {
        f.where = place::record;
        f.top = true;
    }

    int wrapper_index(std::string_view key) const noexcept {
        if (!info_.read_key.empty() && key == info_.read_key) return 0;
        if (!info_.read_key_alt.empty() && key == info_.read_key_alt) return 1;
        return -1;
    }

    // ---- containers ----------------------------------------------------------------------------

    // Starts building an object or array value for the member `index` with a value_stack.
    bool build(std::size_t index) {
        build_index_ = index;
        values_.reset(json::storage_ptr());
        building_ = 1;
        return true;
    }

    bool skip() {
        skipping_ = 1;
        return true;
    }

    // An object or array starts.
    bool open(bool array) {
        if (texting_) return writer_.open(array) || decline();
        if (building_ > 0) {
            ++building_;
            return true;
        }
        if (skipping_ > 0) {
            ++skipping_;
            return true;
        }
        const bool ok = open_here(array);
        forget_key();
        return ok || decline();
    }

    bool open_here(bool array) {
        if (depth_ == 0) {
            if (array) return false;  // every operation's tree path wants an object
            root_seen_ = true;
            if (op_ != operation::get) return push(place::root) != nullptr;
            frame* f = push(place::item);
            f->state = item_state::pending;
            f->root = true;
            f->object = target_.object;
            f->ops = target_.ops;
            return true;
        }
        if (depth_ == 1) {
            if (root_key_ == root_key::result) failed_ = false;
            else if (root_key_ == root_key::code) code_.reset();
        }
        frame& f = top();
        switch (f.where) {
        case place::root: return root_open(array);
        case place::numbers:
            if (number_ != no_number) numbers_[f.group][number_].reset();  // not a number: the default
            return skip();
        case place::create_data: {
            if (key_view_ == "id") return false;  // not an integer: the tree writes the error
            if (key_view_ == "number") return !std::exchange(doc_number_seen_[1], true) && skip();  // not a number: none
            const int w = wrapper_index(key_view_);
            if (w < 0) return skip();
            if (std::exchange(wrapper_seen_[w], true)) return false;
            if (array) return skip();
            wrapper_object_[w] = true;
            frame* g = push(place::create_wrapper);
            if (g) g->keys = static_cast<std::size_t>(w);
            return g != nullptr;
        }
        case place::create_wrapper:
            if (key_view_ == "id") return false;
            if (key_view_ == "number") return !std::exchange(doc_number_seen_[2 + f.keys], true) && skip();
            return skip();
        case place::data_list: {
            if (array) return false;
            frame* g = push(place::item);
            if (!g) return false;
            g->object = target_.ops->push(target_.object);
            g->ops = target_.ops;
            return true;
        }
        case place::get_data_array: {
            if (f.keys++ > 0) return skip();  // only the first element is read
            if (array) return false;
            frame* g = push(place::item);
            if (!g) return false;
            g->object = target_.object;
            g->ops = target_.ops;
            return true;
        }
        case place::rows_array: {
            if (array) return false;
            return push_record(f.ops->push(f.object), *f.ops) != nullptr;
        }
        case place::one_array: {
            if (array || f.keys++ > 0) return false;  // only [ {record} ] stands for one record
            return push_record(f.ops->emplace(f.object), *f.ops) != nullptr;
        }
        case place::item: return item_open(f, array);
        case place::record: return record_open(f, key_view_, array);
        }
        return false;
    }

    bool root_open(bool array) {
        switch (root_key_) {
        case root_key::data:
            if (std::exchange(data_seen_, true)) return false;
            if (op_ == operation::create) {
                if (array) return skip();
                data_object_ = true;
                return push(place::create_data) != nullptr;
            }
            // PHP's map of items ({"0":{…}}) is left to the tree path.
            if (!array) return false;
            target_.ops->reserve(target_.object, records_hint());
            return push(place::data_list) != nullptr;
        case root_key::pagination:
        case root_key::meta: {
            const bool pagination = root_key_ == root_key::pagination;
            if (std::exchange(pagination ? pagination_seen_ : meta_seen_, true)) return false;
            if (op_ != operation::list || array) return skip();
            (pagination ? pagination_object_ : meta_object_) = true;
            frame* f = push(place::numbers);
            if (f) f->group = pagination ? pagination_numbers : meta_numbers;
            return f != nullptr;
        }
        case root_key::current_page: numbers_[root_numbers][0].reset(); return skip();
        case root_key::last_page: numbers_[root_numbers][1].reset(); return skip();
        case root_key::total: numbers_[root_numbers][2].reset(); return skip();
        case root_key::id:
            if (op_ != operation::create) return skip();
            return false;  // an id that is not an integer: the tree writes the error
        case root_key::number:
            if (op_ != operation::create) return skip();
            return !std::exchange(doc_number_seen_[0], true) && skip();  // an object or array: no number
        default: return skip();
        }
    }

    bool item_open(frame& f, bool array) {
        const std::string_view key = key_view_;
        switch (f.state) {
        case item_state::start:
            if (!array && is_wrapper(key)) return open_wrapped(f, key);
            to_flat(f);
            return record_key(f, key) && record_open(f, key, array);
        case item_state::pending:
            if (root_key_ == root_key::data) {
                // single_item: the record is `data` (an object, or an array's first element).
                stash_.clear();
                f.state = item_state::envelope;
                frame* g = push(array ? place::get_data_array : place::item);
                if (!g) return false;
                if (!array) {
                    g->object = target_.object;
                    g->ops = target_.ops;
                }
                return true;
            }
            if (!array && is_wrapper(key)) {
                // The scalars before the wrapper are siblings: a repeated wrapper is for the tree.
                for (const auto& kept : stash_)
                    if (is_wrapper(kept.key)) return false;
                return open_wrapped(f, key);
            }
            // The root is the record itself: what came before are its fields.
            to_flat(f);
            if (!replay(f, false)) return false;
            return record_key(f, key) && record_open(f, key, array);
        case item_state::wrapped:
            switch (action_) {
            case sibling_action::skip: return skip();
            case sibling_action::relation: return open_relation(f, index_, array);
            case sibling_action::extra: return begin_extra_container(f, key, array);
            }
            return false;
        case item_state::envelope:
            return skip();
        }
        return false;
    }

    bool open_wrapped(frame& f, std::string_view key) {
        // decode_into also looks for relations among the siblings, which include the wrapper itself.
        const std::size_t index = f.ops->find(key);
        if (index != no_member && f.ops->kinds[index] != model::member_kind::value) return false;
        f.state = item_state::wrapped;
        frame* g = push_record(f.object, *f.ops);
        if (g) g->wrapped = true;
        return g != nullptr;
    }

    bool record_open(frame& f, std::string_view key, bool array) {
        // A wrapper object in a flat item: unwrap would have taken it as the record.
        if (f.top && !array && is_wrapper(key)) return false;
        const std::size_t index = index_;
        if (index == no_member) {
            if (array) f.map_candidate = false;
            if (!f.ops->extra(f.object)) return skip();
            return begin_extra_container(f, key, array);
        }
        f.map_candidate = false;
        if (f.ops->kinds[index] == model::member_kind::value) return build(index);
        return open_relation(f, index, array);
    }

    // A relation member of f's record: rows or one, from an array or an object.
    bool open_relation(frame& f, std::size_t index, bool array) {
        void* member = f.ops->relation(f.object, index);
        const model::record_ops& child = f.ops->relation_ops(index);
        frame* g = nullptr;
        if (f.ops->kinds[index] == model::member_kind::rows) {
            if (array) {
                g = push(place::rows_array);
                if (g) {
                    g->object = member;
                    g->ops = &child;
                }
                return g != nullptr;
            }
            // One object: a lone row, or PHP's map of rows ({"0":{…}}), which close() declines.
            g = push_record(child.push(member), child);
            if (g) {
                g->list = member;
                g->map_candidate = true;
            }
            return g != nullptr;
        }
        if (array) {
            g = push(place::one_array);
            if (g) {
                g->object = member;
                g->ops = &child;
            }
            return g != nullptr;
        }
        return push_record(child.emplace(member), child) != nullptr;
    }

    bool close(std::size_t n, bool array) {
        if (texting_) {
            writer_.close(array);
            texting_ = writer_.depth() > 0;
            return true;
        }
        if (building_ > 0) {
            if (array) values_.push_array(n);
            else values_.push_object(n);
            if (--building_ == 0) return deliver() || decline();
            return true;
        }
        if (skipping_ > 0) {
            --skipping_;
            return true;
        }
        return close_here() || decline();
    }

    bool close_here() {
        frame f = top();
        --depth_;
        switch (f.where) {
        case place::record:
            if (f.map_candidate) {
                if (f.keys > 0) return false;  // PHP's map of rows: left to the tree
                f.ops->pop(f.list);            // {} is no rows
            }
            if (f.wrapped) {
                // The wrapper's object has closed: the keys after it are siblings, whose unknown
                // members join the record's text.
                frame& item = top();
                item.seen = f.seen;
                item.extra_at = f.extra_at;
                item.hashes_at = f.hashes_at;
                item.siblings_at = extra_keys_.size();
                if (item.root && !replay(item, true)) return false;
                return true;
            }
            finish_extra(f);
            if (f.top) return item_done();
            return true;
        case place::item:
            if (f.state == item_state::pending) {
                // A get's root of scalars only: the record itself.
                to_flat(f);
                if (!replay(f, false)) return false;
            }
            if (f.state == item_state::envelope) return true;  // the record was `data`
            finish_extra(f);
            return item_done();
        default:
            return true;
        }
    }

    bool item_done() {
        if (op_ == operation::list) ++items_;
        else record_done_ = true;
        return true;
    }

    // The scalars a get's root held before it was clear what they were: fields of the record
    // (`as_siblings` false) or keys beside its wrapper.
    bool replay(frame& f, bool as_siblings) {
        for (const auto& [key, value, number_text] : stash_) {
            model::scalar v;
            if (value.is_string()) v.text = std::string_view(value.get_string().data(), value.get_string().size());
            else v.value = &value;
            raw_number_ = number_text;  // (for `extra`: the number as the answer spelled it)
            const bool ok = as_siblings ? sibling_key(f, key) && sibling_scalar(f, key, v)
                                        : key != "data" && record_key(f, key) && record_scalar(f, key, v);
            raw_number_ = {};
            if (!ok) return false;
        }
        stash_.clear();
        return true;
    }

    // A value built by the value_stack is complete: into the member.
    bool deliver() {
        json::value v = values_.release();
        frame& f = top();
        return f.ops->set_value(f.object, build_index_, v);
    }

    // How many records the answer may hold: occurrences of the quoted wrapper keys (text that happens to
    // contain one only makes the guess larger; capped so that a hostile answer cannot make it reserve much
    // more than it sends). Reserving saves moving whole models as the page grows.
    std::size_t records_hint() const {
        constexpr std::size_t most = 1000;
        std::size_t count = 0;
        for (std::string_view key : {info_.read_key, info_.read_key_alt}) {
            if (key.empty()) continue;
            for (std::size_t at = body_.find(key); at != std::string_view::npos; at = body_.find(key, at + key.size()))
                count += at > 0 && at + key.size() < body_.size() && body_[at - 1] == '"' && body_[at + key.size()] == '"';
        }
        return std::min(count, most);
    }

    std::string_view body_;
    const resource_info& info_;
    operation op_;
    model::record_target target_;

    std::array<frame, max_frames> frames_;
    std::size_t depth_ = 0;     // frames open
    std::size_t skipping_ = 0;  // depth inside a value that does not matter
    std::size_t building_ = 0;  // depth inside an object or array value built for a member
    json::value_stack values_;
    std::size_t build_index_ = no_member;
    bool texting_ = false;  // inside an unknown member's object or array, written by writer_
    detail::json_text_writer writer_;
    // The unknown members of the records open (finish_extra), and their keys, to find repeats.
    std::string& extra_text_;
    std::string& extra_key_chars_;
    std::vector<unknown_key>& extra_keys_;
    std::string number_text_;      // a number's text that arrived in parts
    std::string_view raw_number_;  // the current number's text, while it is taken

    std::string key_;            // the current key when it had to be copied (parts, escapes)
    std::string_view key_view_;  // the current key
    std::string text_;           // a string value that arrived in parts
    std::size_t index_ = no_member;  // the member the current key names
    sibling_action action_ = sibling_action::skip;
    root_key root_key_ = root_key::other;
    struct kept_scalar {
        std::string key;
        json::value value;
        std::string number_text;  // a number's text as received
    };
    std::vector<kept_scalar> stash_;  // a get root's first scalars

    bool declined_ = false;
    bool root_seen_ = false;
    bool failed_ = false;
    std::optional<std::int64_t> code_;
    bool data_seen_ = false;
    bool pagination_seen_ = false;
    bool pagination_object_ = false;
    bool meta_seen_ = false;
    bool meta_object_ = false;
    std::size_t number_ = no_number;
    std::array<std::array<std::optional<std::int64_t>, 3>, 3> numbers_{};  // [group][page, page_count, total]
    std::int64_t items_ = 0;
    bool record_done_ = false;
    // create: ids at the root, in data, in data.<read_key>, in data.<read_key_alt>
    std::array<std::optional<json::value>, 4> ids_{};
    bool root_id_seen_ = false;
    bool data_object_ = false;
    bool data_id_seen_ = false;
    std::array<bool, 2> wrapper_seen_{};
    std::array<bool, 2> wrapper_object_{};
    std::array<bool, 2> wrapper_id_seen_{};
    // create: the `number` beside each of those ids
    std::array<std::optional<json::value>, 4> doc_numbers_{};
    std::array<bool, 4> doc_number_seen_{};
};

stream_outcome run(std::string_view body, const resource_info& info, operation op, model::record_target target,
                   std::int64_t requested_page) {
    if (target.ops && target.ops->members > max_members) return {};  // (frames track members in bitsets)
    scratch_lease buffers;
    json::basic_parser<answer_handler> parser(json::parse_options(), body, info, op, target, buffers.get());
    json::error_code ec;
    const std::size_t used = parser.write_some(false, body.data(), body.size(), ec);
    if (ec || used != body.size() || !parser.done()) return {};
    stream_outcome out = parser.handler().outcome(requested_page);
    if (out.status != stream_outcome::declined) streamed_count.fetch_add(1, std::memory_order_relaxed);
    return out;
}

} // namespace

stream_outcome stream_list(std::string_view body, const resource_info& info, std::int64_t requested_page,
                           model::record_target target) {
    return run(body, info, operation::list, target, requested_page);
}

stream_outcome stream_get(std::string_view body, const resource_info& info, model::record_target target) {
    return run(body, info, operation::get, target, 1);
}

stream_outcome stream_create(std::string_view body, const resource_info& info) {
    return run(body, info, operation::create, {}, 1);
}

std::uint64_t streamed_answers() noexcept { return streamed_count.load(std::memory_order_relaxed); }

} // namespace daftra::resources
