#pragma once
// Everything the sandbox does with a request once it has been read: admin endpoints, the token
// endpoint, the credential check and the Daftra routes. JSON only: the networking layer
// (server.cpp) turns bytes into a `request` and writes back the `response`.

#include "auth.hpp"
#include "daftra/sandbox/server.hpp"
#include "fault_injector.hpp"
#include "message.hpp"
#include "resource_table.hpp"
#include "stats.hpp"
#include "store.hpp"
#include "util.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace daftra::sandbox::detail {

/// The path of a target split into segments, with a trailing ".json" removed from the last one.
struct route {
    std::string_view path;            // "/api2/invoices.json" (without the query)
    std::string_view query;           // "page=2&limit=5" (without '?')
    std::vector<std::string_view> seg;
    bool json_suffix = false;
};

class service {
public:
    /// How much of a record an answer carries: Daftra's `recursive` on sales documents (-1 header, 0 with
    /// the Client, 1 with the rows) and the v2 entity API's level (1: the record's own fields).
    enum class depth { header, with_ref, full };
    /// The documented `recursive` parameter applies to the sales documents (invoices, estimates, credit
    /// notes, refund receipts: one schema, "behave like" invoices).
    static bool has_recursive(const resource_def& r);
    explicit service(const options& opt);

    /// Admin paths are answered outside statistics and fault injection.
    static bool is_admin(std::string_view path) { return path.starts_with("/__sandbox/"); }
    static bool is_token(std::string_view path);

    /// `gzip`: the answer may go out gzip-encoded (the client accepts gzip, the option is on and no
    /// fault will alter the body). A cacheable GET answer then comes back compressed, with
    /// Content-Encoding: gzip and Vary: Accept-Encoding, and its compressed form is kept in the
    /// cache beside the plain one; other answers come back plain, for the caller to compress.
    response handle(const request& req, bool gzip = false);
    response handle_admin(const request& req);

    void reset();
    void load_data(const std::string& file);
    void save_data(const std::string& file) const;

    class stats stats;
    fault_injector faults;

private:
    // service.cpp: routing, caching
    response dispatch(const request& req, const route& rt);
    response dispatch_guarded(const request& req, const route& rt);
    // resources.cpp: the generic v1 mechanism
    response v1_collection(const resource_def& r, const request& req, const route& rt);
    response v1_item(const resource_def& r, const request& req, const route& rt, std::string_view id);
    // `shown`: how much of each record to answer; unset, a sales document's `recursive` parameter decides
    // (lists default to depth::with_ref, gets to depth::full) and every other resource answers in full.
    response v1_list(const resource_def& r, const route& rt, std::string_view filter_field = {},
                     std::string_view filter_value = {}, std::optional<depth> shown = std::nullopt);
    response v1_get(const resource_def& r, std::string_view id, std::string_view query = {},
                    std::optional<depth> shown = std::nullopt);
    response v1_create(const resource_def& r, const boost::json::value& body,
                       const boost::json::object& overrides = {});
    response v1_update(const resource_def& r, std::string_view id, const boost::json::value& body);
    response v1_delete(const resource_def& r, std::string_view id);
    // special.cpp: bulk create, notes, listing, site info, bookings, follow-ups
    response bulk_create(const resource_def& r, const request& req);
    response listing(std::string_view model);
    response site_info();
    response branches(const route& rt);
    response app_is_active(std::string_view id);
    // files.cpp: the PDF and HTML a sales document links to
    response document_file(const request& req, const route& rt);
    response bookings(const request& req, const route& rt);
    response follow_up(const resource_def& r, const request& req, const route& rt, std::size_t first);
    // v2.cpp
    response v2_entity(const request& req, const route& rt);
    response v2_multi(const request& req);

public:  // shared by the handler translation units
    struct build_result {
        boost::json::object fields;                 // the record (children nested under their out keys)
        boost::json::object errors;                 // field -> message; empty when valid
    };
    /// Validates and coerces a v1 body (wrapper + sibling child arrays) or a v2 flat body.
    build_result build(const resource_def& r, const boost::json::object& body, bool v2, bool create);
    /// Inserts a validated record; returns its id.
    // Stores a new row and returns its id. With `number`, the row is a numbered document: a missing or
    // empty `no` is generated from the id ("000042", as Daftra numbers documents when none is given) and
    // the number is written to *number.
    std::int64_t insert(std::string_view collection, boost::json::object fields, std::string* number = nullptr);
    /// The record as answered: related record and documented empty relations added, numbers rewritten.
    boost::json::object render(const resource_def& r, const boost::json::object& row, const collections& data,
                               depth shown = depth::full) const;
    /// Appends the rendered record as JSON text (same content as render(); in full, without copying the record).
    void append_rendered(std::string& out, const resource_def& r, const boost::json::object& row,
                         const collections& data, depth shown = depth::full) const;
    void finish_numbers(boost::json::value& v) const {
        if (numbers_as_strings_) stringify_numbers(v);
    }
    /// The sandbox's own origin ("https://127.0.0.1:PORT"), known once it listens; the file URLs of
    /// sales documents are built on it (none before).
    void set_origin(std::string origin) { origin_ = std::move(origin); }
    /// `invoice_pdf_url` and `invoice_html_url` of a record of `r`, for resources that document them.
    std::optional<std::pair<std::string, std::string>> file_urls(const resource_def& r, const boost::json::object& row) const;
    static const resource_def* by_path(std::string_view path);
    static const resource_def* by_id(std::string_view id);
    static const resource_def* by_v2(std::string_view entity);
    static std::optional<std::int64_t> parse_id(std::string_view s);
    static std::optional<boost::json::value> parse_body(const request& req);
    static response validation_failed(boost::json::object errors);
    static response not_found() { return error_response(404, "Item not found"); }
    // A record of `r` that does not exist. Requisitions' 404 adds `error_type` and `extra_data`, as the
    // reference documents (their values are not: the sandbox sends "not_found" and an empty object).
    static response not_found(const resource_def& r);

private:
    void seed();
    std::string user_name_;
    std::string origin_;
    bool numbers_as_strings_;
    bool require_auth_;
    auth auth_;
    store db_;
    std::atomic<std::int64_t> child_ids_{1};

    struct cached {
        std::uint64_t generation;
        std::string body;
        std::string gzip;  // body gzip-compressed; empty until a gzip-accepting request needs it
    };
    std::mutex cache_mutex_;
    std::unordered_map<std::string, cached> cache_;
    std::size_t cache_bytes_ = 0;
};

} // namespace daftra::sandbox::detail
