// The "Security settings" screen's model (IAM-2, IAM-3, IAM-5): an agency's security policy as
// GET /api/v1/agencies/{id}/security-policy answers it, and the form that edits it. Bounds come
// from the core (validate_policy, the NIST preset) so the browser refuses what the server
// refuses with the same words; "Save changes" sends a JSON merge patch of the changed fields only,
// with If-Match naming the version the form was loaded from.
#pragma once

#include <stronghold/api/error.hpp>
#include <stronghold/validate/password.hpp>
#include <stronghold/validate/session.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stronghold::web::app {

// Session timeout bounds: the core's (validate/session.hpp), the same the server enforces.
inline constexpr std::int64_t k_idle_minutes_min = validate::k_session_idle_minutes.min;
inline constexpr std::int64_t k_idle_minutes_max = validate::k_session_idle_minutes.max;
inline constexpr std::int64_t k_absolute_hours_min = validate::k_session_absolute_hours.min;
inline constexpr std::int64_t k_absolute_hours_max = validate::k_session_absolute_hours.max;

struct SecurityPolicyValues {
    validate::PasswordPolicy password;
    bool require_2fa = false;
    std::int64_t session_idle_minutes = validate::k_session_idle_minutes.fallback;
    std::int64_t session_absolute_hours = validate::k_session_absolute_hours.fallback;
    // ACC-4: staff access (JITA) waits for an agency admin's approval. nullopt: the server does
    // not send the field (before JITA), so the form neither shows nor sends it.
    std::optional<bool> jita_requires_approval;

    friend bool operator==(const SecurityPolicyValues&, const SecurityPolicyValues&) = default;
};

struct LoadedPolicy {
    std::string agency_id;
    SecurityPolicyValues values;
    std::int64_t version = 0; // the ETag's number; If-Match sends it back
};

// Reads the GET (or a 412's "current") body; nullopt when a field is missing or mistyped:
// a form built on a guessed value could save that guess.
std::optional<LoadedPolicy> security_policy_from_json(const nlohmann::json& body);

class SecurityForm {
public:
    // The numeric fields, edited as text so a half-typed value can be shown and judged.
    enum Field { min_length, history, max_age, idle, absolute, field_count };
    static constexpr std::string_view k_wire[field_count] = {"password_min_length", "password_history", "password_max_age_days",
                                                             "session_idle_minutes", "session_absolute_hours"};
    static constexpr std::string_view k_labels[field_count] = {"Minimum length", "Password history", "Maximum password age (days)",
                                                               "Idle timeout (minutes)", "Absolute timeout (hours)"};

    void load(const LoadedPolicy& policy); // the server's values become both the base and the edits
    bool loaded() const { return m_loaded; }
    const LoadedPolicy& base() const { return m_base; }

    std::string& text(Field f) { return m_text[f]; }
    const std::string& text(Field f) const { return m_text[f]; }
    const std::string& error(Field f) const { return m_error[f]; }
    void on_edit(Field f); // clears that field's error

    bool nist() const { return m_profile == validate::PasswordProfile::nist; }
    // One click: NIST 800-63B takes its preset (15+ characters, no composition rules), classic
    // takes the classic preset (8, all four classes); the user may adjust either afterwards.
    void set_profile(validate::PasswordProfile profile);
    std::uint8_t classes() const { return m_classes; }
    void set_class(std::uint8_t flag, bool on);
    bool require_2fa() const { return m_require_2fa; }
    void set_require_2fa(bool on) { m_require_2fa = on; }
    const std::optional<bool>& jita_requires_approval() const { return m_jita; }
    void set_jita_requires_approval(bool on) { if (m_jita) m_jita = on; } // only when the server has the field
    const std::string& classes_error() const { return m_classes_error; }
    const std::string& general_error() const { return m_general_error; } // a 422 naming no field of the form

    // Parses and checks every field (core validate_policy per field, the NIST minimum, the
    // session bounds); fills the errors; the values when all are fine.
    std::optional<SecurityPolicyValues> validate();
    bool dirty() const; // some field differs from the loaded policy (unparsable text counts)
    // The merge patch from the loaded policy to `values` (from validate()): changed fields only.
    // A profile change also sends length and classes, so the server never swaps in its preset
    // for a value the user sees differently.
    nlohmann::json patch(const SecurityPolicyValues& values) const;
    std::string if_match() const; // "\"<version>\""

    void apply_server_error(const api::Error& error); // 422: under its field
    // 412: someone else saved first. Edits stay on screen until reload_conflict() takes theirs.
    void set_conflict(LoadedPolicy current);
    bool conflict() const { return m_conflict.has_value(); }
    void reload_conflict();

private:
    LoadedPolicy m_base;
    bool m_loaded = false;
    std::string m_text[field_count];
    std::string m_error[field_count];
    validate::PasswordProfile m_profile = validate::PasswordProfile::classic;
    std::uint8_t m_classes = validate::password_class::all;
    bool m_require_2fa = false;
    std::optional<bool> m_jita;
    std::string m_classes_error, m_general_error;
    std::optional<LoadedPolicy> m_conflict;
};

} // namespace stronghold::web::app
