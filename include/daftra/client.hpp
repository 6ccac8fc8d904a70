#pragma once
// daftra::client: the SDK's entry point. It owns one connection pool to the tenant's origin, the token
// refresher and the retry policy, and hands out the typed resources of the table:
//
//   daftra::client api(io.get_executor(), daftra::auth::api_key{daftra::auth::secret("…")},
//                      {.base_url = "https://acme.daftra.com"});
//   auto inv = co_await api.invoices().get(7);          // result<daftra::invoice>
//   query q; q.limit = 100;                              // name objects before co_await (g++ 12)
//   auto page = co_await api.clients().list(q);          // result<page<daftra::client>>
//   auto it = api.products().all(q);                     // every record of every page
//
// Thread safety: one client may be used by coroutines on any threads of a multi-threaded io_context.
// There is no process-wide state. Destruction (or shutdown()) fails the calls in flight with
// error_kind::cancelled and stops the token refresher; the io_context must keep running until they
// have finished. Resources, pagers and calls keep the client's shared state alive, so they may outlive
// the client: their calls then fail with error_kind::cancelled.

#include "daftra/auth/credentials.hpp"
#include "daftra/auth/options.hpp"
#include "daftra/client/retry.hpp"
#include "daftra/resources/resource.hpp"
#include "daftra/resources/table.hpp"
#include "daftra/transport/options.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace daftra {

/// Everything configurable about a client; each part documents its own defaults.
struct client_options {
    /// The tenant's origin, "https://{subdomain}.daftra.com" (a custom domain works the same). A path,
    /// if present, is ignored. Required: the constructor throws std::invalid_argument without it.
    std::string base_url{};
    /// Connections, timeouts, TLS (CA file), body limits. The per-call deadline is
    /// pool.request_timeout (default 120 s), retries included.
    transport::pool_options pool{};
    /// Token endpoint paths, body encoding, header style, early refresh, token store.
    auth::auth_options auth{};
    /// Attempts and backoff of failed calls.
    retry_options retry{};
};

namespace detail { class client_impl; }

class client {
public:
    /// Throws std::invalid_argument for a bad base_url and when the TLS settings cannot be loaded.
    client(boost::asio::any_io_executor executor, auth::credentials credentials, client_options options);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    // The resources of the table (daftra/resources/table.hpp); see the reference for each one.
    resource<invoice> invoices() const { return {sender(), resources::invoices}; }
    resource<estimate> estimates() const { return {sender(), resources::estimates}; }
    resource<credit_note> credit_notes() const { return {sender(), resources::credit_notes}; }
    resource<refund_receipt> refund_receipts() const { return {sender(), resources::refund_receipts}; }
    resource<purchase_order> purchase_invoices() const { return {sender(), resources::purchase_invoices}; }
    resource<purchase_refund> purchase_refunds() const { return {sender(), resources::purchase_refunds}; }
    resource<client_record> clients() const { return {sender(), resources::clients}; }
    resource<supplier> suppliers() const { return {sender(), resources::suppliers}; }
    resource<staff_member> staff() const { return {sender(), resources::staff}; }
    resource<client_attendance> client_attendance_log() const { return {sender(), resources::client_attendance_log}; }
    resource<client_appointment> client_appointments() const { return {sender(), resources::client_appointments}; }
    resource<invoice_appointment> invoice_appointments() const { return {sender(), resources::invoice_appointments}; }
    resource<estimate_appointment> estimate_appointments() const { return {sender(), resources::estimate_appointments}; }
    resource<work_order_appointment> work_order_appointments() const { return {sender(), resources::work_order_appointments}; }
    resource<note> notes() const { return {sender(), resources::notes}; }
    resource<product> products() const { return {sender(), resources::products}; }
    resource<product_category> product_categories() const { return {sender(), resources::product_categories}; }
    resource<time_entry> time_tracking() const { return {sender(), resources::time_tracking}; }
    resource<work_order> work_orders() const { return {sender(), resources::work_orders}; }
    resource<tax> taxes() const { return {sender(), resources::taxes}; }
    resource<invoice_payment> invoice_payments() const { return {sender(), resources::invoice_payments}; }
    resource<client_payment> client_payments() const { return {sender(), resources::client_payments}; }
    resource<expense> expenses() const { return {sender(), resources::expenses}; }
    resource<income> incomes() const { return {sender(), resources::incomes}; }
    resource<store> stores() const { return {sender(), resources::stores}; }
    resource<stock_transaction> stock_transactions() const { return {sender(), resources::stock_transactions}; }
    resource<treasury> treasuries() const { return {sender(), resources::treasuries}; }
    resource<journal> journals() const { return {sender(), resources::journals}; }
    resource<journal_account> journal_accounts() const { return {sender(), resources::journal_accounts}; }
    resource<journal_category> journal_cats() const { return {sender(), resources::journal_cats}; }
    resource<follow_up_status> follow_up_statuses() const { return {sender(), resources::follow_up_statuses}; }
    resource<follow_up_action> follow_up_actions() const { return {sender(), resources::follow_up_actions}; }
    resource<requisition> requisitions() const { return {sender(), resources::requisitions}; }
    resource<booking> bookings() const { return {sender(), resources::bookings}; }

    /// Any line of the table (or one of your own): `api.resource_for(resources::taxes)`.
    template <class Model>
    resource<Model> resource_for(const resources::resource_spec<Model>& spec) const {
        return {sender(), spec};
    }

    /// Account information: GET /api2/site_info.json.
    boost::asio::awaitable<result<daftra::site_info>> site_info() const;

    /// General listing, GET /api2/listing/{model}.json: the `data.Listing` id → title object
    /// (`model` e.g. "Branch", "Timezone"). Unknown models fail with error_kind::not_found.
    boost::asio::awaitable<result<boost::json::object>> listing(std::string model) const;

    // The documented endpoints beyond plain CRUD (daftra/resources/specials.hpp has their details).

    /// A note on a record: POST /api2/notes/{owner_type}/{owner_id}.json. Returns the note's id.
    boost::asio::awaitable<result<std::int64_t>> create_note(std::string owner_type, std::int64_t owner_id,
                                                             const note& n) const;
    /// The follow-up actions of an item type: GET /api2/follow_up_actions/{type}.json.
    boost::asio::awaitable<result<page<follow_up_action>>> follow_up_actions_of(std::string type, const query& q) const;
    boost::asio::awaitable<result<page<follow_up_action>>> follow_up_actions_of(std::string type) const {
        return follow_up_actions_of(std::move(type), query{});  // an overload: see resource::list()
    }
    /// Bulk invoice create (POST /api2/invoices/add_bulk.json): one outcome per invoice, in order.
    /// Not atomic: some may be created while others fail. Sent once (never retried).
    boost::asio::awaitable<result<std::vector<result<std::int64_t>>>> create_invoices(std::span<const invoice> invoices) const;
    /// Booking status: 1 confirmed, 3 canceled, 4 done.
    boost::asio::awaitable<result<void>> set_booking_status(std::int64_t booking_id, int status) const;
    /// Converts a booking into an invoice; returns the answer as JSON (its shape is not documented).
    boost::asio::awaitable<result<boost::json::value>> convert_booking(std::int64_t booking_id) const;

    /// v2 entity API: one page of `entity` records at detail `level` (1-4); q.limit is sent as per_page.
    boost::asio::awaitable<result<page<boost::json::object>>> v2_list(std::string entity, int level, const query& q) const;
    boost::asio::awaitable<result<page<boost::json::object>>> v2_list(std::string entity, int level = 1) const {
        return v2_list(std::move(entity), level, query{});  // an overload: see resource::list()
    }
    /// v2 entity API: one record.
    boost::asio::awaitable<result<boost::json::object>> v2_get(std::string entity, std::int64_t id, int level = 1) const;
    /// v2 entity API: creates a record from a flat body; returns its id.
    boost::asio::awaitable<result<std::int64_t>> v2_create(std::string entity, boost::json::object body) const;
    /// v2 entity API: updates a record (the body gets `id` added).
    boost::asio::awaitable<result<void>> v2_update(std::string entity, std::int64_t id, boost::json::object body) const;

    /// Any request on the tenant's origin, for what the typed layer does not cover (v2 entities, bulk
    /// create, booking status, …). `target` is the origin-form path and query; `body`, when given, is
    /// sent as JSON. Returns the parsed answer (null for an empty body); non-2xx answers and
    /// `"result":"failed"` bodies are errors as for typed calls. Credentials and retries apply.
    boost::asio::awaitable<result<boost::json::value>> raw(transport::verb method, std::string target,
                                                            std::optional<boost::json::value> body = std::nullopt) const;

    /// The sender the resources use (credentials + retries + pool), for custom resource types.
    std::shared_ptr<resources::sender> sender() const noexcept;

    /// Connection pool counters.
    transport::pool_stats pool_stats() const;

    /// Fails every call in flight and every later call with error_kind::cancelled. Idempotent.
    void shutdown();

private:
    std::shared_ptr<detail::client_impl> impl_;
};

} // namespace daftra
