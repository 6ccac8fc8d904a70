// A first program: the number of clients in a Daftra account and the first five of them.
// It reads DAFTRA_BASE_URL (https://yourcompany.daftra.com), DAFTRA_API_KEY and, for a private CA
// such as daftra-sandbox's, DAFTRA_CA_FILE.
#include <daftra/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdlib>
#include <iostream>

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

int main() {
    const char* url = std::getenv("DAFTRA_BASE_URL");
    const char* key = std::getenv("DAFTRA_API_KEY");
    if (!url || !key) {
        std::cerr << "set DAFTRA_BASE_URL and DAFTRA_API_KEY\n";
        return 2;
    }
    daftra::client_options options;
    options.base_url = url;
    if (const char* ca = std::getenv("DAFTRA_CA_FILE")) options.pool.tls.ca_file = ca;

    boost::asio::io_context io;
    daftra::client api(io.get_executor(), daftra::auth::api_key(daftra::auth::secret(key)), options);
    auto status = boost::asio::co_spawn(io, first_call(api), boost::asio::use_future);
    io.run();
    return status.get();
}
