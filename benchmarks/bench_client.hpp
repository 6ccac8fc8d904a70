#pragma once
// The daftra::client settings every mode that drives the whole client shares (typed, paginate).

#include "bench.hpp"

#include "daftra/client.hpp"

#include <string>

namespace daftra::bench {

/// A client for `origin` with the run's pool size, CA file and compression, and no retries: a benchmark
/// counts failures, it does not hide them.
inline client_options bench_client_options(const config& cfg, std::string origin) {
    client_options options;
    options.base_url = std::move(origin);
    options.pool.max_connections = cfg.connections;
    options.pool.tls.ca_file = cfg.ca_file;
    options.pool.accept_compression = cfg.compression;
    options.retry.max_attempts = 1;
    return options;
}

} // namespace daftra::bench
