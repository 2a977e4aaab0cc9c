#include "app/profile.hpp"

#include "app/wire_read.hpp"

#include <algorithm>

namespace stronghold::web::app {
namespace {

using wire::str;
using wire::time_of;

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

} // namespace

// [SECTION] Sessions

std::optional<std::vector<SessionInfo>> sessions_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    auto items = body.find("items");
    if (items == body.end() || !items->is_array()) return std::nullopt;
    std::vector<SessionInfo> out;
    for (const auto& j : *items) {
        SessionInfo s;
        s.id = str(j, "id");
        if (s.id.empty()) continue;
        if (auto c = j.find("current"); c != j.end() && c->is_boolean()) s.current = c->get<bool>();
        s.created_at = time_of(j, "created_at");
        s.last_seen_at = time_of(j, "last_seen_at");
        s.expires_at = time_of(j, "expires_at");
        s.ip = str(j, "ip");
        s.user_agent = str(j, "user_agent");
        s.device = str(j, "device");
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const SessionInfo& a, const SessionInfo& b) {
        if (a.current != b.current) return a.current;
        return a.last_seen_at > b.last_seen_at;
    });
    return out;
}

std::string device_label(const SessionInfo& s) {
    if (!s.device.empty()) return s.device;
    // A rough guess for servers that send only the user agent; order matters (Edge says Chrome too).
    const std::string_view ua = s.user_agent;
    if (ua.empty()) return "Unknown device";
    const char* browser = contains(ua, "Edg/") ? "Edge" : contains(ua, "Firefox/") ? "Firefox"
                        : contains(ua, "Chrome/") ? "Chrome" : contains(ua, "Safari/") ? "Safari" : "Browser";
    const char* os = contains(ua, "Android") ? "Android" : contains(ua, "iPhone") || contains(ua, "iPad") ? "iOS"
                   : contains(ua, "Windows") ? "Windows" : contains(ua, "Mac OS") ? "macOS"
                   : contains(ua, "Linux") ? "Linux" : nullptr;
    return os ? std::string(browser) + " on " + os : std::string(browser);
}

std::string relative_time(model::UnixMillis now, model::UnixMillis t) {
    if (t <= 0) return "unknown";
    const auto s = std::max<model::UnixMillis>(0, now - t) / 1000; // a clock a bit ahead of ours is "just now"
    if (s < 60) return "just now";
    if (s < 3600) return std::to_string(s / 60) + " min ago";
    if (s < 86400) return std::to_string(s / 3600) + " h ago";
    if (s < 2 * 86400) return "yesterday";
    return model::format_iso8601(t).substr(0, 10);
}

// [SECTION] Two-factor enrolment

std::optional<QrMatrix> qr_from_json(const nlohmann::json& qr) {
    if (!qr.is_object()) return std::nullopt;
    auto size = qr.find("size");
    auto modules = qr.find("modules");
    if (size == qr.end() || !size->is_number_integer() || modules == qr.end() || !modules->is_string()) return std::nullopt;
    const auto n = size->get<std::int64_t>();
    // Only real QR sizes: version v has 17 + 4v modules a side, v in 1..40.
    if (n < 21 || n > 177 || (n - 17) % 4 != 0) return std::nullopt;
    QrMatrix m;
    m.size = static_cast<int>(n);
    m.dark.reserve(static_cast<std::size_t>(n * n));
    const std::string& text = modules->get_ref<const std::string&>();
    std::size_t row_len = 0, rows = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const bool end_of_row = i == text.size() || text[i] == '\n';
        if (end_of_row) {
            if (i == text.size() && row_len == 0 && rows == static_cast<std::size_t>(n)) break; // one trailing newline is fine
            if (row_len != static_cast<std::size_t>(n)) return std::nullopt;
            row_len = 0;
            ++rows;
            continue;
        }
        if (text[i] != '0' && text[i] != '1') return std::nullopt;
        m.dark.push_back(text[i] == '1');
        ++row_len;
    }
    if (rows != static_cast<std::size_t>(n)) return std::nullopt;
    return m;
}

std::optional<TotpEnrolment> enrolment_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    TotpEnrolment e;
    e.secret = str(body, "secret");
    e.otpauth_uri = str(body, "otpauth_uri");
    auto qr = body.find("qr");
    if (e.secret.empty() || e.otpauth_uri.rfind("otpauth://", 0) != 0 || qr == body.end()) return std::nullopt;
    auto matrix = qr_from_json(*qr);
    if (!matrix) return std::nullopt;
    e.qr = std::move(*matrix);
    return e;
}

std::string group_secret(std::string_view secret) {
    std::string out;
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if (i > 0 && i % 4 == 0) out += ' ';
        out += secret[i];
    }
    return out;
}

std::optional<std::vector<std::string>> recovery_codes_from_json(const nlohmann::json& body) {
    if (!body.is_object()) return std::nullopt;
    auto list = body.find("recovery_codes");
    if (list == body.end() || !list->is_array() || list->empty()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& c : *list) {
        if (!c.is_string() || c.get_ref<const std::string&>().empty()) return std::nullopt;
        out.push_back(c.get<std::string>());
    }
    return out;
}

bool totp_enabled_from_me(const nlohmann::json& me_body) {
    if (!me_body.is_object()) return false;
    auto user = me_body.find("user");
    if (user == me_body.end() || !user->is_object()) return false;
    auto flag = user->find("totp_enabled");
    return flag != user->end() && flag->is_boolean() && flag->get<bool>();
}

std::string digits_only(std::string_view code) {
    std::string out;
    for (char c : code)
        if (c != ' ' && c != '-') out += c;
    return out;
}

bool is_totp_code(std::string_view code) {
    const std::string d = digits_only(code);
    return d.size() == 6 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// [SECTION] Change password

void PasswordForm::set_context(std::string email, std::string name, std::vector<std::string> brand_names) {
    m_email = std::move(email);
    m_name = std::move(name);
    m_brands = std::move(brand_names);
    on_edit(fresh);
}

void PasswordForm::on_edit(Field f) {
    m_error[f].clear();
    if (f == fresh || f == confirm) m_error[confirm].clear();
    if (f == fresh) m_feedback = evaluate_password(m_text[fresh], m_email, m_name, m_brands);
}

bool PasswordForm::validate_for_submit() {
    for (auto& e : m_error) e.clear();
    m_feedback = evaluate_password(m_text[fresh], m_email, m_name, m_brands);
    if (m_text[current].empty()) m_error[current] = "Enter your current password.";
    if (m_text[fresh].empty()) m_error[fresh] = "Choose a new password.";
    else if (!m_feedback.ok) m_error[fresh] = m_feedback.problems.empty() ? "This password is not allowed." : m_feedback.problems.front();
    else if (m_text[fresh] == m_text[current]) m_error[fresh] = "The new password must differ from the current one.";
    if (m_error[fresh].empty() && m_text[confirm] != m_text[fresh]) m_error[confirm] = "The passwords do not match.";
    return m_error[current].empty() && m_error[fresh].empty() && m_error[confirm].empty();
}

nlohmann::json PasswordForm::body() const {
    return {{"current_password", m_text[current]}, {"new_password", m_text[fresh]}};
}

void PasswordForm::apply_server_error(const api::Error& error) {
    for (int f = 0; f < field_count; ++f) {
        if (error.field == k_wire[f]) { m_error[f] = error.message; return; }
    }
    m_error[fresh] = error.message; // a policy refusal without a field is about the new password
}

void PasswordForm::clear() {
    for (auto& t : m_text) {
        std::fill(t.begin(), t.end(), '\0'); // overwrite before release: these were secrets
        t.clear();
    }
    for (auto& e : m_error) e.clear();
    m_feedback = evaluate_password("", m_email, m_name, m_brands);
}

} // namespace stronghold::web::app
