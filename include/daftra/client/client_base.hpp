#pragma once
// daftra::client_base: the resources and calls of the API, shared by daftra::client and the handles
// client::with() makes (daftra::scoped_client). Everything here sends through one resources::sender;
// the two differ only in the options that sender applies. See client.hpp.

#include "daftra/client/download.hpp"
#include "daftra/client/resource_accessors.hpp"
#include "daftra/core/completion.hpp"
#include "daftra/resources/resource.hpp"
#include "daftra/resources/specials.hpp"
#include "daftra/resources/table.hpp"
#include "daftra/transport/http.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace daftra {

class client_base : public resources::resource_accessors<client_base> {
public:
    // The resources of the table, api.invoices() … api.bookings(), are the generated accessors of
    // resources::resource_accessors (daftra/client/resource_accessors.hpp); see the reference for each.

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
    boost::asio::awaitable<result<std::vector<result<created>>>> create_invoices(std::span<const invoice> invoices) const {
        return create_invoices(invoices, query{});  // an overload: see resource::list()
    }
    /// The same with query parameters (`q.with_filter("send", "1")`, `client_id`, `terminal_id`: the
    /// reference lists them on add_bulk without describing them).
    boost::asio::awaitable<result<std::vector<result<created>>>> create_invoices(std::span<const invoice> invoices,
                                                                                  const query& q) const;
    /// Booking status: 1 confirmed, 3 canceled, 4 done.
    boost::asio::awaitable<result<void>> set_booking_status(std::int64_t booking_id, int status) const;
    /// Converts a booking into an invoice; returns the answer as JSON (its shape is not documented).
    boost::asio::awaitable<result<boost::json::value>> convert_booking(std::int64_t booking_id) const;

    /// Developers portal: GET /v2/api/app-manager/is_active/{app_id}, "the activation status of an app".
    /// Returns the answer as JSON: its shape is not documented.
    boost::asio::awaitable<result<boost::json::value>> app_is_active(std::int64_t app_id) const;

    /// v2 entity API: one page of `entity` records at detail `level` (1-4); q.limit is sent as per_page.
    boost::asio::awaitable<result<page<boost::json::object>>> v2_list(std::string entity, int level, const query& q) const;
    boost::asio::awaitable<result<page<boost::json::object>>> v2_list(std::string entity, int level = 1) const {
        return v2_list(std::move(entity), level, query{});  // an overload: see resource::list()
    }
    /// v2 entity API: one record.
    boost::asio::awaitable<result<boost::json::object>> v2_get(std::string entity, std::int64_t id, int level = 1) const;
    /// v2 entity API: one record through GET …/{entity}/{id}/show (the form Daftra's own plugin uses).
    boost::asio::awaitable<result<boost::json::object>> v2_show(std::string entity, std::int64_t id) const;
    /// v2 entity API: creates a record from a flat body; returns its id.
    boost::asio::awaitable<result<std::int64_t>> v2_create(std::string entity, boost::json::object body) const;
    /// v2 entity API: updates a record (the body gets `id` added), in the entity's documented form: PUT
    /// …/{entity}/{id}, or POST …/{entity} for credit_usage, credit_type, credit_charge and package
    /// (resources::v2_edit_form).
    boost::asio::awaitable<result<void>> v2_update(std::string entity, std::int64_t id, boost::json::object body) const;
    /// v2 multi-entity: several records and pages of any entities in one request (POST
    /// /v2/api/multi-entity); each part's answer, by alias, is a result of its own (see
    /// resources::v2_multi_part and v2_multi_answer). Fails with invalid_argument, sending nothing, when
    /// `parts` is empty, a key is empty or two parts would be answered under one alias.
    boost::asio::awaitable<result<resources::v2_multi_answer>> v2_multi(std::vector<resources::v2_multi_part> parts) const;

    /// Downloads `url` into `sink` piece by piece (daftra/client/download.hpp): an absolute URL on the
    /// client's origin, as Daftra gives `invoice_pdf_url`, or an origin-form target ("/…"). A URL on
    /// another host fails with invalid_argument and nothing is sent: credentials go to the account's
    /// origin only. Any 2xx answer is the file, whatever its type; other answers are errors as for every
    /// call. Retried like any GET, the sink starting over (body_sink::begin).
    boost::asio::awaitable<result<downloaded>> download(std::string url, std::shared_ptr<transport::body_sink> sink,
                                                        download_options options) const;
    boost::asio::awaitable<result<downloaded>> download(std::string url, std::shared_ptr<transport::body_sink> sink) const {
        return download(std::move(url), std::move(sink), download_options());  // an overload: see resource::list()
    }
    /// download() into `file`, which is replaced only once the whole file has arrived (file_sink).
    boost::asio::awaitable<result<downloaded>> download_to_file(std::string url, std::filesystem::path file,
                                                                download_options options) const;
    boost::asio::awaitable<result<downloaded>> download_to_file(std::string url, std::filesystem::path file) const {
        return download_to_file(std::move(url), std::move(file), download_options());
    }
    /// download() into memory: any answer, JSON or not (a PDF, an image), as bytes with its content type.
    boost::asio::awaitable<result<file_bytes>> fetch_file(std::string url, download_options options) const;
    boost::asio::awaitable<result<file_bytes>> fetch_file(std::string url) const {
        return fetch_file(std::move(url), download_options());
    }
    /// An invoice's PDF or HTML into `file`: reads the invoice's header (recursive -1) for its
    /// `invoice_pdf_url` / `invoice_html_url`, then downloads that. An invoice without the URL fails with
    /// error_kind::decode.
    boost::asio::awaitable<result<downloaded>> download_invoice(std::int64_t invoice_id, invoice_document which,
                                                                std::filesystem::path file, download_options options) const;
    boost::asio::awaitable<result<downloaded>> download_invoice(std::int64_t invoice_id, invoice_document which,
                                                                std::filesystem::path file) const {
        return download_invoice(invoice_id, which, std::move(file), download_options());
    }

    /// Any request on the tenant's origin, for what the typed layer does not cover (v2 entities, bulk
    /// create, booking status, …). `target` is the origin-form path and query; `body`, when given, is
    /// sent as JSON. Returns the parsed answer (null for an empty body); non-2xx answers and
    /// `"result":"failed"` bodies are errors as for typed calls. Credentials and retries apply.
    boost::asio::awaitable<result<boost::json::value>> raw(transport::verb method, std::string target,
                                                            std::optional<boost::json::value> body) const;
    /// The same without a body. (An overload, not a default argument: g++ 12 destroys a default
    /// argument's temporary of a co_await expression twice; see resource::list().)
    boost::asio::awaitable<result<boost::json::value>> raw(transport::verb method, std::string target) const {
        return raw(method, std::move(target), std::optional<boost::json::value>());
    }

    // Every call above with any completion token as its last argument (daftra/core/completion.hpp):
    // `api.site_info([](result<daftra::site_info> r) {…})`, `api.site_info(asio::use_future)`,
    // `api.raw(verb::get, "/api2/…", asio::deferred)`. The token gets what co_await returns.

    template <completion_token_for<result<daftra::site_info>> Token>
    auto site_info(Token&& token) const {
        return complete_with(executor(), site_info(), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::object>> Token>
    auto listing(std::string model, Token&& token) const {
        return complete_with(executor(), listing(std::move(model)), std::forward<Token>(token));
    }
    template <completion_token_for<result<std::int64_t>> Token>
    auto create_note(std::string owner_type, std::int64_t owner_id, const note& n, Token&& token) const {
        return complete_with(executor(), create_note(std::move(owner_type), owner_id, n), std::forward<Token>(token));
    }
    template <completion_token_for<result<page<follow_up_action>>> Token>
    auto follow_up_actions_of(std::string type, const query& q, Token&& token) const {
        return complete_with(executor(), follow_up_actions_of(std::move(type), q), std::forward<Token>(token));
    }
    template <completion_token_for<result<page<follow_up_action>>> Token>
    auto follow_up_actions_of(std::string type, Token&& token) const {
        return complete_with(executor(), follow_up_actions_of(std::move(type), query{}), std::forward<Token>(token));
    }
    template <completion_token_for<result<std::vector<result<created>>>> Token>
    auto create_invoices(std::span<const invoice> invoices, Token&& token) const {
        return complete_with(executor(), create_invoices(invoices, query{}), std::forward<Token>(token));
    }
    template <completion_token_for<result<std::vector<result<created>>>> Token>
    auto create_invoices(std::span<const invoice> invoices, const query& q, Token&& token) const {
        return complete_with(executor(), create_invoices(invoices, q), std::forward<Token>(token));
    }
    template <completion_token_for<result<void>> Token>
    auto set_booking_status(std::int64_t booking_id, int status, Token&& token) const {
        return complete_with(executor(), set_booking_status(booking_id, status), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::value>> Token>
    auto convert_booking(std::int64_t booking_id, Token&& token) const {
        return complete_with(executor(), convert_booking(booking_id), std::forward<Token>(token));
    }
    template <completion_token_for<result<page<boost::json::object>>> Token>
    auto v2_list(std::string entity, int level, const query& q, Token&& token) const {
        return complete_with(executor(), v2_list(std::move(entity), level, q), std::forward<Token>(token));
    }
    template <completion_token_for<result<page<boost::json::object>>> Token>
    auto v2_list(std::string entity, int level, Token&& token) const {
        return complete_with(executor(), v2_list(std::move(entity), level, query{}), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::object>> Token>
    auto v2_get(std::string entity, std::int64_t id, Token&& token) const {
        return complete_with(executor(), v2_get(std::move(entity), id, 1), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::object>> Token>
    auto v2_get(std::string entity, std::int64_t id, int level, Token&& token) const {
        return complete_with(executor(), v2_get(std::move(entity), id, level), std::forward<Token>(token));
    }
    template <completion_token_for<result<std::int64_t>> Token>
    auto v2_create(std::string entity, boost::json::object body, Token&& token) const {
        return complete_with(executor(), v2_create(std::move(entity), std::move(body)), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::object>> Token>
    auto v2_show(std::string entity, std::int64_t id, Token&& token) const {
        return complete_with(executor(), v2_show(std::move(entity), id), std::forward<Token>(token));
    }
    template <completion_token_for<result<void>> Token>
    auto v2_update(std::string entity, std::int64_t id, boost::json::object body, Token&& token) const {
        return complete_with(executor(), v2_update(std::move(entity), id, std::move(body)), std::forward<Token>(token));
    }
    template <completion_token_for<result<downloaded>> Token>
    auto download(std::string url, std::shared_ptr<transport::body_sink> sink, download_options options, Token&& token) const {
        return complete_with(executor(), download(std::move(url), std::move(sink), options), std::forward<Token>(token));
    }
    template <completion_token_for<result<downloaded>> Token>
    auto download_to_file(std::string url, std::filesystem::path file, download_options options, Token&& token) const {
        return complete_with(executor(), download_to_file(std::move(url), std::move(file), options), std::forward<Token>(token));
    }
    template <completion_token_for<result<file_bytes>> Token>
    auto fetch_file(std::string url, download_options options, Token&& token) const {
        return complete_with(executor(), fetch_file(std::move(url), options), std::forward<Token>(token));
    }
    template <completion_token_for<result<downloaded>> Token>
    auto download_invoice(std::int64_t invoice_id, invoice_document which, std::filesystem::path file,
                          download_options options, Token&& token) const {
        return complete_with(executor(), download_invoice(invoice_id, which, std::move(file), options),
                             std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::value>> Token>
    auto app_is_active(std::int64_t app_id, Token&& token) const {
        return complete_with(executor(), app_is_active(app_id), std::forward<Token>(token));
    }
    template <completion_token_for<result<resources::v2_multi_answer>> Token>
    auto v2_multi(std::vector<resources::v2_multi_part> parts, Token&& token) const {
        return complete_with(executor(), v2_multi(std::move(parts)), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::value>> Token>
    auto raw(transport::verb method, std::string target, std::optional<boost::json::value> body, Token&& token) const {
        return complete_with(executor(), raw(method, std::move(target), std::move(body)), std::forward<Token>(token));
    }
    template <completion_token_for<result<boost::json::value>> Token>
    auto raw(transport::verb method, std::string target, Token&& token) const {
        return complete_with(executor(), raw(method, std::move(target), std::optional<boost::json::value>()),
                             std::forward<Token>(token));
    }

    /// The executor the client was made with: where calls given a completion token run unless their
    /// handler names an executor of the same context (daftra/core/completion.hpp).
    boost::asio::any_io_executor executor() const { return sender_->executor(); }

    /// The sender the resources use (credentials, rate limits, retries, the pool, and this object's call
    /// options), for custom resource types.
    std::shared_ptr<resources::sender> sender() const noexcept { return sender_; }

protected:
    explicit client_base(std::shared_ptr<resources::sender> s) noexcept : sender_(std::move(s)) {}
    client_base(const client_base&) = default;
    client_base& operator=(const client_base&) = default;
    ~client_base() = default;

private:
    std::shared_ptr<resources::sender> sender_;
};

} // namespace daftra
