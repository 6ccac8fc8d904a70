// The README's client guide, compiled with the examples (-Werror) so that its snippets cannot drift:
// scripts/check_snippets.py (ctest readme_snippets) compares each README block with a region below.
// This file is not a program to run; examples/ has those.

#include <daftra/client.hpp>
#include <daftra/transport/pool.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;

namespace readme {

// [credentials]
daftra::auth::credentials login(std::string client_id, std::string client_secret, std::string user, std::string password) {
    // OAuth2 password grant: the client fetches the token, shares it between all calls, and refreshes it
    // once for all of them when it expires.
    return daftra::auth::password_grant(std::move(client_id), daftra::auth::secret(std::move(client_secret)),
                                        std::move(user), daftra::auth::secret(std::move(password)));
    // Or the `apikey` header:       daftra::auth::api_key(daftra::auth::secret(key))
    // Or a token you already have:  daftra::auth::bearer_token(daftra::auth::secret(token))
}
// [credentials end]

asio::awaitable<void> calls(daftra::client& api) {
    // [calls]
    // Models are plain structs of std::optional fields (designated initializers in declaration order).
    daftra::invoice draft{.client_id = 7, .date = "2026-12-03"};
    draft.InvoiceItem.push_back(daftra::invoice_item{.item = "Widget", .unit_price = 12.5, .quantity = 2});

    auto id = co_await api.invoices().create(draft);          // result<daftra::created>: id and number
    if (!id) co_return;
    auto invoice = co_await api.invoices().get(*id);          // result<daftra::invoice>
    daftra::invoice change;                                   // only the fields that are set are sent
    change.notes = "paid by transfer";
    auto updated = co_await api.invoices().update(*id, change);   // result<void>
    auto gone = co_await api.invoices().remove(*id);              // result<daftra::deleted>
    // [calls end]
    (void)invoice;
    (void)updated;
    (void)gone;
}

asio::awaitable<void> lists(daftra::client& api) {
    // [lists]
    // One page: result<daftra::page<daftra::invoice>> with items, page, page_count, total_results.
    auto page = co_await api.invoices().list(daftra::query().with_limit(100).with_filter("client_id", 7));

    // Every record of every page, the next page fetched while this one is used.
    auto all = api.clients().all(daftra::query().with_limit(1000));
    while (auto record = co_await all.next()) {     // std::optional<result<client_record>>; nullopt at the end
        if (!*record) {
            std::cerr << record->error().describe() << "\n";   // an error ends the range
            break;
        }
        std::cout << (*record)->business_name.value_or("") << "\n";
    }
    // [lists end]
    (void)page;
}

asio::awaitable<void> errors(daftra::client& api) {
    // [errors]
    auto invoice = co_await api.invoices().get(42);
    if (!invoice) {
        const daftra::error& e = invoice.error();
        switch (e.kind) {
        case daftra::error_kind::not_found: std::cout << "no invoice 42\n"; break;
        case daftra::error_kind::validation:
            for (const auto& f : e.fields) std::cout << f.field << ": " << f.message << "\n";
            break;
        default: std::cerr << e.describe() << "\n";   // e.g. "timeout: timed out while waiting for the response header"
        }
    }
    // Or let it throw daftra::api_error (which carries the same daftra::error):
    // daftra::invoice inv = (co_await api.invoices().get(42)).value();
    // [errors end]
}

asio::awaitable<void> per_call(daftra::client& api) {
    // [per_call]
    daftra::call_options o;
    o.timeout = std::chrono::seconds(2);
    auto quick = api.with(o);                        // same connections, tokens and limits
    auto inv = co_await quick.invoices().get(7);     // error_kind::timeout after 2 s at most
    // [per_call end]
    (void)inv;
}

// [threads]
int serve(daftra::client_options options, daftra::auth::credentials credentials) {
    asio::io_context io;                                 // one io_context, run by four threads
    daftra::client api(io.get_executor(), std::move(credentials), std::move(options));
    for (int i = 0; i < 1000; ++i)
        asio::co_spawn(io, [&api]() -> asio::awaitable<void> {
            auto page = co_await api.products().list(daftra::query().with_limit(10));
            if (!page) std::cerr << page.error().describe() << "\n";
        }, asio::detached);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back([&io] { io.run(); });
    for (auto& t : threads) t.join();                    // io.run() returns when every call has finished
    return 0;                                            // api is destroyed before io: see "Lifetimes"
}
// [threads end]

asio::awaitable<void> cancel(daftra::client& api) {
    // [cancel]
    using namespace asio::experimental::awaitable_operators;
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(500));
    auto first = co_await (api.invoices().get(7) || timer.async_wait(asio::use_awaitable));
    // first.index() == 1: the timer won and the call ended with error_kind::cancelled; api stays usable.
    // [cancel end]
    (void)first;
}

asio::awaitable<void> files(daftra::client& api) {
    // [files]
    auto saved = co_await api.download_invoice(7, daftra::invoice_document::pdf, "invoice-7.pdf");
    if (saved) std::cout << saved->bytes << " bytes of " << saved->content_type << "\n";
    auto inv = co_await api.invoices().get(7);
    if (inv && inv->invoice_html_url) {
        auto page = co_await api.fetch_file(*inv->invoice_html_url);  // result<daftra::file_bytes>
        if (page) std::cout << page->bytes.size() << " bytes of HTML\n";
    }
    // [files end]
}

void tokens(daftra::client& api, asio::io_context& io) {
    // [tokens]
    // A callback: gets what co_await returns, on the executor it is bound to (here a strand).
    auto strand = asio::make_strand(io);
    api.invoices().get(7, asio::bind_executor(strand, [](daftra::result<daftra::invoice> r) {
        if (r) std::cout << "invoice 7: " << r->summary_total.value_or(0) << "\n";
    }));

    // A future, from a thread that does not run the io_context.
    std::future<daftra::result<daftra::site_info>> f = api.site_info(asio::use_future);
    daftra::result<daftra::site_info> info = f.get();

    // Deferred: nothing is sent until the operation is started, e.g. by a parallel_group.
    auto later = api.clients().list(daftra::query().with_limit(5), asio::deferred);
    std::move(later)([](daftra::result<daftra::page<daftra::client_record>> page) {
        if (page) std::cout << page->items.size() << " clients\n";
    });
    // [tokens end]
    (void)info;
}

} // namespace readme
