#pragma once
// Compares JSON the way the API means it: numbers by value (50 == 50.0), objects regardless of order.

#include <boost/json.hpp>

namespace daftra::test {

inline bool same_json(const boost::json::value& a, const boost::json::value& b) {
    auto number = [](const boost::json::value& v, double& out) {
        if (v.is_int64()) out = static_cast<double>(v.get_int64());
        else if (v.is_uint64()) out = static_cast<double>(v.get_uint64());
        else if (v.is_double()) out = v.get_double();
        else return false;
        return true;
    };
    double x = 0, y = 0;
    if (number(a, x) && number(b, y)) return x == y;
    if (a.kind() != b.kind()) return false;
    if (a.is_object()) {
        const auto& oa = a.get_object();
        const auto& ob = b.get_object();
        if (oa.size() != ob.size()) return false;
        for (const auto& kv : oa) {
            const auto* other = ob.if_contains(kv.key());
            if (!other || !same_json(kv.value(), *other)) return false;
        }
        return true;
    }
    if (a.is_array()) {
        const auto& aa = a.get_array();
        const auto& ab = b.get_array();
        if (aa.size() != ab.size()) return false;
        for (std::size_t i = 0; i < aa.size(); ++i)
            if (!same_json(aa[i], ab[i])) return false;
        return true;
    }
    return a == b;
}

} // namespace daftra::test
