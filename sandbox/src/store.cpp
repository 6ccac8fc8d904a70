#include "store.hpp"

#include <boost/json/array.hpp>

#include <stdexcept>

namespace daftra::sandbox::detail {

namespace json = boost::json;

void store::clear() {
    write([](collections& c) { c.clear(); });
}

json::value store::to_json() const {
    return read([](const collections& data) {
        json::object colls;
        for (const auto& [name, coll] : data) {
            json::array rows;
            rows.reserve(coll.rows.size());
            for (const auto& [id, row] : coll.rows) rows.emplace_back(row);
            colls[name] = json::object{{"next_id", coll.next_id}, {"rows", std::move(rows)}};
        }
        return json::value(json::object{{"collections", std::move(colls)}});
    });
}

void store::load_json(const json::value& v) {
    collections fresh;
    const auto* root = v.if_object();
    const auto* colls = root ? root->if_contains("collections") : nullptr;
    if (!colls || !colls->is_object()) throw std::invalid_argument("data file: expected {\"collections\":{...}}");
    for (const auto& [name, cv] : colls->get_object()) {
        const auto* co = cv.if_object();
        const auto* rows = co ? co->if_contains("rows") : nullptr;
        if (!rows || !rows->is_array())
            throw std::invalid_argument("data file: collection " + std::string(name) + " has no rows array");
        collection c;
        for (const auto& rv : rows->get_array()) {
            const auto* ro = rv.if_object();
            const auto* id = ro ? ro->if_contains("id") : nullptr;
            if (!id || !id->is_int64()) throw std::invalid_argument("data file: a row of " + std::string(name) + " has no integer id");
            c.rows[id->get_int64()] = *ro;
            if (id->get_int64() >= c.next_id) c.next_id = id->get_int64() + 1;
        }
        if (const auto* n = co->if_contains("next_id"); n && n->is_int64() && n->get_int64() > c.next_id)
            c.next_id = n->get_int64();
        fresh.emplace(std::string(name), std::move(c));
    }
    write([&](collections& data) { data = std::move(fresh); });
}

} // namespace daftra::sandbox::detail
