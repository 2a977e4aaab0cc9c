#include "views/empty_state.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

namespace stronghold::web::views {

void draw_empty_state(const char* icon, const std::string& title, const std::string& detail, const std::string& name, float height) {
    const auto& p = theme::palette();
    const float w = ImGui::GetWindowSize().x;
    ImGui::SetCursorPosY(height * 0.36f);
    const ImVec2 center(ImGui::GetWindowPos().x + w * 0.5f, ImGui::GetCursorScreenPos().y - theme::px(34));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddCircleFilled(center, theme::px(26), theme::color(theme::accent_soft()), 40);
    ImFont* body = fonts::body();
    const ImVec2 is = body->CalcTextSizeA(body->FontSize, 1e9f, 0, icon);
    dl->AddText(body, body->FontSize, ImVec2(center.x - is.x * 0.5f, center.y - is.y * 0.5f), theme::color(p.accent), icon);
    ImGui::PushFont(fonts::title());
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(title.c_str()).x) * 0.5f);
    ImGui::TextUnformatted(title.c_str());
    ImGui::PopFont();
    const ImVec2 tmin = ImGui::GetItemRectMin();
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(detail.c_str()).x) * 0.5f);
    ui::muted_text(detail);
    a11y::text_node("status", name, title + ". " + detail, tmin, ImGui::GetItemRectMax());
}

} // namespace stronghold::web::views
