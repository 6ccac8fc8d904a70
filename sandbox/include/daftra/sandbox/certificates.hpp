#pragma once
// Throw-away TLS identities for local servers: a self-signed CA and a leaf certificate it signs.
// Used by daftra-sandbox at start-up and by the tests, so that nothing in the repository is a key.

#include <string>
#include <vector>

namespace daftra::sandbox {

/// PEM-encoded key material made by generate_identity().
struct tls_identity {
    std::string ca_cert_pem;    ///< What a client must trust (write it to a file for --ca / ca_file).
    std::string cert_pem;       ///< Leaf certificate served by the server, signed by the CA.
    std::string key_pem;        ///< Private key of the leaf certificate (PKCS#8, unencrypted).
};

/// Makes a fresh EC P-256 CA and a leaf certificate valid for one day.
/// `names` become subjectAltName entries: IPv4/IPv6 literals as IP entries, the rest as DNS names.
/// Throws std::runtime_error when OpenSSL fails.
tls_identity generate_identity(const std::vector<std::string>& names = {"localhost", "127.0.0.1"});

} // namespace daftra::sandbox
