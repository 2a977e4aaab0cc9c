// DAT-1: TLS 1.2/1.3 only, ECDSA P-256 self-signed certificate made once and reused.
#include "net/tls.hpp"

#include "net/server.hpp"
#include "support/fake_app.hpp"
#include "support/https_client.hpp"
#include "support/test_server.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <thread>

using namespace stronghold;
using namespace stronghold::test;

namespace {

struct TempDir {
    std::string path = make_temp_dir("stronghold-tls-");
    ~TempDir() { std::filesystem::remove_all(path); }
};

struct Cert {
    X509* x = nullptr;
    explicit Cert(const std::string& file)
    {
        if (FILE* f = std::fopen(file.c_str(), "r")) {
            x = PEM_read_X509(f, nullptr, nullptr, nullptr);
            std::fclose(f);
        }
    }
    ~Cert() { X509_free(x); }
    std::string fingerprint() const
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        X509_digest(x, EVP_sha256(), md, &n);
        return std::string(reinterpret_cast<char*>(md), n);
    }
};

std::unique_ptr<server::App> fake(const TestEnv& env) { return std::make_unique<FakeApp>(env.origin); }

} // namespace

BOOST_AUTO_TEST_SUITE(net_tls_test)

BOOST_AUTO_TEST_CASE(dat1_generated_cert_is_ecdsa_p256_with_local_sans)
{
    TempDir dir;
    auto files = server::ensure_tls_files({dir.path, {}, {}, "127.0.0.1"});
    BOOST_TEST_REQUIRE(files.ok());
    BOOST_TEST(files->generated);
    Cert cert(files->cert_file);
    BOOST_TEST_REQUIRE(cert.x != nullptr);
    EVP_PKEY* key = X509_get0_pubkey(cert.x);
    BOOST_TEST(EVP_PKEY_is_a(key, "EC"));
    char group[64] = {};
    size_t len = 0;
    BOOST_TEST(EVP_PKEY_get_group_name(key, group, sizeof group, &len) == 1);
    BOOST_TEST(std::string(group) == "prime256v1");
    BOOST_TEST(X509_check_host(cert.x, "localhost", 0, 0, nullptr) == 1);
    BOOST_TEST(X509_check_ip_asc(cert.x, "127.0.0.1", 0) == 1);
    BOOST_TEST(X509_check_ip_asc(cert.x, "::1", 0) == 1);
    // about a year: more than 360 days from now, less than 367
    time_t t360 = time(nullptr) + 360L * 86400, t367 = time(nullptr) + 367L * 86400;
    BOOST_TEST(X509_cmp_time(X509_get0_notAfter(cert.x), &t360) > 0);
    BOOST_TEST(X509_cmp_time(X509_get0_notAfter(cert.x), &t367) < 0);

    struct stat st{};
    BOOST_TEST_REQUIRE(::stat(files->key_file.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
}

BOOST_AUTO_TEST_CASE(dat1_generated_cert_is_reused_on_restart)
{
    TempDir dir;
    auto first = server::ensure_tls_files({dir.path, {}, {}, "127.0.0.1"});
    BOOST_TEST_REQUIRE(first.ok());
    auto before = Cert(first->cert_file).fingerprint();
    auto second = server::make_server_tls_context({dir.path, {}, {}, "127.0.0.1"});
    BOOST_TEST_REQUIRE(second.ok());
    auto again = server::ensure_tls_files({dir.path, {}, {}, "127.0.0.1"});
    BOOST_TEST_REQUIRE(again.ok());
    BOOST_TEST(!again->generated);
    BOOST_TEST(Cert(again->cert_file).fingerprint() == before);
}

BOOST_AUTO_TEST_CASE(dat1_expired_cert_is_regenerated)
{
    TempDir dir;
    std::filesystem::create_directories(dir.path + "/tls");
    auto cert = dir.path + "/tls/cert.pem", key = dir.path + "/tls/key.pem";
    BOOST_TEST_REQUIRE(server::write_self_signed(cert, key, "127.0.0.1", -60).ok());
    auto expired = Cert(cert).fingerprint();
    auto files = server::ensure_tls_files({dir.path, {}, {}, "127.0.0.1"});
    BOOST_TEST_REQUIRE(files.ok());
    BOOST_TEST(files->generated);
    BOOST_TEST(Cert(cert).fingerprint() != expired);
}

BOOST_AUTO_TEST_CASE(dat1_listen_host_is_added_to_san)
{
    TempDir dir;
    auto files = server::ensure_tls_files({dir.path, {}, {}, "crm.example.test"});
    BOOST_TEST_REQUIRE(files.ok());
    Cert cert(files->cert_file);
    BOOST_TEST(X509_check_host(cert.x, "crm.example.test", 0, 0, nullptr) == 1);
}

BOOST_AUTO_TEST_CASE(dat1_mismatched_configured_pair_is_refused)
{
    TempDir dir;
    BOOST_TEST_REQUIRE(server::write_self_signed(dir.path + "/a.pem", dir.path + "/a.key", "").ok());
    BOOST_TEST_REQUIRE(server::write_self_signed(dir.path + "/b.pem", dir.path + "/b.key", "").ok());
    auto ctx = server::make_server_tls_context({dir.path, dir.path + "/a.pem", dir.path + "/b.key", ""});
    BOOST_TEST(!ctx.ok());
    auto half = server::make_server_tls_context({dir.path, dir.path + "/a.pem", {}, ""});
    BOOST_TEST(!half.ok());
}

BOOST_AUTO_TEST_CASE(dat1_tls12_and_tls13_accepted)
{
    TestServer srv(fake);
    auto v12 = probe_tls(srv.port(), TlsVersion::tls1_2, TlsVersion::tls1_2);
    BOOST_TEST(v12.ok, v12.error);
    BOOST_TEST(v12.version == "TLSv1.2");
    auto v13 = probe_tls(srv.port(), TlsVersion::tls1_3, TlsVersion::tls1_3);
    BOOST_TEST(v13.ok, v13.error);
    BOOST_TEST(v13.version == "TLSv1.3");
}

BOOST_AUTO_TEST_CASE(dat1_client_trusting_generated_cert_verifies_it)
{
    TestServer srv(fake);
    ClientOptions verify;
    verify.trust_cert_file = srv.cert_file();
    HttpsClient client(srv.port(), verify);
    BOOST_TEST(client.get("/echo").status == 200);
}

BOOST_AUTO_TEST_CASE(dat1_tls10_and_tls11_refused)
{
    TestServer srv(fake);
    BOOST_TEST(!probe_tls(srv.port(), TlsVersion::tls1_0, TlsVersion::tls1_0).ok);
    BOOST_TEST(!probe_tls(srv.port(), TlsVersion::tls1_1, TlsVersion::tls1_1).ok);
}

// Control for the case above: the same client does complete a TLS 1.0/1.1 handshake with a
// server that allows it, so the refusal above is the server's policy, not the client's.
BOOST_AUTO_TEST_CASE(dat1_old_tls_probe_works_against_permissive_server)
{
    TempDir dir;
    auto files = server::ensure_tls_files({dir.path, {}, {}, "127.0.0.1"});
    BOOST_TEST_REQUIRE(files.ok());
    boost::asio::ssl::context permissive(boost::asio::ssl::context::tls_server);
    SSL_CTX_set_security_level(permissive.native_handle(), 0);
    SSL_CTX_set_min_proto_version(permissive.native_handle(), TLS1_VERSION);
    SSL_CTX_set_cipher_list(permissive.native_handle(), "DEFAULT:@SECLEVEL=0");
    permissive.use_certificate_chain_file(files->cert_file);
    permissive.use_private_key_file(files->key_file, boost::asio::ssl::context::pem);
    FakeApp app("https://127.0.0.1");
    server::HttpServer http({}, permissive, app);
    auto port = http.start();
    std::thread runner([&] { http.run(); });
    auto v10 = probe_tls(port, TlsVersion::tls1_0, TlsVersion::tls1_0);
    auto v11 = probe_tls(port, TlsVersion::tls1_1, TlsVersion::tls1_1);
    http.stop();
    runner.join();
    BOOST_TEST(v10.ok, v10.error);
    BOOST_TEST(v11.ok, v11.error);
}

BOOST_AUTO_TEST_SUITE_END()
