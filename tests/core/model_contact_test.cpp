#include "stronghold/model/contact.hpp"

#include "stronghold/crypto/crypto.hpp"
#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace stronghold;
using namespace stronghold::model;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(model_contact)

namespace {
json parse(const std::string& text)
{
    json j = json::parse(text, nullptr, false);
    BOOST_TEST_REQUIRE(!j.is_discarded());
    return j;
}

void expect_refused(const std::string& body, const std::string& field, const std::string& message,
                    bool patch = false, const ContactRules& rules = {})
{
    BOOST_TEST_CONTEXT(body)
    {
        const json j = parse(body);
        auto r = patch ? parse_contact_patch(j, rules) : parse_contact_create(j, rules);
        BOOST_TEST_REQUIRE(!r.ok());
        BOOST_TEST(r.error().code == api::ErrorCode::validation_failed);
        BOOST_TEST(r.error().field == field);
        BOOST_TEST(r.error().message == message);
    }
}
} // namespace

BOOST_AUTO_TEST_SUITE(parse_create)

BOOST_AUTO_TEST_CASE(normalises_a_full_body)
{
    ContactRules uk;
    uk.default_country_code = "44";
    const auto r = parse_contact_create(parse(R"({
        "first_name": "  Zoë ", "last_name": "O'Brien", "company_name": "Acme Ltd",
        "emails": ["Zoe@Example.COM", "zoe@example.com", "z@b.io"],
        "phones": ["020 7946 0018", "+44 20 7946 0018"],
        "tags": [" VIP ", "vip", "lead"], "owner_id": ""})"), uk);
    BOOST_TEST_REQUIRE(r.ok(), (r.ok() ? "" : r.error().message));
    BOOST_TEST(*r->first_name == "Zoë");
    BOOST_TEST(*r->last_name == "O'Brien");
    BOOST_TEST((*r->emails == std::vector<std::string>{"Zoe@example.com", "zoe@example.com", "z@b.io"}));
    BOOST_TEST((*r->phones == std::vector<std::string>{"+442079460018"}));
    BOOST_TEST((*r->tags == std::vector<std::string>{"VIP", "lead"}));
    BOOST_TEST(r->owner_id->empty());
}

BOOST_AUTO_TEST_CASE(absent_fields_start_empty_and_one_identity_field_suffices)
{
    for (const char* body : {R"({"first_name":"Ann"})", R"({"last_name":"Lee"})", R"({"company_name":"Acme"})",
                             R"({"emails":["a@b.io"]})", R"({"phones":["+14155552671"]})"}) {
        BOOST_TEST_CONTEXT(body)
        {
            const auto r = parse_contact_create(parse(body), {});
            BOOST_TEST_REQUIRE(r.ok());
            BOOST_TEST((r->first_name && r->last_name && r->emails && r->phones && r->company_name && r->owner_id &&
                        r->tags));
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_a_contact_without_name_company_email_or_phone)
{
    const std::string msg = "a contact needs a name, a company name, an email or a phone number";
    expect_refused(R"({})", "first_name", msg);
    expect_refused(R"({"first_name":"  ","tags":["vip"]})", "first_name", msg);
    expect_refused(R"({"emails":[],"phones":null})", "first_name", msg);
}

BOOST_AUTO_TEST_CASE(refuses_unknown_and_read_only_fields_naming_them)
{
    expect_refused(R"({"first_name":"Ann","nickname":"A"})", "nickname", "unknown field");
    expect_refused(R"({"first_name":"Ann","account_id":"ac_x"})", "account_id", "unknown field");
    for (const char* key : {"id", "version", "created_at", "updated_at"})
        expect_refused(std::string(R"({"first_name":"Ann",")") + key + R"(":1})", key, "read-only field");
    expect_refused(R"({"id":"ct_x"})", "id", "read-only field", true);
}

BOOST_AUTO_TEST_CASE(refuses_wrong_types_naming_field_or_element)
{
    expect_refused(R"({"first_name":5})", "first_name", "must be a string");
    expect_refused(R"({"last_name":["Lee"]})", "last_name", "must be a string");
    expect_refused(R"({"company_name":{"n":1}})", "company_name", "must be a string");
    expect_refused(R"({"emails":"a@b.io"})", "emails", "must be an array of strings");
    expect_refused(R"({"emails":["a@b.io",5]})", "emails[1]", "must be a string");
    expect_refused(R"({"phones":{}})", "phones", "must be an array of strings");
    expect_refused(R"({"first_name":"Ann","tags":[true]})", "tags[0]", "must be a string");
    expect_refused(R"({"first_name":"Ann","owner_id":7})", "owner_id", "must be a string");
    expect_refused(R"({"first_name":"Ann","owner_id":"ct_aaaaaaaaaaaaaaaaaaaaaaaaaa"})", "owner_id",
                   "is not a user id");
    for (const char* body : {"[]", "\"x\"", "null", "42"}) {
        BOOST_TEST_CONTEXT(body)
        {
            auto r = parse_contact_create(parse(body), {});
            BOOST_TEST_REQUIRE(!r.ok());
            BOOST_TEST(r.error().field == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_oversized_fields_and_lists)
{
    expect_refused(R"({"first_name":")" + std::string(101, 'a') + R"("})", "first_name",
                   "must be at most 100 characters");
    expect_refused(R"({"company_name":")" + std::string(201, 'a') + R"("})", "company_name",
                   "must be at most 200 characters");
    expect_refused(R"({"first_name":"A","tags":["ok",")" + std::string(51, 't') + R"("]})", "tags[1]",
                   "must be at most 50 characters");
    std::string emails = R"({"emails":[)";
    for (int i = 0; i < 11; ++i)
        emails += (i ? ",\"" : "\"") + std::to_string(i) + "@b.io\"";
    expect_refused(emails + "]}", "emails", "must have at most 10 entries");
    expect_refused(R"({"first_name":"A","tags":["ok"," "]})", "tags[1]", "must not be empty");
    expect_refused(R"({"emails":["not-an-email"]})", "emails[0]", "is not a valid email address");
    expect_refused(R"({"phones":["555-CALL-NOW"]})", "phones[0]", "is not a valid phone number");
    // The 100-character limit counts characters, not bytes.
    std::string hundred;
    for (int i = 0; i < 100; ++i)
        hundred += "é";
    BOOST_TEST(parse_contact_create(parse(R"({"first_name":")" + hundred + R"("})"), {}).ok());
}

BOOST_AUTO_TEST_CASE(refuses_control_characters)
{
    expect_refused(R"({"first_name":"Ann\u0000"})", "first_name", "must not contain control characters");
    expect_refused(R"({"last_name":"Lee\u001b[31m"})", "last_name", "must not contain control characters");
    expect_refused(R"({"first_name":"A","tags":["a\u2028b"]})", "tags[0]", "must not contain control characters");
}

BOOST_AUTO_TEST_CASE(crm5_refuses_luhn_valid_card_in_name)
{
    const std::string msg = "looks like a payment card number; sensitive data cannot be stored here";
    expect_refused(R"({"first_name":"4111 1111 1111 1111"})", "first_name", msg);
    expect_refused(R"({"first_name":"Ann","last_name":"Lee 5555-5555-5555-4444"})", "last_name", msg);
    expect_refused(R"({"company_name":"Acme 378282246310005"})", "company_name", msg);
    expect_refused(R"({"first_name":"Ann","tags":["ok","4111111111111111"]})", "tags[1]", msg);
    expect_refused(R"({"first_name":"Ann IBAN DE89 3704 0044 0532 0130 00"})", "first_name",
                   "looks like a bank account number (IBAN); sensitive data cannot be stored here");
    expect_refused(R"({"last_name":"passport X1234567"})", "last_name",
                   "looks like a passport number; sensitive data cannot be stored here", true);
}

BOOST_AUTO_TEST_CASE(crm5_mask_policy_stores_masked_text)
{
    ContactRules rules;
    rules.sensitive_policy = validate::SensitivePolicy::mask;
    const auto r = parse_contact_create(parse(R"({"first_name":"Ann 4111 1111 1111 1111"})"), rules);
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST(*r->first_name == "Ann **** **** **** 1111");
}

BOOST_AUTO_TEST_SUITE_END() // parse_create

BOOST_AUTO_TEST_SUITE(parse_patch)

BOOST_AUTO_TEST_CASE(merge_patch_null_clears_and_absent_stays)
{
    const auto r = parse_contact_patch(parse(R"({"first_name":null,"emails":null,"owner_id":null,"last_name":"Lee"})"), {});
    BOOST_TEST_REQUIRE(r.ok());
    BOOST_TEST((r->first_name == std::string{}));
    BOOST_TEST((r->emails == std::vector<std::string>{}));
    BOOST_TEST((r->owner_id == std::string{}));
    BOOST_TEST((r->last_name == std::string("Lee")));
    BOOST_TEST(!r->phones.has_value());
    BOOST_TEST(!r->tags.has_value());
    BOOST_TEST(!r->company_name.has_value());

    const auto empty = parse_contact_patch(parse("{}"), {});
    BOOST_TEST_REQUIRE(empty.ok());
    BOOST_TEST((*empty == ContactChanges{}));
}

BOOST_AUTO_TEST_CASE(apply_changes_then_changed_fields_and_identity_check)
{
    Contact before;
    before.id = "ct_x";
    before.first_name = "Ann";
    before.emails = {"ann@example.com"};
    before.version = 3;
    Contact after = before;
    const std::string owner = crypto::random_id("us");
    const auto patch = parse_contact_patch(parse(R"({"emails":null,"tags":["vip"],"owner_id":")" + owner + "\"}"), {});
    BOOST_TEST_REQUIRE(patch.ok());
    apply_changes(after, *patch);
    BOOST_TEST(after.emails.empty());
    BOOST_TEST(after.owner_id == owner);
    BOOST_TEST(after.version == 3); // versions are the store's business
    BOOST_TEST((changed_fields(before, after) == std::vector<std::string>{"emails", "owner_id", "tags"}));
    BOOST_TEST(check_contact_identity(after).ok());

    const auto clear = parse_contact_patch(parse(R"({"first_name":null})"), {});
    BOOST_TEST_REQUIRE(clear.ok());
    apply_changes(after, *clear);
    const Status s = check_contact_identity(after);
    BOOST_TEST_REQUIRE(!s.ok());
    BOOST_TEST(s.error().field == "first_name");
}

BOOST_AUTO_TEST_SUITE_END() // parse_patch

BOOST_AUTO_TEST_SUITE(wire)

BOOST_AUTO_TEST_CASE(to_json_has_exactly_the_wire_fields)
{
    Contact c;
    c.id = "ct_abc";
    c.account_id = "ac_hidden";
    c.first_name = "Ann";
    c.emails = {"ann@example.com"};
    c.version = 1;
    c.created_at = 0;
    c.updated_at = 1500;
    const json j = c;
    // DESIGN.md's fields plus issue 5's (company_id, consents, custom, lifecycle_stage, source).
    BOOST_TEST(j.dump() == R"({"company_id":null,"company_name":"","consents":[],"created_at":"1970-01-01T00:00:00.000Z",)"
                           R"("custom":{},"emails":["ann@example.com"],"first_name":"Ann","id":"ct_abc","last_name":"",)"
                           R"("lifecycle_stage":"","owner_id":null,"phones":[],"source":"","tags":[],)"
                           R"("updated_at":"1970-01-01T00:00:01.500Z","version":1})");
    auto back = contact_from_json(j);
    BOOST_TEST_REQUIRE(back.has_value());
    c.account_id.clear(); // not on the wire
    BOOST_TEST((*back == c));

    c.owner_id = "us_owner";
    BOOST_TEST(json(c)["owner_id"] == "us_owner");
    BOOST_TEST((contact_from_json(json(c)) == c));
}

BOOST_AUTO_TEST_CASE(contact_from_json_refuses_mistyped_input)
{
    const char* bad[] = {
        R"([])",
        R"({"first_name":"Ann"})",                                                                        // no id
        R"({"id":"ct","version":"1","created_at":"1970-01-01T00:00:00Z","updated_at":"1970-01-01T00:00:00Z"})",
        R"({"id":"ct","version":1,"created_at":"yesterday","updated_at":"1970-01-01T00:00:00Z"})",
        R"({"id":"ct","version":1,"created_at":"1970-01-01T00:00:00Z","updated_at":"1970-01-01T00:00:00Z","emails":[1]})",
        R"({"id":"ct","version":1,"created_at":"1970-01-01T00:00:00Z","updated_at":"1970-01-01T00:00:00Z","tags":"x"})",
    };
    for (const char* text : bad)
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(!contact_from_json(parse(text)).has_value()); }
}

BOOST_AUTO_TEST_CASE(display_name_falls_back_in_order)
{
    Contact c;
    BOOST_TEST(display_name(c) == "");
    c.phones = {"+14155552671"};
    BOOST_TEST(display_name(c) == "+14155552671");
    c.emails = {"a@b.io"};
    BOOST_TEST(display_name(c) == "a@b.io");
    c.company_name = "Acme";
    BOOST_TEST(display_name(c) == "Acme");
    c.last_name = "Lee";
    BOOST_TEST(display_name(c) == "Lee");
    c.first_name = "Ann";
    BOOST_TEST(display_name(c) == "Ann Lee");
}

BOOST_AUTO_TEST_SUITE_END() // wire

BOOST_AUTO_TEST_SUITE_END()
