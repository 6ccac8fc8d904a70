// The file-backed token store: a small JSON file, replaced atomically (temp file + rename), mode 0600.

#include "daftra/auth/token_store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace daftra::auth {

namespace json = boost::json;
using boost::system::error_code;
using std::chrono::milliseconds;
using std::chrono::system_clock;

namespace {

std::int64_t to_ms(system_clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

system_clock::time_point from_ms(std::int64_t ms) {
    return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(milliseconds(ms)));
}

error_code last_error() { return {errno, boost::system::system_category()}; }

// Writes all of `data`, retrying short writes and EINTR.
bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        auto n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

} // namespace

std::optional<stored_token> file_token_store::load() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    error_code ec;
    auto v = json::parse(text.str(), ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.get_object();
    const auto* access = o.if_contains("access_token");
    const auto* refresh = o.if_contains("refresh_token");
    const auto* issued = o.if_contains("issued_at_ms");
    const auto* expires = o.if_contains("expires_at_ms");
    if (!access || !access->is_string() || !expires || !expires->is_int64()) return std::nullopt;
    stored_token t;
    t.access_token = secret(std::string(access->get_string()));
    if (refresh && refresh->is_string()) t.refresh_token = secret(std::string(refresh->get_string()));
    t.expires_at = from_ms(expires->get_int64());
    t.issued_at = issued && issued->is_int64() ? from_ms(issued->get_int64()) : t.expires_at;
    return t;
}

error_code file_token_store::save(const stored_token& token) {
    json::object o;
    o["access_token"] = token.access_token.reveal();
    o["refresh_token"] = token.refresh_token.reveal();
    o["issued_at_ms"] = to_ms(token.issued_at);
    o["expires_at_ms"] = to_ms(token.expires_at);
    secret text(json::serialize(o));  // wiped when done

    // The temporary file lives in the same directory, so rename() replaces the file atomically.
    // mkstemp creates it with mode 0600, and fchmod makes sure of it whatever the umask.
    std::string tmp = path_.string() + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) return last_error();
    error_code ec;
    if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0 || !write_all(fd, text.reveal()) || ::fsync(fd) != 0) ec = last_error();
    if (::close(fd) != 0 && !ec) ec = last_error();
    if (!ec && ::rename(tmp.c_str(), path_.c_str()) != 0) ec = last_error();
    if (ec) ::unlink(tmp.c_str());
    return ec;
}

} // namespace daftra::auth
