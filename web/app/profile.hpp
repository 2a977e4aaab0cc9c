// The "My profile & security" screen's model: the answers of /me/sessions and /me/2fa/totp
// read once into plain values (never trusting the server's shapes blindly: a malformed QR
// matrix is refused, not drawn half), and the change-password form whose live feedback comes
// from the core's own password policy (the same evaluator the server runs).
#pragma once

#include <stronghold/api/error.hpp>
#include <stronghold/model/time.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stronghold::web::app {

// [SECTION] Sessions (GET /api/v1/me/sessions)
struct SessionInfo {
    std::string id;
    bool current = false;
    model::UnixMillis created_at = 0;
    model::UnixMillis last_seen_at = 0;
    model::UnixMillis expires_at = 0;
    std::string ip;
    std::string user_agent;
    std::string device; // the server's short description ("Chrome on Linux"); may be empty
};

// Reads {"items":[...]}; items without an id are skipped; nullopt when the body is not a list.
// The current session comes first, the rest most recently seen first.
std::optional<std::vector<SessionInfo>> sessions_from_json(const nlohmann::json& body);
std::string device_label(const SessionInfo& s);                        // device, else a guess from the user agent, else "Unknown device"
std::string relative_time(model::UnixMillis now, model::UnixMillis t); // "just now", "3 min ago", "2 h ago", "yesterday", "2026-11-20"

// [SECTION] Two-factor enrolment (POST /api/v1/me/2fa/totp)
struct QrMatrix {
    int size = 0;                 // modules per side, 21..177 (QR versions 1..40)
    std::vector<std::uint8_t> dark; // size*size, row-major, 1 = dark module
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * size + x] != 0; }
};
inline constexpr int k_qr_quiet_zone = 4; // modules of white around the code (ISO/IEC 18004)

// {"size":N,"modules":"<N rows of N '0'/'1' joined by '\n'>"}; nullopt for any other shape.
std::optional<QrMatrix> qr_from_json(const nlohmann::json& qr);

struct TotpEnrolment {
    std::string secret;      // base32, shown as text for manual entry
    std::string otpauth_uri;
    QrMatrix qr;
};
std::optional<TotpEnrolment> enrolment_from_json(const nlohmann::json& body);
std::string group_secret(std::string_view secret); // "ABCD EFGH ..." for reading aloud; copy takes the raw secret

// {"recovery_codes":[10 strings]}; nullopt unless it is a non-empty list of non-empty strings.
std::optional<std::vector<std::string>> recovery_codes_from_json(const nlohmann::json& body);
bool totp_enabled_from_me(const nlohmann::json& me_body); // user.totp_enabled; missing means false
bool is_totp_code(std::string_view code);                 // exactly 6 ASCII digits (spaces ignored)
std::string digits_only(std::string_view code);           // "123 456" -> "123456"

// [SECTION] Change password (POST /api/v1/me/password)
struct PasswordFeedback {
    int strength = 0;                  // 0..4, from the core policy
    std::vector<std::string> problems; // the policy's messages, in its order
    bool ok = false;
};

// The core policy (validate/password.hpp, default PasswordPolicy) on one candidate; email and
// name are the user's, which the policy refuses inside a password. In profile_password.cpp.
// Messages are made to stand alone ("Must be at least 8 characters").
PasswordFeedback evaluate_password(const std::string& password, const std::string& email, const std::string& name,
                                   const std::vector<std::string>& brand_names);

class PasswordForm {
public:
    enum Field { current, fresh, confirm, field_count };
    static constexpr std::string_view k_wire[field_count] = {"current_password", "new_password", "confirm_password"};
    static constexpr std::string_view k_labels[field_count] = {"Current password", "New password", "Confirm new password"};

    // The user's email and name, and the agency/sub-account names: the policy refuses passwords containing them.
    void set_context(std::string email, std::string name, std::vector<std::string> brand_names = {});
    std::string& text(Field f) { return m_text[f]; }
    const std::string& text(Field f) const { return m_text[f]; }
    const std::string& error(Field f) const { return m_error[f]; }

    const PasswordFeedback& feedback() const { return m_feedback; } // of text(fresh), kept current by on_edit()
    void on_edit(Field f);          // live: re-evaluates the new password, clears that field's server error
    bool validate_for_submit();     // fills errors; true when the request may go
    nlohmann::json body() const;    // {"current_password","new_password"}
    void apply_server_error(const api::Error& error); // 422 with field -> under that field; else under "New password"
    void clear();                   // after success: wipes every field (they held secrets)

private:
    std::string m_text[field_count];
    std::string m_error[field_count];
    PasswordFeedback m_feedback;
    std::string m_email, m_name;
    std::vector<std::string> m_brands;
};

} // namespace stronghold::web::app
