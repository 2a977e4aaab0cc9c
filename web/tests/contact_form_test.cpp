#include "app/contact_form.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using web::app::ContactForm;

BOOST_AUTO_TEST_SUITE(contact_form_test)

BOOST_AUTO_TEST_CASE(split_list_accepts_commas_and_lines) {
    const auto v = ContactForm::split_list(" a@x.io, b@y.io\n\n c@z.io ,");
    BOOST_TEST(v == (std::vector<std::string>{"a@x.io", "b@y.io", "c@z.io"}), boost::test_tools::per_element());
    BOOST_TEST(ContactForm::split_list("  ").empty());
}

BOOST_AUTO_TEST_CASE(field_from_wire_maps_array_elements) {
    BOOST_TEST(*ContactForm::field_from_wire("emails[2]") == ContactForm::emails);
    BOOST_TEST(*ContactForm::field_from_wire("company_name") == ContactForm::company_name);
    BOOST_TEST(*ContactForm::field_from_wire("owner_id") == ContactForm::owner_id);
    BOOST_TEST(!ContactForm::field_from_wire("lifecycle_stage").has_value());
}

// The live message must be the server's: both come from model::parse_contact_*.
BOOST_AUTO_TEST_CASE(live_email_error_is_the_server_message) {
    ContactForm form = ContactForm::for_new();
    form.text(ContactForm::emails) = "not-an-email";
    form.validate_field(ContactForm::emails, {});
    BOOST_TEST(!form.error(ContactForm::emails).empty());
    nlohmann::json body = {{"emails", {"not-an-email"}}};
    auto server = model::parse_contact_create(body, {});
    BOOST_REQUIRE(!server.ok());
    BOOST_TEST(form.error(ContactForm::emails) == server.error().message);
}

BOOST_AUTO_TEST_CASE(crm5_refuses_luhn_valid_card_in_name_live) {
    ContactForm form = ContactForm::for_new();
    form.text(ContactForm::first_name) = "4111 1111 1111 1111";
    form.validate_field(ContactForm::first_name, {});
    BOOST_TEST(!form.error(ContactForm::first_name).empty());
    BOOST_TEST(!form.validate_all({}));
}

BOOST_AUTO_TEST_CASE(fixing_a_field_clears_its_error) {
    ContactForm form = ContactForm::for_new();
    form.text(ContactForm::emails) = "bad";
    form.validate_field(ContactForm::emails, {});
    BOOST_TEST(!form.error(ContactForm::emails).empty());
    form.text(ContactForm::emails) = "ada@example.com";
    form.validate_field(ContactForm::emails, {});
    BOOST_TEST(form.error(ContactForm::emails).empty());
}

BOOST_AUTO_TEST_CASE(create_body_has_every_field_and_lists) {
    ContactForm form = ContactForm::for_new();
    form.text(ContactForm::first_name) = "Ada";
    form.text(ContactForm::emails) = "ada@example.com, ada@work.example";
    form.text(ContactForm::tags) = "vip";
    BOOST_TEST(form.validate_all({}));
    const auto body = form.body();
    BOOST_TEST(body["first_name"] == "Ada");
    BOOST_TEST(body["emails"].size() == 2u);
    BOOST_TEST(body["tags"][0] == "vip");
    BOOST_TEST(body.contains("company_name"));
    BOOST_TEST(model::parse_contact_create(body, {}).ok());
}

BOOST_AUTO_TEST_CASE(edit_body_is_a_merge_patch_of_changes_only) {
    model::Contact c;
    c.id = "ct_1";
    c.first_name = "Ada";
    c.last_name = "Lovelace";
    c.emails = {"ada@example.com"};
    c.version = 3;
    ContactForm form = ContactForm::for_edit(c);
    BOOST_TEST(!form.has_changes());
    form.text(ContactForm::last_name) = "King";
    const auto body = form.body();
    BOOST_TEST(body.size() == 1u);
    BOOST_TEST(body["last_name"] == "King");
}

BOOST_AUTO_TEST_CASE(server_422_lands_under_its_field_else_form_level) {
    ContactForm form = ContactForm::for_new();
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "is not a valid email", "emails[1]"));
    BOOST_TEST(form.error(ContactForm::emails) == "is not a valid email");
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "unknown field", "lifecycle_stage"));
    BOOST_TEST(form.form_error() == "unknown field");
}

// CRM-1 the owner picker: a member's id, "" for nobody (null on the wire), patched only when changed.
BOOST_AUTO_TEST_CASE(CRM1_owner_is_a_member_id_or_null_and_patched_when_changed) {
    ContactForm form = ContactForm::for_new();
    form.text(ContactForm::first_name) = "Ada";
    BOOST_TEST(form.validate_all({}));
    BOOST_TEST(!form.body().contains("owner_id")); // the server makes the creator the owner
    form.text(ContactForm::owner_id) = "us_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    BOOST_TEST(form.validate_all({}));
    BOOST_TEST(model::parse_contact_create(form.body(), {}).ok());
    form.text(ContactForm::owner_id) = "bob";
    BOOST_TEST(!form.validate_all({}));
    BOOST_TEST(form.error(ContactForm::owner_id) == "is not a user id");

    model::Contact c;
    c.id = "ct_1";
    c.first_name = "Ada";
    c.owner_id = "us_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    c.version = 2;
    ContactForm edit = ContactForm::for_edit(c);
    BOOST_TEST(!edit.has_changes());
    c.owner_id = "us_legacy"; // whatever owner the server holds, unchanged, is not re-judged
    BOOST_TEST(ContactForm::for_edit(c).validate_all({}));
    edit.text(ContactForm::owner_id) = "us_bbbbbbbbbbbbbbbbbbbbbbbbbb";
    BOOST_TEST(edit.body() == nlohmann::json({{"owner_id", "us_bbbbbbbbbbbbbbbbbbbbbbbbbb"}}));
    edit.text(ContactForm::owner_id).clear();
    BOOST_TEST(edit.body() == nlohmann::json({{"owner_id", nullptr}}));
}

BOOST_AUTO_TEST_CASE(conflict_reload_takes_theirs_overwrite_keeps_mine_on_their_version) {
    model::Contact mine;
    mine.id = "ct_1";
    mine.first_name = "Ada";
    mine.version = 1;
    model::Contact theirs = mine;
    theirs.first_name = "Augusta";
    theirs.version = 2;

    ContactForm form = ContactForm::for_edit(mine);
    form.text(ContactForm::first_name) = "Ada L.";
    form.rebase(theirs);
    BOOST_TEST(form.original()->version == 2);
    BOOST_TEST(form.text(ContactForm::first_name) == "Ada L.");
    BOOST_TEST(form.body()["first_name"] == "Ada L.");

    form.reload(theirs);
    BOOST_TEST(form.text(ContactForm::first_name) == "Augusta");
    BOOST_TEST(!form.has_changes());
}

BOOST_AUTO_TEST_SUITE_END()
