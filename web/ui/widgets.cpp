#include "ui/widgets.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"

#include <imgui_stdlib.h>

#include <cmath>
#include <deque>

namespace stronghold::web::ui {
namespace {

struct Toast {
    std::string message;
    bool error;
    double until_ms;
};
std::deque<Toast> g_toasts;
constexpr double k_toast_ms = 6000;

ImVec4 with_alpha(ImVec4 c, float a) { c.w = a; return c; }

} // namespace

void field_label(const char* label) {
    ImGui::PushFont(fonts::semibold());
    ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().text_muted);
    ImGui::TextUnformatted(label);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y * 0.5f);
}

namespace {

} // namespace

bool button(std::string_view name, const char* label, ButtonKind kind, ImVec2 size, bool disabled) {
    const auto& p = theme::palette();
    int colors = 0;
    auto push = [&](ImGuiCol idx, ImVec4 c) { ImGui::PushStyleColor(idx, c); ++colors; };
    switch (kind) {
    case ButtonKind::primary:
        push(ImGuiCol_Button, p.accent);
        push(ImGuiCol_ButtonHovered, theme::accent_hover());
        push(ImGuiCol_ButtonActive, theme::accent_hover());
        push(ImGuiCol_Text, {1, 1, 1, 1});
        push(ImGuiCol_Border, p.accent);
        break;
    case ButtonKind::danger:
        push(ImGuiCol_Button, p.danger);
        push(ImGuiCol_ButtonHovered, with_alpha(p.danger, 0.88f));
        push(ImGuiCol_ButtonActive, with_alpha(p.danger, 0.8f));
        push(ImGuiCol_Text, {1, 1, 1, 1});
        push(ImGuiCol_Border, p.danger);
        break;
    case ButtonKind::ghost:
        push(ImGuiCol_Button, {0, 0, 0, 0});
        push(ImGuiCol_Border, {0, 0, 0, 0});
        break;
    case ButtonKind::secondary: break;
    }
    ImGui::PushFont(fonts::semibold());
    if (disabled) ImGui::BeginDisabled();
    const bool clicked = ImGui::Button(label, size);
    if (disabled) ImGui::EndDisabled();
    ImGui::PopFont();
    ImGui::PopStyleColor(colors);
    a11y::Attrs attrs;
    if (disabled) attrs.emplace_back("aria-disabled", "true");
    a11y::item("button", name, std::move(attrs));
    return clicked && !disabled;
}

FieldState text_field(const char* label, std::string_view wire_field, std::string& value, const std::string& error,
                      float width, bool multiline, bool read_only, const char* hint, bool secret) {
    const auto& p = theme::palette();
    FieldState state;
    ImGui::PushID(label);
    field_label(label);

    const bool invalid = !error.empty();
    if (invalid) ImGui::PushStyleColor(ImGuiCol_Border, p.danger);
    else if (!read_only) ImGui::PushStyleColor(ImGuiCol_Border, p.border);
    const ImGuiInputTextFlags flags = (read_only ? ImGuiInputTextFlags_ReadOnly : 0) | (secret ? ImGuiInputTextFlags_Password : 0);
    if (multiline) {
        const float h = ImGui::GetTextLineHeight() * 2.0f + ImGui::GetStyle().FramePadding.y * 2.0f;
        state.changed = ImGui::InputTextMultiline("##v", &value, ImVec2(width, h), flags);
    } else {
        ImGui::SetNextItemWidth(width);
        state.changed = hint ? ImGui::InputTextWithHint("##v", hint, &value, flags) : ImGui::InputText("##v", &value, flags);
    }
    state.deactivated = ImGui::IsItemDeactivatedAfterEdit();
    // A single-line field lets go of the keyboard on Enter, in the frame the key goes down.
    state.entered = !multiline && ImGui::IsItemDeactivated() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
    if (invalid || !read_only) ImGui::PopStyleColor();
    // Focus ring in the accent colour: ImGui has none for frames.
    if (ImGui::IsItemActive()) {
        ImGui::GetWindowDrawList()->AddRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                            theme::color(invalid ? p.danger : p.accent), ImGui::GetStyle().FrameRounding,
                                            0, theme::px(1.5f));
    }
    if (secret) {
        // The mirror is DOM anyone on the page can read: a password shows only its length.
        std::size_t chars = 0;
        for (unsigned char c : value) chars += (c & 0xC0) != 0x80;
        a11y::textbox(label, std::string(chars, '*'), invalid);
    } else {
        a11y::textbox(label, value, invalid);
    }
    if (invalid) error_line(error, wire_field, width);
    ImGui::PopID();
    return state;
}

bool checkbox(const char* name, bool& value, bool disabled) {
    ImGui::BeginDisabled(disabled);
    const bool changed = ImGui::Checkbox(name, &value);
    ImGui::EndDisabled();
    a11y::item("checkbox", name, {{"aria-checked", value ? "true" : "false"}});
    return changed && !disabled;
}

void error_line(const std::string& message, std::string_view wire_field, float wrap_width) {
    if (message.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().danger);
    ImGui::PushTextWrapPos(wrap_width > 0 ? ImGui::GetCursorPosX() + wrap_width : 0.0f);
    ImGui::TextUnformatted(message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    a11y::text_item("alert", "", message, {{"data-field", std::string(wire_field)}});
}

bool conflict_banner(const char* text, float width) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().danger);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::Text("%s  %s", fonts::k_icon_warning, text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    a11y::text_item("alert", "", text);
    return button("Reload", "Reload", ButtonKind::primary);
}

namespace {

bool select_impl(const char* name, int& index, const std::vector<std::string>& options, float width, bool disabled,
                 const char* placeholder, bool invalid) {
    const auto& p = theme::palette();
    const bool valid = index >= 0 && index < static_cast<int>(options.size());
    const char* preview = valid ? options[static_cast<std::size_t>(index)].c_str() : placeholder;
    ImGui::PushID(name);
    ImGui::SetNextItemWidth(width);
    ImGui::PushStyleColor(ImGuiCol_Border, invalid ? p.danger : p.border);
    if (!valid) ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    ImGui::BeginDisabled(disabled);
    const bool open = ImGui::BeginCombo("##select", preview, ImGuiComboFlags_HeightLarge | ImGuiComboFlags_NoArrowButton);
    ImGui::EndDisabled();
    {   // A quiet caret instead of ImGui's heavy arrow button (as the top bar's account switcher).
        ImFont* f = fonts::body();
        const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
        const ImVec2 cs = f->CalcTextSizeA(f->FontSize, 1e9f, 0, fonts::k_icon_caret);
        ImGui::GetWindowDrawList()->AddText(f, f->FontSize,
                                            ImVec2(max.x - cs.x - ImGui::GetStyle().FramePadding.x, std::floor((min.y + max.y - cs.y) * 0.5f)),
                                            theme::color(p.text_muted, disabled ? 0.5f : 1.0f), fonts::k_icon_caret);
    }
    if (!valid) ImGui::PopStyleColor();
    ImGui::PopStyleColor();
    a11y::Attrs attrs{{"aria-expanded", open ? "true" : "false"}};
    if (disabled) attrs.emplace_back("aria-disabled", "true");
    if (invalid) attrs.emplace_back("aria-invalid", "true");
    a11y::text_item("combobox", name, valid ? std::string_view(preview) : std::string_view(), std::move(attrs));
    bool changed = false;
    if (open) {
        for (std::size_t i = 0; i < options.size(); ++i) {
            const bool selected = static_cast<int>(i) == index;
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(options[i].c_str(), selected) && !selected) {
                index = static_cast<int>(i);
                changed = true;
            }
            ImGui::PopID();
            a11y::text_item("option", options[i], options[i], {{"aria-selected", selected ? "true" : "false"}});
        }
        ImGui::EndCombo();
    }
    ImGui::PopID();
    return changed;
}

} // namespace

bool select(const char* label, std::string_view wire_field, int& index, const std::vector<std::string>& options, float width,
            const std::string& error, bool disabled, const char* placeholder) {
    field_label(label);
    const bool changed = select_impl(label, index, options, width, disabled, placeholder, !error.empty());
    if (!error.empty()) error_line(error, wire_field, width);
    return changed;
}

bool select_inline(const char* name, int& index, const std::vector<std::string>& options, float width, bool disabled) {
    return select_impl(name, index, options, width, disabled, "Choose...", false);
}

namespace {
struct BadgeColors {
    ImVec4 bg, fg;
};
BadgeColors badge_colors(BadgeKind kind) {
    switch (kind) {
    case BadgeKind::good: return {{0.86f, 0.97f, 0.90f, 1}, {0.09f, 0.45f, 0.22f, 1}};
    case BadgeKind::warning: return {{1.0f, 0.95f, 0.80f, 1}, {0.57f, 0.33f, 0.04f, 1}};
    case BadgeKind::neutral: return {{0.93f, 0.94f, 0.96f, 1}, {0.36f, 0.40f, 0.47f, 1}};
    case BadgeKind::accent: return {theme::accent_soft(), theme::palette().accent};
    case BadgeKind::danger: return {{0.99f, 0.89f, 0.89f, 1}, {0.70f, 0.11f, 0.11f, 1}};
    }
    return {};
}
float badge_font_size() { return fonts::semibold()->FontSize * 0.8f; }
} // namespace

ImVec2 badge_size(std::string_view text) {
    ImFont* f = fonts::semibold();
    const ImVec2 ts = f->CalcTextSizeA(badge_font_size(), 1e9f, 0, text.data(), text.data() + text.size());
    return ImVec2(std::floor(ts.x + theme::px(16)), std::floor(ts.y + theme::px(6)));
}

ImVec2 badge(ImDrawList* dl, ImVec2 at, std::string_view text, BadgeKind kind) {
    const BadgeColors c = badge_colors(kind);
    const ImVec2 size = badge_size(text);
    const ImVec2 max(at.x + size.x, at.y + size.y);
    dl->AddRectFilled(at, max, theme::color(c.bg), size.y * 0.5f);
    dl->AddText(fonts::semibold(), badge_font_size(), ImVec2(at.x + theme::px(8), at.y + theme::px(3)), theme::color(c.fg), text.data(),
                text.data() + text.size());
    return size;
}

bool begin_dialog(const char* name, bool& wanted, float width_css, bool escape_closes) {
    const std::string id = std::string(name) + "###dialog_" + name;
    const bool is_open = ImGui::IsPopupOpen(id.c_str());
    if (wanted && !is_open) ImGui::OpenPopup(id.c_str());
    if (!wanted && !is_open) return false;
    ImGui::SetNextWindowSize(ImVec2(theme::px(width_css), 0));
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(24), theme::px(20)));
    const bool open = ImGui::BeginPopupModal(id.c_str(), nullptr,
                                             ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings);
    ImGui::PopStyleVar();
    if (!open) {
        wanted = false;
        return false;
    }
    if (!wanted) { // finished or cancelled since the last frame
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return false;
    }
    if (escape_closes && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) wanted = false;
    const ImVec2 wmin = ImGui::GetWindowPos();
    a11y::push("dialog", name, wmin, ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y), {{"aria-modal", "true"}});
    return true;
}

void end_dialog() {
    a11y::pop();
    ImGui::EndPopup();
}

void muted_text(std::string_view text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().text_muted);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopStyleColor();
}

void heading(const char* text, bool title) {
    ImGui::PushFont(title ? fonts::title() : fonts::semibold());
    ImGui::TextUnformatted(text);
    ImGui::PopFont();
    if (title) a11y::text_item("heading", text, text, {{"aria-level", "2"}});
}

void avatar(ImDrawList* dl, ImVec2 center, float radius, std::string_view name) {
    // A stable hue per name, soft tint behind, strong letters in front.
    unsigned hash = 2166136261u;
    for (char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
    const float hue = static_cast<float>(hash % 360) / 360.0f;
    ImVec4 strong, soft;
    ImGui::ColorConvertHSVtoRGB(hue, 0.55f, 0.62f, strong.x, strong.y, strong.z);
    ImGui::ColorConvertHSVtoRGB(hue, 0.14f, 0.98f, soft.x, soft.y, soft.z);
    strong.w = soft.w = 1.0f;
    dl->AddCircleFilled(center, radius, ImGui::GetColorU32(soft), 32);
    std::string initials;
    bool take = true;
    for (std::size_t i = 0; i < name.size() && initials.size() < 2; ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (c == ' ') { take = true; continue; }
        if (take && c < 0x80 && std::isalnum(c)) initials += static_cast<char>(std::toupper(c));
        take = false;
    }
    if (initials.empty()) initials = "?";
    ImFont* font = fonts::semibold();
    const float size = font->FontSize * 0.8f;
    const ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0, initials.c_str());
    dl->AddText(font, size, ImVec2(std::floor(center.x - ts.x * 0.5f), std::floor(center.y - ts.y * 0.5f)),
                ImGui::GetColorU32(strong), initials.c_str());
}

void spinner(ImVec2 center, float radius) {
    const float t = static_cast<float>(platform::now_ms() / 1000.0);
    const float start = t * 6.0f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PathArcTo(center, radius, start, start + 4.4f, 32);
    dl->PathStroke(theme::color(theme::palette().accent), 0, theme::px(2.5f));
    platform::request_redraw(2); // animate only while a spinner is on screen
}

void toast(std::string message, bool error) {
    for (const auto& t : g_toasts)
        if (t.message == message) return; // the same failure twice is one toast
    g_toasts.push_back({std::move(message), error, platform::now_ms() + k_toast_ms});
    if (g_toasts.size() > 4) g_toasts.pop_front();
    platform::redraw_after(static_cast<int>(k_toast_ms) + 50);
    platform::request_redraw();
}

void draw_toasts() {
    const double now = platform::now_ms();
    while (!g_toasts.empty() && g_toasts.front().until_ms <= now) g_toasts.pop_front();
    if (g_toasts.empty()) return;
    const auto& p = theme::palette();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float margin = theme::px(20);
    const float width = theme::px(360);
    float y = vp->WorkPos.y + vp->WorkSize.y - margin;
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    ImFont* font = fonts::body();
    for (auto it = g_toasts.rbegin(); it != g_toasts.rend(); ++it) {
        const float pad = theme::px(14);
        const ImVec2 ts = font->CalcTextSizeA(font->FontSize, 1e9f, width - pad * 2 - theme::px(24), it->message.c_str());
        const float h = ts.y + pad * 2;
        const ImVec2 min(vp->WorkPos.x + vp->WorkSize.x - margin - width, y - h);
        const ImVec2 max(min.x + width, y);
        dl->AddRectFilled(ImVec2(min.x, min.y + theme::px(2)), ImVec2(max.x, max.y + theme::px(3)),
                          IM_COL32(15, 23, 42, 28), theme::px(10));
        dl->AddRectFilled(min, max, theme::color({0.11f, 0.13f, 0.18f, 1.0f}), theme::px(10));
        const ImVec4 mark = it->error ? ImVec4(0.98f, 0.45f, 0.45f, 1.0f) : ImVec4(0.45f, 0.85f, 0.6f, 1.0f);
        dl->AddText(font, font->FontSize, ImVec2(min.x + pad, min.y + pad), theme::color(mark),
                    it->error ? fonts::k_icon_warning : fonts::k_icon_check);
        dl->AddText(font, font->FontSize, ImVec2(min.x + pad + theme::px(24), min.y + pad), IM_COL32(255, 255, 255, 255),
                    it->message.c_str(), nullptr, width - pad * 2 - theme::px(24));
        a11y::text_node("alert", "", it->message, min, max, {{"data-toast", "1"}});
        y = min.y - theme::px(10);
    }
    (void)p;
}

void tag_pills(ImDrawList* dl, ImVec2 cell, float width, float row_h, const std::vector<std::string>& tags) {
    ImFont* font = fonts::body();
    const float size = font->FontSize * 0.87f;
    float tx = cell.x;
    for (const auto& tag : tags) {
        const ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0, tag.c_str());
        const float ph = ts.y + theme::px(6), pw = ts.x + theme::px(14);
        if (tx + pw > cell.x + width) break;
        const ImVec2 pmin(tx, cell.y + (row_h - ph) * 0.5f);
        dl->AddRectFilled(pmin, ImVec2(tx + pw, pmin.y + ph), theme::color(theme::accent_soft()), ph * 0.5f);
        dl->AddText(font, size, ImVec2(tx + theme::px(7), pmin.y + theme::px(3)), theme::color(theme::accent_hover()), tag.c_str());
        tx += pw + theme::px(6);
    }
}

std::string with_thousands(long long n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace stronghold::web::ui
