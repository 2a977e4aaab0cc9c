// The spec-driven record form (CRM-1) and the edit-conflict choices (RES-1 "never lose a write").
#include "app/contact_form.hpp"
#include "app/record_form.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace stronghold;
using nlohmann::json;
using web::app::RecordForm;

namespace {

const model::ObjectSpec& spec(model::Kind k) { return model::spec_of(k); }

std::size_t at(const RecordForm& f, std::string_view name) {
    auto i = f.index_of(name);
    BOOST_REQUIRE(i.has_value());
    return *i;
}

model::CustomFieldDef lead_source() {
    model::CustomFieldDef d;
    d.id = "cf_1";
    d.object = "company";
    d.key = "lead_source";
    d.label = "Lead source";
    d.type = model::FieldType::select;
    d.options = {"Web", "Referral"};
    return d;
}

json company_record() {
    return {{"id", "co_abcdefghijklmnopqrstuvwxyz"}, {"version", 4}, {"created_at", "2026-01-01T00:00:00Z"},
            {"updated_at", "2026-01-02T00:00:00Z"}, {"name", "Northwind"}, {"domain", "northwind.example"},
            {"industry", ""}, {"phone", ""}, {"website", ""}, {"address", ""}, {"description", ""},
            {"owner_id", ""}, {"tags", {"vip"}}, {"custom", {{"lead_source", "Web"}}}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_form_test)

// One form field per FieldSpec, in order, then the custom fields; server-set ones left out.
BOOST_AUTO_TEST_CASE(CRM1_fields_come_from_the_spec_and_custom_fields) {
    const auto company = web::app::form_fields(spec(model::Kind::company), {lead_source()});
    BOOST_TEST(company.front().name == "name");
    BOOST_TEST(company.front().required);
    BOOST_TEST(company.back().name == "custom.lead_source");
    BOOST_TEST(company.back().label == "Lead source");
    BOOST_TEST(company.size() == spec(model::Kind::company).fields.size() + 1);
    const auto note = web::app::form_fields(spec(model::Kind::note), {});
    BOOST_TEST(std::none_of(note.begin(), note.end(), [](const auto& f) { return f.name == "author_id"; }));
    const auto ticket = web::app::form_fields(spec(model::Kind::ticket), {});
    const auto status = std::find_if(ticket.begin(), ticket.end(), [](const auto& f) { return f.name == "status"; });
    BOOST_REQUIRE(status != ticket.end());
    BOOST_TEST(status->options.size() == 4u);
    BOOST_TEST(web::app::field_label("expected_close") == "Expected close");
    BOOST_TEST(web::app::field_label("owner_id") == "Owner");
}

// The live message is the server's own: both come from core's parse_record_*.
BOOST_AUTO_TEST_CASE(CRM1_live_errors_are_the_server_messages) {
    RecordForm form = RecordForm::for_new(spec(model::Kind::company), {});
    const auto web = at(form, "website");
    form.text(web) = "ftp://nope";
    form.validate_field(web);
    auto server = model::parse_record_create(spec(model::Kind::company), {{"name", "X"}, {"website", "ftp://nope"}}, {});
    BOOST_REQUIRE(!server.ok());
    BOOST_TEST(form.error(web) == server.error().message);
    form.text(web) = "https://northwind.example";
    form.validate_field(web);
    BOOST_TEST(form.error(web).empty());
    // A required field left empty, a number that is not one, a date that does not exist.
    form.validate_field(at(form, "name"));
    BOOST_TEST(form.error(at(form, "name")) == "is required");
    RecordForm deal = RecordForm::for_new(spec(model::Kind::deal), {});
    deal.text(at(deal, "value")) = "12k";
    deal.validate_field(at(deal, "value"));
    BOOST_TEST(deal.error(at(deal, "value")) == "must be a number");
    deal.text(at(deal, "expected_close")) = "2026-02-30";
    deal.validate_field(at(deal, "expected_close"));
    BOOST_TEST(!deal.error(at(deal, "expected_close")).empty());
}

BOOST_AUTO_TEST_CASE(CRM1_create_body_passes_core_and_types_values) {
    RecordForm form = RecordForm::for_new(spec(model::Kind::company), {lead_source()});
    form.text(at(form, "name")) = "  Atlas Dental ";
    form.text(at(form, "tags")) = "vip, partner";
    form.text(at(form, "custom.lead_source")) = "Referral";
    BOOST_TEST(form.validate_all());
    const json body = form.body();
    BOOST_TEST(body["name"] == "Atlas Dental");
    BOOST_TEST(body["tags"] == json({"vip", "partner"}));
    BOOST_TEST(body["custom"]["lead_source"] == "Referral");
    model::RecordRules rules;
    rules.custom_fields = {lead_source()};
    BOOST_TEST(model::parse_record_create(spec(model::Kind::company), body, rules).ok());
    // A custom select value outside its options is caught before sending, at that field.
    form.text(at(form, "custom.lead_source")) = "Billboard";
    BOOST_TEST(!form.validate_all());
    BOOST_TEST(!form.error(at(form, "custom.lead_source")).empty());

    RecordForm task = RecordForm::for_new(spec(model::Kind::task), {}, {{"record_id", "co_abcdefghijklmnopqrstuvwxyz"}});
    task.text(at(task, "title")) = "Call back";
    task.flag(at(task, "done")) = true;
    BOOST_TEST(task.validate_all());
    BOOST_TEST(task.body()["done"] == true);
    BOOST_TEST(task.body()["record_id"] == "co_abcdefghijklmnopqrstuvwxyz");
}

// An edit sends a merge patch with only what changed; a 422 lands under its field.
BOOST_AUTO_TEST_CASE(CRM1_edit_sends_only_changes_and_places_server_errors) {
    RecordForm form = RecordForm::for_edit(spec(model::Kind::company), {lead_source()}, company_record());
    BOOST_TEST(form.editing());
    BOOST_TEST(form.version() == 4);
    BOOST_TEST(!form.has_changes());
    form.text(at(form, "domain")) = "northwind.example"; // same value
    BOOST_TEST(form.body().empty());
    form.text(at(form, "industry")) = "Bakery";
    form.text(at(form, "custom.lead_source")) = "";
    BOOST_TEST(form.validate_all());
    const json body = form.body();
    BOOST_TEST(body.size() == 2u);
    BOOST_TEST(body["industry"] == "Bakery");
    BOOST_TEST(body["custom"]["lead_source"].is_null()); // cleared: removed on the server
    // Only what changes is checked: a value saved under older rules does not block the edit.
    json old = company_record();
    old["phone"] = "12";
    RecordForm legacy = RecordForm::for_edit(spec(model::Kind::company), {}, old);
    legacy.text(at(legacy, "industry")) = "Bakery";
    BOOST_TEST(legacy.validate_all());
    legacy.text(at(legacy, "phone")) = "13";
    BOOST_TEST(!legacy.validate_all());
    BOOST_TEST(!legacy.error(at(legacy, "phone")).empty());
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "is already used by another company", "domain"));
    BOOST_TEST(form.error(at(form, "domain")) == "is already used by another company");
    form.apply_server_error(api::make_error(api::ErrorCode::validation_failed, "must be the id of a record", "contact_ids[1]"));
    BOOST_TEST(form.form_error() == "must be the id of a record"); // companies have no contact_ids
}

// 412: theirs vs yours per changed field; keep theirs / overwrite / merge.
BOOST_AUTO_TEST_CASE(RES1_conflict_rows_and_the_three_resolutions) {
    RecordForm form = RecordForm::for_edit(spec(model::Kind::company), {lead_source()}, company_record());
    form.text(at(form, "name")) = "Northwind Bakery"; // mine
    json theirs = company_record();
    theirs["version"] = 5;
    theirs["industry"] = "Food"; // theirs, a field I did not touch
    theirs["name"] = "Northwind Ltd"; // both changed the name

    const auto rows = form.conflict_rows(theirs);
    BOOST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0].field == "name");
    BOOST_TEST(rows[0].touched);
    BOOST_TEST(rows[0].they_changed);
    BOOST_TEST(rows[0].theirs == "Northwind Ltd");
    BOOST_TEST(rows[0].yours == "Northwind Bakery");
    BOOST_TEST(rows[1].field == "industry");
    BOOST_TEST(!rows[1].touched);

    RecordForm keep = form;
    keep.keep_theirs(theirs);
    BOOST_TEST(keep.version() == 5);
    BOOST_TEST(keep.text(at(keep, "name")) == "Northwind Ltd");
    BOOST_TEST(keep.body().empty());

    RecordForm merge = form;
    merge.merge(theirs);
    BOOST_TEST(merge.version() == 5);
    BOOST_TEST(merge.text(at(merge, "industry")) == "Food"); // theirs kept where I did not touch
    BOOST_TEST(merge.body() == json({{"name", "Northwind Bakery"}}));

    RecordForm over = form;
    over.overwrite(theirs);
    BOOST_TEST(over.version() == 5);
    BOOST_TEST(over.body() == json({{"name", "Northwind Bakery"}, {"industry", ""}})); // my whole form wins
}

BOOST_AUTO_TEST_CASE(RES1_contact_form_merge_keeps_their_untouched_fields) {
    model::Contact c;
    c.id = "ct_1";
    c.version = 2;
    c.first_name = "Ada";
    c.company_name = "Old Co";
    auto form = web::app::ContactForm::for_edit(c);
    form.text(web::app::ContactForm::first_name) = "Ada M.";
    model::Contact theirs = c;
    theirs.version = 3;
    theirs.company_name = "New Co";
    const auto rows = form.conflict_rows(theirs);
    BOOST_REQUIRE(rows.size() == 2u);
    BOOST_TEST(rows[0].field == "first_name");
    BOOST_TEST(rows[0].touched);
    BOOST_TEST(rows[1].field == "company_name");
    BOOST_TEST(rows[1].theirs == "New Co");
    form.merge(theirs);
    BOOST_TEST(form.original()->version == 3);
    BOOST_TEST(form.text(web::app::ContactForm::company_name) == "New Co");
    BOOST_TEST(form.body() == json({{"first_name", "Ada M."}}));
}

BOOST_AUTO_TEST_SUITE_END()
