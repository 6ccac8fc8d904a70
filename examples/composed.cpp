// Composed operations: calls given boost::asio::deferred are not started yet; Asio's composition tools
// chain them and run them side by side, and the result is one operation started with any token.
//
//   1. a deferred chain: create a client, then read it back, as one operation
//   2. make_parallel_group(...).async_wait(wait_for_all()): three calls at once, every answer kept
//   3. make_parallel_group(...).async_wait(wait_for_one()): a slow invoice list and a quick read; the
//      first to finish wins and the other is cancelled through its cancellation slot (the sandbox
//      makes the invoice list slow here, with its fault injection)
//
// The io_context runs on a thread of its own; this program waits for each composed operation with
// boost::asio::use_future. Configuration: see examples/common/example.hpp.

#include "common/example.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include <iostream>

namespace asio = boost::asio;
using asio::experimental::make_parallel_group;
using example::check;
using example::require;

namespace {

daftra::client_record partner() {
    daftra::client_record c;
    c.business_name = "Deferred Partners";
    c.first_name = "Karim";
    return c;
}

void composed(daftra::client& api) {
    // 1. create, then get what was created. The lambda runs between the two calls; it keeps the
    //    create's result so that a failed create is reported as such.
    const daftra::client_record c = partner();
    std::optional<daftra::result<daftra::created>> created;
    auto create_then_read = api.clients().create(c, asio::deferred([&](daftra::result<daftra::created> id) {
        created = id;
        return api.clients().get(id ? *id : 0, asio::deferred);
    }));
    auto read_back = std::move(create_then_read)(asio::use_future).get();
    const std::int64_t client_id = require(*created, "create the client");
    const auto& client = require(read_back, "read the client back");
    check(client.business_name.value_or("") == "Deferred Partners", "the chain reads back what it created");
    std::cout << "created and read back client " << client_id << "\n";

    // 2. Three calls at once; wait for all of them.
    auto [order, site, same_client, products] =
        make_parallel_group(api.site_info(asio::deferred), api.clients().get(client_id, asio::deferred),
                            api.products().list(daftra::query().with_limit(5), asio::deferred))
            .async_wait(asio::experimental::wait_for_all(), asio::use_future)
            .get();
    require(site, "site info");
    check(require(same_client, "get the client").id == client_id, "the group read the right client");
    require(products, "list products");
    std::cout << "three calls in parallel, finished in the order " << order[0] << order[1] << order[2] << "\n";

    // 3. The first of two calls wins; the other is cancelled. The sandbox delays invoice lists by 5 s.
    auto slow = api.raw(daftra::transport::verb::post, "/__sandbox/faults",
                        boost::json::value{{"path_prefix", "/api2/invoices"}, {"latency_ms", 5000}}, asio::use_future)
                    .get();
    require(slow, "slow down invoice lists (is DAFTRA_BASE_URL a daftra-sandbox?)");
    auto [first, invoices, quick] =
        make_parallel_group(api.invoices().list(asio::deferred), api.clients().get(client_id, asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), asio::use_future)
            .get();
    check(first[0] == 1, "the quick call finishes first");
    check(require(quick, "get the client").id == client_id, "the winner is the client read");
    check(!invoices && invoices.error().kind == daftra::error_kind::cancelled, "the slow invoice list was cancelled");
    std::cout << "wait_for_one: the client read won, the invoice list was " << daftra::to_string(invoices.error().kind) << "\n";

    auto cleared = api.raw(daftra::transport::verb::post, "/__sandbox/faults", boost::json::value(boost::json::object()),
                           asio::use_future)
                       .get();
    require(cleared, "clear the sandbox's faults");
    // The client is as usable as before: the cancelled call closed its connection, nothing else.
    auto after = api.invoices().list(asio::use_future).get();
    require(after, "list invoices after the cancellation");
}

} // namespace

int main() {
    return example::exit_status_of([] {
        example::background_io io;  // the io_context, run by a thread of its own
        daftra::client api(io.get_executor(), example::credentials_from_env(), example::options_from_env());
        composed(api);
        api.shutdown();
    });
}
