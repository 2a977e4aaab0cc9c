#include "views/reauth_dialog.hpp"

#include "app/reauth.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

namespace stronghold::web::views::reauth {
namespace {

constexpr const char* k_popup = "Confirm your password###reauth";
app::ReauthFlow g_flow;
bool g_code_allowed = false;
bool g_focus = false; // put the caret in the field when the prompt (re)opens

void verify() {
    auto body = g_flow.submit();
    if (!body) return;
    net::call_api({.method = "POST", .url = "/api/v1/auth/reauth", .body = json_body(*body)}, [](const net::ApiResponse& r) {
        g_flow.on_result(r.status, r.error);
        if (g_flow.state() == app::ReauthFlow::State::asking) g_focus = true;
        platform::request_redraw();
    });
}

} // namespace

void send(net::HttpRequest request, net::ApiCallback done) {
    net::HttpRequest copy = request;
    net::call_api(std::move(request), [copy = std::move(copy), done = std::move(done)](const net::ApiResponse& r) {
        const bool was_idle = g_flow.state() == app::ReauthFlow::State::idle;
        if (g_flow.intercept(r.status, r.error, [copy, done] { send(copy, done); }, [r, done] { done(r); })) {
            if (was_idle) g_focus = true;
            platform::request_redraw();
            return;
        }
        done(r);
    });
}

bool intercept(const net::ApiResponse& r, std::function<void()> retry, std::function<void()> cancelled) {
    const bool was_idle = g_flow.state() == app::ReauthFlow::State::idle;
    if (!g_flow.intercept(r.status, r.error, std::move(retry), std::move(cancelled))) return false;
    if (was_idle) g_focus = true;
    platform::request_redraw();
    return true;
}

bool active() { return g_flow.state() != app::ReauthFlow::State::idle; }

bool was_cancelled(const net::ApiResponse& r) { return app::ReauthFlow::is_reauth_required(r.status, r.error); }

std::string json_body(const nlohmann::json& body) { return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void set_code_allowed(bool allowed) {
    g_code_allowed = allowed;
    if (!allowed) g_flow.set_method(app::ReauthFlow::Method::password);
}

void draw() {
    using State = app::ReauthFlow::State;
    using Method = app::ReauthFlow::Method;
    const bool wanted = g_flow.state() != State::idle;
    if (wanted && !ImGui::IsPopupOpen(k_popup)) ImGui::OpenPopup(k_popup);
    if (!wanted && !ImGui::IsPopupOpen(k_popup)) return;

    ImGui::SetNextWindowSize(ImVec2(theme::px(420), 0));
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(24), theme::px(20)));
    const bool open = ImGui::BeginPopupModal(k_popup, nullptr,
                                             ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!open) return;
    if (!wanted) { // finished or cancelled since the last frame
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const ImVec2 wmin = ImGui::GetWindowPos();
    a11y::push("dialog", "Confirm your password", wmin,
               ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y), {{"aria-modal", "true"}});

    const bool by_code = g_flow.method() == Method::code;
    ui::heading(by_code ? "Confirm it's you" : "Confirm your password");
    ImGui::PushTextWrapPos(0);
    ui::muted_text(by_code ? "Enter the 6-digit code from your authenticator app to continue. "
                             "This keeps your security settings safe if someone else uses this device."
                           : "For your security, enter your password again to continue. "
                             "You won't be asked again for the next 5 minutes.");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, theme::px(4)));

    const bool busy = g_flow.state() == State::verifying;
    const float width = ImGui::GetContentRegionAvail().x;
    if (g_focus) {
        ImGui::SetKeyboardFocusHere();
        g_focus = false;
    }
    const bool enter = ui::text_field(by_code ? "Authentication code" : "Password", by_code ? "code" : "password", g_flow.secret(),
                                      g_flow.error(), width, false, busy, nullptr, !by_code)
                           .entered;

    if (g_code_allowed) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().accent);
        const char* other = by_code ? "Use your password instead" : "Use an authentication code instead";
        if (ImGui::Selectable(other, false, 0, ImGui::CalcTextSize(other))) {
            g_flow.set_method(by_code ? Method::password : Method::code);
            g_focus = true;
        }
        a11y::item("button", other);
        ImGui::PopStyleColor();
    }

    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(104);
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel##reauth", ui::ButtonKind::secondary, ImVec2(bw, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        g_flow.cancel();
    }
    ImGui::SameLine();
    if (ui::button("Confirm", busy ? "Checking..." : "Confirm", ui::ButtonKind::primary, ImVec2(bw, 0), busy) || (enter && !busy))
        verify();
    a11y::pop();
    ImGui::EndPopup();
}

} // namespace stronghold::web::views::reauth
