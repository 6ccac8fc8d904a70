// A first program: the number of clients in a Daftra account and the first five of them.
// It reads DAFTRA_BASE_URL (https://yourcompany.daftra.com), DAFTRA_API_KEY and, for a private CA
// such as daftra-sandbox's, DAFTRA_CA_FILE (include/daftra/client/environment.hpp has every variable).
#include <daftra/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>
#include <stdexcept>

boost::asio::awaitable<int> first_call(daftra::client& api) {
    auto page = co_await api.clients().list(daftra::query().with_limit(5));
    if (!page) {
        std::cerr << "failed: " << page.error().describe() << "\n";
        co_return 1;
    }
    std::cout << page->total_results << " clients\n";
    for (const daftra::client_record& c : page->items)
        std::cout << c.id.value_or(0) << "  " << c.business_name.value_or("") << "\n";
    co_return 0;
}

int main() try {
    // Read in this order, so that a missing account URL is reported first.
    const daftra::client_options options = daftra::client_options_from_environment();  // DAFTRA_BASE_URL, DAFTRA_CA_FILE
    boost::asio::io_context io;
    daftra::client api(io.get_executor(), daftra::credentials_from_environment(), options);  // DAFTRA_API_KEY
    auto status = boost::asio::co_spawn(io, first_call(api), boost::asio::use_future);
    io.run();
    return status.get();
} catch (const std::invalid_argument& e) {  // a variable is missing, or the URL is not one
    std::cerr << e.what() << "\n";
    return 2;
}
