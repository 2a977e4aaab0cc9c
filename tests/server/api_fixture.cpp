#include "api_fixture.hpp"

#include "stronghold/crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include <chrono>
#include <future>
#include <stdexcept>

namespace stronghold::server::test {

// Cheap Argon2id for fixtures: the cost parameters are in the encoded hash, so verify stays
// real; only the test's wall time shrinks.
constexpr crypto::PwhashParams k_test_hash{1, 1u << 20};

std::string add_user(Store& store, const std::string& email, model::Membership m)
{
    model::User u;
    u.id = crypto::random_id("us");
    u.email = email;
    u.name = email.substr(0, email.find('@'));
    u.active = true;
    u.created_at = 1;
    m.user_id = u.id;
    auto made = store.create_user(u, crypto::password_hash(k_password, k_test_hash), m, {"cli", "", "", ""});
    BOOST_REQUIRE_MESSAGE(made.ok(), "create_user " + email);
    return made->id;
}

namespace {


std::string add_account(Store& store, const std::string& agency_id, const std::string& name)
{
    model::Account a;
    a.id = crypto::random_id("ac");
    a.agency_id = agency_id;
    a.name = name;
    a.created_at = 1;
    auto made = store.create_account(a, {"cli", "", "", ""});
    BOOST_REQUIRE(made.ok());
    return made->id;
}

std::string add_agency(Store& store, const std::string& name)
{
    model::Agency a;
    a.id = crypto::random_id("ag");
    a.name = name;
    a.created_at = 1;
    auto made = store.create_agency(a, {"cli", "", "", ""});
    BOOST_REQUIRE(made.ok());
    return made->id;
}

} // namespace

TempDir::TempDir()
{
    path = std::filesystem::temp_directory_path() / ("stronghold-api-" + crypto::random_id("t"));
    std::filesystem::create_directories(path);
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

ApiFixture::ApiFixture()
{
    BOOST_REQUIRE(crypto::init());
    auto opened = open_sqlite_store(dir.path.string());
    BOOST_REQUIRE_MESSAGE(opened.ok(), "open_sqlite_store");
    store = std::move(*opened);

    agency_a = add_agency(*store, "Agency A");
    account_a1 = add_account(*store, agency_a, "A one");
    account_a2 = add_account(*store, agency_a, "A two");
    agency_b = add_agency(*store, "Agency B");
    account_b1 = add_account(*store, agency_b, "B one");
    using model::Role;
    owner_a_id = add_user(*store, owner_a, {"", agency_a, "", "", Role::agency_owner});
    user_a1_id = add_user(*store, user_a1, {"", "", account_a1, agency_a, Role::account_user});
    add_user(*store, reader_a1, {"", "", account_a1, agency_a, Role::read_only});
    add_user(*store, agency_user_a, {"", "", account_a1, agency_a, Role::agency_user});
    add_user(*store, owner_b, {"", agency_b, "", "", Role::agency_owner});

    make_app();
}

void ApiFixture::make_app(bool security_responses)
{
    app.reset(); // the old app drains first (one store, one writer)
    AppConfig config;
    config.data_dir = dir.path.string();
    config.public_url = std::string("https://") + k_host;
    config.web_root = (dir.path / "web").string();
    config.handler_threads = 2;
    config.hash_threads = 1;
    HttpAppOptions options;
    options.clock = [this] {
        if (clock_throws)
            throw std::runtime_error("clock broken");
        return now.load();
    };
    options.dummy_hash_params = k_test_hash;
    options.security_responses = security_responses;
    app = std::make_unique<HttpApp>(config, *store, options);
}

ApiFixture::~ApiFixture()
{
    app.reset();
}

Response ApiFixture::call(const std::string& method, const std::string& target, const std::string& body,
                          Headers headers, const std::string& session)
{
    Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.remote_ip = "127.0.0.1";
    r.headers.emplace_back("Host", k_host);
    r.headers.emplace_back("User-Agent", "api-tests");
    bool has_type = false;
    for (auto& [k, v] : headers) {
        has_type = has_type || iequals(k, "Content-Type");
        r.headers.emplace_back(k, v);
    }
    if (!body.empty() && !has_type)
        r.headers.emplace_back("Content-Type", "application/json");
    if (!session.empty())
        r.headers.emplace_back("Cookie", "theme=light; __Host-stronghold_session=" + session);

    auto promise = std::make_shared<std::promise<Response>>();
    auto future = promise->get_future();
    app->handle(std::move(r), [promise](Response resp) { promise->set_value(std::move(resp)); });
    if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        BOOST_FAIL("no response within 30 s for " + method + " " + target);
    }
    return future.get();
}

std::string ApiFixture::login(const std::string& email, const std::string& password)
{
    auto r = call("POST", "/api/v1/auth/login", nlohmann::json{{"email", email}, {"password", password}}.dump());
    BOOST_REQUIRE_MESSAGE(r.status == 200, "login " + email + " -> " + std::to_string(r.status) + " " + r.body);
    auto cookie = r.header("Set-Cookie").value_or("");
    auto start = cookie.find('=') + 1;
    return cookie.substr(start, cookie.find(';') - start);
}

nlohmann::json ApiFixture::create_contact(const std::string& session, const std::string& account_id,
                                          const nlohmann::json& body)
{
    auto r = call("POST", "/api/v1/accounts/" + account_id + "/contacts", body.dump(), {}, session);
    BOOST_REQUIRE_MESSAGE(r.status == 201, "create contact -> " + std::to_string(r.status) + " " + r.body);
    return nlohmann::json::parse(r.body);
}

std::size_t ApiFixture::audit_count(const std::string& agency_id, const std::string& action)
{
    std::size_t n = 0;
    for (const auto& e : store->audit_entries(agency_id, 100000))
        n += e.action == action;
    return n;
}

std::size_t ApiFixture::version_count(const std::string& contact_id)
{
    sqlite3* db = nullptr;
    auto file = (dir.path / "stronghold.db").string();
    BOOST_REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM contact_versions WHERE contact_id = ?", -1, &st,
                                     nullptr) == SQLITE_OK);
    sqlite3_bind_text(st, 1, contact_id.c_str(), -1, SQLITE_TRANSIENT);
    std::size_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = static_cast<std::size_t>(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

} // namespace stronghold::server::test
