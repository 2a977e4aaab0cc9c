// CRM-1, PRV: the contact fields issue 5 added — lifecycle stage, source, linked company, consent
// records with source and time, custom field values.
#include "stronghold/model/contact.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::model;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(model_contact_fields)

namespace {
std::string refused(const json& body, const ContactRules& rules = {})
{
    auto r = parse_contact_create(body, rules);
    BOOST_TEST_REQUIRE(!r.ok(), body.dump() << " was accepted");
    return r.error().field;
}
} // namespace

BOOST_AUTO_TEST_CASE(CRM1_lifecycle_source_company_and_consents_parse_and_apply)
{
    const json body = {{"first_name", "Ada"},
                       {"lifecycle_stage", "lead"},
                       {"source", "Webinar"},
                       {"company_id", "co_aaaaaaaaaaaaaaaaaaaaaaaaaa"},
                       {"consents", {{{"purpose", "email_marketing"}, {"granted", true}, {"source", "signup form"},
                                      {"at", "2026-11-01T10:00:00Z"}}}}};
    auto changes = parse_contact_create(body, {});
    BOOST_TEST_REQUIRE(changes.ok());
    Contact c;
    apply_changes(c, *changes);
    BOOST_TEST(c.lifecycle_stage == "lead");
    BOOST_TEST(c.source == "Webinar");
    BOOST_TEST(c.company_id == "co_aaaaaaaaaaaaaaaaaaaaaaaaaa");
    BOOST_TEST_REQUIRE(c.consents.size() == 1u);
    BOOST_TEST(c.consents[0].at == *parse_iso8601("2026-11-01T10:00:00Z"));
    const json wire = c;
    BOOST_TEST(wire["consents"][0]["source"] == "signup form");
    BOOST_TEST(wire["lifecycle_stage"] == "lead");
    auto back = contact_from_json(wire);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(back->consents == c.consents);
    BOOST_TEST(back->company_id == c.company_id);
    Contact after = c;
    auto patch = parse_contact_patch({{"lifecycle_stage", "customer"}, {"consents", nullptr}}, {});
    BOOST_TEST_REQUIRE(patch.ok());
    apply_changes(after, *patch);
    BOOST_TEST(changed_fields(c, after) == (std::vector<std::string>{"lifecycle_stage", "consents"}));
}

BOOST_AUTO_TEST_CASE(CRM1_bad_new_fields_name_the_field)
{
    BOOST_TEST(refused({{"first_name", "A"}, {"lifecycle_stage", "hot"}}) == "lifecycle_stage");
    BOOST_TEST(refused({{"first_name", "A"}, {"company_id", "ct_aaaaaaaaaaaaaaaaaaaaaaaaaa"}}) == "company_id");
    BOOST_TEST(refused({{"first_name", "A"}, {"consents", {{{"purpose", "sms"}}}}}) == "consents[0].granted");
    BOOST_TEST(refused({{"first_name", "A"}, {"consents", {{{"purpose", "sms"}, {"granted", true}, {"at", "yesterday"}}}}}) ==
               "consents[0].at");
    BOOST_TEST(refused({{"first_name", "A"}, {"consents", {{{"purpose", "sms"}, {"granted", true}, {"ip", "1.2.3.4"}}}}}) ==
               "consents[0].ip");
}

BOOST_AUTO_TEST_CASE(CRM1_contact_custom_fields_follow_their_definitions)
{
    ContactRules rules;
    rules.custom_fields = {{"cf_1", "contact", "birthday", "Birthday", FieldType::date, true, false, {}}};
    BOOST_TEST(refused({{"first_name", "A"}}, rules) == "custom.birthday");
    BOOST_TEST(refused({{"first_name", "A"}, {"custom", {{"birthday", "1990-02-30"}}}}, rules) == "custom.birthday");
    auto ok = parse_contact_create({{"first_name", "A"}, {"custom", {{"birthday", "1990-02-28"}}}}, rules);
    BOOST_TEST_REQUIRE(ok.ok());
    BOOST_TEST((*ok->custom)["birthday"] == "1990-02-28");
    rules.current_custom = *ok->custom;
    auto cleared = parse_contact_patch({{"custom", {{"birthday", nullptr}}}}, rules);
    BOOST_TEST(!cleared.ok());
}

BOOST_AUTO_TEST_SUITE_END()
