#pragma once
// The compiled-in description of every Daftra resource (generated from resources.json).
// One generic mechanism (store + handlers) serves all of them from this table.

#include <span>
#include <string_view>

namespace daftra::sandbox::detail {

enum class field_type : unsigned char { str, integer, number, boolean, array, any };

struct field_def {
    std::string_view name;
    field_type type;
    bool required;
};

/// Child rows: sent as a sibling top-level array on input (`InvoiceItem: [...]`),
/// answered nested inside the record under `out_key`.
struct child_def {
    std::string_view key;
    std::string_view out_key;
    std::span<const field_def> fields;
};

enum op : unsigned {
    op_list = 1,
    op_get = 2,
    op_create = 4,
    op_update = 8,
    op_delete = 16,
    op_bulk_create = 32,
};

struct resource_def {
    std::string_view id;                // collection name, e.g. "invoices"
    std::string_view path;              // plain v1 path ("/api2/invoices"); empty for special routes
    std::string_view wrapper;           // request wrapper key ("Invoice"; "FollowUpReminder" for client appointments)
    std::string_view response_wrapper;  // answer wrapper key ("Invoice"; "ClientAppointment")
    std::string_view v2_entity;         // key under /v2/api/entity/ that maps to the same collection
    unsigned ops;
    std::span<const field_def> fields;
    std::span<const child_def> children;
    std::span<const std::string_view> empty_nested;  // documented relations answered as []
    std::string_view ref_key;           // related record nested into answers ("Client")
    std::string_view ref_field;         // its foreign key ("client_id")
    std::string_view ref_collection;    // where it lives ("clients")
    bool default_desc;                  // default list order: most recent first
    bool name_rule;                     // needs business_name or first_name/last_name
    std::string_view delete_message;    // extra "message" of the delete answer
    std::string_view defaults;          // JSON object of field defaults filled on create

    bool has(op o) const { return (ops & o) != 0; }
    const field_def* field(std::string_view name) const {
        for (const auto& f : fields)
            if (f.name == name) return &f;
        return nullptr;
    }
};

std::span<const resource_def> resource_table();

} // namespace daftra::sandbox::detail
