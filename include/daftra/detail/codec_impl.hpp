#pragma once
// The lenient converter itself (see codec.hpp for the rules). Include this only where a model is
// instantiated: the library does it once for every built-in model (src/model/instances_*.cpp);
// users include it for their own models, then call daftra::model::decode / encode.
//
// A model is any struct with a member table, model::description<T> (model/types.hpp), listing
// std::optional members of int64_t, double, bool, std::string, boost::json::array or
// boost::json::value, and model::rows<…> or model::one<…>, each with its JSON key. A
// `model::unknown_members extra` member, when present, receives the keys the table does not name.

#include "daftra/model/codec.hpp"
#include "daftra/model/lenient.hpp"
#include "daftra/model/member_table.hpp"
#include "daftra/model/types.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <type_traits>

namespace daftra::model::detail {

/// Turns "<rest>" into "<head>.<rest>" / "<head>[i]…" / "<head>: …" as an error travels up.
/// (Built by appending: g++ 12 reports a false -Wrestrict on std::string::insert at position 0.)
inline void prefix(std::string& why, std::string_view head) {
    std::string out;
    out.reserve(head.size() + 1 + why.size());
    out.append(head);
    if (!why.empty() && why.front() != ':' && why.front() != '[') out.push_back('.');
    out.append(why);
    why = std::move(out);
}

template <class T>
bool decode_into(T& out, const boost::json::object& fields, const boost::json::object* siblings,
                 std::string_view wrapper, std::string& why);

template <class T>
void encode_into(const T& in, boost::json::object& fields, boost::json::object* siblings, encoding mode);

// PHP serialises an empty related record or list as [] or "", and some answers use false.
inline bool is_nothing(const boost::json::value& v) {
    return v.is_null() || (v.is_string() && v.get_string().empty()) || (v.is_bool() && !v.get_bool()) ||
           (v.is_array() && v.get_array().empty()) || (v.is_object() && v.get_object().empty());
}

template <class R, access A>
bool read_member(const boost::json::value& v, rows<R, A>& out, std::string& why) {
    out.clear();
    if (is_nothing(v)) return true;
    auto read_row = [&](const boost::json::value& e, std::size_t i) {
        R row{};
        if (!e.is_object()) {
            why = ": expected an object, got " + lenient::excerpt(e);
        } else if (decode_into(row, e.get_object(), nullptr, {}, why)) {
            out.push_back(std::move(row));
            return true;
        }
        std::string index = std::to_string(i);
        index.insert(index.begin(), '[');
        index.push_back(']');
        prefix(why, index);
        return false;
    };
    if (v.is_array()) {
        out.reserve(v.get_array().size());
        std::size_t i = 0;
        for (const auto& e : v.get_array())
            if (!read_row(e, i++)) return false;
        return true;
    }
    if (v.is_object()) {
        const auto& obj = v.get_object();
        // PHP turns a list with gaps into {"0": {...}, "1": {...}}; a lone row (advance payments send
        // `Payment` as one object) has scalar values or keys the row type knows.
        bool map_of_rows = std::all_of(obj.begin(), obj.end(), [](const auto& kv) {
            return kv.value().is_object() && !is_known<R>(kv.key());
        });
        if (!map_of_rows) return read_row(v, 0);
        std::size_t i = 0;
        for (const auto& kv : obj)
            if (!read_row(kv.value(), i++)) return false;
        return true;
    }
    why = ": expected an array of objects, got " + lenient::excerpt(v);
    return false;
}

template <class R, access A>
bool read_member(const boost::json::value& v, one<R, A>& out, std::string& why) {
    out.reset();
    // {} is a record with nothing known in it (so that encode/decode round trips keep it);
    // the other "nothing" spellings mean no record.
    if (is_nothing(v) && !v.is_object()) return true;
    const boost::json::object* obj = nullptr;
    if (v.is_object()) obj = &v.get_object();
    else if (v.is_array() && v.get_array().size() == 1 && v.get_array()[0].is_object())
        obj = &v.get_array()[0].get_object();  // a one-element list where one record was expected
    if (!obj) {
        why = ": expected an object, got " + lenient::excerpt(v);
        return false;
    }
    R record{};
    if (!decode_into(record, *obj, nullptr, {}, why)) return false;
    out = std::move(record);
    return true;
}

template <class M>
    requires(!relation<M>)
bool read_member(const boost::json::value& v, M& out, std::string& why) {
    return lenient::read(v, out, why);
}

template <class T>
bool decode_into(T& out, const boost::json::object& fields, const boost::json::object* siblings,
                 std::string_view wrapper, std::string& why) {
    constexpr std::size_t count = member_count<T>;
    std::array<bool, count> seen{};
    // Each key is looked up once, up front for records of ordinary size, so that the unknown keys are
    // counted and `extra` is sized in one allocation instead of growing key by key.
    constexpr std::size_t indexed_keys = 128;
    std::array<std::uint16_t, indexed_keys> found;
    const bool indexed = fields.size() <= indexed_keys;
    if (indexed) {
        std::size_t k = 0, unknown = 0;
        for (const auto& kv : fields) {
            const std::size_t index = member_index<T>(kv.key());
            found[k++] = static_cast<std::uint16_t>(index == no_member ? 0xffff : index);
            unknown += index == no_member;
        }
        if constexpr (with_extra<T>)
            if (unknown > 0) out.extra.modify().reserve(out.extra.size() + unknown);
    }
    // Walk the answer's keys (few) rather than the members (many).
    std::size_t position = 0;
    for (const auto& kv : fields) {
        const std::size_t index = indexed ? (found[position] == 0xffff ? no_member : found[position]) : member_index<T>(kv.key());
        ++position;
        if (index == no_member) {
            if constexpr (with_extra<T>) out.extra.emplace(kv.key(), kv.value());
            continue;
        }
        if constexpr (count > 0) {  // (a record without members sends every key to extra above)
            const bool ok = visit_member(out, index, [&](auto& member, auto) { return read_member(kv.value(), member, why); });
            if (!ok) {
                prefix(why, key_of<T>(index));
                return false;
            }
            seen[index] = true;
        }
    }
    if (!siblings) return true;
    // Relations the record did not carry may sit beside the wrapper (as the older API documentation shows them; docs/daftra-api.md, "Relations").
    bool ok = true;
    for_each_member(out, [&](auto& member, auto i) {
        if constexpr (relation<std::remove_reference_t<decltype(member)>>) {
            constexpr std::string_view key = key_of<T>(decltype(i)::value);
            if (ok && !seen[i])
                if (const auto* v = siblings->if_contains(key); v && !read_member(*v, member, why)) {
                    prefix(why, key);
                    ok = false;
                }
        }
    });
    if (!ok) return false;
    if constexpr (with_extra<T>) {
        for (const auto& kv : *siblings)
            if (kv.key() != wrapper && !is_known<T>(kv.key()) && !fields.contains(kv.key()))
                out.extra.emplace(kv.key(), kv.value());
    }
    return true;
}

inline boost::json::value leaf(std::int64_t v, encoding) { return v; }
inline boost::json::value leaf(double v, encoding) { return v; }
inline boost::json::value leaf(const std::string& v, encoding) { return boost::json::string(v); }
inline boost::json::value leaf(const boost::json::array& v, encoding) { return v; }
inline boost::json::value leaf(const boost::json::value& v, encoding) { return v; }
// Daftra documents booleans as 0/1 on input; true/false stays for the full JSON view.
inline boost::json::value leaf(bool v, encoding mode) {
    if (mode == encoding::request) return static_cast<std::int64_t>(v ? 1 : 0);
    return v;
}

template <class T>
void encode_into(const T& in, boost::json::object& fields, boost::json::object* siblings, encoding mode) {
    for_each_member(in, [&](const auto& member, auto i) {
        constexpr std::string_view key = key_of<T>(decltype(i)::value);
        using M = std::remove_cvref_t<decltype(member)>;
        if constexpr (relation<M>) {
            if (mode == encoding::request && M::mode == access::read_only) return;
            auto& target = (mode == encoding::request && siblings) ? *siblings : fields;
            if constexpr (is_rows<M>::value) {
                if (member.empty()) return;
                boost::json::array a;
                a.reserve(member.size());
                for (const auto& row : member) {
                    boost::json::object o;
                    encode_into(row, o, nullptr, mode);
                    a.emplace_back(std::move(o));
                }
                target[key] = std::move(a);
            } else {
                if (!member) return;
                boost::json::object o;
                encode_into(*member, o, nullptr, mode);
                target[key] = std::move(o);
            }
        } else {
            if (member) fields[key] = leaf(*member, mode);
        }
    });
    if constexpr (with_extra<T>)
        for (const auto& kv : in.extra) fields.emplace(kv.key(), kv.value());
}

} // namespace daftra::model::detail

namespace daftra::model {

template <class T>
result<void> decode_to(T& out, const boost::json::object& fields, const boost::json::object* siblings,
                       std::string_view wrapper) {
    std::string why;
    if (detail::decode_into(out, fields, siblings, wrapper, why)) return {};
    if (!wrapper.empty()) detail::prefix(why, wrapper);
    error e;
    e.kind = error_kind::decode;
    e.message = "unexpected JSON at " + why;
    return e;
}

template <class T>
result<T> decode(const boost::json::object& fields, const boost::json::object* siblings, std::string_view wrapper) {
    T out{};
    if (auto done = decode_to(out, fields, siblings, wrapper); !done) return done.error();
    return out;
}

template <class T>
void encode(const T& value, boost::json::object& fields, boost::json::object* siblings, encoding mode) {
    detail::encode_into(value, fields, siblings, mode);
}

} // namespace daftra::model

#include "daftra/detail/record_builder_impl.hpp"

/// Instantiates decode, encode and the streaming decoder's record_ops_of for one model inside namespace
/// daftra::model.
#define DAFTRA_MODEL_INSTANTIATE(T)                                                                      \
    template result<T> decode<T>(const boost::json::object&, const boost::json::object*, std::string_view); \
    template result<void> decode_to<T>(T&, const boost::json::object&, const boost::json::object*, std::string_view); \
    template void encode<T>(const T&, boost::json::object&, boost::json::object*, encoding);            \
    template const record_ops& record_ops_of<T>() noexcept;
