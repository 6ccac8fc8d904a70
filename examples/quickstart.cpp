// Quick start: the daily round trip through daftra::client.
//
//   1. log in with the OAuth2 password grant (the client fetches and refreshes the token itself)
//   2. read the account's site info
//   3. create a client and a product
//   4. create invoices whose items (InvoiceItem rows) sell that product
//   5. list the client's invoices page by page
//   6. get one invoice, update it, delete it
//   7. see what a validation error looks like
//
// Run it against daftra-sandbox with scripts/demo.sh, or by hand:
//   scripts/with-sandbox.sh build/release/sandbox/daftra-sandbox -- build/release/examples/quickstart
// Configuration: see examples/common/example.hpp (DAFTRA_BASE_URL is required).
//
// Every call returns daftra::result<T>: test it with `if (!r)` and read r.error(). Here require()
// (from common/example.hpp) does that and ends the example on the first failure.

#include "common/example.hpp"

#include <cmath>
#include <iostream>

namespace asio = boost::asio;
using example::check;
using example::require;

namespace {

constexpr double widget_price = 12.5;

// An invoice for `client_id` selling `quantity` widgets. Items are child rows of the invoice.
daftra::invoice widget_invoice(std::int64_t client_id, std::int64_t product_id, double quantity) {
    daftra::invoice inv;
    inv.client_id = client_id;
    inv.date = "2026-01-15";
    daftra::invoice_item line;
    line.product_id = product_id;
    line.item = "Widget";
    line.unit_price = widget_price;
    line.quantity = quantity;
    inv.InvoiceItem.push_back(line);
    return inv;
}

bool near(double a, double b) { return std::fabs(a - b) < 0.005; }

asio::awaitable<void> quickstart() {
    // One client per tenant, shared by the whole program. It owns a keep-alive connection pool.
    daftra::client api(co_await asio::this_coro::executor, example::password_grant_from_env(), example::options_from_env());

    // 1 + 2. The first call logs in (one token request), then reads the site info.
    auto site = co_await api.site_info();
    const auto& info = require(site, "site info");
    std::cout << "logged in to " << info.business_name.value_or("?") << " (site id " << info.id.value_or(0)
              << ", currency " << info.currency_code.value_or("?") << ")\n";

    // 3. A client and a product. Models are plain structs of std::optional fields: only what is set is sent.
    //    (Models and queries are named before co_await: g++ 12 mishandles braced temporaries there.)
    daftra::client_record customer;
    customer.business_name = "Quickstart Trading";
    customer.first_name = "Mona";
    customer.last_name = "Hassan";
    customer.email = "mona@example.com";
    auto customer_id = co_await api.clients().create(customer);
    const std::int64_t client_id = require(customer_id, "create the client");
    std::cout << "created client " << client_id << "\n";

    daftra::product widget;
    widget.name = "Widget";
    widget.unit_price = widget_price;
    auto widget_id = co_await api.products().create(widget);
    const std::int64_t product_id = require(widget_id, "create the product");
    std::cout << "created product " << product_id << "\n";

    // 4. Three invoices, selling 1, 2 and 3 widgets.
    const double quantities[] = {1, 2, 3};
    std::vector<std::int64_t> invoice_ids;
    for (double quantity : quantities) {
        const daftra::invoice inv = widget_invoice(client_id, product_id, quantity);
        auto created = co_await api.invoices().create(inv);
        invoice_ids.push_back(require(created, "create an invoice"));
    }
    std::cout << "created invoices " << invoice_ids[0] << ", " << invoice_ids[1] << ", " << invoice_ids[2] << "\n";

    // 5. The client's invoices, two per page, oldest first. page::last() says when to stop
    //    (all() would fetch every page for us: see examples/paginate.cpp).
    daftra::query q;
    q.limit = 2;
    q.sort = "id";
    q.direction = daftra::sort_direction::asc;
    q.filters = {{"client_id", std::to_string(client_id)}};
    std::vector<std::int64_t> listed;
    for (q.page = 1;; q.page = *q.page + 1) {
        auto page = co_await api.invoices().list(q);
        const auto& p = require(page, "list invoices");
        std::cout << "page " << p.page << " of " << p.page_count << ":";
        for (const auto& inv : p.items) {
            std::cout << " #" << inv.id.value_or(0) << " (" << inv.summary_total.value_or(0) << ")";
            listed.push_back(inv.id.value_or(0));
        }
        std::cout << "\n";
        if (p.last()) break;
    }
    check(listed == invoice_ids, "the pages list exactly the three invoices, in order");

    // 6. Get the largest invoice: the server computed its total from the items.
    const std::int64_t id = invoice_ids.back();
    auto fetched = co_await api.invoices().get(id);
    const auto& inv = require(fetched, "get the invoice");
    check(inv.InvoiceItem.size() == 1 && inv.InvoiceItem[0].product_id == product_id, "the invoice has its item");
    check(near(inv.summary_total.value_or(-1), 3 * widget_price), "the total is 3 x the unit price");
    std::cout << "invoice " << id << ": " << inv.InvoiceItem[0].quantity.value_or(0) << " x "
              << inv.InvoiceItem[0].item.value_or("?") << ", total " << *inv.summary_total << ", client "
              << (inv.Client ? inv.Client->business_name.value_or("?") : "?") << "\n";

    // Update: send only what changes. Child rows sent replace the old ones, so this is a new item list.
    daftra::invoice change = widget_invoice(client_id, product_id, 10);
    change.notes = "Bulk order: ten widgets";
    auto updated = co_await api.invoices().update(id, change);
    require(updated, "update the invoice");
    auto refetched = co_await api.invoices().get(id);
    const auto& after = require(refetched, "get the updated invoice");
    check(after.notes == change.notes && near(after.summary_total.value_or(-1), 10 * widget_price),
          "the update changed the notes and the total");
    std::cout << "updated invoice " << id << ": total now " << *after.summary_total << ", notes \"" << *after.notes << "\"\n";

    // Delete, then the invoice is gone: a get fails with error_kind::not_found.
    auto removed = co_await api.invoices().remove(id);
    require(removed, "delete the invoice");
    auto gone = co_await api.invoices().get(id);
    check(!gone && gone.error().kind == daftra::error_kind::not_found, "a deleted invoice is not found");
    std::cout << "deleted invoice " << id << " (a get now answers: " << gone.error().describe() << ")\n";

    // 7. A validation error: an invoice without its required client_id, and an item without a price.
    daftra::invoice incomplete;
    daftra::invoice_item priceless;
    priceless.item = "Widget";
    priceless.quantity = 1;
    incomplete.InvoiceItem.push_back(priceless);
    auto refused = co_await api.invoices().create(incomplete);
    check(!refused && refused.error().kind == daftra::error_kind::validation, "the incomplete invoice is refused");
    const daftra::error& e = refused.error();
    std::cout << "validation error: kind " << daftra::to_string(e.kind) << ", HTTP " << e.status << ", \"" << e.message << "\"\n";
    for (const auto& field : e.fields) std::cout << "  " << field.field << ": " << field.message << "\n";
    check(!e.fields.empty(), "the server names the rejected fields");

    const auto stats = api.pool_stats();
    std::cout << "done: " << stats.requests << " requests over " << stats.connections_opened << " connection(s)\n";
}

} // namespace

int main() { return example::run(1, quickstart); }
