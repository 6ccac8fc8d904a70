// Concurrent calls: 1000 calls at once on ONE daftra::client, from coroutines running on several
// threads of one io_context. The client is thread-safe; its pool keeps at most
// pool_options::max_connections (default 8) keep-alive connections and queues the other calls, so a
// thousand calls share a handful of connections instead of opening a thousand.
//
//   concurrent [CALLS]      (default 1000)
//
// The calls are a mix: four gets of an invoice for every list of a page of invoices. Each answer is
// checked (the right invoice, a full page); the example fails if any call failed or answered wrong.
// Configuration: see examples/common/example.hpp.

#include "common/example.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>
#include <map>

namespace asio = boost::asio;
using example::check;
using example::require;

namespace {

constexpr unsigned threads = 4;
constexpr std::int64_t invoice_count = 10;

// One call of the burst; returns "" on success or what went wrong.
asio::awaitable<std::string> one_call(const daftra::client& api, unsigned n, const std::vector<std::int64_t>& ids,
                                      std::int64_t client_id) {
    if (n % 5 == 0) {
        daftra::query q;
        q.limit = invoice_count;
        q.filters = {{"client_id", std::to_string(client_id)}};
        auto page = co_await api.invoices().list(q);
        if (!page) co_return page.error().describe();
        if (page->items.size() != ids.size()) co_return "list: " + std::to_string(page->items.size()) + " invoices instead of " + std::to_string(ids.size());
        co_return std::string();
    }
    const std::int64_t id = ids[n % ids.size()];
    auto inv = co_await api.invoices().get(id);
    if (!inv) co_return inv.error().describe();
    if (inv->id != id) co_return "get " + std::to_string(id) + ": another invoice came back";
    co_return std::string();
}

asio::awaitable<void> concurrent(unsigned calls) {
    const auto executor = co_await asio::this_coro::executor;
    const daftra::client_options options = example::options_from_env();
    daftra::client api(executor, example::credentials_from_env(), options);

    // Something to read: a client with ten invoices.
    daftra::client_record customer;
    customer.business_name = "Concurrent Traders";
    auto created_client = co_await api.clients().create(customer);
    const std::int64_t client_id = require(created_client, "create the client");
    std::vector<std::int64_t> ids;
    for (std::int64_t i = 0; i < invoice_count; ++i) {
        daftra::invoice inv;
        inv.client_id = client_id;
        daftra::invoice_item line;
        line.item = "Consulting hour";
        line.unit_price = 80;
        line.quantity = static_cast<double>(i + 1);
        inv.InvoiceItem.push_back(line);
        auto created = co_await api.invoices().create(inv);
        ids.push_back(require(created, "create an invoice"));
    }
    const auto before = api.pool_stats();
    std::cout << "set up a client and " << ids.size() << " invoices; now " << calls << " concurrent calls ("
              << calls - (calls + 4) / 5 << " gets, " << (calls + 4) / 5 << " lists) on " << threads << " threads\n";

    // Start every call at once, each as its own coroutine on the io_context's threads, and wait for all.
    // co_spawn(…, deferred) makes an operation that has not started yet; the parallel group starts them.
    using call_op = decltype(asio::co_spawn(executor, one_call(api, 0, ids, client_id), asio::deferred));
    std::vector<call_op> ops;
    ops.reserve(calls);
    for (unsigned n = 0; n < calls; ++n) ops.push_back(asio::co_spawn(executor, one_call(api, n, ids, client_id), asio::deferred));

    const auto start = std::chrono::steady_clock::now();
    auto [order, exceptions, outcomes] = co_await asio::experimental::make_parallel_group(std::move(ops))
                                             .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    const auto after = api.pool_stats();

    unsigned succeeded = 0;
    std::map<std::string, unsigned> failures;  // what went wrong -> how often
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (exceptions[i]) ++failures["exception"];
        else if (outcomes[i].empty()) ++succeeded;
        else ++failures[outcomes[i]];
    }
    std::cout << "succeeded: " << succeeded << ", failed: " << calls - succeeded << "\n";
    for (const auto& [what, count] : failures) std::cout << "  " << count << " x " << what << "\n";
    std::cout << "elapsed: " << elapsed.count() * 1000 << " ms, " << static_cast<long>(calls / elapsed.count()) << " calls/s\n";
    std::cout << "pool: " << after.requests - before.requests << " requests during the burst, "
              << after.connections_opened << " connection(s) opened in all (limit "
              << options.pool.max_connections << ")\n";

    check(succeeded == calls, "every call succeeded with the right answer");
    check(after.connections_opened <= options.pool.max_connections,
          "the calls shared the pool's connections instead of opening one each");
}

} // namespace

int main(int argc, char** argv) {
    const int calls = argc > 1 ? std::atoi(argv[1]) : 1000;
    if (argc > 2 || calls <= 0) {
        std::cerr << "usage: concurrent [CALLS]   (CALLS > 0, default 1000)\n";
        return 2;
    }
    return example::run(threads, [calls] { return concurrent(static_cast<unsigned>(calls)); });
}
