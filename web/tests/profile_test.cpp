#include "app/profile.hpp"
#include "app/reauth.hpp"

#include <stronghold/validate/password.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold;
namespace app = stronghold::web::app;

namespace {

// A square of n rows of n characters, '1' on the diagonal.
std::string diagonal_modules(int n, int rows, int row_len, char fill = '0') {
    std::string out;
    for (int y = 0; y < rows; ++y) {
        if (y) out += '\n';
        for (int x = 0; x < row_len; ++x) out += x == y ? '1' : fill;
    }
    return out;
}

nlohmann::json qr_json(int size, const std::string& modules) { return {{"size", size}, {"modules", modules}}; }

constexpr model::UnixMillis k_now = 1795000000000; // 2026-11-19

std::string iso(model::UnixMillis t) { return model::format_iso8601(t); }

} // namespace

BOOST_AUTO_TEST_SUITE(profile_test)

// [SECTION] QR matrix

BOOST_AUTO_TEST_SUITE(qr)

BOOST_AUTO_TEST_CASE(iam3_qr_matrix_reads_rows_of_modules) {
    const auto m = app::qr_from_json(qr_json(21, diagonal_modules(21, 21, 21)));
    BOOST_REQUIRE(m.has_value());
    BOOST_TEST(m->size == 21);
    BOOST_TEST(m->dark.size() == 441u);
    BOOST_TEST(m->at(0, 0));
    BOOST_TEST(m->at(20, 20));
    BOOST_TEST(!m->at(1, 0));
    BOOST_TEST(!m->at(0, 20));
}

BOOST_AUTO_TEST_CASE(iam3_qr_matrix_accepts_one_trailing_newline_and_largest_version) {
    BOOST_TEST(app::qr_from_json(qr_json(25, diagonal_modules(25, 25, 25) + "\n")).has_value());
    BOOST_TEST(app::qr_from_json(qr_json(177, diagonal_modules(177, 177, 177))).has_value());
}

BOOST_AUTO_TEST_CASE(iam3_qr_matrix_refuses_bad_sizes_and_shapes) {
    struct Case {
        const char* name;
        nlohmann::json qr;
    };
    const std::vector<Case> cases = {
        {"size not a QR version (22)", qr_json(22, diagonal_modules(22, 22, 22))},
        {"size below version 1 (17)", qr_json(17, diagonal_modules(17, 17, 17))},
        {"size above version 40 (181)", qr_json(181, diagonal_modules(181, 181, 181))},
        {"zero", qr_json(0, "")},
        {"negative", qr_json(-21, diagonal_modules(21, 21, 21))},
        {"one row short", qr_json(21, diagonal_modules(21, 20, 21))},
        {"one row long", qr_json(21, diagonal_modules(21, 22, 21))},
        {"row too short", qr_json(21, diagonal_modules(21, 21, 20))},
        {"row too long", qr_json(21, diagonal_modules(21, 21, 22))},
        {"not 0/1", qr_json(21, diagonal_modules(21, 21, 21, '2'))},
        {"blank line inside", qr_json(21, diagonal_modules(21, 10, 21) + "\n\n" + diagonal_modules(21, 11, 21))},
        {"two trailing newlines", qr_json(21, diagonal_modules(21, 21, 21) + "\n\n")},
        {"size as string", nlohmann::json{{"size", "21"}, {"modules", diagonal_modules(21, 21, 21)}}},
        {"modules as array", nlohmann::json{{"size", 21}, {"modules", nlohmann::json::array()}}},
        {"missing modules", nlohmann::json{{"size", 21}}},
        {"not an object", nlohmann::json::array({21})},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.name) { BOOST_TEST(!app::qr_from_json(c.qr).has_value()); }
    }
}

BOOST_AUTO_TEST_CASE(iam3_enrolment_needs_secret_otpauth_uri_and_a_valid_qr) {
    nlohmann::json body = {{"secret", "JBSWY3DPEHPK3PXP"},
                           {"otpauth_uri", "otpauth://totp/Stronghold:ada%40x.io?secret=JBSWY3DPEHPK3PXP&issuer=Stronghold"},
                           {"qr", qr_json(21, diagonal_modules(21, 21, 21))}};
    const auto e = app::enrolment_from_json(body);
    BOOST_REQUIRE(e.has_value());
    BOOST_TEST(e->secret == "JBSWY3DPEHPK3PXP");
    BOOST_TEST(e->qr.size == 21);

    auto bad = body;
    bad["otpauth_uri"] = "https://evil.example/";
    BOOST_TEST(!app::enrolment_from_json(bad).has_value());
    bad = body;
    bad["qr"] = qr_json(23, diagonal_modules(23, 23, 23));
    BOOST_TEST(!app::enrolment_from_json(bad).has_value());
    bad = body;
    bad.erase("secret");
    BOOST_TEST(!app::enrolment_from_json(bad).has_value());
}

BOOST_AUTO_TEST_CASE(iam3_secret_is_grouped_by_four_for_reading) {
    BOOST_TEST(app::group_secret("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP");
    BOOST_TEST(app::group_secret("ABCDE") == "ABCD E");
    BOOST_TEST(app::group_secret("") == "");
}

BOOST_AUTO_TEST_CASE(iam3_recovery_codes_are_a_list_of_non_empty_strings) {
    nlohmann::json ten = {{"recovery_codes", nlohmann::json::array()}};
    for (int i = 0; i < 10; ++i) ten["recovery_codes"].push_back("code-" + std::to_string(i));
    const auto codes = app::recovery_codes_from_json(ten);
    BOOST_REQUIRE(codes.has_value());
    BOOST_TEST(codes->size() == 10u);
    BOOST_TEST(codes->front() == "code-0");
    BOOST_TEST(!app::recovery_codes_from_json({{"recovery_codes", {"a", 7}}}).has_value());
    BOOST_TEST(!app::recovery_codes_from_json({{"recovery_codes", {"a", ""}}}).has_value());
    BOOST_TEST(!app::recovery_codes_from_json({{"recovery_codes", nlohmann::json::array()}}).has_value());
    BOOST_TEST(!app::recovery_codes_from_json({{"codes", {"a"}}}).has_value());
}

BOOST_AUTO_TEST_CASE(iam3_totp_code_is_six_digits) {
    BOOST_TEST(app::is_totp_code("123456"));
    BOOST_TEST(app::is_totp_code("123 456"));
    BOOST_TEST(app::digits_only("123 456") == "123456");
    BOOST_TEST(!app::is_totp_code("12345"));
    BOOST_TEST(!app::is_totp_code("1234567"));
    BOOST_TEST(!app::is_totp_code("12345a"));
    BOOST_TEST(!app::is_totp_code(""));
}

BOOST_AUTO_TEST_CASE(iam3_totp_enabled_missing_means_false) {
    BOOST_TEST(!app::totp_enabled_from_me({{"user", {{"id", "us_1"}}}}));
    BOOST_TEST(app::totp_enabled_from_me({{"user", {{"id", "us_1"}, {"totp_enabled", true}}}}));
    BOOST_TEST(!app::totp_enabled_from_me({{"user", {{"id", "us_1"}, {"totp_enabled", "true"}}}}));
    BOOST_TEST(!app::totp_enabled_from_me(nlohmann::json::array()));
}

BOOST_AUTO_TEST_SUITE_END()

// [SECTION] Sessions

BOOST_AUTO_TEST_SUITE(sessions)

BOOST_AUTO_TEST_CASE(iam5_sessions_parse_with_current_first_then_most_recent) {
    const nlohmann::json body = {{"items",
                                  {{{"id", "se_old"}, {"current", false}, {"last_seen_at", iso(k_now - 3600000)}, {"ip", "10.0.0.2"}},
                                   {{"id", "se_me"}, {"current", true}, {"last_seen_at", iso(k_now - 7200000)}, {"device", "Firefox on Linux"},
                                    {"created_at", iso(k_now - 86400000)}, {"expires_at", iso(k_now + 3600000)}, {"ip", "10.0.0.1"},
                                    {"user_agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"}},
                                   {{"current", false}}, // no id: skipped
                                   {{"id", "se_new"}, {"last_seen_at", iso(k_now - 60000)}}}}};
    const auto list = app::sessions_from_json(body);
    BOOST_REQUIRE(list.has_value());
    BOOST_REQUIRE(list->size() == 3u);
    BOOST_TEST((*list)[0].id == "se_me");
    BOOST_TEST((*list)[0].current);
    BOOST_TEST((*list)[0].created_at == k_now - 86400000);
    BOOST_TEST((*list)[0].expires_at == k_now + 3600000);
    BOOST_TEST((*list)[0].ip == "10.0.0.1");
    BOOST_TEST((*list)[1].id == "se_new");
    BOOST_TEST(!(*list)[1].current);
    BOOST_TEST((*list)[2].id == "se_old");
}

BOOST_AUTO_TEST_CASE(iam5_sessions_refuse_a_body_without_a_list) {
    BOOST_TEST(!app::sessions_from_json({{"items", "nope"}}).has_value());
    BOOST_TEST(!app::sessions_from_json(nlohmann::json::array()).has_value());
    BOOST_TEST(!app::sessions_from_json(nlohmann::json::object()).has_value());
    const auto empty = app::sessions_from_json({{"items", nlohmann::json::array()}});
    BOOST_REQUIRE(empty.has_value());
    BOOST_TEST(empty->empty());
}

BOOST_AUTO_TEST_CASE(iam5_device_label_prefers_the_server_then_guesses) {
    app::SessionInfo s;
    BOOST_TEST(app::device_label(s) == "Unknown device");
    s.user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0";
    BOOST_TEST(app::device_label(s) == "Edge on Windows");
    s.user_agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1";
    BOOST_TEST(app::device_label(s) == "Safari on iOS");
    s.device = "Work laptop";
    BOOST_TEST(app::device_label(s) == "Work laptop");
}

BOOST_AUTO_TEST_CASE(iam5_last_seen_reads_as_relative_time) {
    BOOST_TEST(app::relative_time(k_now, k_now - 5000) == "just now");
    BOOST_TEST(app::relative_time(k_now, k_now + 5000) == "just now"); // a server clock slightly ahead
    BOOST_TEST(app::relative_time(k_now, k_now - 3 * 60000) == "3 min ago");
    BOOST_TEST(app::relative_time(k_now, k_now - 2 * 3600000) == "2 h ago");
    BOOST_TEST(app::relative_time(k_now, k_now - 30 * 3600000LL) == "yesterday");
    BOOST_TEST(app::relative_time(k_now, k_now - 10 * 86400000LL) == iso(k_now - 10 * 86400000LL).substr(0, 10));
    BOOST_TEST(app::relative_time(k_now, 0) == "unknown");
}

BOOST_AUTO_TEST_SUITE_END()

// [SECTION] Re-authentication

BOOST_AUTO_TEST_SUITE(reauth)

const std::optional<api::Error> k_reauth = api::make_error(api::ErrorCode::reauth_required, "Confirm your password.");

BOOST_AUTO_TEST_CASE(iam6_only_401_reauth_required_is_intercepted) {
    app::ReauthFlow flow;
    int runs = 0;
    BOOST_TEST(!flow.intercept(401, api::make_error(api::ErrorCode::unauthenticated, "x"), [&] { ++runs; }));
    BOOST_TEST(!flow.intercept(403, api::make_error(api::ErrorCode::reauth_required, "x"), [&] { ++runs; }));
    BOOST_TEST(!flow.intercept(401, std::nullopt, [&] { ++runs; }));
    BOOST_TEST(!flow.intercept(204, std::nullopt, [&] { ++runs; }));
    BOOST_TEST((flow.state() == app::ReauthFlow::State::idle));
    BOOST_TEST(flow.parked() == 0u);
    BOOST_TEST(runs == 0);
}

BOOST_AUTO_TEST_CASE(iam6_wrong_password_keeps_asking_then_success_retries_once) {
    app::ReauthFlow flow;
    int retries = 0, cancels = 0;
    BOOST_TEST(flow.intercept(401, k_reauth, [&] { ++retries; }, [&] { ++cancels; }));
    BOOST_TEST((flow.state() == app::ReauthFlow::State::asking));

    BOOST_TEST(!flow.submit().has_value()); // empty field: not sent
    BOOST_TEST(!flow.error().empty());

    flow.secret() = "wrong password";
    auto body = flow.submit();
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->dump() == R"({"password":"wrong password"})");
    BOOST_TEST(flow.secret().empty()); // the field does not keep the password
    BOOST_TEST((flow.state() == app::ReauthFlow::State::verifying));
    BOOST_TEST(!flow.submit().has_value()); // no second request while one is under way

    flow.on_result(422, api::make_error(api::ErrorCode::validation_failed, "The password is not correct.", "password"));
    BOOST_TEST((flow.state() == app::ReauthFlow::State::asking));
    BOOST_TEST(flow.error() == "The password is not correct.");
    BOOST_TEST(retries == 0);

    flow.secret() = "right password";
    BOOST_REQUIRE(flow.submit().has_value());
    flow.on_result(204, std::nullopt);
    BOOST_TEST((flow.state() == app::ReauthFlow::State::idle));
    BOOST_TEST(retries == 1);
    BOOST_TEST(cancels == 0);
    BOOST_TEST(flow.parked() == 0u);
    flow.on_result(204, std::nullopt); // a stray second answer runs nothing again
    BOOST_TEST(retries == 1);
}

BOOST_AUTO_TEST_CASE(iam6_requests_parked_together_all_retry_in_order) {
    app::ReauthFlow flow;
    std::vector<int> order;
    BOOST_TEST(flow.intercept(401, k_reauth, [&] { order.push_back(1); }));
    flow.secret() = "pw"; // the user is typing when the second refusal arrives: keep the text
    BOOST_TEST(flow.intercept(401, k_reauth, [&] { order.push_back(2); }));
    BOOST_TEST(flow.secret() == "pw");
    BOOST_TEST(flow.parked() == 2u);
    BOOST_REQUIRE(flow.submit().has_value());
    flow.on_result(200, std::nullopt);
    BOOST_TEST(order == (std::vector<int>{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(iam6_cancel_hands_back_and_drops_the_retry) {
    app::ReauthFlow flow;
    int retries = 0, cancels = 0;
    flow.intercept(401, k_reauth, [&] { ++retries; }, [&] { ++cancels; });
    flow.secret() = "pw";
    BOOST_REQUIRE(flow.submit().has_value());
    flow.cancel(); // closed while the check was on its way
    BOOST_TEST((flow.state() == app::ReauthFlow::State::idle));
    BOOST_TEST(cancels == 1);
    flow.on_result(204, std::nullopt); // the late answer must not resend anything
    BOOST_TEST(retries == 0);
    BOOST_TEST(flow.parked() == 0u);
}

BOOST_AUTO_TEST_CASE(iam6_a_retry_refused_again_asks_again_not_loops) {
    app::ReauthFlow flow;
    int attempts = 0;
    std::function<void()> request = [&] {
        ++attempts;
        flow.intercept(401, k_reauth, request); // the server still says reauth_required
    };
    request();
    flow.secret() = "pw";
    BOOST_REQUIRE(flow.submit().has_value());
    flow.on_result(204, std::nullopt);
    BOOST_TEST(attempts == 2); // sent once more, then it waits for the user again
    BOOST_TEST((flow.state() == app::ReauthFlow::State::asking));
    BOOST_TEST(flow.parked() == 1u);
}

BOOST_AUTO_TEST_CASE(iam6_code_method_sends_code_and_messages_fit_the_method) {
    app::ReauthFlow flow;
    flow.intercept(401, k_reauth, [] {});
    flow.set_method(app::ReauthFlow::Method::code);
    flow.secret() = "123456";
    auto body = flow.submit();
    BOOST_REQUIRE(body.has_value());
    BOOST_TEST(body->dump() == R"({"code":"123456"})");
    flow.on_result(401, k_reauth); // wrong code: the server keeps saying reauth_required
    BOOST_TEST(flow.error() == "That code is not correct.");
    flow.secret() = "1";
    BOOST_REQUIRE(flow.submit().has_value());
    flow.on_result(0, std::nullopt);
    BOOST_TEST(flow.error().find("cannot be reached") != std::string::npos);
    flow.secret() = "1";
    BOOST_REQUIRE(flow.submit().has_value());
    flow.on_result(429, api::make_error(api::ErrorCode::rate_limited, "Too many attempts. Try again in 30 seconds."));
    BOOST_TEST(flow.error() == "Too many attempts. Try again in 30 seconds.");
}

BOOST_AUTO_TEST_SUITE_END()

// [SECTION] Change password

BOOST_AUTO_TEST_SUITE(password)

using F = app::PasswordForm;

BOOST_AUTO_TEST_CASE(iam2_live_feedback_is_the_core_policy) {
    F form;
    form.set_context("ada@example.com", "Ada Lovelace", {"Northwind Bakery"});
    for (const char* candidate : {"", "short", "password", "alllowercase1!", "Tr0ub4dor&3-horse-Staple", "ada-Rules-2026!"}) {
        BOOST_TEST_CONTEXT(candidate) {
            form.text(F::fresh) = candidate;
            form.on_edit(F::fresh);
            const auto core = validate::evaluate(validate::PasswordPolicy::classic(), candidate,
                                                 {.email = "ada@example.com", .user_name = "Ada Lovelace", .brand_names = {"Northwind Bakery"}});
            BOOST_TEST(form.feedback().ok == core.ok);
            BOOST_TEST(form.feedback().strength == core.strength);
            BOOST_TEST(form.feedback().problems.size() == core.problems.size());
        }
    }
}

BOOST_AUTO_TEST_CASE(iam2_meter_rises_with_a_better_password) {
    F form;
    form.set_context("ada@example.com", "Ada", {});
    form.text(F::fresh) = "abc";
    form.on_edit(F::fresh);
    const int weak = form.feedback().strength;
    BOOST_TEST(!form.feedback().ok);
    BOOST_TEST(!form.feedback().problems.empty());
    form.text(F::fresh) = "Glacier-Mortar-Pelican-42!";
    form.on_edit(F::fresh);
    BOOST_TEST(form.feedback().ok);
    BOOST_TEST(form.feedback().problems.empty());
    BOOST_TEST(form.feedback().strength > weak);
    // Messages stand alone under the field, without the core's leading field name.
    form.text(F::fresh) = "abc";
    form.on_edit(F::fresh);
    for (const auto& p : form.feedback().problems) {
        BOOST_TEST_CONTEXT(p) {
            BOOST_TEST(p.rfind("password ", 0) != 0);
            BOOST_TEST(!(p[0] >= 'a' && p[0] <= 'z'));
        }
    }
}

BOOST_AUTO_TEST_CASE(iam2_submit_checks_current_policy_match_and_difference) {
    F form;
    form.set_context("ada@example.com", "Ada", {});
    BOOST_TEST(!form.validate_for_submit());
    BOOST_TEST(!form.error(F::current).empty());
    BOOST_TEST(!form.error(F::fresh).empty());

    form.text(F::current) = "Old-Password-1!";
    form.text(F::fresh) = "ada12345!A"; // contains the email's name
    form.text(F::confirm) = "ada12345!A";
    BOOST_TEST(!form.validate_for_submit());
    BOOST_TEST(form.error(F::current).empty());
    BOOST_TEST(!form.error(F::fresh).empty());

    form.text(F::fresh) = "Old-Password-1!";
    form.text(F::confirm) = "Old-Password-1!";
    BOOST_TEST(!form.validate_for_submit());
    BOOST_TEST(form.error(F::fresh) == "The new password must differ from the current one.");

    form.text(F::fresh) = "Glacier-Mortar-Pelican-42!";
    form.text(F::confirm) = "Glacier-Mortar-Pelican-41!";
    BOOST_TEST(!form.validate_for_submit());
    BOOST_TEST(form.error(F::confirm) == "The passwords do not match.");

    form.text(F::confirm) = "Glacier-Mortar-Pelican-42!";
    BOOST_TEST(form.validate_for_submit());
    BOOST_TEST(form.body() == (nlohmann::json{{"current_password", "Old-Password-1!"}, {"new_password", "Glacier-Mortar-Pelican-42!"}}));
}

BOOST_AUTO_TEST_CASE(iam2_server_errors_land_under_their_field_and_clear_on_edit) {
    F form;
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "The current password is not correct.", "current_password"));
    BOOST_TEST(form.error(F::current) == "The current password is not correct.");
    BOOST_TEST(form.error(F::fresh).empty());
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "You used this password before.", "new_password"));
    BOOST_TEST(form.error(F::fresh) == "You used this password before.");
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "Not allowed.", "password"));
    BOOST_TEST(form.error(F::fresh) == "Not allowed."); // no field of ours: about the new password
    form.on_edit(F::current);
    BOOST_TEST(form.error(F::current).empty());
    form.on_edit(F::fresh);
    BOOST_TEST(form.error(F::fresh).empty());
}

BOOST_AUTO_TEST_CASE(iam2_clear_wipes_every_field) {
    F form;
    form.text(F::current) = "a";
    form.text(F::fresh) = "b";
    form.text(F::confirm) = "c";
    form.clear();
    BOOST_TEST(form.text(F::current).empty());
    BOOST_TEST(form.text(F::fresh).empty());
    BOOST_TEST(form.text(F::confirm).empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
