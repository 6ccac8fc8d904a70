// A user's program built against the installed SDK: make a pool, refuse a bad request without I/O.
#include <daftra/transport/pool.hpp>
#include <daftra/version.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>
#include <string_view>

int main() {
    if (std::string_view(DAFTRA_VERSION_STRING) != CONSUMER_PACKAGE_VERSION) {
        std::cerr << "headers say " DAFTRA_VERSION_STRING ", the package " CONSUMER_PACKAGE_VERSION "\n";
        return 1;
    }
    boost::asio::io_context io;
    daftra::transport::pool pool(io.get_executor(), "http://127.0.0.1:9");
    daftra::transport::request bad;
    bad.target = "no-leading-slash";
    auto fut = boost::asio::co_spawn(io, pool.send(bad), boost::asio::use_future);
    io.run();
    auto r = fut.get();
    if (r || r.error().kind != daftra::error_kind::invalid_argument) return 1;
    std::cout << "consumer ok (daftra " DAFTRA_VERSION_STRING "): " << r.error().describe() << "\n";
    return 0;
}
