#include "daftra/client/retry.hpp"

#include "daftra/model/lenient.hpp"

#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>

namespace daftra::retry {

bool retryable_status(unsigned status) noexcept {
    return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
}

bool retry_answer(const transport::request& req, unsigned status) noexcept {
    return retryable_status(status) && req.idempotent();
}

bool retry_failure(const transport::request& req, const error& e) noexcept {
    if (e.kind != error_kind::transport && e.kind != error_kind::timeout) return false;
    return req.idempotent() || !e.maybe_sent;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
    std::int64_t seconds = 0;
    if (model::lenient::parse_int(value, seconds)) {
        if (seconds < 0) return std::nullopt;
        if (seconds > 86'400) seconds = 86'400;  // a day is "too long" already; avoid overflow
        return std::chrono::milliseconds(seconds * 1000);
    }
    // IMF-fixdate, the form RFC 9110 requires senders to use.
    std::tm tm{};
    std::istringstream in{std::string(value)};
    in.imbue(std::locale::classic());
    in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
    if (in.fail()) return std::nullopt;
    const std::time_t at = timegm(&tm);
    if (at == static_cast<std::time_t>(-1)) return std::nullopt;
    auto when = std::chrono::system_clock::from_time_t(at);
    if (when <= now) return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

std::chrono::milliseconds backoff_ceiling(const retry_options& options, unsigned attempt) noexcept {
    auto d = options.initial_backoff;
    for (unsigned i = 2; i < attempt && d < options.max_backoff; ++i) d *= 2;
    return d < options.max_backoff ? d : options.max_backoff;
}

} // namespace daftra::retry
