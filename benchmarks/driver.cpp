// Helpers every mode uses: running the io_context on T threads, and the request target and origin of the URL.

#include "bench.hpp"

#include <boost/url/parse.hpp>

#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace daftra::bench {

void run_io(boost::asio::io_context& io, std::size_t threads) {
    std::vector<std::jthread> extra;
    extra.reserve(threads - 1);
    std::exception_ptr failed;
    std::mutex failed_mutex;
    auto body = [&] {
        try {
            io.run();
        } catch (...) {
            {
                std::lock_guard lock(failed_mutex);
                if (!failed) failed = std::current_exception();
            }
            io.stop();
        }
    };
    for (std::size_t i = 1; i < threads; ++i) extra.emplace_back(body);
    body();
    extra.clear();  // joins
    if (failed) std::rethrow_exception(failed);
}

std::string target_of(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) throw std::invalid_argument("not an absolute URL: '" + std::string(url) + "'");
    const std::string_view target = parsed->encoded_target();
    std::string out;
    out.reserve(target.size() + 1);
    if (target.empty() || target.front() != '/') out.push_back('/');
    out.append(target);
    return out;
}

split_url split(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u) throw std::invalid_argument("not an absolute URL: '" + url + "'");
    split_url out;
    out.origin = std::string(u->scheme()) + "://" + std::string(u->encoded_authority());
    out.path = std::string(u->encoded_path());
    return out;
}

} // namespace daftra::bench
