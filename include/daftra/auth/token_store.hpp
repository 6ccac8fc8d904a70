#pragma once
// Where a token is kept between refreshes: in memory by default, or in a file so a process keeps its
// token across restarts and several processes of one deployment share it (see token_source: before a
// refresh it loads the store, and adopts a fresh token another process saved instead of fetching).

#include "daftra/auth/secret.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>

namespace daftra::auth {

struct stored_token {
    secret access_token;
    secret refresh_token;                               ///< empty when the server gave none
    std::chrono::system_clock::time_point issued_at;    ///< wall time: meaningful across processes
    std::chrono::system_clock::time_point expires_at;
};

/// Called from the refresher's strand only (never concurrently by one token_source), but a store shared
/// by several sources must be thread-safe. Neither call may throw; a failing store never fails a call.
class token_store {
public:
    virtual ~token_store() = default;
    virtual std::optional<stored_token> load() = 0;
    virtual boost::system::error_code save(const stored_token& token) = 0;
};

/// Keeps the last saved token in memory. Thread-safe.
class memory_token_store final : public token_store {
public:
    std::optional<stored_token> load() override;
    boost::system::error_code save(const stored_token& token) override;

private:
    std::mutex mutex_;
    std::optional<stored_token> token_;
};

/// Keeps the token in one JSON file, readable by its owner only (mode 0600). A save writes a new file
/// next to it and renames it over the old one, so a reader sees the old or the new token, never half
/// of one, and a crash never leaves a truncated file. POSIX only.
class file_token_store final : public token_store {
public:
    explicit file_token_store(std::filesystem::path path) : path_(std::move(path)) {}
    /// nullopt when the file is missing or unreadable or not a token file.
    std::optional<stored_token> load() override;
    boost::system::error_code save(const stored_token& token) override;
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace daftra::auth
