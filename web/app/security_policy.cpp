#include "app/security_policy.hpp"

#include "app/wire_read.hpp"

#include <string>
#include <vector>

namespace stronghold::web::app {
namespace {

using wire::sentence;

bool read_int(const nlohmann::json& body, const char* key, std::int64_t& out) {
    auto it = body.find(key);
    if (it == body.end() || !it->is_number_integer()) return false;
    out = it->get<std::int64_t>();
    return true;
}

// A whole number as typed (spaces around it ignored); nullopt for anything else, including
// values too long to be meant (they would only overflow).
std::optional<std::int64_t> parse_whole(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty() || text.size() > 9) return std::nullopt;
    std::int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

const char* profile_wire(validate::PasswordProfile p) { return p == validate::PasswordProfile::nist ? "nist_800_63b" : "classic"; }

std::string range_message(std::int64_t lo, std::int64_t hi) {
    return "Must be between " + std::to_string(lo) + " and " + std::to_string(hi);
}

} // namespace

std::optional<LoadedPolicy> security_policy_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    LoadedPolicy p;
    auto agency = body.find("agency_id");
    auto profile = body.find("password_profile");
    auto classes = body.find("password_required_classes");
    auto require = body.find("require_2fa");
    if (agency == body.end() || !agency->is_string() || profile == body.end() || !profile->is_string() ||
        classes == body.end() || !classes->is_array() || require == body.end() || !require->is_boolean())
        return std::nullopt;
    p.agency_id = agency->get<std::string>();
    const std::string profile_name = profile->get<std::string>();
    if (profile_name == "nist_800_63b") p.values.password.profile = validate::PasswordProfile::nist;
    else if (profile_name == "classic") p.values.password.profile = validate::PasswordProfile::classic;
    else return std::nullopt;
    std::vector<std::string> names;
    for (const auto& n : *classes) {
        if (!n.is_string()) return std::nullopt;
        names.push_back(n.get<std::string>());
    }
    auto flags = validate::password_classes_from_names(names);
    if (!flags) return std::nullopt;
    p.values.password.required_classes = *flags;
    p.values.require_2fa = require->get<bool>();
    if (auto jita = body.find("jita_requires_approval"); jita != body.end()) {
        if (!jita->is_boolean()) return std::nullopt;
        p.values.jita_requires_approval = jita->get<bool>();
    }
    std::int64_t min_length = 0, history = 0, max_age = 0;
    if (!read_int(body, "password_min_length", min_length) || !read_int(body, "password_history", history) ||
        !read_int(body, "password_max_age_days", max_age) || !read_int(body, "session_idle_minutes", p.values.session_idle_minutes) ||
        !read_int(body, "session_absolute_hours", p.values.session_absolute_hours) || !read_int(body, "version", p.version) ||
        min_length < 0 || history < 0 || max_age < 0 || history > 1'000'000 || max_age > 1'000'000)
        return std::nullopt;
    p.values.password.min_length = static_cast<std::size_t>(min_length);
    p.values.password.history_count = static_cast<int>(history);
    p.values.password.max_age_days = static_cast<int>(max_age);
    return p;
}

void SecurityForm::load(const LoadedPolicy& policy) {
    m_base = policy;
    m_loaded = true;
    const auto& v = policy.values;
    m_text[min_length] = std::to_string(v.password.min_length);
    m_text[history] = std::to_string(v.password.history_count);
    m_text[max_age] = std::to_string(v.password.max_age_days);
    m_text[idle] = std::to_string(v.session_idle_minutes);
    m_text[absolute] = std::to_string(v.session_absolute_hours);
    for (auto& e : m_error) e.clear();
    m_profile = v.password.profile;
    m_classes = v.password.required_classes;
    m_require_2fa = v.require_2fa;
    m_jita = v.jita_requires_approval;
    m_classes_error.clear();
    m_general_error.clear();
    m_conflict.reset();
}

void SecurityForm::on_edit(Field f) {
    m_error[f].clear();
    m_general_error.clear();
}

void SecurityForm::set_profile(validate::PasswordProfile profile) {
    const auto preset = profile == validate::PasswordProfile::nist ? validate::PasswordPolicy::nist_800_63b()
                                                                   : validate::PasswordPolicy::classic();
    m_profile = profile;
    m_text[min_length] = std::to_string(preset.min_length);
    m_classes = preset.required_classes;
    m_error[min_length].clear();
    m_classes_error.clear();
}

void SecurityForm::set_class(std::uint8_t flag, bool on) {
    m_classes = on ? static_cast<std::uint8_t>(m_classes | flag) : static_cast<std::uint8_t>(m_classes & ~flag);
    m_classes_error.clear();
}

std::optional<SecurityPolicyValues> SecurityForm::validate() {
    SecurityPolicyValues out;
    out.password.profile = m_profile;
    out.password.required_classes = m_classes;
    out.require_2fa = m_require_2fa;
    out.jita_requires_approval = m_jita;
    bool ok = true;
    std::optional<std::int64_t> n[field_count];
    for (int f = 0; f < field_count; ++f) {
        m_error[f].clear();
        n[f] = parse_whole(m_text[f]);
        if (!n[f]) {
            m_error[f] = "Must be a whole number";
            ok = false;
        }
    }
    // Each password bound on its own through the core, so every bad field gets its message
    // (validate_policy stops at the first).
    auto core_check = [&](Field f, auto set) {
        if (!n[f]) return;
        validate::PasswordPolicy probe;
        set(probe, *n[f]);
        if (auto st = validate::validate_policy(probe); !st) {
            m_error[f] = sentence(st.error().message);
            ok = false;
        }
    };
    core_check(min_length, [](validate::PasswordPolicy& p, std::int64_t v) { p.min_length = static_cast<std::size_t>(v); });
    core_check(history, [](validate::PasswordPolicy& p, std::int64_t v) { p.history_count = static_cast<int>(v); });
    core_check(max_age, [](validate::PasswordPolicy& p, std::int64_t v) { p.max_age_days = static_cast<int>(v); });
    const std::size_t nist_min = validate::PasswordPolicy::nist_800_63b().min_length;
    if (m_error[min_length].empty() && n[min_length] && nist() && static_cast<std::size_t>(*n[min_length]) < nist_min) {
        m_error[min_length] = "Must be at least " + std::to_string(nist_min) + " with the NIST 800-63B profile";
        ok = false;
    }
    auto bounds = [&](Field f, std::int64_t lo, std::int64_t hi) {
        if (n[f] && (*n[f] < lo || *n[f] > hi)) {
            m_error[f] = range_message(lo, hi);
            ok = false;
        }
    };
    bounds(idle, k_idle_minutes_min, k_idle_minutes_max);
    bounds(absolute, k_absolute_hours_min, k_absolute_hours_max);
    if (!ok) return std::nullopt;
    out.password.min_length = static_cast<std::size_t>(*n[min_length]);
    out.password.history_count = static_cast<int>(*n[history]);
    out.password.max_age_days = static_cast<int>(*n[max_age]);
    out.session_idle_minutes = *n[idle];
    out.session_absolute_hours = *n[absolute];
    // The whole policy once more through the core: the rule the server applies last.
    if (auto st = validate::validate_policy(out.password); !st) {
        m_general_error = sentence(st.error().message);
        return std::nullopt;
    }
    return out;
}

bool SecurityForm::dirty() const {
    if (!m_loaded) return false;
    const auto& b = m_base.values;
    if (m_profile != b.password.profile || m_classes != b.password.required_classes || m_require_2fa != b.require_2fa ||
        m_jita != b.jita_requires_approval)
        return true;
    const std::int64_t base_numbers[field_count] = {static_cast<std::int64_t>(b.password.min_length), b.password.history_count,
                                                    b.password.max_age_days, b.session_idle_minutes, b.session_absolute_hours};
    for (int f = 0; f < field_count; ++f) {
        const auto v = parse_whole(m_text[f]);
        if (!v || *v != base_numbers[f]) return true;
    }
    return false;
}

nlohmann::json SecurityForm::patch(const SecurityPolicyValues& v) const {
    const auto& b = m_base.values;
    auto out = nlohmann::json::object();
    const bool profile_changed = v.password.profile != b.password.profile;
    if (profile_changed) out["password_profile"] = profile_wire(v.password.profile);
    if (profile_changed || v.password.min_length != b.password.min_length) out["password_min_length"] = v.password.min_length;
    if (profile_changed || v.password.required_classes != b.password.required_classes)
        out["password_required_classes"] = validate::password_class_names(v.password.required_classes);
    if (v.password.history_count != b.password.history_count) out["password_history"] = v.password.history_count;
    if (v.password.max_age_days != b.password.max_age_days) out["password_max_age_days"] = v.password.max_age_days;
    if (v.require_2fa != b.require_2fa) out["require_2fa"] = v.require_2fa;
    if (v.jita_requires_approval && v.jita_requires_approval != b.jita_requires_approval)
        out["jita_requires_approval"] = *v.jita_requires_approval;
    if (v.session_idle_minutes != b.session_idle_minutes) out["session_idle_minutes"] = v.session_idle_minutes;
    if (v.session_absolute_hours != b.session_absolute_hours) out["session_absolute_hours"] = v.session_absolute_hours;
    return out;
}

std::string SecurityForm::if_match() const { return "\"" + std::to_string(m_base.version) + "\""; }

void SecurityForm::apply_server_error(const api::Error& error) {
    const std::string message = sentence(error.message.empty() ? "Is not valid" : error.message);
    for (int f = 0; f < field_count; ++f)
        if (error.field == k_wire[f]) {
            m_error[f] = message;
            return;
        }
    if (error.field == "password_required_classes" || error.field == "password_profile") {
        m_classes_error = message;
        return;
    }
    m_general_error = error.field.empty() ? message : error.field + ": " + error.message;
}

void SecurityForm::set_conflict(LoadedPolicy current) { m_conflict = std::move(current); }

void SecurityForm::reload_conflict() {
    if (!m_conflict) return;
    const LoadedPolicy current = std::move(*m_conflict);
    load(current);
}

} // namespace stronghold::web::app
