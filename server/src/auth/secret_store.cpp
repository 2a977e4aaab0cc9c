#include "auth/secret_store.hpp"

#include "util/log.hpp"

#include <sodium.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

namespace stronghold::server {

namespace {

constexpr std::string_view k_prefix = "v1.";
constexpr std::size_t k_key_bytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::size_t k_nonce_bytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t k_tag_bytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int k_b64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

api::Error key_error()
{
    return api::make_error(api::ErrorCode::internal, "secret key unavailable");
}

api::Error open_error()
{
    return api::make_error(api::ErrorCode::internal, "sealed secret cannot be opened");
}

bool read_exact(int fd, unsigned char* out, std::size_t n)
{
    std::size_t got = 0;
    while (got < n) {
        auto r = ::read(fd, out + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += static_cast<std::size_t>(r);
    }
    return true;
}

bool write_all(int fd, const unsigned char* data, std::size_t n)
{
    std::size_t put = 0;
    while (put < n) {
        auto w = ::write(fd, data + put, n - put);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        put += static_cast<std::size_t>(w);
    }
    return true;
}

} // namespace

SodiumSecretStore::~SodiumSecretStore()
{
    if (!m_key.empty())
        sodium_memzero(m_key.data(), m_key.size());
}

Status SodiumSecretStore::load_key()
{
    if (m_key.size() == k_key_bytes)
        return {};
    if (m_data_dir.empty()) // never a key file relative to whatever the working directory is
        return key_error();
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(m_data_dir) / "keys";
    const fs::path file = dir / "secrets.key";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        log::error("secrets.key_dir_failed", {{"what", ec.message()}});
        return key_error();
    }
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);

    unsigned char key[k_key_bytes];
    // O_EXCL: two processes starting at once cannot both create (and one overwrite) the key.
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        crypto_aead_xchacha20poly1305_ietf_keygen(key);
        bool ok = write_all(fd, key, sizeof key) && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok) {
            sodium_memzero(key, sizeof key);
            std::filesystem::remove(file, ec); // never leave a short key behind
            log::error("secrets.key_write_failed");
            return key_error();
        }
        log::info("secrets.key_created", {{"path", file.string()}});
    } else {
        fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        bool ok = fd >= 0 && ::fstat(fd, &st) == 0 && st.st_size == static_cast<off_t>(k_key_bytes) &&
                  read_exact(fd, key, sizeof key);
        if (fd >= 0)
            ::close(fd);
        if (!ok) {
            sodium_memzero(key, sizeof key);
            log::error("secrets.key_read_failed", {{"path", file.string()}});
            return key_error();
        }
    }
    m_key.assign(reinterpret_cast<const char*>(key), sizeof key);
    sodium_memzero(key, sizeof key);
    return {};
}

Result<std::string> SodiumSecretStore::seal(std::string_view context, std::string_view plaintext)
{
    std::lock_guard lock(m_mutex);
    if (auto st = load_key(); !st)
        return st.error();
    std::vector<unsigned char> box(k_nonce_bytes + plaintext.size() + k_tag_bytes);
    randombytes_buf(box.data(), k_nonce_bytes);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        box.data() + k_nonce_bytes, &clen, reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
        reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, box.data(),
        reinterpret_cast<const unsigned char*>(m_key.data()));
    std::string b64(sodium_base64_encoded_len(box.size(), k_b64), '\0');
    sodium_bin2base64(b64.data(), b64.size(), box.data(), box.size(), k_b64);
    b64.resize(std::char_traits<char>::length(b64.c_str()));
    return std::string(k_prefix) + b64;
}

Result<std::string> SodiumSecretStore::open(std::string_view context, std::string_view sealed)
{
    if (!sealed.starts_with(k_prefix))
        return open_error();
    sealed.remove_prefix(k_prefix.size());
    std::vector<unsigned char> box(sealed.size());
    std::size_t len = 0;
    if (sodium_base642bin(box.data(), box.size(), sealed.data(), sealed.size(), nullptr, &len, nullptr, k_b64) != 0 ||
        len < k_nonce_bytes + k_tag_bytes)
        return open_error();
    std::lock_guard lock(m_mutex);
    if (auto st = load_key(); !st)
        return st.error();
    std::string plain(len - k_nonce_bytes - k_tag_bytes, '\0');
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(plain.data()), &plen, nullptr, box.data() + k_nonce_bytes,
            len - k_nonce_bytes, reinterpret_cast<const unsigned char*>(context.data()), context.size(), box.data(),
            reinterpret_cast<const unsigned char*>(m_key.data())) != 0)
        return open_error();
    plain.resize(plen);
    return plain;
}

} // namespace stronghold::server
