// Errors: what each kind of failure looks like, and how to branch on daftra::error_kind.
//
// Every call returns daftra::result<T>; on failure r.error() is a daftra::error with
//   kind        what went wrong, coarse enough to branch on (the switch in advice() below)
//   status      the HTTP status, 0 when no answer arrived
//   message     Daftra's message, or the SDK's
//   fields      per-field validation errors
//   maybe_sent  whether the request may have reached the server (matters for a POST)
// and describe() gives all of it on one line, without any secret.
//
// Needs daftra-sandbox: it makes the server misbehave through the sandbox's fault endpoint
// (POST /__sandbox/faults, see docs/sandbox.md), and clears the faults again at the end.
// Configuration: see examples/common/example.hpp.

#include "common/example.hpp"

#include <daftra/auth/errors.hpp>

#include <chrono>
#include <iostream>

namespace asio = boost::asio;
namespace json = boost::json;
using daftra::error_kind;
using example::check;
using example::require;

namespace {

// How an application might react to each kind.
std::string_view advice(const daftra::error& e) {
    switch (e.kind) {
    case error_kind::not_found:
        return "the record does not exist (deleted, or a wrong id): do not retry";
    case error_kind::validation:
        return "fix the fields listed in error::fields, then send again";
    case error_kind::unauthorized:
    case error_kind::forbidden:
        return "the credentials or the account's permissions were refused: fix the configuration";
    case error_kind::auth:
        return daftra::auth::is_credentials_error(e.code) ? "wrong client id, secret, username or password: fix the configuration"
                                                          : "the token endpoint could not be reached: try again later";
    case error_kind::rate_limited:
    case error_kind::server:
        return "the SDK already retried what was safe to retry: back off, try again later";
    case error_kind::timeout:
    case error_kind::transport:
    case error_kind::protocol:
        return e.maybe_sent ? "it may have been processed: a GET, PUT or DELETE can be sent again, a POST only after "
                              "looking whether it was saved"
                            : "the request never reached the server: safe to send again";
    default:
        return "see describe()";
    }
}

void show(std::string_view title, const daftra::error& e) {
    std::cout << "\n== " << title << "\n"
              << "  kind " << daftra::to_string(e.kind) << ", HTTP " << e.status << ", maybe_sent " << std::boolalpha
              << e.maybe_sent << "\n"
              << "  describe(): " << e.describe() << "\n"
              << "  what to do: " << advice(e) << "\n";
}

// The error of a call that must fail with `kind`.
template <class T>
daftra::error expect_failure(const daftra::result<T>& r, std::string_view call, error_kind kind) {
    check(!r, std::string(call) + " fails");
    check(r.error().kind == kind, std::string(call) + " fails with " + std::string(daftra::to_string(kind)) +
                                      ", not: " + r.error().describe());
    return r.error();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

asio::awaitable<void> not_found_and_validation(const daftra::client& api) {
    const std::int64_t missing_id = 987'654'321;
    auto missing = co_await api.invoices().get(missing_id);
    show("not_found: an invoice that does not exist", expect_failure(missing, "get a missing invoice", error_kind::not_found));

    daftra::invoice incomplete;  // no client_id, which Daftra requires
    daftra::invoice_item line;
    line.item = "Widget";
    line.quantity = 1;  // and no unit_price, which an item requires
    incomplete.InvoiceItem.push_back(line);
    auto refused = co_await api.invoices().create(incomplete);
    const auto e = expect_failure(refused, "create an invoice without client_id", error_kind::validation);
    show("validation: an invoice without its client and an item without a price", e);
    bool names_client_id = false;
    for (const auto& f : e.fields) {
        std::cout << "  field " << f.field << ": " << f.message << "\n";
        names_client_id = names_client_id || f.field.find("client_id") != std::string::npos;
    }
    check(names_client_id, "the field errors name client_id");
}

asio::awaitable<void> wrong_credentials(const daftra::client_options& options) {
    const auto executor = co_await asio::this_coro::executor;
    // The key is a daftra::auth::secret: it cannot be printed, and no error message contains it.
    const std::string wrong_key = "not-the-api-key-0123456789";
    daftra::client intruder(executor, daftra::auth::api_key{daftra::auth::secret(wrong_key)}, options);
    auto refused = co_await intruder.site_info();
    const auto e = expect_failure(refused, "a call with a wrong API key", error_kind::unauthorized);
    show("unauthorized: a second client with a wrong API key", e);
    check(e.describe().find(wrong_key) == std::string::npos && e.body.find(wrong_key) == std::string::npos,
          "the error does not reveal the key");

    // With the password grant, wrong credentials fail the token request instead: kind auth.
    auto grant = example::password_grant_from_env();
    const std::string wrong_password = "not-the-password-9876543210";
    grant.password = daftra::auth::secret(wrong_password);
    daftra::client stranger(executor, grant, options);
    auto denied = co_await stranger.site_info();
    const auto a = expect_failure(denied, "a call with a wrong password", error_kind::auth);
    show("auth: a client whose password grant is refused", a);
    check(daftra::auth::is_credentials_error(a.code), "a refused password is a credentials error (not worth retrying)");
    check(a.describe().find(wrong_password) == std::string::npos, "the error does not reveal the password");
}

asio::awaitable<void> timeout(const daftra::client& api, daftra::client_options options) {
    json::object stall{{"stall_rate", 1}, {"path_prefix", "/api2/products"}};
    co_await example::set_sandbox_faults(api, std::move(stall));
    std::cout << "\n(the sandbox now never answers /api2/products)\n";

    // A client whose calls give up after 1 s, retries included (the default is 120 s).
    options.pool.request_timeout = std::chrono::milliseconds(1000);
    daftra::client impatient(co_await asio::this_coro::executor, example::credentials_from_env(), options);
    const auto start = std::chrono::steady_clock::now();
    auto products = co_await impatient.products().list();
    const double waited = seconds_since(start);
    show("timeout: no answer within pool_options::request_timeout",
         expect_failure(products, "a call to a stalled path", error_kind::timeout));
    std::cout << "  gave up after " << waited << " s\n";
    check(waited < 5, "the call gave up at its deadline");
}

asio::awaitable<void> rate_limits_and_server_errors(const daftra::client& api, const daftra::client_options& options) {
    // One 429 with Retry-After: 1. A GET is retried after the wait, and the caller sees only success.
    json::object once{{"rate_limit_rate", 1}, {"retry_after_seconds", 1}, {"times", 1}, {"path_prefix", "/api2/taxes"}};
    co_await example::set_sandbox_faults(api, std::move(once));
    auto before = co_await example::sandbox_stats(api);
    auto start = std::chrono::steady_clock::now();
    auto taxes = co_await api.taxes().list();
    require(taxes, "list taxes through one 429");
    auto after = co_await example::sandbox_stats(api);
    std::cout << "\n== a 429 the retries absorb\n  the call succeeded after " << seconds_since(start)
              << " s, having waited out the server's Retry-After (faults injected: "
              << example::counter(after, "faults_injected") - example::counter(before, "faults_injected") << ")\n";
    check(example::counter(after, "faults_injected") - example::counter(before, "faults_injected") == 1, "one 429 was answered");

    // Every answer 503: the GET is tried retry_options::max_attempts times, then the error surfaces.
    json::object down{{"error_rate", 1}, {"error_status", 503}, {"path_prefix", "/api2/taxes"}};
    co_await example::set_sandbox_faults(api, std::move(down));
    before = co_await example::sandbox_stats(api);
    auto unavailable = co_await api.taxes().list();
    after = co_await example::sandbox_stats(api);
    const auto tries = example::counter(after, "faults_injected") - example::counter(before, "faults_injected");
    show("server: 503 on every attempt", expect_failure(unavailable, "list taxes while the server answers 503", error_kind::server));
    std::cout << "  attempts: " << tries << " (retry_options::max_attempts = " << options.retry.max_attempts << ")\n";
    check(tries == static_cast<std::int64_t>(options.retry.max_attempts), "the GET was tried max_attempts times");

    // A POST answered 503 is not sent again: the SDK cannot know that nothing was saved.
    daftra::tax vat;
    vat.name = "VAT";
    vat.value = 14;
    before = co_await example::sandbox_stats(api);
    auto not_created = co_await api.taxes().create(vat);
    after = co_await example::sandbox_stats(api);
    const auto post_tries = example::counter(after, "faults_injected") - example::counter(before, "faults_injected");
    show("server: a POST answered 503", expect_failure(not_created, "create a tax while the server answers 503", error_kind::server));
    std::cout << "  attempts: " << post_tries << " (a POST is never retried once the server answered)\n";
    check(post_tries == 1, "the POST was sent once");
    co_await example::clear_sandbox_faults(api);
}

asio::awaitable<void> exception_style(const daftra::client& api) {
    // result::value() throws daftra::api_error, which carries the same daftra::error.
    const std::int64_t missing_id = 987'654'321;
    try {
        auto got = co_await api.invoices().get(missing_id);
        const daftra::invoice inv = got.value();  // throws: there is no such invoice
        throw example::example_failure("value() returned invoice " + std::to_string(inv.id.value_or(0)));
    } catch (const daftra::api_error& e) {
        std::cout << "\n== the exception style: result::value() throws daftra::api_error\n  what(): " << e.what()
                  << "\n  error().kind: " << daftra::to_string(e.error().kind) << "\n";
        check(e.error().kind == error_kind::not_found, "the exception carries the not_found error");
    }
}

asio::awaitable<void> maybe_sent(const daftra::client& api) {
    daftra::client_record customer;
    customer.business_name = "Errors Example Ltd";
    auto created_client = co_await api.clients().create(customer);
    const std::int64_t client_id = require(created_client, "create a client");

    // The next invoice POST is processed, but its answer is cut in half and the connection closed.
    json::object cut{{"truncate_rate", 1}, {"times", 1}, {"path_prefix", "/api2/invoices"}, {"method", "POST"}};
    co_await example::set_sandbox_faults(api, std::move(cut));

    // unique_id is our own reference for the invoice: it lets us find it when we do not know its id.
    const std::string reference = "errors-example-" + std::to_string(client_id);
    daftra::invoice inv;
    inv.client_id = client_id;
    inv.unique_id = reference;
    daftra::invoice_item line;
    line.item = "Widget";
    line.unit_price = 10;
    line.quantity = 1;
    inv.InvoiceItem.push_back(line);
    auto lost = co_await api.invoices().create(inv);
    check(!lost, "the create with a cut answer fails");
    show("maybe_sent: a POST whose answer was lost", lost.error());
    check(lost.error().maybe_sent, "the error says the POST may have reached the server");
    co_await example::clear_sandbox_faults(api);

    // So look before sending it again.
    daftra::query q;
    q.filters = {{"unique_id", reference}};
    auto found = co_await api.invoices().list(q);
    const auto& page = require(found, "look for the invoice by unique_id");
    std::cout << "  looked it up by unique_id: " << page.items.size()
              << " invoice(s) found, so it was saved and must not be sent again\n";
    check(page.items.size() == 1 && page.items[0].unique_id == reference && page.items[0].client_id == client_id,
          "the invoice whose answer was lost exists, once");
}

asio::awaitable<void> errors() {
    const daftra::client_options options = example::options_from_env();
    daftra::client api(co_await asio::this_coro::executor, example::credentials_from_env(), options);

    // The faults are cleared whatever happens (a coroutine cannot co_await in a catch block, so the
    // failure is kept and rethrown after the cleanup).
    std::exception_ptr failure;
    try {
        co_await not_found_and_validation(api);
        co_await wrong_credentials(options);
        co_await timeout(api, options);
        co_await rate_limits_and_server_errors(api, options);
        co_await exception_style(api);
        co_await maybe_sent(api);
    } catch (...) {
        failure = std::current_exception();
    }
    co_await example::clear_sandbox_faults(api);
    if (failure) std::rethrow_exception(failure);
    std::cout << "\nevery failure looked as expected; the sandbox's faults are cleared\n";
}

} // namespace

int main() { return example::run(1, errors); }
