#include "token_crypto.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

namespace daftra::redis::detail {
namespace {

constexpr std::size_t nonce_size = 12, tag_size = 16, key_size = 32;

struct cipher_ctx_free {
    void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_free>;

std::string to_hex(const unsigned char* bytes, std::size_t n) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        s += hex[bytes[i] >> 4];
        s += hex[bytes[i] & 15];
    }
    return s;
}

std::string digest_hex(const EVP_MD* md, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) throw std::runtime_error("digest failed");
    return to_hex(out, n);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::string aes_key_from(std::string_view given) {
    if (given.size() == key_size) return std::string(given);
    if (given.size() != 2 * key_size) return {};
    std::string key;
    for (std::size_t i = 0; i < given.size(); i += 2) {
        const int hi = hex_value(given[i]), lo = hex_value(given[i + 1]);
        if (hi < 0 || lo < 0) return {};
        key += static_cast<char>(hi * 16 + lo);
    }
    return key;
}

std::string seal(std::string_view key, std::string_view plaintext, std::string_view context) {
    std::string out(nonce_size, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), nonce_size) != 1) throw std::runtime_error("RAND_bytes failed");
    cipher_ctx ctx(EVP_CIPHER_CTX_new());
    int n = 0;
    unsigned char final_block[16];  // GCM writes nothing at the end; a buffer all the same
    std::string body(plaintext.size(), '\0');
    auto* k = reinterpret_cast<const unsigned char*>(key.data());
    auto* iv = reinterpret_cast<const unsigned char*>(out.data());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, k, iv) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(context.data()),
                          static_cast<int>(context.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(body.data()), &n,
                          reinterpret_cast<const unsigned char*>(plaintext.data()), static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), final_block, &n) != 1)
        throw std::runtime_error("AES-256-GCM encryption failed");
    unsigned char tag[tag_size];
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, tag) != 1) throw std::runtime_error("GCM tag failed");
    out += body;
    out.append(reinterpret_cast<const char*>(tag), tag_size);
    return out;
}

result<std::string> open(std::string_view key, std::string_view sealed, std::string_view context) {
    const auto bad = [] {
        return make_error(error_kind::decode, {}, "the stored token does not decrypt with this key (a wrong encryption_key?)");
    };
    if (sealed.size() < nonce_size + tag_size) return bad();
    const std::string_view nonce = sealed.substr(0, nonce_size);
    const std::string_view body = sealed.substr(nonce_size, sealed.size() - nonce_size - tag_size);
    std::string tag(sealed.substr(sealed.size() - tag_size));
    cipher_ctx ctx(EVP_CIPHER_CTX_new());
    int n = 0;
    unsigned char final_block[16];
    std::string plain(body.size(), '\0');
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                           reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(context.data()),
                          static_cast<int>(context.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &n,
                          reinterpret_cast<const unsigned char*>(body.data()), static_cast<int>(body.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_size, tag.data()) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), final_block, &n) != 1)
        return bad();
    return plain;
}

std::string sha256_hex(std::string_view data) { return digest_hex(EVP_sha256(), data); }
std::string sha1_hex(std::string_view data) { return digest_hex(EVP_sha1(), data); }

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

} // namespace daftra::redis::detail
