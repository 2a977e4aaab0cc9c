// CRM-1, CRM-5: the record schemas and their one validator (browser and server alike).
#include "stronghold/model/record.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

using namespace stronghold;
using namespace stronghold::model;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(model_record)

namespace {
std::string refused_field(const ObjectSpec& spec, const json& body, const RecordRules& rules = {})
{
    auto r = parse_record_create(spec, body, rules);
    BOOST_TEST_REQUIRE(!r.ok(), body.dump() << " was accepted");
    BOOST_TEST(r.error().code == api::ErrorCode::validation_failed);
    return r.error().field;
}
} // namespace

BOOST_AUTO_TEST_CASE(CRM1_every_kind_has_a_unique_path_prefix_and_title_field)
{
    std::vector<std::string> prefixes, paths;
    for (const auto& spec : object_specs()) {
        BOOST_TEST((std::find(prefixes.begin(), prefixes.end(), spec.prefix) == prefixes.end()));
        BOOST_TEST((std::find(paths.begin(), paths.end(), spec.path) == paths.end()));
        prefixes.emplace_back(spec.prefix);
        paths.emplace_back(spec.path);
        BOOST_TEST(field_of(spec, spec.title_field) != nullptr, spec.name);
        BOOST_TEST((&spec_of(spec.kind) == &spec));
        BOOST_TEST((spec_by_path(spec.path) == &spec));
    }
    BOOST_TEST((std::find(prefixes.begin(), prefixes.end(), "ct") == prefixes.end())); // contacts have their own model
}

BOOST_AUTO_TEST_CASE(CRM1_create_fills_fallbacks_and_empty_values)
{
    auto deal = parse_record_create(spec_of(Kind::deal),
                                    {{"name", " Big deal "}, {"pipeline_id", "pl_aaaaaaaaaaaaaaaaaaaaaaaaaa"}, {"stage_id", "st_x"}}, {});
    BOOST_TEST_REQUIRE(deal.ok());
    BOOST_TEST((*deal)["name"] == "Big deal");
    BOOST_TEST((*deal)["status"] == "open");
    BOOST_TEST((*deal)["currency"] == "USD");
    BOOST_TEST((*deal)["value"].is_null());
    BOOST_TEST((*deal)["contact_ids"] == json::array());
    BOOST_TEST((*deal)["custom"] == json::object());
}

BOOST_AUTO_TEST_CASE(CRM1_bad_values_name_their_field)
{
    const auto& deal = spec_of(Kind::deal);
    const json base = {{"name", "D"}, {"pipeline_id", "pl_aaaaaaaaaaaaaaaaaaaaaaaaaa"}, {"stage_id", "st_x"}};
    auto with = [&](const char* k, json v) { json b = base; b[k] = std::move(v); return b; };
    BOOST_TEST(refused_field(deal, with("value", "12")) == "value");
    BOOST_TEST(refused_field(deal, with("currency", "usd")) == "currency");
    BOOST_TEST(refused_field(deal, with("expected_close", "2027-13-01")) == "expected_close");
    BOOST_TEST(refused_field(deal, with("status", "maybe")) == "status");
    BOOST_TEST(refused_field(deal, with("contact_ids", json{"ct_aaaaaaaaaaaaaaaaaaaaaaaaaa", "co_aaaaaaaaaaaaaaaaaaaaaaaaaa"})) == "contact_ids[1]");
    BOOST_TEST(refused_field(deal, with("id", "dl_x")) == "id");
    BOOST_TEST(refused_field(deal, with("nickname", "x")) == "nickname");
    BOOST_TEST(refused_field(spec_of(Kind::tag), {{"name", "x"}, {"color", "red"}}) == "color");
    BOOST_TEST(refused_field(spec_of(Kind::pipeline), {{"name", "P"}, {"stages", {{{"name", "A"}}, {{"name", "a"}}}}}) == "stages[1].name");
    BOOST_TEST(refused_field(spec_of(Kind::custom_field), {{"object", "company"}, {"key", "k"}, {"label", "K"}, {"type", "select"}}) == "options");
    BOOST_TEST(refused_field(spec_of(Kind::task), {{"title", "t"}, {"due_date", "2028-02-30"}}) == "due_date");
    BOOST_TEST(parse_record_create(spec_of(Kind::task), {{"title", "t"}, {"due_date", "2028-02-29"}}, {}).ok()); // leap year
}

BOOST_AUTO_TEST_CASE(CRM5_sensitive_data_guard_runs_on_record_text)
{
    const json body = {{"subject", "Card 4111 1111 1111 1111 please"}};
    BOOST_TEST(refused_field(spec_of(Kind::ticket), body) == "subject");
    RecordRules mask;
    mask.sensitive_policy = validate::SensitivePolicy::mask;
    auto masked = parse_record_create(spec_of(Kind::ticket), body, mask);
    BOOST_TEST_REQUIRE(masked.ok());
    BOOST_TEST((*masked)["subject"].get<std::string>().find("4111 1111") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(CRM1_patch_merges_and_keeps_immutable_fields)
{
    const auto& cf = spec_of(Kind::custom_field);
    auto created = parse_record_create(cf, {{"object", "deal"}, {"key", "source"}, {"label", "Source"}, {"type", "text"}}, {});
    BOOST_TEST_REQUIRE(created.ok());
    auto patched = parse_record_patch(cf, *created, {{"label", "Lead source"}}, {});
    BOOST_TEST_REQUIRE(patched.ok());
    BOOST_TEST((*patched)["label"] == "Lead source");
    BOOST_TEST((*patched)["key"] == "source");
    auto changed_key = parse_record_patch(cf, *created, {{"key", "other"}}, {});
    BOOST_TEST(!changed_key.ok());
    BOOST_TEST(changed_key.error().field == "key");
    auto cleared = parse_record_patch(cf, *created, {{"label", nullptr}}, {});
    BOOST_TEST(cleared.error().field == "label");
    BOOST_TEST(changed_fields(*created, *patched) == std::vector<std::string>{"label"});
}

BOOST_AUTO_TEST_CASE(CRM1_custom_values_are_typed_by_their_definitions)
{
    RecordRules rules;
    CustomFieldDef size{"cf_1", "company", "size", "Size", FieldType::number, true, false, {}};
    CustomFieldDef kind{"cf_2", "company", "segments", "Segments", FieldType::multi_select, false, false, {"smb", "ent"}};
    rules.custom_fields = {size, kind};
    const auto& co = spec_of(Kind::company);
    BOOST_TEST(refused_field(co, {{"name", "C"}}, rules) == "custom.size");
    BOOST_TEST(refused_field(co, {{"name", "C"}, {"custom", {{"size", "big"}}}}, rules) == "custom.size");
    BOOST_TEST(refused_field(co, {{"name", "C"}, {"custom", {{"size", 5}, {"segments", {"smb", "gov"}}}}}, rules) == "custom.segments[1]");
    auto ok = parse_record_create(co, {{"name", "C"}, {"custom", {{"size", 5}, {"segments", {"ent"}}}}}, rules);
    BOOST_TEST_REQUIRE(ok.ok());
    auto patched = parse_record_patch(co, *ok, {{"custom", {{"segments", nullptr}}}}, rules);
    BOOST_TEST_REQUIRE(patched.ok());
    BOOST_TEST(!(*patched)["custom"].contains("segments"));
    BOOST_TEST((*patched)["custom"]["size"] == 5);
    BOOST_TEST(changed_fields(*ok, *patched) == std::vector<std::string>{"custom.segments"});
    auto required_cleared = parse_record_patch(co, *ok, {{"custom", {{"size", nullptr}}}}, rules);
    BOOST_TEST(required_cleared.error().field == "custom.size");
}

BOOST_AUTO_TEST_CASE(CRM1_wire_form_round_trips_and_derives_owner_and_parent)
{
    Record r;
    r.id = "tk_aaaaaaaaaaaaaaaaaaaaaaaaaa";
    r.kind = Kind::ticket;
    r.data = *parse_record_create(spec_of(Kind::ticket), {{"subject", "S"}, {"assignee_id", "us_bbbbbbbbbbbbbbbbbbbbbbbbbb"}, {"contact_id", "ct_aaaaaaaaaaaaaaaaaaaaaaaaaa"}}, {});
    derive_columns(spec_of(Kind::ticket), r);
    BOOST_TEST(r.owner_id == "us_bbbbbbbbbbbbbbbbbbbbbbbbbb");
    BOOST_TEST(r.parent_id == "ct_aaaaaaaaaaaaaaaaaaaaaaaaaa");
    r.version = 4;
    r.created_at = 1'800'000'000'000;
    r.updated_at = 1'800'000'000'500;
    const json wire = r;
    BOOST_TEST(wire["version"] == 4);
    BOOST_TEST(wire["subject"] == "S");
    auto back = record_from_json(Kind::ticket, wire);
    BOOST_TEST_REQUIRE(back.has_value());
    back->account_id = r.account_id;
    BOOST_TEST((*back == r));
}

BOOST_AUTO_TEST_SUITE_END()
