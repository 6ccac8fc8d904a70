#pragma once
// How one Daftra resource is reached: the data behind one line of the resource table (table.hpp).
// The generic operations (operations.hpp) read nothing else, so adding a resource is adding a line.

#include <string_view>

namespace daftra::resources {

/// Operations a resource supports (bit set).
enum op : unsigned {
    op_list = 1,    ///< GET path                 -> one page
    op_get = 2,     ///< GET path/{id}             -> one record
    op_create = 4,  ///< POST path (or create_path) -> new id
    op_update = 8,  ///< PUT path/{id}
    op_remove = 16, ///< DELETE path/{id}
    op_crud = op_list | op_get | op_create | op_update | op_remove,
};

/// How an update is sent.
enum class update_form : unsigned char {
    put_to_record,  ///< PUT path/{id}
    post_with_id,   ///< POST path with the id in the body (some v2 entities, as the reference documents)
};

/// Where and how one resource is reached. Paths are origin-form ("/api2/invoices").
struct resource_info {
    /// The resource's id, its name on the `daftra` command line, e.g. "invoices".
    std::string_view id;
    /// Base path; list and create use it as is, get/update/remove append "/{id}". No default.
    std::string_view path;
    /// Wrapper key of request bodies, e.g. "Invoice" ("FollowUpReminder" for client appointments).
    /// Empty: the body is flat (v2 style), child rows included.
    std::string_view write_key;
    /// Wrapper key of records in answers, e.g. "Invoice" ("ClientAppointment"). A record without it
    /// is read as a flat (v2-style) object.
    std::string_view read_key;
    /// A second accepted answer wrapper, empty for none ("Category" for product categories, which
    /// Daftra's own plugin reads).
    std::string_view read_key_alt = {};
    /// Supported operations (op_* bits). Others are refused before anything is sent.
    unsigned ops = op_crud;
    /// Append ".json" to paths derived from `path`, as the reference writes them. Default true; the
    /// few paths documented without it (requisitions, bookings, attendance) set false.
    bool json_suffix = true;
    /// Target of list when it is not `path`, used verbatim (no suffix). Empty: `path`.
    std::string_view list_path = {};
    /// Target of create when it is not `path`, used verbatim (no suffix). Empty: `path`.
    std::string_view create_path = {};
    /// Target of get when it is not `path/{id}`: a pattern whose "{id}" is replaced by the id, used
    /// verbatim otherwise (no suffix), e.g. "/v2/api/entity/booking/{id}/1". Empty: `path/{id}`.
    std::string_view get_path = {};
    /// A query parameter every list sends before the caller's (advance payments are the v2 invoice list
    /// with filter[type]=19). Empty key: none.
    std::string_view list_filter_key = {};
    std::string_view list_filter_value = {};
    /// How update is sent. Default: PUT path/{id}.
    update_form update_as = update_form::put_to_record;
    /// The update body repeats the record's id, as the v2 entity API's edits do. Default false.
    bool update_repeats_id = false;
    /// True when get takes no id (site_info: one record per account).
    bool singleton = false;

    constexpr bool supports(op o) const noexcept { return (ops & o) != 0; }
};

/// A resource_info tied to the model its records decode into.
template <class Model>
struct resource_spec : resource_info {
    using model = Model;
    constexpr explicit resource_spec(resource_info info) : resource_info(info) {}
};

} // namespace daftra::resources
