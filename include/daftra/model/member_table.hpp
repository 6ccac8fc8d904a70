#pragma once
// Walking a model's member table (model::description, see types.hpp): the members by index, each
// member's JSON key and flags, and the index of the member a JSON key names, found through a hash
// table built at compile time. The converter (codec_impl.hpp) and the streaming record builder
// (record_builder_impl.hpp) reach every member through these; nothing here is written per model.
// Include it only where models are instantiated (the library's src/model/instances_*.cpp).

#include "daftra/model/types.hpp"

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace daftra::model::detail {

template <class M> struct is_rows : std::false_type {};
template <class R, access A> struct is_rows<rows<R, A>> : std::true_type {};
template <class M> struct is_one : std::false_type {};
template <class R, access A> struct is_one<one<R, A>> : std::true_type {};
template <class M> concept relation = is_rows<M>::value || is_one<M>::value;

template <class T> concept with_extra = std::same_as<decltype(T::extra), unknown_members>;

/// A struct with a member table.
template <class T>
concept described = requires {
    description<T>::fields.size();
    typename description<T>::members;
};

template <class P> struct pointer_traits;
template <class C, class M> struct pointer_traits<M C::*> {
    using owner = C;
    using member = M;
};

/// Whether the I-th entry of T's table fits the member P: a member of T (or of a base), flagged as a
/// relation exactly when it is one, and for relations read-only exactly when their access is.
template <class T, auto P, std::size_t I>
constexpr bool entry_fits() {
    using traits = pointer_traits<decltype(P)>;
    using M = typename traits::member;
    constexpr std::uint8_t flags = description<T>::fields[I].flags;
    if constexpr (!std::is_base_of_v<typename traits::owner, T>) {
        return false;
    } else if constexpr (relation<M>) {
        return (flags & field::relation) != 0 && ((flags & field::read_only) != 0) == (M::mode == access::read_only);
    } else {
        return (flags & field::relation) == 0;
    }
}

template <class T, auto... P, std::size_t... I>
constexpr bool table_fits(members<P...>, std::index_sequence<I...>) {
    return (entry_fits<T, P, I>() && ...);
}

/// The number of members in T's table, once the table is checked against T.
template <class T>
constexpr std::size_t count_members() {
    static_assert(described<T>, "not a model: specialise daftra::model::description for it (see model/types.hpp)");
    using table = description<T>;
    constexpr std::size_t count = table::fields.size();
    static_assert(table::members::size == count, "description<T>: `fields` and `members` differ in length");
    static_assert(!requires { &T::extra; } || with_extra<T>,
                  "a model's `extra` member must be a model::unknown_members (model/unknown_members.hpp)");
    static_assert(table_fits<T>(typename table::members{}, std::make_index_sequence<count>{}),
                  "description<T>: an entry names no member of T, or its relation/read-only flags do not match the member");
    return count;
}
template <class T> inline constexpr std::size_t member_count = count_members<T>();

/// JSON key of T's member number `index`.
template <class T>
constexpr std::string_view key_of(std::size_t index) {
    return description<T>::fields[index].key;
}

/// Whether T's member number `index` is a relation (model::rows or model::one).
template <class T>
constexpr bool is_relation_at(std::size_t index) {
    return (description<T>::fields[index].flags & field::relation) != 0;
}

/// Hash of a JSON key for the key tables below (FNV-1a, evaluated at compile time for the model's
/// keys and at run time for the answer's).
constexpr std::uint32_t key_hash(std::string_view key) noexcept {
    std::uint32_t h = 2166136261u;
    for (char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

/// Every JSON key of T in an open-addressing table built at compile time, so that each key of an
/// answer finds its member with one hash and usually one compare (a binary search over the up to ~80
/// keys of a record took ~7 compares and showed up in profiles of list pages).
template <class T>
struct key_table {
    static constexpr std::size_t count = member_count<T>;
    static constexpr std::size_t slots = std::bit_ceil(2 * count + 1);  // at most half full
    std::array<std::uint16_t, slots> slot{};  ///< member index + 1; 0 is empty
    bool duplicate = false;                   ///< two members with one key
};

template <class T>
constexpr key_table<T> make_key_table() {
    static_assert(key_table<T>::count < 0xffff, "member indexes are kept in 16 bits");
    key_table<T> t;
    for (std::size_t m = 0; m < t.count; ++m) {
        std::size_t at = key_hash(key_of<T>(m)) & (t.slots - 1);
        for (; t.slot[at] != 0; at = (at + 1) & (t.slots - 1))
            if (key_of<T>(t.slot[at] - 1) == key_of<T>(m)) t.duplicate = true;
        t.slot[at] = static_cast<std::uint16_t>(m + 1);
    }
    return t;
}
template <class T> inline constexpr key_table<T> keys_of = make_key_table<T>();

inline constexpr std::size_t no_member = static_cast<std::size_t>(-1);

/// Index in T's table of the member with JSON key `key`, or no_member.
template <class T>
std::size_t member_index(std::string_view key) {
    if constexpr (member_count<T> == 0) {
        return no_member;
    } else {
        static_assert(!keys_of<T>.duplicate, "description<T>: two entries have the same JSON key");
        const auto& t = keys_of<T>;
        for (std::size_t at = key_hash(key) & (t.slots - 1);; at = (at + 1) & (t.slots - 1)) {
            const std::size_t entry = t.slot[at];
            if (entry == 0) return no_member;
            if (key_of<T>(entry - 1) == key) return entry - 1;
        }
    }
}

template <class T>
bool is_known(std::string_view key) {
    return member_index<T>(key) != no_member;
}

template <std::size_t I>
using index_constant = std::integral_constant<std::size_t, I>;

template <class Obj, class F, auto P, std::size_t I>
bool call_member(Obj& obj, F& f) {
    return f(obj.*P, index_constant<I>{});
}

template <class Obj, class F, auto... P, std::size_t... I>
constexpr auto member_calls(members<P...>, std::index_sequence<I...>) {
    return std::array<bool (*)(Obj&, F&), sizeof...(P)>{&call_member<Obj, F, P, I>...};
}

/// Calls `f(member, index_constant<index>{})` on the member of `obj` (a T or const T) numbered `index`,
/// which must be below member_count<T>, through a table of one function per member; returns its bool.
template <class Obj, class F>
bool visit_member(Obj& obj, std::size_t index, F&& f) {
    using T = std::remove_const_t<Obj>;
    using Fn = std::remove_reference_t<F>;
    static constexpr auto calls =
        member_calls<Obj, Fn>(typename description<T>::members{}, std::make_index_sequence<member_count<T>>{});
    return calls[index](obj, f);
}

template <class Obj, class F, auto... P, std::size_t... I>
void each_member(Obj& obj, F& f, members<P...>, std::index_sequence<I...>) {
    (f(obj.*P, index_constant<I>{}), ...);
}

/// Calls `f(member, index_constant<i>{})` on every member of `obj` (a T or const T) in table order.
template <class Obj, class F>
void for_each_member(Obj& obj, F&& f) {
    using T = std::remove_const_t<Obj>;
    each_member(obj, f, typename description<T>::members{}, std::make_index_sequence<member_count<T>>{});
}

} // namespace daftra::model::detail
