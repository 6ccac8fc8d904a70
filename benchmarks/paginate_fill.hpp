#pragma once
// paginate mode, before the timing: make sure the list holds at least M records, creating the missing
// ones through the client with a bounded number of creates in flight.

#include "phase.hpp"

#include "daftra/client.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace daftra::bench {

/// The resources whose records this benchmark knows how to make (their required fields are filled in).
template <class Model>
constexpr bool fillable =
    std::is_same_v<Model, invoice> || std::is_same_v<Model, client_record> || std::is_same_v<Model, product>;

namespace fill_detail {

namespace asio = boost::asio;

// One valid record; an invoice needs a client of its own, created here.
template <class Model>
asio::awaitable<result<Model>> sample_record(const daftra::client& api) {
    Model m;
    if constexpr (std::is_same_v<Model, invoice>) {
        client_record buyer;
        buyer.business_name = "Pagination Benchmark";
        const resource<client_record> clients = api.clients();
        auto id = co_await clients.create(buyer);
        if (!id) co_return id.error();
        m.client_id = *id;
        invoice_item line;
        line.item = "Pallet";
        line.unit_price = 40;
        line.quantity = 1;
        m.InvoiceItem.push_back(line);
    } else if constexpr (std::is_same_v<Model, client_record>) {
        m.business_name = "Pagination Benchmark";
    } else {
        m.name = "Pagination Benchmark";
        m.unit_price = 10;
    }
    co_return m;
}

struct fill_state {
    std::size_t missing = 0;
    std::atomic<std::size_t> taken{0};
    std::atomic<bool> failed{false};
    std::mutex first_error_mutex;
    std::string first_error;
};

template <class Model>
asio::awaitable<void> create_worker(resource<Model> res, const Model& prototype, fill_state& st) {
    while (!st.failed.load() && st.taken.fetch_add(1) < st.missing) {
        auto id = co_await res.create(prototype);
        if (id) continue;
        std::lock_guard lock(st.first_error_mutex);
        if (!st.failed.exchange(true)) st.first_error = id.error().describe();
    }
}

} // namespace fill_detail

/// Creates records until the list of `res` holds at least `wanted`, at most `in_flight` creates at a time,
/// running on `io` (which must have no other work). Returns how many it created. Throws
/// std::runtime_error when a call fails.
template <class Model>
std::size_t fill_list(boost::asio::io_context& io, std::size_t threads, const daftra::client& api,
                      const resource<Model>& res, std::size_t wanted, std::size_t in_flight) {
    query just_the_count;
    just_the_count.limit = 1;
    const auto head = run_phase(io, threads, res.list(just_the_count));
    if (!head) throw std::runtime_error("cannot list " + std::string(res.spec().id) + ": " + head.error().describe());
    const auto present = static_cast<std::size_t>(head->total_results);
    if (present >= wanted) return 0;

    const auto prototype = run_phase(io, threads, fill_detail::sample_record<Model>(api));
    if (!prototype) throw std::runtime_error("cannot prepare a record: " + prototype.error().describe());
    fill_detail::fill_state st;
    st.missing = wanted - present;
    for (std::size_t w = 0; w < std::min(in_flight, st.missing); ++w)
        boost::asio::co_spawn(io, fill_detail::create_worker(res, *prototype, st), [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    run_io(io, threads);
    io.restart();
    if (st.failed) throw std::runtime_error("creating the missing records failed: " + st.first_error);
    return st.missing;
}

} // namespace daftra::bench
