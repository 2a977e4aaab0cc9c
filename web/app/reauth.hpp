// Re-authentication, for any request (sans-I/O, so it is unit-tested without a browser).
// Critical actions answer 401 `reauth_required` when the last password/TOTP proof is older
// than 5 minutes (issue 4, IAM-6). Such a request is parked here, the user proves who they are
// (POST /api/v1/auth/reauth with {"password"} or {"code"}), then every parked request is sent
// again, once, in the order it was parked. Cancelling hands each request its original answer.
//
// Rules: intercept() every answer of a request that may need it; while state() != idle the
// view shows the modal; submit() -> send the body -> on_result() with the answer.
#pragma once

#include <stronghold/api/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::app {

class ReauthFlow {
public:
    enum class State { idle, asking, verifying };
    enum class Method { password, code };
    using Action = std::function<void()>;

    static bool is_reauth_required(int status, const std::optional<api::Error>& error); // 401 + code reauth_required

    // When the answer is reauth_required: parks `retry` (and `cancelled`, run instead if the user
    // gives up), moves to asking and returns true. Otherwise returns false and keeps nothing.
    bool intercept(int status, const std::optional<api::Error>& error, Action retry, Action cancelled = {});

    State state() const { return m_state; }
    std::size_t parked() const { return m_parked.size(); }
    Method method() const { return m_method; }
    void set_method(Method m);                  // password, or a TOTP code for users who have 2FA
    std::string& secret() { return m_secret; }  // the field's text (password or code)
    const std::string& error() const { return m_error; }

    std::optional<nlohmann::json> submit();     // asking -> verifying and the body to send; nullopt (error set) when empty or not asking
    // The /auth/reauth answer. 2xx: idle, then every parked retry runs. Otherwise back to asking
    // with the server's message (the field is wiped); parked requests stay parked.
    void on_result(int status, const std::optional<api::Error>& error);
    void cancel();                              // idle; each parked `cancelled` runs

private:
    struct Parked {
        Action retry;
        Action cancelled;
    };
    void wipe();

    State m_state = State::idle;
    Method m_method = Method::password;
    std::string m_secret;
    std::string m_error;
    std::vector<Parked> m_parked;
};

} // namespace stronghold::web::app
