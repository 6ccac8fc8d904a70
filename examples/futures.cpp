// Futures: the SDK from plain threads, e.g. a thread pool of an existing server. The io_context runs on
// a thread of its own; any other thread makes a call with boost::asio::use_future as its completion
// token and waits on the std::future<daftra::result<T>> it gets.
//
//   1. the main thread creates a product and reads the site info
//   2. four worker threads each create three invoices selling that product, then read each back
//   3. the main thread lists the invoices and checks every one of them is there with its total
//
//   futures [--threads T]   worker threads (default 4)
//
// Never wait on a future from a thread that runs the io_context: the answer would need that very
// thread to arrive. Configuration: see examples/common/example.hpp.

#include "common/example.hpp"


#include <cmath>
#include <future>
#include <iostream>
#include <mutex>
#include <map>

namespace asio = boost::asio;
using example::check;
using example::require;

namespace {

constexpr double price = 7.5;
constexpr int invoices_per_thread = 3;

std::map<std::int64_t, double> work(daftra::client& api, std::int64_t client_id, std::int64_t product_id, int thread) {
    std::map<std::int64_t, double> created;  // id -> expected total
    for (int i = 1; i <= invoices_per_thread; ++i) {
        daftra::invoice inv;
        inv.client_id = client_id;
        inv.notes = "futures example, thread " + std::to_string(thread);
        daftra::invoice_item line;
        line.product_id = product_id;
        line.item = "Gadget";
        line.unit_price = price;
        line.quantity = i;
        inv.InvoiceItem.push_back(line);
        std::future<daftra::result<daftra::created>> id = api.invoices().create(inv, asio::use_future);
        auto created_id = id.get();  // blocks this thread only
        const std::int64_t invoice_id = require(created_id, "create an invoice");

        auto read = api.invoices().get(invoice_id, asio::use_future).get();
        const auto& back = require(read, "read the invoice back");
        check(back.InvoiceItem.size() == 1 && back.InvoiceItem[0].quantity.value_or(0) == i,
              "the invoice reads back with its line");
        created[invoice_id] = i * price;
    }
    return created;
}

} // namespace

int main(int argc, char** argv) {
    int threads = 4;
    if (argc == 3 && std::string_view(argv[1]) == "--threads") threads = std::max(1, std::atoi(argv[2]));
    return example::exit_status_of([threads] {
        example::background_io io;  // the io_context, run by a thread of its own
        daftra::client api(io.get_executor(), example::credentials_from_env(), example::options_from_env());

        auto site = api.site_info(asio::use_future).get();
        std::cout << "site: " << require(site, "site info").business_name.value_or("?") << "\n";

        daftra::client_record customer;
        customer.business_name = "Futures Ltd";
        customer.first_name = "Layla";
        auto customer_id = api.clients().create(customer, asio::use_future).get();
        const std::int64_t client_id = require(customer_id, "create the client");
        daftra::product gadget;
        gadget.name = "Gadget";
        gadget.unit_price = price;
        auto gadget_id = api.products().create(gadget, asio::use_future).get();
        const std::int64_t product_id = require(gadget_id, "create the product");

        std::vector<std::future<std::map<std::int64_t, double>>> workers;
        for (int t = 0; t < threads; ++t)
            workers.push_back(std::async(std::launch::async, work, std::ref(api), client_id, product_id, t));
        std::map<std::int64_t, double> created;
        for (auto& w : workers) {
            auto ids = w.get();  // rethrows a worker's failure
            created.insert(ids.begin(), ids.end());
        }
        check(created.size() == static_cast<std::size_t>(threads * invoices_per_thread), "every invoice has its own id");
        std::cout << threads << " threads created " << created.size() << " invoices\n";

        // The client's invoices, one page of up to 1000: each created one is there with its total.
        auto listed = api.invoices().list(daftra::query().with_limit(1000).with_filter("client_id", std::to_string(client_id)),
                                          asio::use_future).get();
        const auto& page = require(listed, "list the client's invoices");
        std::size_t found = 0;
        for (const auto& inv : page.items) {
            const auto it = inv.id ? created.find(*inv.id) : created.end();
            if (it == created.end()) continue;
            ++found;
            check(std::fabs(inv.summary_total.value_or(-1) - it->second) < 0.005, "the total is quantity x price");
        }
        check(found == created.size(), "the list holds every invoice the threads created");
        std::cout << "listed all " << found << " with the right totals\n";
        api.shutdown();
    });
}
