#include "app/security_policy.hpp"
#include "app/session.hpp"

#include <stronghold/validate/password.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace stronghold;
namespace app = stronghold::web::app;
using Field = app::SecurityForm::Field;

namespace {

// The server's GET body for the default policy (classic, 8, all classes, 30 min, 12 h).
nlohmann::json default_body(std::int64_t version = 3) {
    return {{"agency_id", "ag_a"},
            {"password_profile", "classic"},
            {"password_min_length", 8},
            {"password_required_classes", {"lower", "upper", "digit", "special"}},
            {"password_history", 0},
            {"password_max_age_days", 0},
            {"require_2fa", false},
            {"session_idle_minutes", 30},
            {"session_absolute_hours", 12},
            {"version", version},
            {"updated_at", nullptr}};
}

app::SecurityForm loaded_form(std::int64_t version = 3) {
    app::SecurityForm form;
    auto p = app::security_policy_from_json(default_body(version));
    BOOST_REQUIRE(p.has_value());
    form.load(*p);
    return form;
}

nlohmann::json patch_of(app::SecurityForm& form) {
    auto v = form.validate();
    BOOST_REQUIRE(v.has_value());
    return form.patch(*v);
}

} // namespace

BOOST_AUTO_TEST_SUITE(security_policy_test)

BOOST_AUTO_TEST_CASE(iam2_policy_reads_the_server_body) {
    auto p = app::security_policy_from_json(default_body(7));
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(p->agency_id == "ag_a");
    BOOST_TEST(p->version == 7);
    BOOST_TEST((p->values.password == validate::PasswordPolicy::classic()));
    BOOST_TEST(p->values.session_idle_minutes == 30);
    BOOST_TEST(p->values.session_absolute_hours == 12);
    auto nist = default_body();
    nist["password_profile"] = "nist_800_63b";
    nist["password_required_classes"] = nlohmann::json::array();
    nist["password_min_length"] = 15;
    auto n = app::security_policy_from_json(nist);
    BOOST_REQUIRE(n.has_value());
    BOOST_TEST((n->values.password.profile == validate::PasswordProfile::nist));
    BOOST_TEST(n->values.password.required_classes == 0);
}

BOOST_AUTO_TEST_CASE(iam2_policy_refuses_mistyped_bodies) {
    const char* fields[] = {"agency_id", "password_profile", "password_min_length", "password_required_classes", "password_history",
                            "password_max_age_days", "require_2fa", "session_idle_minutes", "session_absolute_hours", "version"};
    for (const char* f : fields) {
        auto missing = default_body();
        missing.erase(f);
        BOOST_TEST(!app::security_policy_from_json(missing).has_value(), f);
        auto wrong = default_body();
        wrong[f] = "x";
        if (std::string(f) == "agency_id") wrong[f] = 5;
        BOOST_TEST(!app::security_policy_from_json(wrong).has_value(), f);
    }
    auto bad_class = default_body();
    bad_class["password_required_classes"] = {"lower", "emoji"};
    BOOST_TEST(!app::security_policy_from_json(bad_class).has_value());
    auto bad_profile = default_body();
    bad_profile["password_profile"] = "strict";
    BOOST_TEST(!app::security_policy_from_json(bad_profile).has_value());
    BOOST_TEST(!app::security_policy_from_json(nlohmann::json::array()).has_value());
}

BOOST_AUTO_TEST_CASE(iam2_unchanged_form_is_clean_and_patches_nothing) {
    auto form = loaded_form();
    BOOST_TEST(!form.dirty());
    BOOST_TEST(patch_of(form) == nlohmann::json::object());
    BOOST_TEST(form.if_match() == "\"3\"");
}

BOOST_AUTO_TEST_CASE(iam3_require_2fa_alone_is_the_whole_patch) {
    auto form = loaded_form();
    form.set_require_2fa(true);
    BOOST_TEST(form.dirty());
    BOOST_TEST(patch_of(form) == (nlohmann::json{{"require_2fa", true}}));
    form.set_require_2fa(false); // back to the loaded value: nothing to send
    BOOST_TEST(!form.dirty());
}

BOOST_AUTO_TEST_CASE(iam5_changed_numbers_only_are_sent) {
    auto form = loaded_form();
    form.text(Field::idle) = " 45 ";
    form.text(Field::history) = "5";
    form.text(Field::absolute) = "12"; // typed again, same value
    BOOST_TEST(patch_of(form) == (nlohmann::json{{"session_idle_minutes", 45}, {"password_history", 5}}));
}

BOOST_AUTO_TEST_CASE(iam2_one_click_nist_sets_length_15_and_drops_composition_rules) {
    auto form = loaded_form();
    form.set_profile(validate::PasswordProfile::nist);
    BOOST_TEST(form.nist());
    BOOST_TEST(form.text(Field::min_length) == "15");
    BOOST_TEST(form.classes() == 0);
    BOOST_TEST(patch_of(form) == (nlohmann::json{{"password_profile", "nist_800_63b"},
                                                 {"password_min_length", 15},
                                                 {"password_required_classes", nlohmann::json::array()}}));
    // Back to classic restores the classic preset.
    form.set_profile(validate::PasswordProfile::classic);
    BOOST_TEST(form.text(Field::min_length) == "8");
    BOOST_TEST(form.classes() == validate::password_class::all);
    BOOST_TEST(!form.dirty());
}

BOOST_AUTO_TEST_CASE(iam2_profile_change_always_carries_length_and_classes) {
    // Loaded as NIST with length 20; switching to classic then typing 20 again must still send
    // 20, or the server would apply the classic preset's 8 behind the user's back.
    auto body = default_body();
    body["password_profile"] = "nist_800_63b";
    body["password_min_length"] = 20;
    body["password_required_classes"] = nlohmann::json::array();
    app::SecurityForm form;
    form.load(*app::security_policy_from_json(body));
    form.set_profile(validate::PasswordProfile::classic);
    form.text(Field::min_length) = "20";
    form.set_class(validate::password_class::special, false);
    const auto patch = patch_of(form);
    BOOST_TEST(patch["password_profile"] == "classic");
    BOOST_TEST(patch["password_min_length"] == 20);
    BOOST_TEST(patch["password_required_classes"] == (nlohmann::json{"lower", "upper", "digit"}));
}

BOOST_AUTO_TEST_CASE(iam2_bounds_follow_the_core_and_every_bad_field_is_marked) {
    auto form = loaded_form();
    form.text(Field::min_length) = "7";
    form.text(Field::history) = "25";
    form.text(Field::max_age) = "3651";
    form.text(Field::idle) = "4";
    form.text(Field::absolute) = "721";
    BOOST_TEST(!form.validate().has_value());
    BOOST_TEST(form.error(Field::min_length) == "Must be between 8 and 128");
    BOOST_TEST(form.error(Field::history) == "Must be between 0 and 24");
    BOOST_TEST(form.error(Field::max_age) == "Must be between 0 (off) and 3650");
    BOOST_TEST(form.error(Field::idle) == "Must be between 5 and 1440");
    BOOST_TEST(form.error(Field::absolute) == "Must be between 1 and 720");
    // The edges themselves are fine.
    form.text(Field::min_length) = "128";
    form.text(Field::history) = "24";
    form.text(Field::max_age) = "3650";
    form.text(Field::idle) = "1440";
    form.text(Field::absolute) = "1";
    BOOST_TEST(form.validate().has_value());
    for (int f = 0; f < Field::field_count; ++f) BOOST_TEST(form.error(static_cast<Field>(f)).empty());
}

BOOST_AUTO_TEST_CASE(iam2_non_numbers_are_refused_and_editing_clears_the_error) {
    auto form = loaded_form();
    form.text(Field::history) = "-1";
    form.text(Field::idle) = "";
    form.text(Field::absolute) = "1e3";
    BOOST_TEST(form.dirty());
    BOOST_TEST(!form.validate().has_value());
    BOOST_TEST(form.error(Field::history) == "Must be a whole number");
    BOOST_TEST(form.error(Field::idle) == "Must be a whole number");
    BOOST_TEST(form.error(Field::absolute) == "Must be a whole number");
    BOOST_TEST(form.error(Field::min_length).empty());
    form.on_edit(Field::idle);
    BOOST_TEST(form.error(Field::idle).empty());
    form.text(Field::history) = "9999999999999"; // too long to be meant: no overflow, an error
    BOOST_TEST(!form.validate().has_value());
    BOOST_TEST(form.error(Field::history) == "Must be a whole number");
}

BOOST_AUTO_TEST_CASE(iam2_nist_needs_at_least_15) {
    auto form = loaded_form();
    form.set_profile(validate::PasswordProfile::nist);
    form.text(Field::min_length) = "12";
    BOOST_TEST(!form.validate().has_value());
    BOOST_TEST(form.error(Field::min_length) == "Must be at least 15 with the NIST 800-63B profile");
}

BOOST_AUTO_TEST_CASE(iam2_server_422_lands_under_its_field) {
    auto form = loaded_form();
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "must be between 5 and 1440", "session_idle_minutes"));
    BOOST_TEST(form.error(Field::idle) == "Must be between 5 and 1440");
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "may hold only ...", "password_required_classes"));
    BOOST_TEST(form.classes_error() == "May hold only ...");
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "is not a known field", "colour"));
    BOOST_TEST(form.general_error() == "colour: is not a known field");
}

BOOST_AUTO_TEST_CASE(iam2_conflict_keeps_edits_until_reload_takes_theirs) {
    auto form = loaded_form(3);
    form.set_require_2fa(true);
    auto theirs = default_body(4);
    theirs["session_idle_minutes"] = 60;
    form.set_conflict(*app::security_policy_from_json(theirs));
    BOOST_TEST(form.conflict());
    BOOST_TEST(form.require_2fa()); // the user's edit is still on screen
    form.reload_conflict();
    BOOST_TEST(!form.conflict());
    BOOST_TEST(!form.require_2fa());
    BOOST_TEST(form.text(Field::idle) == "60");
    BOOST_TEST(form.if_match() == "\"4\"");
    BOOST_TEST(!form.dirty());
}

BOOST_AUTO_TEST_CASE(iam2_security_settings_entry_only_for_agency_owners_and_admins) {
    auto me_with = [](const char* role, bool agency_scope) {
        nlohmann::json m = {{"role", role}};
        m[agency_scope ? "agency_id" : "account_id"] = agency_scope ? "ag_a" : "ac_1";
        return app::me_from_json({{"user", {{"id", "us_1"}, {"email", "a@example.com"}}}, {"memberships", {m}}});
    };
    BOOST_TEST(me_with("agency_owner", true)->security_agencies() == std::vector<std::string>{"ag_a"});
    BOOST_TEST(me_with("agency_admin", true)->security_agencies() == std::vector<std::string>{"ag_a"});
    BOOST_TEST(me_with("agency_user", true)->security_agencies().empty());
    BOOST_TEST(me_with("account_admin", false)->security_agencies().empty());
    // A malformed membership is ignored, not trusted.
    auto odd = app::me_from_json({{"user", {{"id", "us_1"}}}, {"memberships", {{{"role", "agency_owner"}}}}});
    BOOST_REQUIRE(odd.has_value());
    BOOST_TEST(odd->security_agencies().empty());
}

BOOST_AUTO_TEST_SUITE_END()
