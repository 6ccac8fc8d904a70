#include "json_text.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace daftra::resources::detail {

namespace {
// The bytes a JSON string cannot hold as they are.
constexpr std::array<bool, 256> make_escapes() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
    t['"'] = t['\\'] = true;
    return t;
}
constexpr std::array<bool, 256> escapes = make_escapes();
} // namespace

bool plain(std::string_view s) noexcept {
    // Eight bytes at a time: a byte below 0x20, or equal to '"' or '\\', sets its top bit in `hit`.
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
        // The classic tests for "some byte is below n" and "some byte is zero", each exact as a whole.
        const std::uint64_t hit =
            (((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & highs;
        if (hit) return false;
    }
    for (; i < s.size(); ++i)
        if (escapes[static_cast<unsigned char>(s[i])]) return false;
    return true;
}

void append_escaped(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t run = 0;  // start of the characters not yet copied
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(s.data() + run, s.size() - run);
}

void append_member(std::string& out, char separator, std::string_view key, std::string_view value, bool quoted) {
    if (!plain(key) || (quoted && !plain(value))) {
        out += separator;
        out += '"';
        append_escaped(out, key);
        out += "\":";
        if (quoted) out += '"';
        if (quoted) append_escaped(out, value);
        else out.append(value.data(), value.size());
        if (quoted) out += '"';
        return;
    }
    // Composed on the stack and appended at once (std::string::resize would fill the bytes first).
    const std::size_t size = key.size() + value.size() + (quoted ? 6 : 4);
    char buffer[256];
    if (size > sizeof buffer) {
        out.reserve(out.size() + size);
        out += separator;
        out += '"';
        out.append(key.data(), key.size());
        out += quoted ? "\":\"" : "\":";
        out.append(value.data(), value.size());
        if (quoted) out += '"';
        return;
    }
    char* d = buffer;
    *d++ = separator;
    *d++ = '"';
    if (!key.empty()) std::memcpy(d, key.data(), key.size());
    d += key.size();
    *d++ = '"';
    *d++ = ':';
    if (quoted) *d++ = '"';
    if (!value.empty()) std::memcpy(d, value.data(), value.size());
    d += value.size();
    if (quoted) *d = '"';
    out.append(buffer, size);
}

} // namespace daftra::resources::detail
