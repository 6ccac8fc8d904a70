// Pagination: stream every invoice with resource::all(), which fetches the pages for you (the next
// ones while you consume the current one) and hands out records one at a time, in order.
//
//   paginate [--create N] [--page-size K] [--parallel P] [--sandbox-latency MS]
//
//   --create N            first create N invoices (at most 8 requests in flight), tagged with a
//                         po_number of their own, then stream exactly those and verify them
//   --page-size K         records per page (default 20)
//   --parallel P          pages fetched at the same time by the second pass (default 4)
//   --sandbox-latency MS  daftra-sandbox only: delay every invoice list answer by MS ms, so the
//                         gain of fetching pages in parallel shows in the timings
//
// The records are streamed twice, with all_options::parallel_pages = 1 and = P: both passes must
// yield the same records, in ascending id order, as many as the first page announced.
// Configuration: see examples/common/example.hpp.

#include "common/example.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <random>

namespace asio = boost::asio;
using example::check;
using example::require;

namespace {

struct settings {
    std::int64_t create = 0;
    std::int64_t page_size = 20;
    unsigned parallel = 4;
    unsigned sandbox_latency_ms = 0;
};

constexpr unsigned creates_in_flight = 8;  // as many as the pool's connections (default 8)

// The shared state of the workers that create invoices.
struct create_job {
    daftra::invoice prototype;
    std::vector<std::int64_t> ids;          // ids[i] is written by the worker that created invoice i
    std::atomic<std::int64_t> next{0};      // the next index to create
    std::atomic<std::int64_t> finished{0};  // invoices created so far
};

// One of the workers: creates the next invoice until none is left. Running a fixed number of them
// bounds the requests in flight, whatever N is.
asio::awaitable<void> create_worker(const daftra::client& api, create_job& job) {
    const auto count = static_cast<std::int64_t>(job.ids.size());
    for (std::int64_t i = job.next++; i < count; i = job.next++) {
        daftra::invoice inv = job.prototype;
        inv.InvoiceItem[0].quantity = static_cast<double>(i + 1);
        auto created = co_await api.invoices().create(inv);
        job.ids[static_cast<std::size_t>(i)] = require(created, "create an invoice");
        const auto finished = ++job.finished;
        if (finished % 40 == 0 || finished == count)  // one write per line: the workers run on several threads
            std::cout << ("  created " + std::to_string(finished) + " of " + std::to_string(count) + "\n");
    }
}

// Creates `count` invoices tagged with `tag`; returns their ids.
asio::awaitable<std::vector<std::int64_t>> create_invoices(const daftra::client& api, std::int64_t count, const std::string& tag) {
    daftra::client_record customer;
    customer.business_name = "Paginate Imports";
    auto created_client = co_await api.clients().create(customer);
    create_job job;
    job.prototype.client_id = require(created_client, "create the client");
    job.prototype.po_number = tag;
    daftra::invoice_item line;
    line.item = "Pallet";
    line.unit_price = 40;
    job.prototype.InvoiceItem.push_back(line);
    job.ids.assign(static_cast<std::size_t>(count), 0);

    std::cout << "creating " << count << " invoices (po_number " << tag << "), " << creates_in_flight << " at a time\n";
    const auto executor = co_await asio::this_coro::executor;
    using worker_op = decltype(asio::co_spawn(executor, create_worker(api, job), asio::deferred));
    std::vector<worker_op> workers;
    for (unsigned w = 0; w < creates_in_flight; ++w) workers.push_back(asio::co_spawn(executor, create_worker(api, job), asio::deferred));
    auto [order, exceptions] = co_await asio::experimental::make_parallel_group(std::move(workers))
                                   .async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    for (const auto& e : exceptions)
        if (e) std::rethrow_exception(e);  // the first failure (require() throws)
    co_return std::move(job.ids);
}

// Streams every record of `q` with all(); prints progress once per page, from the pager's position
// (current_page, page_count, total_results); returns the ids in order.
asio::awaitable<std::vector<std::int64_t>> stream(const daftra::client& api, const daftra::query& q, unsigned parallel) {
    std::vector<std::int64_t> ids;
    daftra::resources::all_options options;
    options.parallel_pages = parallel;
    auto invoices = api.invoices().all(q, options);
    std::int64_t page_shown = 0;
    while (auto next = co_await invoices.next()) {
        // An error ends the stream; it is delivered once, as the last element.
        auto& inv = require(*next, "stream the invoices");
        ids.push_back(inv.id.value_or(0));
        if (invoices.current_page() != page_shown) {
            page_shown = invoices.current_page();
            std::cout << "  page " << page_shown << " of " << invoices.page_count() << " starts at record " << ids.size()
                      << " of " << invoices.total_results() << "\n";
        }
    }
    check(page_shown == invoices.page_count(), "the stream ends on the last page");
    check(static_cast<std::int64_t>(ids.size()) == invoices.total_results(), "the stream yields as many records as it announced");
    co_return ids;
}

asio::awaitable<void> paginate(settings s) {
    daftra::client api(co_await asio::this_coro::executor, example::credentials_from_env(), example::options_from_env());

    daftra::query q;
    q.limit = s.page_size;
    q.sort = "id";
    q.direction = daftra::sort_direction::asc;
    std::vector<std::int64_t> created;
    if (s.create > 0) {
        std::random_device random;
        const std::string tag = "paginate-" + std::to_string(random() % 1'000'000);
        created = co_await create_invoices(api, s.create, tag);
        std::sort(created.begin(), created.end());
        q.filters = {{"po_number", tag}};  // only this run's invoices
    }

    // The first page says how many records and pages there are (all()'s pager tells it too, once its
    // first page has arrived).
    auto first = co_await api.invoices().list(q);
    const auto& head = require(first, "list the first page");
    std::cout << head.total_results << " invoices in " << head.page_count << " pages of " << s.page_size << "\n";
    if (s.create > 0) check(head.total_results == s.create, "the list holds exactly the invoices created");

    if (s.sandbox_latency_ms > 0) {
        boost::json::object slow{{"latency_ms", s.sandbox_latency_ms}, {"path_prefix", "/api2/invoices"}, {"method", "GET"}};
        co_await example::set_sandbox_faults(api, std::move(slow));
        std::cout << "the sandbox now answers each invoice list after " << s.sandbox_latency_ms << " ms\n";
    }

    std::vector<std::int64_t> passes[2];
    const unsigned parallel[2] = {1, s.parallel};
    std::exception_ptr failure;  // kept until the latency is cleared (no co_await in a catch block)
    try {
        for (int pass = 0; pass < 2; ++pass) {
            std::cout << "streaming with parallel_pages = " << parallel[pass] << "\n";
            const auto start = std::chrono::steady_clock::now();
            passes[pass] = co_await stream(api, q, parallel[pass]);
            const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
            std::cout << "  " << passes[pass].size() << " records in " << static_cast<long>(elapsed.count()) << " ms\n";
        }
    } catch (...) {
        failure = std::current_exception();
    }
    if (s.sandbox_latency_ms > 0) co_await example::clear_sandbox_faults(api);
    if (failure) std::rethrow_exception(failure);

    for (const auto& ids : passes) {
        check(static_cast<std::int64_t>(ids.size()) == head.total_results, "the stream yields as many records as announced");
        check(std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end(),
              "the records come in ascending id order, each once");
        if (s.create > 0) check(ids == created, "the stream yields exactly the invoices created");
    }
    check(passes[0] == passes[1], "sequential and parallel page fetches yield the same records");
    std::cout << "verified: both passes yielded the " << passes[0].size() << " records in order\n";
}

int usage() {
    std::cerr << "usage: paginate [--create N] [--page-size K] [--parallel P] [--sandbox-latency MS]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (i + 1 >= argc) return usage();
        const long value = std::atol(argv[++i]);
        if (flag == "--create" && value >= 0) s.create = value;
        else if (flag == "--page-size" && value > 0) s.page_size = value;
        else if (flag == "--parallel" && value > 0) s.parallel = static_cast<unsigned>(value);
        else if (flag == "--sandbox-latency" && value >= 0) s.sandbox_latency_ms = static_cast<unsigned>(value);
        else return usage();
    }
    return example::run(2, [s] { return paginate(s); });
}
