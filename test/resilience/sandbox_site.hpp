#pragma once
// One in-process TLS sandbox and what a client needs to reach it: its URL and its CA in a temporary
// file. The resilience tests make many of them (one per matrix cell), so each runs a thread of its own.

#include "daftra/client.hpp"
#include "daftra/sandbox/server.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <unistd.h>

namespace daftra::test {

class sandbox_site {
public:
    explicit sandbox_site(unsigned threads = 1) : srv(options_with(threads)) {
        srv.start();
        static std::atomic<unsigned> counter{0};
        ca_path_ = std::filesystem::temp_directory_path() /
                   ("daftra-resilience-ca-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pem");
        std::ofstream(ca_path_) << srv.ca_pem();
    }
    ~sandbox_site() {
        srv.stop();
        std::error_code ec;
        std::filesystem::remove(ca_path_, ec);
    }
    sandbox_site(const sandbox_site&) = delete;
    sandbox_site& operator=(const sandbox_site&) = delete;

    /// Client options that reach this sandbox; everything else keeps the SDK's defaults.
    client_options client_options_for() const {
        client_options o;
        o.base_url = srv.url();
        o.pool.tls.ca_file = ca_path_.string();
        return o;
    }

    /// Requests the sandbox has served (admin paths excluded): the attempts a call made.
    std::int64_t requests() const { return srv.stats().at("requests").to_number<std::int64_t>(); }

    /// Records the sandbox has stored through a create of `resource` (deleted ones included).
    std::int64_t creates(std::string_view resource) const {
        const boost::json::object stats = srv.stats();
        const auto* n = stats.at("creates").as_object().if_contains(resource);
        return n ? n->to_number<std::int64_t>() : 0;
    }

    daftra::sandbox::server srv;

private:
    static daftra::sandbox::options options_with(unsigned threads) {
        daftra::sandbox::options o;
        o.threads = threads;
        return o;
    }

    std::filesystem::path ca_path_;
};

} // namespace daftra::test
