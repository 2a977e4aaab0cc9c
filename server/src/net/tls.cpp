// [SECTION] OpenSSL helpers   - RAII, error text, file writes
// [SECTION] Self-signed pair  - generate, check, reuse
// [SECTION] Server context    - policy and loading
#include "net/tls.hpp"

#include <boost/asio/ssl/context.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace stronghold::server {

namespace {

// [SECTION] OpenSSL helpers

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

api::Error tls_error(std::string what)
{
    // The OpenSSL queue explains the failure to the operator; it holds no secrets.
    if (unsigned long e = ERR_get_error(); e != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        what += ": ";
        what += buf;
    }
    ERR_clear_error();
    return api::make_error(api::ErrorCode::internal, std::move(what));
}

// Write to a temporary file then rename, so a crash never leaves half a key; the mode is set
// at creation, so the key is never readable by others even for a moment.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode)
{
    const std::string tmp = path + ".tmp";
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return api::make_error(api::ErrorCode::internal, "cannot create " + tmp + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, mode) == 0; // umask may have narrowed or (for odd umasks) widened it
    for (std::size_t off = 0; ok && off < data.size();) {
        auto n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        off += ok ? static_cast<std::size_t>(n) : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    ok = (::close(fd) == 0) && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        auto err = std::string(std::strerror(errno));
        ::unlink(tmp.c_str());
        return api::make_error(api::ErrorCode::internal, "cannot write " + path + ": " + err);
    }
    return {};
}

std::string bio_text(BIO* bio)
{
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

bool is_ip_literal(const std::string& host)
{
    auto* ip = a2i_IPADDRESS(host.c_str());
    if (!ip)
        return false;
    ASN1_OCTET_STRING_free(ip);
    return true;
}

// A host name that can go into the SAN list verbatim: a comma or colon would smuggle other
// entries into the config string.
bool is_plain_dns_name(const std::string& host)
{
    if (host.empty() || host.size() > 253)
        return false;
    for (char c : host)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    return true;
}

// Wildcard listen addresses are not names a client connects to.
bool host_needs_san(const std::string& host)
{
    return !host.empty() && host != "0.0.0.0" && host != "::" && host != "localhost" && host != "127.0.0.1" &&
           host != "::1";
}

bool cert_covers_host(X509* cert, const std::string& host)
{
    if (!host_needs_san(host))
        return X509_check_host(cert, "localhost", 0, 0, nullptr) == 1;
    if (is_ip_literal(host))
        return X509_check_ip_asc(cert, host.c_str(), 0) == 1;
    return X509_check_host(cert, host.c_str(), host.size(), 0, nullptr) == 1;
}

Status add_extension(X509* cert, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
        return tls_error("cannot add certificate extension " + value);
    return {};
}

// [SECTION] Self-signed pair

// Renew a day early: a certificate that expires while the server runs would break every client.
constexpr long k_renew_margin_seconds = 24 * 3600;

// True when the pair on disk can be served as is.
bool self_signed_usable(const std::string& cert_file, const std::string& key_file, const std::string& host)
{
    BioPtr cb(BIO_new_file(cert_file.c_str(), "r"));
    BioPtr kb(BIO_new_file(key_file.c_str(), "r"));
    if (!cb || !kb) {
        ERR_clear_error();
        return false;
    }
    X509Ptr cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
    PkeyPtr key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
    bool ok = cert && key && X509_check_private_key(cert.get(), key.get()) == 1 && EVP_PKEY_is_a(key.get(), "EC");
    if (ok) {
        time_t soon = time(nullptr) + k_renew_margin_seconds;
        ok = X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) > 0 && cert_covers_host(cert.get(), host);
    }
    ERR_clear_error();
    return ok;
}

} // namespace

Status write_self_signed(const std::string& cert_file, const std::string& key_file, const std::string& host,
                         std::int64_t valid_for_seconds)
{
    PkeyPtr key(EVP_EC_gen("P-256"));
    X509Ptr cert(X509_new());
    BnPtr serial(BN_new());
    if (!key || !cert || !serial)
        return tls_error("cannot generate the self-signed key");

    // 127 random bits: unique serials without a counter, positive as RFC 5280 requires.
    if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
        BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
        return tls_error("cannot set the certificate serial");

    // Backdated an hour so a client whose clock is a little behind still accepts it.
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(valid_for_seconds)) ||
        X509_set_pubkey(cert.get(), key.get()) != 1)
        return tls_error("cannot set the certificate validity");

    X509_NAME* name = X509_get_subject_name(cert.get());
    const auto* org = reinterpret_cast<const unsigned char*>("Stronghold");
    const auto* cn = reinterpret_cast<const unsigned char*>("Stronghold self-signed");
    if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, org, -1, -1, 0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1)
        return tls_error("cannot set the certificate name");

    std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
    if (host_needs_san(host)) {
        if (is_ip_literal(host))
            san += ",IP:" + host;
        else if (is_plain_dns_name(host))
            san += ",DNS:" + host;
    }
    for (auto [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, san},
                              {NID_basic_constraints, "critical,CA:FALSE"},
                              {NID_key_usage, "critical,digitalSignature"},
                              {NID_ext_key_usage, "serverAuth"},
                              {NID_subject_key_identifier, "hash"}})
        if (auto st = add_extension(cert.get(), nid, value); !st)
            return st;

    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return tls_error("cannot sign the certificate");

    BioPtr cert_pem(BIO_new(BIO_s_mem()));
    BioPtr key_pem(BIO_new(BIO_s_mem()));
    if (!cert_pem || !key_pem || PEM_write_bio_X509(cert_pem.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(key_pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return tls_error("cannot encode the certificate");

    // Key first: a certificate on disk without its key would be reused and fail to load.
    std::string key_text = bio_text(key_pem.get());
    auto st = write_file_atomic(key_file, key_text, 0600);
    OPENSSL_cleanse(key_text.data(), key_text.size());
    if (!st)
        return st;
    return write_file_atomic(cert_file, bio_text(cert_pem.get()), 0644);
}

Result<TlsFiles> ensure_tls_files(const TlsConfig& config)
{
    if (!config.cert_file.empty() || !config.key_file.empty()) {
        if (config.cert_file.empty() || config.key_file.empty())
            return api::make_error(api::ErrorCode::internal, "--tls-cert and --tls-key go together");
        return TlsFiles{config.cert_file, config.key_file, false};
    }
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(config.data_dir) / "tls";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return api::make_error(api::ErrorCode::internal, "cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);

    TlsFiles files{(dir / "cert.pem").string(), (dir / "key.pem").string(), false};
    if (self_signed_usable(files.cert_file, files.key_file, config.listen_host))
        return files;
    if (auto st = write_self_signed(files.cert_file, files.key_file, config.listen_host); !st)
        return st.error();
    files.generated = true;
    return files;
}

// [SECTION] Server context

Status apply_server_tls_policy(boost::asio::ssl::context& context)
{
    SSL_CTX* ctx = context.native_handle();
    // Mozilla "intermediate": forward secrecy and AEAD only for TLS 1.2; TLS 1.3's suites are
    // all AEAD. RSA entries serve operators who bring an RSA certificate.
    constexpr const char* k_tls12_ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    constexpr const char* k_tls13_suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, k_tls12_ciphers) != 1 || SSL_CTX_set_ciphersuites(ctx, k_tls13_suites) != 1 ||
        SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1)
        return tls_error("cannot apply the TLS policy");
    // No compression (CRIME), no renegotiation (a client-driven CPU sink, and a history of bugs).
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                                 SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
    return {};
}

Result<std::shared_ptr<boost::asio::ssl::context>> make_server_tls_context(const TlsConfig& config)
{
    auto files = ensure_tls_files(config);
    if (!files)
        return files.error();
    auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    if (auto st = apply_server_tls_policy(*context); !st)
        return st.error();

    boost::system::error_code ec;
    context->use_certificate_chain_file(files->cert_file, ec);
    if (ec)
        return tls_error("cannot load certificate " + files->cert_file);
    context->use_private_key_file(files->key_file, boost::asio::ssl::context::pem, ec);
    if (ec)
        return tls_error("cannot load private key " + files->key_file);
    SSL_CTX* ctx = context->native_handle();
    if (SSL_CTX_check_private_key(ctx) != 1)
        return tls_error("the private key does not match the certificate");
    // DAT-1: RSA 2048 or ECDSA P-256 at least, i.e. 112 bits of security or more.
    if (EVP_PKEY* key = SSL_CTX_get0_privatekey(ctx); !key || EVP_PKEY_get_security_bits(key) < 112)
        return api::make_error(api::ErrorCode::internal, "the TLS key is too weak: RSA 2048 or ECDSA P-256 at least");
    return context;
}

} // namespace stronghold::server
