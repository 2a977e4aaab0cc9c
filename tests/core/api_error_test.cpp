#include "stronghold/api/error.hpp"

#include "stronghold/api/result.hpp"
#include "test_print.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace stronghold;
using api::ErrorCode;

BOOST_AUTO_TEST_SUITE(api_error)

namespace {
struct Row {
    ErrorCode code;
    const char* name;
    int status;
};
// Written from DESIGN.md "Wire details", independently of the table in error.cpp.
const std::vector<Row> k_expected = {
    {ErrorCode::malformed_json, "malformed_json", 400},
    {ErrorCode::validation_failed, "validation_failed", 422},
    {ErrorCode::unauthenticated, "unauthenticated", 401},
    {ErrorCode::reauth_required, "reauth_required", 401},
    {ErrorCode::mfa_enrolment_required, "mfa_enrolment_required", 403},
    {ErrorCode::forbidden, "forbidden", 403},
    {ErrorCode::forbidden_under_jita, "forbidden_under_jita", 403},
    {ErrorCode::not_found, "not_found", 404},
    {ErrorCode::method_not_allowed, "method_not_allowed", 405},
    {ErrorCode::conflict, "conflict", 409},
    {ErrorCode::precondition_failed, "precondition_failed", 412},
    {ErrorCode::payload_too_large, "payload_too_large", 413},
    {ErrorCode::unsupported_media_type, "unsupported_media_type", 415},
    {ErrorCode::precondition_required, "precondition_required", 428},
    {ErrorCode::rate_limited, "rate_limited", 429},
    {ErrorCode::headers_too_large, "headers_too_large", 431},
    {ErrorCode::internal, "internal", 500},
    {ErrorCode::unavailable, "unavailable", 503},
};
} // namespace

BOOST_AUTO_TEST_CASE(every_code_has_its_wire_name_and_status)
{
    BOOST_TEST(k_expected.size() == static_cast<std::size_t>(ErrorCode::unavailable) + 1);
    for (const auto& row : k_expected) {
        BOOST_TEST_CONTEXT(row.name)
        {
            BOOST_TEST(api::to_string(row.code) == row.name);
            BOOST_TEST(api::http_status(row.code) == row.status);
            const auto back = api::error_code_from_string(row.name);
            BOOST_TEST_REQUIRE(back.has_value());
            BOOST_TEST(static_cast<int>(*back) == static_cast<int>(row.code));
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_code_names_are_refused)
{
    for (const char* name : {"", "VALIDATION_FAILED", "validation-failed", "ok", "validation_failed "})
        BOOST_TEST_CONTEXT(name) { BOOST_TEST(!api::error_code_from_string(name).has_value()); }
}

BOOST_AUTO_TEST_CASE(error_json_round_trips_with_and_without_field)
{
    const api::Error with_field = api::make_error(ErrorCode::validation_failed, "must be a string", "first_name");
    const nlohmann::json j = api::to_json(with_field);
    BOOST_TEST(j.dump() ==
               R"({"error":{"code":"validation_failed","field":"first_name","message":"must be a string"}})");
    BOOST_TEST((api::error_from_json(j) == with_field));

    const api::Error no_field = api::make_error(ErrorCode::not_found, "not found");
    const nlohmann::json j2 = api::to_json(no_field);
    BOOST_TEST(!j2["error"].contains("field"));
    BOOST_TEST((api::error_from_json(j2) == no_field));
}

BOOST_AUTO_TEST_CASE(error_from_json_refuses_bodies_that_are_not_errors)
{
    const char* bodies[] = {
        "null", "[]", "{}", R"({"error":"x"})", R"({"error":{}})", R"({"error":{"code":5}})",
        R"({"error":{"code":"no_such_code","message":"m"}})", R"({"items":[]})",
    };
    for (const char* text : bodies) {
        BOOST_TEST_CONTEXT(text)
        {
            const auto j = nlohmann::json::parse(text, nullptr, false);
            BOOST_TEST_REQUIRE(!j.is_discarded());
            BOOST_TEST(!api::error_from_json(j).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(result_holds_a_value_or_an_error)
{
    Result<int> ok = 42;
    BOOST_TEST(ok.ok());
    BOOST_TEST(static_cast<bool>(ok));
    BOOST_TEST(*ok == 42);

    Result<int> failed = api::make_error(ErrorCode::conflict, "version changed");
    BOOST_TEST(!failed.ok());
    BOOST_TEST(failed.error().code == ErrorCode::conflict);
    BOOST_TEST(failed.error().message == "version changed");

    Result<std::string> moved = std::string("abc");
    const std::string taken = std::move(moved).value();
    BOOST_TEST(taken == "abc");
}

BOOST_AUTO_TEST_CASE(status_defaults_to_ok_and_carries_errors)
{
    Status fine;
    BOOST_TEST(fine.ok());
    Status bad = api::make_error(ErrorCode::forbidden, "no");
    BOOST_TEST(!bad.ok());
    BOOST_TEST(bad.error().code == ErrorCode::forbidden);
}

BOOST_AUTO_TEST_SUITE_END()
