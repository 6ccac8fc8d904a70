#pragma once
// record_ops_of<T> (record_sink.hpp): the streaming decoder's table of functions for model T, built
// from T's member table. Every value goes through the same lenient readers as detail::decode_into
// (codec_impl.hpp), so both decoders give the same model; test/fuzz/stream_fuzz.cpp checks they agree.

#include "daftra/model/lenient.hpp"
#include "daftra/model/member_table.hpp"
#include "daftra/model/plain_number.hpp"
#include "daftra/detail/record_sink.hpp"

#include <string>
#include <type_traits>

namespace daftra::model {

namespace detail {

template <class M>
constexpr member_kind kind_of() {
    if constexpr (is_rows<M>::value) return member_kind::rows;
    else if constexpr (is_one<M>::value) return member_kind::one;
    else return member_kind::value;
}

template <class T, auto... P>
constexpr auto member_kinds(members<P...>) {
    return std::array<member_kind, sizeof...(P) + 1>{kind_of<typename pointer_traits<decltype(P)>::member>()...,
                                                     member_kind::value};  // (+1: no zero-length array)
}

template <class T, std::size_t... I>
constexpr auto member_keys(std::index_sequence<I...>) {
    return std::array<std::string_view, sizeof...(I) + 1>{key_of<T>(I)..., std::string_view()};
}

template <class M>
bool read_scalar(const scalar& s, M& out) {
    std::string why;  // unused: a value the reader rejects makes the stream decline
    if (!s.is_string()) return lenient::read(*s.value, out, why);
    if constexpr (std::is_same_v<M, std::optional<std::int64_t>>) {
        std::int64_t i = 0;
        if (plain::read_int(s.text, i)) return out = i, true;  // "1000": most numbers of a page
        return lenient::read_text(s.text, out);
    } else if constexpr (std::is_same_v<M, std::optional<double>>) {
        double d = 0;
        if (plain::read_decimal(s.text, d)) return out = d, true;  // "12.50"
        return lenient::read_text(s.text, out);
    } else if constexpr (std::is_same_v<M, std::optional<bool>>) {
        if (s.text.size() == 1 && (s.text[0] == '0' || s.text[0] == '1')) return out = s.text[0] == '1', true;
        return lenient::read_text(s.text, out);
    } else {
        // arrays and free-form values: rare as strings, read as the tree does
        const boost::json::value text(boost::json::string_view(s.text.data(), s.text.size()));
        return lenient::read(text, out, why);
    }
}

// Strings straight from the answer's text, without a json::string in between; one assembled by the
// reader is moved.
inline bool read_scalar(const scalar& s, std::optional<std::string>& out) {
    if (!s.is_string()) {
        std::string why;
        return lenient::read(*s.value, out, why);
    }
    if (s.owned) out.emplace(std::move(*s.owned));
    else out.emplace(s.text);
    return true;
}

template <class T>
struct stream_ops {
    static constexpr std::size_t count = member_count<T>;
    static constexpr auto kinds = member_kinds<T>(typename description<T>::members{});
    static constexpr auto keys = member_keys<T>(std::make_index_sequence<count>{});

    static std::size_t find(std::string_view key) noexcept { return member_index<T>(key); }

    // One function per member, straight to the reader of its type: the hot path of the stream.
    template <auto P>
    static bool set_member(void* record, const scalar& value) {
        if constexpr (relation<typename pointer_traits<decltype(P)>::member>) return false;
        else return read_scalar(value, static_cast<T*>(record)->*P);
    }

    template <auto... P>
    static constexpr auto setters(members<P...>) {
        return std::array<bool (*)(void*, const scalar&), sizeof...(P) + 1>{&set_member<P>..., nullptr};
    }

    static bool set_scalar(void* record, std::size_t index, const scalar& value) {
        static constexpr auto table = setters(typename description<T>::members{});
        if constexpr (count == 0) return false;
        else return table[index](record, value);
    }

    static bool set_value(void* record, std::size_t index, const boost::json::value& value) {
        if constexpr (count == 0) {
            return false;
        } else {
            return visit_member(*static_cast<T*>(record), index, [&](auto& member, auto) {
                if constexpr (relation<std::remove_reference_t<decltype(member)>>) {
                    return false;
                } else {
                    std::string why;
                    return lenient::read(value, member, why);
                }
            });
        }
    }

    static void* relation_at(void* record, std::size_t index) {
        void* out = nullptr;
        if constexpr (count > 0) {
            visit_member(*static_cast<T*>(record), index, [&](auto& member, auto) {
                using M = std::remove_reference_t<decltype(member)>;
                if constexpr (is_rows<M>::value) out = static_cast<std::vector<typename M::row_type>*>(&member);
                else if constexpr (is_one<M>::value) out = static_cast<std::optional<typename M::record_type>*>(&member);
                return true;
            });
        }
        return out;
    }

    template <class M>
    static constexpr auto child() -> const record_ops& (*)() noexcept {
        if constexpr (is_rows<M>::value) return &record_ops_of<typename M::row_type>;
        else if constexpr (is_one<M>::value) return &record_ops_of<typename M::record_type>;
        else return nullptr;
    }

    template <auto... P>
    static constexpr auto children(members<P...>) {
        return std::array<const record_ops& (*)() noexcept, sizeof...(P) + 1>{
            child<typename pointer_traits<decltype(P)>::member>()..., nullptr};
    }

    static const record_ops& relation_ops(std::size_t index) {
        static constexpr auto table = children(typename description<T>::members{});
        return table[index]();
    }

    static unknown_members* extra(void* record) {
        if constexpr (with_extra<T>) return &static_cast<T*>(record)->extra;
        else return nullptr;
    }

    static void* push(void* list) { return &static_cast<std::vector<T>*>(list)->emplace_back(); }
    static void pop(void* list) { static_cast<std::vector<T>*>(list)->pop_back(); }
    static void reserve(void* list, std::size_t n) {
        auto& v = *static_cast<std::vector<T>*>(list);
        v.reserve(v.size() + n);
    }
    static void* emplace(void* optional) { return &static_cast<std::optional<T>*>(optional)->emplace(); }
};

} // namespace detail

template <class T>
const record_ops& record_ops_of() noexcept {
    using S = detail::stream_ops<T>;
    static constexpr record_ops table{&S::find,     S::count,     S::keys.data(),   S::kinds.data(),   &S::set_scalar, &S::set_value,
                                      &S::relation_at, &S::relation_ops, &S::extra, &S::push,       &S::pop,
                                      &S::reserve,  &S::emplace};
    return table;
}

} // namespace daftra::model
