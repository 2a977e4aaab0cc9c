// CRM-4 large bodies in net/: a CSV import upload is streamed to a temp file (no in-memory cap,
// a disk cap), other bodies keep the 1 MiB limit; a Response with body_file is sent from disk.
#include "net/server.hpp"

#include "app/security_headers.hpp"
#include "live/hub.hpp"
#include "stronghold/crypto/crypto.hpp"
#include "support/https_client.hpp"
#include "support/test_server.hpp"

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>
#include <vector>

using namespace stronghold;
using namespace stronghold::test;
using namespace std::chrono_literals;

namespace {

std::string read_all(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string pattern(std::size_t n)
{
    std::string s;
    s.reserve(n);
    for (std::size_t i = 0; s.size() < n; ++i)
        s += "row " + std::to_string(i) + ",Ana,\"Lima, Jr\",ana" + std::to_string(i) + "@example.com\r\n";
    s.resize(n);
    return s;
}

// Answers like the real App (from another thread, security headers added):
//   POST .../import  {in_memory, file_size, file_hash, file_path}
//   POST /echo        {in_memory}
//   GET /file/<n>     a TempFile of pattern(n) as body_file, its path in X-File
class StreamApp : public server::App {
public:
    explicit StreamApp(std::string dir) : m_dir(std::move(dir)) {}
    ~StreamApp() override
    {
        std::lock_guard lock(m_mutex);
        for (auto& t : m_threads)
            t.join();
    }

    void handle(server::Request request, std::function<void(server::Response)> done) override
    {
        std::lock_guard lock(m_mutex);
        m_threads.emplace_back([this, request = std::move(request), done = std::move(done)]() mutable {
            auto r = route(request);
            server::add_security_headers(r);
            done(std::move(r));
        });
    }
    void authorize_live(server::Request, std::function<void(Result<server::LiveAuth>)> done) override
    {
        done(api::make_error(api::ErrorCode::not_found, "no live here"));
    }
    server::LiveHub& live() override { return m_hub; }

private:
    server::Response route(const server::Request& req)
    {
        server::Response r;
        r.set_header("Content-Type", "application/json");
        auto path = req.path();
        if (path.starts_with("/file/")) {
            auto file = server::TempFile::create(m_dir, "ex_");
            std::ofstream(file->path(), std::ios::binary) << pattern(std::stoul(std::string(path.substr(6))));
            r.set_header("Content-Type", "text/csv; charset=utf-8");
            r.set_header("X-File", file->path());
            r.body = "ignored when body_file is set";
            r.body_file = std::move(file);
            return r;
        }
        nlohmann::json body = {{"in_memory", req.body.size()}};
        if (req.body_file) {
            body["file_size"] = req.body_file->size();
            body["file_hash"] = crypto::hash_hex(read_all(req.body_file->path()));
            body["file_path"] = req.body_file->path();
        }
        r.body = body.dump();
        return r;
    }

    std::string m_dir;
    server::LiveHub m_hub;
    std::mutex m_mutex;
    std::vector<std::thread> m_threads;
};

struct StreamServer {
    explicit StreamServer(std::uint64_t upload_limit = 2ULL << 30)
        : srv([](const TestEnv& env) { return std::make_unique<StreamApp>(server::temp_dir_of(env.data_dir)); },
              options(upload_limit))
    {
    }
    static TestServerOptions options(std::uint64_t upload_limit)
    {
        TestServerOptions o;
        o.net.stream_upload = server::accepts_streamed_upload;
        o.net.upload_limit = upload_limit;
        o.net.add_security_headers = server::add_security_headers;
        o.data_dir = make_temp_dir();
        o.net.upload_dir = server::temp_dir_of(o.data_dir);
        return o;
    }
    ~StreamServer()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    TestServer srv;
    std::string dir = srv.data_dir();
};

bool removed_within(const std::string& path, std::chrono::milliseconds limit)
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::filesystem::exists(path)) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

const Headers k_csv = {{"Content-Type", "text/csv; charset=utf-8"}};
const Headers k_json = {{"Content-Type", "application/json"}};
constexpr const char* k_import = "/api/v1/accounts/ac_1/contacts/import";

} // namespace

BOOST_AUTO_TEST_SUITE(net_stream_test)

BOOST_AUTO_TEST_CASE(CRM4_csv_upload_of_5_MB_is_streamed_to_disk_intact_and_removed_after)
{
    StreamServer s;
    HttpsClient client(s.srv.port());
    const auto csv = pattern(5 * 1024 * 1024);
    auto r = client.request("POST", k_import, csv, k_csv);
    BOOST_TEST_REQUIRE(r.status == 200);
    auto body = r.json();
    BOOST_TEST(body["in_memory"] == 0); // never in Request::body
    BOOST_TEST(body["file_size"] == csv.size());
    BOOST_TEST(body["file_hash"] == crypto::hash_hex(csv));
    const auto path = body["file_path"].get<std::string>();
    BOOST_TEST(path.starts_with(server::temp_dir_of(s.dir) + "/up_"));
    BOOST_TEST(removed_within(path, 2s)); // gone once the request is done with
    // the connection is still in sync for the next request
    BOOST_TEST(client.request("POST", "/echo", "{}", k_json).status == 200);
    BOOST_TEST(client.connections_opened() == 1u);
}

BOOST_AUTO_TEST_CASE(CRM4_json_body_over_1_MiB_still_gets_413)
{
    StreamServer s;
    const std::string big(1024 * 1024 + 1, ' ');
    for (const auto& [target, headers] : std::vector<std::pair<std::string, Headers>>{
             {"/echo", k_json},      // ordinary JSON body
             {k_import, k_json},     // the import path, but not text/csv
             {"/echo", k_csv}}) {    // text/csv, but not an upload route
        BOOST_TEST_CONTEXT(target << " " << headers[0].second)
        {
            HttpsClient client(s.srv.port());
            auto r = client.request("POST", target, big, headers);
            BOOST_TEST(r.status == 413);
            BOOST_TEST(r.json()["error"]["code"] == "payload_too_large");
        }
    }
    // exactly at the limit is fine
    HttpsClient client(s.srv.port());
    BOOST_TEST(client.request("POST", "/echo", std::string(1024 * 1024, ' '), k_json).status == 200);
}

BOOST_AUTO_TEST_CASE(CRM4_upload_over_the_disk_cap_gets_413_and_leaves_no_file)
{
    StreamServer s(4096);
    HttpsClient client(s.srv.port());
    auto r = client.request("POST", k_import, pattern(4097), k_csv);
    BOOST_TEST(r.status == 413);
    BOOST_TEST(r.json()["error"]["code"] == "payload_too_large");
    HttpsClient again(s.srv.port());
    BOOST_TEST(again.request("POST", k_import, pattern(4096), k_csv).status == 200);
    std::error_code ec;
    const auto tmp = server::temp_dir_of(s.dir);
    const auto end = std::chrono::steady_clock::now() + 2s;
    while (!std::filesystem::is_empty(tmp, ec) && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(10ms);
    BOOST_TEST(std::filesystem::is_empty(tmp, ec));
}

BOOST_AUTO_TEST_CASE(CRM4_chunked_upload_is_capped_while_it_arrives)
{
    StreamServer s(4096);
    RawConnection raw(s.srv.port());
    std::string chunk(1000, 'x');
    std::string req = std::string("POST ") + k_import + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i) // no declared length: 5000 bytes in pieces, over the 4096 cap
        req += "3e8\r\n" + chunk + "\r\n";
    req += "0\r\n\r\n";
    raw.send(req);
    auto r = RawConnection::parse_response(raw.read_until_close(3s));
    BOOST_TEST(r.status == 413);
    BOOST_TEST(r.json()["error"]["code"] == "payload_too_large");
}

BOOST_AUTO_TEST_CASE(CRM4_file_response_is_sent_from_disk_with_headers_and_removed)
{
    StreamServer s;
    HttpsClient client(s.srv.port());
    const std::size_t n = 3 * 1024 * 1024 + 17;
    auto r = client.get("/file/" + std::to_string(n));
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.size() == n);
    BOOST_TEST(r.body == pattern(n));
    BOOST_TEST(r.header("Content-Length").value_or("") == std::to_string(n));
    BOOST_TEST(r.header("Content-Type").value_or("") == "text/csv; charset=utf-8");
    BOOST_TEST(r.header("X-Content-Type-Options").value_or("") == "nosniff");
    BOOST_TEST(r.header("Cache-Control").value_or("") == "no-store");
    BOOST_TEST(r.header("Content-Security-Policy").has_value());
    BOOST_TEST(removed_within(r.header("X-File").value_or(""), 2s));
    // keep-alive: a second file and an ordinary answer on the same connection
    BOOST_TEST(client.get("/file/0").body.empty());
    BOOST_TEST(client.request("POST", "/echo", "{}", k_json).status == 200);
    BOOST_TEST(client.connections_opened() == 1u);
}

BOOST_AUTO_TEST_CASE(CRM4_upload_predicate_takes_only_csv_posts_to_import_paths)
{
    using server::accepts_streamed_upload;
    BOOST_TEST(accepts_streamed_upload("POST", "/api/v1/accounts/ac_1/contacts/import", "text/csv"));
    BOOST_TEST(accepts_streamed_upload("POST", "/x/import", "Text/CSV ; charset=utf-8"));
    BOOST_TEST(!accepts_streamed_upload("PUT", "/x/import", "text/csv"));
    BOOST_TEST(!accepts_streamed_upload("POST", "/x/import", "application/json"));
    BOOST_TEST(!accepts_streamed_upload("POST", "/x/import/more", "text/csv"));
    BOOST_TEST(!accepts_streamed_upload("POST", "/x/contacts", "text/csv"));
}

BOOST_AUTO_TEST_SUITE_END()
