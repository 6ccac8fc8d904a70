#pragma once
// The cryptography of the shared token store, on OpenSSL's EVP: AES-256-GCM for the stored token, SHA-256
// for its fingerprint (what a 401's compare-and-delete compares), SHA-1 for a Lua script's EVALSHA name.

#include "daftra/core/result.hpp"

#include <string>
#include <string_view>

namespace daftra::redis::detail {

/// A key given as 32 bytes or 64 hex digits, as 32 bytes; nullopt-like empty string for anything else.
std::string aes_key_from(std::string_view given);

/// nonce (12 random bytes) | ciphertext | tag (16 bytes). `context` is authenticated (the account's keys),
/// so a value copied to another account's key does not decrypt.
std::string seal(std::string_view key, std::string_view plaintext, std::string_view context);
/// The plaintext, or an error of kind decode when the key or the context is not the one sealed with.
result<std::string> open(std::string_view key, std::string_view sealed, std::string_view context);

std::string sha256_hex(std::string_view data);
/// `bytes` random bytes (OpenSSL's RAND_bytes) as hex: a lock's owner id.
std::string random_hex(std::size_t bytes);
std::string sha1_hex(std::string_view data);

} // namespace daftra::redis::detail
