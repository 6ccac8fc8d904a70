#pragma once
// record_builder (record_sink.hpp): the streaming twin of detail::decode_into (codec_impl.hpp), for
// records of scalars. Every value goes through the same lenient readers; anything decode_into would
// treat specially (relations, nested values, repeated keys, which the tree keeps only once) declines,
// so that the tree decoder handles it. test/fuzz/stream_fuzz.cpp checks the two agree.

#include "daftra/model/lenient.hpp"
#include "daftra/model/member_table.hpp"
#include "daftra/model/record_sink.hpp"

#include <string>

namespace daftra::model {

namespace detail {

template <class M>
bool read_scalar(const scalar& s, M& out) {
    std::string why;  // unused: a value the reader rejects makes the stream decline
    if (!s.is_string()) return lenient::read(*s.value, out, why);
    const boost::json::value text(boost::json::string_view(s.text.data(), s.text.size()));
    return lenient::read(text, out, why);
}

// Strings straight from the answer's text, without a json::string in between.
inline bool read_scalar(const scalar& s, std::optional<std::string>& out) {
    if (!s.is_string()) {
        std::string why;
        return lenient::read(*s.value, out, why);
    }
    out.emplace(s.text);
    return true;
}

// Adds an unknown key to `extra`; false when it is already there.
inline bool add_extra(boost::json::object& extra, std::string_view key, const scalar& s) {
    if (s.is_string()) return extra.emplace(key, boost::json::string_view(s.text.data(), s.text.size())).second;
    return extra.emplace(key, *s.value).second;
}

template <class T>
bool is_relation_key(std::string_view key) {
    const std::size_t index = member_index<T>(key);
    return index != no_member && is_relation_at<T>(index);
}

} // namespace detail

template <class T>
bool record_builder<T>::begin_record(std::string_view wrapper) {
    static_assert(detail::member_count<T> <= max_members, "raise record_builder::max_members");
    // decode_into also looks for relations among the siblings, which include the wrapper itself.
    if (detail::is_relation_key<T>(wrapper)) return false;
    current_ = &out_.emplace_back();
    seen_.reset();
    fields_extra_ = 0;
    if constexpr (detail::with_extra<T>)
        if (extra_hint_ > 0) current_->extra.reserve(extra_hint_);
    return true;
}

template <class T>
bool record_builder<T>::field(std::string_view key, const scalar& value) {
    const std::size_t index = detail::member_index<T>(key);
    if (index == detail::no_member) {
        if constexpr (detail::with_extra<T>) return detail::add_extra(current_->extra, key, value);
        return true;
    }
    if constexpr (detail::member_count<T> > 0) {
        if (seen_[index]) return false;  // the tree keeps the last of repeated keys: let it decide
        seen_[index] = true;
        return detail::visit_member(*current_, index, [&](auto& member, auto) {
            if constexpr (detail::relation<std::remove_reference_t<decltype(member)>>) return false;
            else return detail::read_scalar(value, member);
        });
    }
    return true;
}

template <class T>
void record_builder<T>::end_fields() {
    if constexpr (detail::with_extra<T>) {
        fields_extra_ = current_->extra.size();
        extra_hint_ = fields_extra_;
    }
}

template <class T>
bool record_builder<T>::sibling(std::string_view key, const scalar& value) {
    const std::size_t index = detail::member_index<T>(key);
    // Known keys beside the wrapper are ignored by decode_into, except relations.
    if (index != detail::no_member) return !detail::is_relation_key<T>(key);
    if constexpr (detail::with_extra<T>) {
        auto& extra = current_->extra;
        if (auto it = extra.find(key); it != extra.end())
            // The record's own key wins; a repeated sibling is for the tree to resolve.
            return static_cast<std::size_t>(it - extra.begin()) < fields_extra_;
        return detail::add_extra(extra, key, value);
    }
    return true;
}

} // namespace daftra::model
