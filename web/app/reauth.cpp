#include "app/reauth.hpp"

#include <algorithm>

namespace stronghold::web::app {

bool ReauthFlow::is_reauth_required(int status, const std::optional<api::Error>& error) {
    return status == 401 && error && error->code == api::ErrorCode::reauth_required;
}

bool ReauthFlow::intercept(int status, const std::optional<api::Error>& error, Action retry, Action cancelled) {
    if (!is_reauth_required(status, error)) return false;
    m_parked.push_back({std::move(retry), std::move(cancelled)});
    // A second request parked while the user is already typing joins the same prompt.
    if (m_state == State::idle) {
        m_state = State::asking;
        m_error.clear();
        wipe();
    }
    return true;
}

void ReauthFlow::set_method(Method m) {
    if (m_method == m) return;
    m_method = m;
    m_error.clear();
    wipe();
}

std::optional<nlohmann::json> ReauthFlow::submit() {
    if (m_state != State::asking) return std::nullopt;
    if (m_secret.empty()) {
        m_error = m_method == Method::password ? "Enter your password." : "Enter the 6-digit code from your app.";
        return std::nullopt;
    }
    m_error.clear();
    m_state = State::verifying;
    nlohmann::json body = {{m_method == Method::password ? "password" : "code", m_secret}};
    wipe(); // the body is the only copy now; the field does not keep the password around
    return body;
}

void ReauthFlow::on_result(int status, const std::optional<api::Error>& error) {
    if (m_state != State::verifying) return; // cancelled meanwhile: the parked requests already got their answer
    if (status >= 200 && status < 300) {
        m_state = State::idle;
        // Take the list first: a retry may be refused again and park itself anew.
        std::vector<Parked> parked = std::move(m_parked);
        m_parked.clear();
        for (auto& p : parked)
            if (p.retry) p.retry();
        return;
    }
    m_state = State::asking;
    if (status == 0) m_error = "The server cannot be reached. Check your connection and try again.";
    else if (error && error->code == api::ErrorCode::rate_limited) m_error = error->message.empty() ? "Too many attempts. Wait a moment." : error->message;
    else if (error && error->code == api::ErrorCode::validation_failed && !error->message.empty()) m_error = error->message;
    else m_error = m_method == Method::password ? "That password is not correct." : "That code is not correct.";
}

void ReauthFlow::cancel() {
    m_state = State::idle;
    m_error.clear();
    wipe();
    std::vector<Parked> parked = std::move(m_parked);
    m_parked.clear();
    for (auto& p : parked)
        if (p.cancelled) p.cancelled();
}

void ReauthFlow::wipe() {
    std::fill(m_secret.begin(), m_secret.end(), '\0');
    m_secret.clear();
}

} // namespace stronghold::web::app
