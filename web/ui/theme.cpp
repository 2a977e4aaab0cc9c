#include "ui/theme.hpp"

#include <cmath>

namespace stronghold::web::theme {
namespace {
Palette g_palette;
float g_dpr = 1.0f;

ImVec4 mix(const ImVec4& a, const ImVec4& b, float t) {
    return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, a.z + (b.z - a.z) * t, a.w + (b.w - a.w) * t};
}
ImVec4 alpha(ImVec4 c, float a) { c.w = a; return c; }
} // namespace

Palette& palette() { return g_palette; }
ImVec4 background() { return g_palette.background; }
ImU32 color(const ImVec4& c, float a) { return ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, c.w * a)); }
ImVec4 accent_hover() { return mix(g_palette.accent, {0, 0, 0, 1}, 0.12f); }
ImVec4 accent_soft() { return alpha(g_palette.accent, 0.12f); }
float px(float css_px) { return std::floor(css_px * g_dpr + 0.5f); }

void apply(float dpr) {
    g_dpr = dpr;
    const Palette& p = g_palette;
    ImGuiStyle style;
    style.WindowPadding = {16, 16};
    style.FramePadding = {10, 7};
    style.CellPadding = {12, 9};
    style.ItemSpacing = {10, 10};
    style.ItemInnerSpacing = {8, 6};
    style.IndentSpacing = 20;
    style.ScrollbarSize = 12;
    style.GrabMinSize = 24;
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 1;
    style.PopupBorderSize = 1;
    style.FrameBorderSize = 1;
    style.WindowRounding = 10;
    style.ChildRounding = 10;
    style.FrameRounding = 7;
    style.PopupRounding = 8;
    style.ScrollbarRounding = 6;
    style.GrabRounding = 6;
    style.WindowTitleAlign = {0.0f, 0.5f};
    style.ButtonTextAlign = {0.5f, 0.5f};
    style.SelectableTextAlign = {0.0f, 0.5f};
    style.DisplaySafeAreaPadding = {0, 0};
    style.ScaleAllSizes(dpr);

    ImVec4* c = style.Colors;
    const ImVec4 clear{0, 0, 0, 0};
    c[ImGuiCol_Text] = p.text;
    c[ImGuiCol_TextDisabled] = p.text_muted;
    c[ImGuiCol_WindowBg] = p.background;
    c[ImGuiCol_ChildBg] = p.surface;
    c[ImGuiCol_PopupBg] = p.surface;
    c[ImGuiCol_Border] = p.border;
    c[ImGuiCol_BorderShadow] = clear;
    c[ImGuiCol_FrameBg] = p.surface;
    c[ImGuiCol_FrameBgHovered] = p.surface;
    c[ImGuiCol_FrameBgActive] = p.surface;
    c[ImGuiCol_TitleBg] = p.surface;
    c[ImGuiCol_TitleBgActive] = p.surface;
    c[ImGuiCol_TitleBgCollapsed] = p.surface;
    c[ImGuiCol_MenuBarBg] = p.surface;
    c[ImGuiCol_ScrollbarBg] = clear;
    c[ImGuiCol_ScrollbarGrab] = mix(p.border, p.text_muted, 0.25f);
    c[ImGuiCol_ScrollbarGrabHovered] = mix(p.border, p.text_muted, 0.5f);
    c[ImGuiCol_ScrollbarGrabActive] = p.text_muted;
    c[ImGuiCol_CheckMark] = p.accent;
    c[ImGuiCol_SliderGrab] = p.accent;
    c[ImGuiCol_SliderGrabActive] = accent_hover();
    c[ImGuiCol_Button] = p.surface;
    c[ImGuiCol_ButtonHovered] = p.row_hover;
    c[ImGuiCol_ButtonActive] = mix(p.row_hover, p.border, 0.5f);
    c[ImGuiCol_Header] = accent_soft();
    c[ImGuiCol_HeaderHovered] = p.row_hover;
    c[ImGuiCol_HeaderActive] = alpha(p.accent, 0.18f);
    c[ImGuiCol_Separator] = p.border;
    c[ImGuiCol_SeparatorHovered] = p.accent;
    c[ImGuiCol_SeparatorActive] = p.accent;
    c[ImGuiCol_ResizeGrip] = clear;
    c[ImGuiCol_ResizeGripHovered] = accent_soft();
    c[ImGuiCol_ResizeGripActive] = p.accent;
    c[ImGuiCol_Tab] = p.surface;
    c[ImGuiCol_TabHovered] = p.row_hover;
    c[ImGuiCol_TabActive] = p.surface;
    c[ImGuiCol_TabUnfocused] = p.surface;
    c[ImGuiCol_TabUnfocusedActive] = p.surface;
    c[ImGuiCol_TableHeaderBg] = mix(p.background, p.surface, 0.4f);
    c[ImGuiCol_TableBorderStrong] = p.border;
    c[ImGuiCol_TableBorderLight] = mix(p.border, p.surface, 0.4f);
    c[ImGuiCol_TableRowBg] = clear;
    c[ImGuiCol_TableRowBgAlt] = clear;
    c[ImGuiCol_TextSelectedBg] = alpha(p.accent, 0.25f);
    c[ImGuiCol_DragDropTarget] = p.accent;
    c[ImGuiCol_NavHighlight] = alpha(p.accent, 0.6f);
    c[ImGuiCol_NavWindowingHighlight] = p.accent;
    c[ImGuiCol_NavWindowingDimBg] = {0.1f, 0.12f, 0.16f, 0.2f};
    c[ImGuiCol_ModalWindowDimBg] = {0.06f, 0.09f, 0.16f, 0.35f};
    ImGui::GetStyle() = style;
}

} // namespace stronghold::web::theme
