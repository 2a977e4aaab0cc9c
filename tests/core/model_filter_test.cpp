#include "stronghold/model/filter.hpp"

#include "test_print.hpp"

#include <boost/test/unit_test.hpp>

#include <array>

using namespace stronghold;
using namespace stronghold::model;

namespace {

constexpr std::array<FilterField, 4> k_fields = {{{"first_name", FilterType::text},
                                                  {"owner_id", FilterType::id},
                                                  {"created_at", FilterType::time},
                                                  {"tag", FilterType::set}}};

void expect_refused(std::string_view name, std::string_view value)
{
    BOOST_TEST_CONTEXT(name << "=" << value)
    {
        const auto r = parse_filter_param(name, value, k_fields);
        BOOST_REQUIRE(!r.ok());
        BOOST_TEST(r.error().code == api::ErrorCode::validation_failed);
        BOOST_TEST(r.error().field == std::string(name)); // the whole parameter is named
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(model_filter)

BOOST_AUTO_TEST_CASE(crm1_each_operator_parses_with_its_operands)
{
    auto eq = parse_filter_param("first_name[eq]", "Ana", k_fields);
    BOOST_REQUIRE(eq.ok());
    BOOST_TEST(eq->field == "first_name");
    BOOST_TEST(filter_op_name(eq->op) == "eq");
    BOOST_TEST(eq->values == std::vector<std::string>{"Ana"});

    for (const char* op : {"eq", "ne", "lt", "lte", "gt", "gte", "prefix"}) {
        auto r = parse_filter_param(std::string("first_name[") + op + "]", "Mar", k_fields);
        BOOST_TEST_CONTEXT(op) { BOOST_REQUIRE(r.ok()); BOOST_TEST(filter_op_name(r->op) == op); }
    }
    auto in = parse_filter_param("tag[in]", "vip,lead,", k_fields);
    BOOST_REQUIRE(in.ok());
    BOOST_TEST(in->values == (std::vector<std::string>{"vip", "lead", ""}));

    auto gt = parse_filter_param("created_at[gt]", "2026-01-31T00:00:00Z", k_fields);
    BOOST_REQUIRE(gt.ok());
    BOOST_TEST(gt->times == std::vector<UnixMillis>{1'769'817'600'000});
    auto millis = parse_filter_param("created_at[in]", "1,2", k_fields);
    BOOST_REQUIRE(millis.ok());
    BOOST_TEST(millis->times == (std::vector<UnixMillis>{1, 2}));

    auto ex = parse_filter_param("owner_id[exists]", "false", k_fields);
    BOOST_REQUIRE(ex.ok());
    BOOST_TEST(filter_op_name(ex->op) == "exists");
    BOOST_TEST(!ex->exists);
}

BOOST_AUTO_TEST_CASE(crm1_bad_filters_are_refused_naming_the_parameter)
{
    expect_refused("nickname[eq]", "x");          // unknown field
    expect_refused("first_name[like]", "x");      // unknown operator
    expect_refused("first_name[]", "x");          // no operator
    expect_refused("created_at[gt]", "yesterday"); // not a time
    expect_refused("created_at[prefix]", "2026"); // operator does not apply to times
    expect_refused("owner_id[lt]", "us_x");       // nor ordering to ids
    expect_refused("owner_id[eq]", "us x");       // not an id
    expect_refused("tag[gt]", "vip");
    expect_refused("first_name[prefix]", "");     // an empty prefix would match everything by accident
    expect_refused("first_name[eq]", std::string(255, 'a'));
    expect_refused("first_name[eq]", "a\nb");
    expect_refused("first_name[exists]", "yes");
    std::string many;
    for (int i = 0; i < 101; ++i)
        many += (i ? "," : "") + std::to_string(i);
    expect_refused("created_at[in]", many);
    BOOST_TEST(parse_filter_param("created_at[in]", many.substr(0, many.rfind(',')), k_fields).ok()); // 100 is fine
    BOOST_TEST(!is_filter_param("limit"));
    BOOST_TEST(is_filter_param("tag[eq]"));
}

BOOST_AUTO_TEST_SUITE_END()
