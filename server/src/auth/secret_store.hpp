// The one way secrets at rest (TOTP seeds now; signing keys and SSO client secrets later) are
// written and read (DESIGN.md "Secrets"). Callers never see the key or the sealed format.
#pragma once

#include "stronghold/api/result.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace stronghold::server {

class SecretStore {
public:
    virtual ~SecretStore() = default;
    // `context` names where the value lives (e.g. "user_totp.secret:<user_id>"); it is bound to
    // the sealed value, so a value copied to another row or column fails to open.
    // Fails (internal) only when the key cannot be loaded or created.
    virtual Result<std::string> seal(std::string_view context, std::string_view plaintext) = 0;
    // internal when the value was tampered with, belongs to another context, or the key differs.
    virtual Result<std::string> open(std::string_view context, std::string_view sealed) = 0;
};

// XChaCha20-Poly1305 (libsodium, random 192-bit nonce per value, context as associated data)
// under a 256-bit key in <data_dir>/keys/secrets.key: kept outside the database file, so a
// copied database alone reveals no seed. The key is read, or created (file 0600, dir 0700),
// on first use. Sealed format: "v1." + base64url(nonce || ciphertext+tag).
class SodiumSecretStore final : public SecretStore {
public:
    explicit SodiumSecretStore(std::string data_dir) : m_data_dir(std::move(data_dir)) {}
    ~SodiumSecretStore() override;

    Result<std::string> seal(std::string_view context, std::string_view plaintext) override;
    Result<std::string> open(std::string_view context, std::string_view sealed) override;

private:
    Status load_key(); // under m_mutex
    std::mutex m_mutex;
    std::string m_data_dir;
    std::string m_key; // 32 bytes once loaded; wiped in the destructor
};

} // namespace stronghold::server
