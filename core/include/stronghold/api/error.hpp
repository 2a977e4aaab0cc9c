// Stable error codes, the one table that maps them to HTTP status, and the Error value.
// The same codes travel to the browser: clients switch on `code`, never on `message`.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace stronghold::api {

enum class ErrorCode {
    malformed_json,         // 400
    validation_failed,      // 422, with field
    unauthenticated,        // 401
    reauth_required,        // 401
    mfa_enrolment_required, // 403
    forbidden,              // 403
    forbidden_under_jita,   // 403
    not_found,              // 404
    method_not_allowed,     // 405
    conflict,               // 409
    precondition_failed,    // 412 (body also carries `current`)
    payload_too_large,      // 413
    unsupported_media_type, // 415
    precondition_required,  // 428 (missing If-Match)
    rate_limited,           // 429 (with Retry-After)
    headers_too_large,      // 431
    internal,               // 500 (a bug or an outage; message never leaks details)
    unavailable,            // 503 (overloaded; retry later)
};

std::string_view to_string(ErrorCode code);                       // "validation_failed"
std::optional<ErrorCode> error_code_from_string(std::string_view); // inverse of to_string
int http_status(ErrorCode code);                                  // the table in DESIGN.md

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;
    std::string field; // empty when the error is not about one field

    friend bool operator==(const Error&, const Error&) = default;
};

Error make_error(ErrorCode code, std::string message, std::string field = {});

// {"error":{"code":"...","message":"...","field":"..."}} (field only when set)
nlohmann::json to_json(const Error& error);
// Reads the body above; nullopt when it is not an error body.
std::optional<Error> error_from_json(const nlohmann::json& body);

} // namespace stronghold::api
