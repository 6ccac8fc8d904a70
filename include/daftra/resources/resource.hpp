#pragma once
// resource<Model>: the typed coroutine calls of one resource, e.g. api.invoices().get(7).
// A resource is a shared pointer to the sender plus the table line; make one whenever needed. The
// requests are built before the returned awaitable starts, so a model passed by reference may go away
// once the call has returned its awaitable. Every call (and pager) keeps the sender alive, so calls
// started or merely created before the client is destroyed fail cleanly with error_kind::cancelled.
//
// Errors: every call returns result<T>; value() throws daftra::api_error. A call the resource does
// not support (see the table) fails with error_kind::invalid_argument without sending anything.
// Cancellation: the calls honour the awaiting coroutine's cancellation slot through the sender.
//
// g++ 12: do not create an aggregate (a model, an options struct) with braces anywhere in a statement
// that contains co_await, e.g. `co_await api.invoices().create(invoice{.client_id = 7})`: g++ 12 destroys
// its members twice (a double free). Name it first: `invoice inv{.client_id = 7};` then
// `co_await api.invoices().create(inv);`. A query is not an aggregate, so `list({.page = 2})` does not
// compile and `list(query().with_page(2))` is safe. docs/compilers.md has the whole rule.

#include "daftra/core/completion.hpp"
#include "daftra/resources/operations.hpp"
#include "daftra/resources/pager.hpp"
#include "daftra/resources/sender.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>

namespace daftra {

template <class Model>
class resource {
public:
    resource(std::shared_ptr<resources::sender> s, const resources::resource_spec<Model>& spec) noexcept
        : sender_(std::move(s)), ops_(spec) {}

    /// One page: GET <path>?page=…&limit=…&sort=…&direction=…&<filters>.
    boost::asio::awaitable<result<page<Model>>> list(const query& q) const;
    /// The first page with the server's defaults. (An overload, not a `= {}` default argument: g++ 12
    /// also destroys default-argument temporaries of a co_await expression twice.)
    boost::asio::awaitable<result<page<Model>>> list() const { return list(query{}); }

    /// Every record of every page, in order (see pager.hpp).
    resources::pager<Model> all(query q, resources::all_options options) const;
    // Overloads rather than default arguments, as for list().
    resources::pager<Model> all(query q) const { return all(std::move(q), resources::all_options()); }
    resources::pager<Model> all() const { return all(query(), resources::all_options()); }

    /// One record by id (site_info ignores the id).
    boost::asio::awaitable<result<Model>> get(std::int64_t id) const;
    /// The same with query parameters: `query().with_recursive(recursion::header_only)` on sales documents.
    boost::asio::awaitable<result<Model>> get(std::int64_t id, const query& q) const;

    /// Creates a record and returns its id, with its number when the answer gives one (invoices; see
    /// created.hpp). A POST is never sent twice by the SDK: on a lost answer the error has maybe_sent
    /// set and the record may exist.
    boost::asio::awaitable<result<created>> create(const Model& record) const;
    /// The same with query parameters on the request (`q.filters`; see operations::create_request).
    boost::asio::awaitable<result<created>> create(const Model& record, const query& q) const;

    /// Replaces the record's fields that `record` sets (child rows sent replace the existing ones).
    boost::asio::awaitable<result<void>> update(std::int64_t id, const Model& record) const;
    boost::asio::awaitable<result<void>> update(std::int64_t id, const Model& record, const query& q) const;

    /// Deletes a record. DELETE is retried like GET; when a retry is answered "not found" after an
    /// earlier attempt whose outcome is unknown (its answer lost, a timeout), that attempt most likely
    /// deleted the record: the call succeeds with deleted::already_gone set (see deleted.hpp). A 404 on
    /// the first attempt fails with error_kind::not_found.
    boost::asio::awaitable<result<deleted>> remove(std::int64_t id) const;

    // Every call above with any completion token as its last argument (daftra/core/completion.hpp):
    // `invoices.get(7, [](result<invoice> r) {…})`, `invoices.get(7, asio::use_future)`,
    // `invoices.list(q, asio::deferred)`. The token gets what co_await returns.

    template <completion_token_for<result<page<Model>>> Token>
    auto list(const query& q, Token&& token) const {
        return complete_with(sender_->executor(), list(q), std::forward<Token>(token));
    }
    template <completion_token_for<result<page<Model>>> Token>
    auto list(Token&& token) const {
        return complete_with(sender_->executor(), list(query{}), std::forward<Token>(token));
    }
    template <completion_token_for<result<Model>> Token>
    auto get(std::int64_t id, Token&& token) const {
        return complete_with(sender_->executor(), get(id), std::forward<Token>(token));
    }
    template <completion_token_for<result<Model>> Token>
    auto get(std::int64_t id, const query& q, Token&& token) const {
        return complete_with(sender_->executor(), get(id, q), std::forward<Token>(token));
    }
    template <completion_token_for<result<created>> Token>
    auto create(const Model& record, Token&& token) const {
        return complete_with(sender_->executor(), create(record), std::forward<Token>(token));
    }
    template <completion_token_for<result<created>> Token>
    auto create(const Model& record, const query& q, Token&& token) const {
        return complete_with(sender_->executor(), create(record, q), std::forward<Token>(token));
    }
    template <completion_token_for<result<void>> Token>
    auto update(std::int64_t id, const Model& record, Token&& token) const {
        return complete_with(sender_->executor(), update(id, record), std::forward<Token>(token));
    }
    template <completion_token_for<result<void>> Token>
    auto update(std::int64_t id, const Model& record, const query& q, Token&& token) const {
        return complete_with(sender_->executor(), update(id, record, q), std::forward<Token>(token));
    }
    template <completion_token_for<result<deleted>> Token>
    auto remove(std::int64_t id, Token&& token) const {
        return complete_with(sender_->executor(), remove(id), std::forward<Token>(token));
    }

    const resources::resource_spec<Model>& spec() const noexcept { return ops_.spec(); }

private:
    using request_result = result<transport::request>;

    // The coroutines take everything by value: they may outlive this resource object.
    static boost::asio::awaitable<result<page<Model>>> list_call(std::shared_ptr<resources::sender> s, resources::operations<Model> ops,
                                                                 request_result req, std::int64_t page_number);

    // get, create, update and remove: send, then decode the answer with `decode` (an *_answer step).
    template <class T>
    using decoder = result<T> (resources::operations<Model>::*)(const transport::response&) const;

    template <class T>
    static boost::asio::awaitable<result<T>> decoded_call(std::shared_ptr<resources::sender> s, resources::operations<Model> ops,
                                                          request_result req, decoder<T> decode);

    std::shared_ptr<resources::sender> sender_;
    resources::operations<Model> ops_;
};

} // namespace daftra
