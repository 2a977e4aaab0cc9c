// The one table from error code to wire name and HTTP status (DESIGN.md "Wire details").
#include "stronghold/api/error.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cassert>

namespace stronghold::api {

namespace {

struct CodeInfo {
    ErrorCode code;
    std::string_view name;
    int status;
};

// Order follows the enum so to_string is an index; the test checks every row.
constexpr std::array<CodeInfo, 18> k_codes{{
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
}};

const CodeInfo& info(ErrorCode code)
{
    const auto index = static_cast<std::size_t>(code);
    assert(index < k_codes.size() && k_codes[index].code == code);
    // An out-of-range value (a bug) degrades to `internal` rather than reading past the table.
    return index < k_codes.size() ? k_codes[index] : k_codes[static_cast<std::size_t>(ErrorCode::internal)];
}

} // namespace

std::string_view to_string(ErrorCode code)
{
    return info(code).name;
}

std::optional<ErrorCode> error_code_from_string(std::string_view name)
{
    for (const auto& row : k_codes)
        if (row.name == name)
            return row.code;
    return std::nullopt;
}

int http_status(ErrorCode code)
{
    return info(code).status;
}

Error make_error(ErrorCode code, std::string message, std::string field)
{
    return Error{code, std::move(message), std::move(field)};
}

nlohmann::json to_json(const Error& error)
{
    nlohmann::json inner = {{"code", to_string(error.code)}, {"message", error.message}};
    if (!error.field.empty())
        inner["field"] = error.field;
    return nlohmann::json{{"error", std::move(inner)}};
}

std::optional<Error> error_from_json(const nlohmann::json& body)
{
    // Checked reads only: this runs in the browser build, where a throw aborts.
    if (!body.is_object())
        return std::nullopt;
    const auto it = body.find("error");
    if (it == body.end() || !it->is_object())
        return std::nullopt;
    const auto code = it->find("code");
    if (code == it->end() || !code->is_string())
        return std::nullopt;
    const auto parsed = error_code_from_string(code->get_ref<const std::string&>());
    if (!parsed)
        return std::nullopt;
    Error error{*parsed, {}, {}};
    if (const auto m = it->find("message"); m != it->end() && m->is_string())
        error.message = m->get_ref<const std::string&>();
    if (const auto f = it->find("field"); f != it->end() && f->is_string())
        error.field = f->get_ref<const std::string&>();
    return error;
}

} // namespace stronghold::api
