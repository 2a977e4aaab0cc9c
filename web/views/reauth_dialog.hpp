// The one re-authentication prompt of the dashboard (IAM-6). Any view sends a critical request
// through reauth::send(); if the server answers 401 reauth_required the "Confirm your password"
// modal opens, and after POST /api/v1/auth/reauth succeeds the request goes out again by itself.
// The state machine is app::ReauthFlow (unit-tested); this file is its drawing and wiring.
#pragma once

#include "net/api.hpp"

namespace stronghold::web::views::reauth {

// Like net::call_api, but a reauth_required answer asks the user and re-sends; `done` gets the
// final answer (after a cancel: the original 401 reauth_required, so callers just stop).
void send(net::HttpRequest request, net::ApiCallback done);
// For answers that did not come through send() (file uploads, downloads): when `r` is
// reauth_required, parks `retry` (or `cancelled` if the user gives up), opens the prompt, true.
bool intercept(const net::ApiResponse& r, std::function<void()> retry, std::function<void()> cancelled = {});
bool active();                                           // the prompt is up (a view's own modal steps aside)
bool was_cancelled(const net::ApiResponse& r);           // the answer send() hands over when the user cancelled the prompt
std::string json_body(const nlohmann::json& body);       // dump that never throws (invalid UTF-8 is replaced)
void set_code_allowed(bool allowed); // the user has 2FA: offer "Use an authentication code instead"
void draw();                         // the modal, when asking; once per frame, after the page

} // namespace stronghold::web::views::reauth
