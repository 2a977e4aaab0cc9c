#include "views/top_bar.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <cmath>

namespace stronghold::web::views {

float TopBar::height() { return theme::px(60); }

TopBarResult TopBar::draw(const app::Me& me, const std::string& account_id, bool live_connected) {
    TopBarResult result;
    const auto& p = theme::palette();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float h = height();
    const float pad_x = theme::px(24);

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 bar_min = vp->Pos;
    const ImVec2 bar_max(vp->Pos.x + vp->Size.x, vp->Pos.y + h);
    dl->AddRectFilled(bar_min, bar_max, theme::color(p.surface));
    dl->AddLine(ImVec2(bar_min.x, bar_max.y - 1), ImVec2(bar_max.x, bar_max.y - 1), theme::color(p.border), theme::px(1));

    // Brand: a shield in the accent colour, then the product name.
    ImFont* title = fonts::title();
    const float cy = bar_min.y + h * 0.5f;
    const float logo = theme::px(30);
    const ImVec2 logo_min(bar_min.x + pad_x, cy - logo * 0.5f);
    dl->AddRectFilled(logo_min, ImVec2(logo_min.x + logo, logo_min.y + logo), theme::color(p.accent), theme::px(8));
    ImFont* body = fonts::body();
    const ImVec2 icon_size = body->CalcTextSizeA(body->FontSize, 1e9f, 0, fonts::k_icon_shield);
    dl->AddText(body, body->FontSize, ImVec2(std::floor(logo_min.x + (logo - icon_size.x) * 0.5f), std::floor(cy - icon_size.y * 0.5f)),
                IM_COL32_WHITE, fonts::k_icon_shield);
    const char* product = "Stronghold";
    const ImVec2 ts = title->CalcTextSizeA(title->FontSize, 1e9f, 0, product);
    const ImVec2 text_pos(logo_min.x + logo + theme::px(10), std::floor(cy - ts.y * 0.5f));
    dl->AddText(title, title->FontSize, text_pos, theme::color(p.text), product);
    a11y::text_node("heading", "Stronghold", "Stronghold", text_pos, ImVec2(text_pos.x + ts.x, text_pos.y + ts.y), {{"aria-level", "1"}});

    const float frame_h = ImGui::GetFrameHeight();
    float x = text_pos.x + ts.x + theme::px(28);

    // Sub-account switcher.
    const app::AccountRef* current = me.account(account_id);
    if (me.accounts.size() > 1) {
        ImGui::SetCursorScreenPos(ImVec2(x, cy - frame_h * 0.5f));
        ImGui::SetNextItemWidth(theme::px(240));
        const std::string preview = current ? current->name : std::string("Choose an account");
        ImGui::PushStyleColor(ImGuiCol_Border, p.border);
        const bool open = ImGui::BeginCombo("##account", preview.c_str(), ImGuiComboFlags_NoArrowButton);
        ImGui::PopStyleColor();
        {   // A quiet caret instead of ImGui's heavy arrow button.
            ImFont* f = fonts::body();
            const ImVec2 max = ImGui::GetItemRectMax();
            const ImVec2 cs = f->CalcTextSizeA(f->FontSize, 1e9f, 0, fonts::k_icon_caret);
            dl->AddText(f, f->FontSize, ImVec2(max.x - cs.x - ImGui::GetStyle().FramePadding.x, std::floor(cy - cs.y * 0.5f)),
                        theme::color(p.text_muted), fonts::k_icon_caret);
        }
        a11y::text_item("combobox", "Account", preview, {{"aria-expanded", open ? "true" : "false"}});
        if (open) {
            for (const auto& a : me.accounts) {
                const bool selected = a.id == account_id;
                if (ImGui::Selectable(a.name.c_str(), selected) && !selected) result.switch_to = a.id;
                a11y::text_item("option", a.name, a.name, {{"aria-selected", selected ? "true" : "false"}});
            }
            ImGui::EndCombo();
        }
    } else if (current) {
        ImFont* f = fonts::body();
        const ImVec2 s = f->CalcTextSizeA(f->FontSize, 1e9f, 0, current->name.c_str());
        dl->AddLine(ImVec2(x - theme::px(14), cy - theme::px(10)), ImVec2(x - theme::px(14), cy + theme::px(10)),
                    theme::color(p.border), theme::px(1));
        dl->AddText(f, f->FontSize, ImVec2(x, std::floor(cy - s.y * 0.5f)), theme::color(p.text_muted), current->name.c_str());
    }

    // User menu, right-aligned; a small dot tells whether live updates are connected.
    const std::string who = me.name.empty() ? me.email : me.name;
    const std::string label = std::string(fonts::k_icon_user) + "  " + who + "  " + fonts::k_icon_caret + "###user_menu";
    ImGui::PushFont(fonts::semibold());
    const float w = ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::PopFont();
    const float ux = bar_max.x - pad_x - w;
    const ImVec2 dot(ux - theme::px(16), cy);
    dl->AddCircleFilled(dot, theme::px(4), live_connected ? IM_COL32(34, 197, 94, 255) : IM_COL32(203, 213, 225, 255));
    if (ImGui::IsMouseHoveringRect(ImVec2(dot.x - 8, dot.y - 8), ImVec2(dot.x + 8, dot.y + 8)))
        ImGui::SetTooltip(live_connected ? "Live updates on" : "Live updates reconnecting");
    ImGui::SetCursorScreenPos(ImVec2(ux, cy - frame_h * 0.5f));
    if (ui::button("User menu", label.c_str(), ui::ButtonKind::ghost)) ImGui::OpenPopup("user_menu_popup");
    ImGui::SetNextWindowPos(ImVec2(bar_max.x - pad_x, bar_max.y + theme::px(4)), ImGuiCond_Always, ImVec2(1, 0));
    ImGui::SetNextWindowSizeConstraints(ImVec2(theme::px(220), 0), ImVec2(FLT_MAX, FLT_MAX));
    if (ImGui::BeginPopup("user_menu_popup")) {
        a11y::push("menu", "User menu", ImGui::GetWindowPos(),
                   ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y));
        ImGui::PushFont(fonts::semibold());
        ImGui::TextUnformatted(who.c_str());
        ImGui::PopFont();
        if (!me.name.empty()) ui::muted_text(me.email);
        ImGui::Separator();
        const std::string profile = std::string(fonts::k_icon_lock) + "  My profile & security";
        if (ImGui::Selectable(profile.c_str())) result.open_profile = true;
        a11y::item("menuitem", "My profile & security");
        // Only for those the core lets manage an agency's security (the server refuses the rest).
        if (!me.security_agencies().empty()) {
            const std::string security = std::string(fonts::k_icon_shield) + "  Security settings";
            if (ImGui::Selectable(security.c_str())) result.open_security = true;
            a11y::item("menuitem", "Security settings");
        }
        if (!me.event_agencies().empty()) {
            const std::string events = std::string(fonts::k_icon_warning) + "  Security events";
            if (ImGui::Selectable(events.c_str())) result.open_security_events = true;
            a11y::item("menuitem", "Security events");
        }
        if (!me.security_agencies().empty()) {
            const std::string staff = std::string(fonts::k_icon_key) + "  Staff access";
            if (ImGui::Selectable(staff.c_str())) result.open_staff_access = true;
            a11y::item("menuitem", "Staff access");
        }
        if (!me.user_agencies().empty()) {
            const std::string users = std::string(fonts::k_icon_users) + "  Users";
            if (ImGui::Selectable(users.c_str())) result.open_users = true;
            a11y::item("menuitem", "Users");
        }
        // CRM settings of this sub-account: only where core grants manage_settings.
        if (current && access::has_capability(me.actor(), access::Capability::manage_settings, current->agency_id, current->id)) {
            const std::string settings = std::string(fonts::k_icon_cog) + "  CRM settings";
            if (ImGui::Selectable(settings.c_str())) result.open_crm_settings = true;
            a11y::item("menuitem", "CRM settings");
        }
        if (!me.role_agencies().empty()) {
            const std::string roles = std::string(fonts::k_icon_key) + "  Roles";
            if (ImGui::Selectable(roles.c_str())) result.open_roles = true;
            a11y::item("menuitem", "Roles");
        }
        const std::string out = std::string(fonts::k_icon_signout) + "  Log out";
        if (ImGui::Selectable(out.c_str())) result.log_out = true;
        a11y::item("menuitem", "Log out");
        a11y::pop();
        ImGui::EndPopup();
    }
    ImGui::SetCursorScreenPos(ImVec2(vp->Pos.x, bar_max.y));
    return result;
}

float NavBar::height() { return theme::px(46); }

int NavBar::draw(const std::vector<NavItem>& items, int current) {
    const auto& p = theme::palette();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 min(vp->Pos.x, vp->Pos.y + TopBar::height());
    const ImVec2 max(vp->Pos.x + vp->Size.x, min.y + height());
    dl->AddRectFilled(min, max, theme::color(p.surface));
    dl->AddLine(ImVec2(min.x, max.y - 1), ImVec2(max.x, max.y - 1), theme::color(p.border), theme::px(1));
    a11y::push("tablist", "Sections", min, max);
    int clicked = -1;
    ImFont* font = fonts::semibold();
    const float pad = theme::px(14);
    float left = min.x + theme::px(24) - pad, right = max.x - theme::px(24) + pad;
    for (int pass = 0; pass < 2; ++pass)
        for (auto it = items.begin(); it != items.end(); ++it) {
            // Left items in order; right items from the far end inwards.
            const NavItem& item = pass == 0 ? *it : *(items.rbegin() + (it - items.begin()));
            if (item.right != (pass == 1)) continue;
            const std::string label = std::string(item.icon) + "  " + item.name;
            const ImVec2 ts = font->CalcTextSizeA(font->FontSize, 1e9f, 0, label.c_str());
            const float w = ts.x + pad * 2;
            const float x = pass == 0 ? left : right - w;
            if (pass == 0) left += w;
            else right -= w;
            const ImVec2 tmin(x, min.y), tmax(x + w, max.y - 1);
            const bool selected = item.id == current;
            ImGui::SetCursorScreenPos(tmin);
            ImGui::PushID(item.id);
            if (ImGui::InvisibleButton("tab", ImVec2(w, tmax.y - tmin.y))) clicked = item.id;
            const bool hovered = ImGui::IsItemHovered();
            if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            ImGui::PopID();
            const ImVec4 color = selected ? p.accent : hovered ? p.text : p.text_muted;
            dl->AddText(font, font->FontSize, ImVec2(x + pad, std::floor(min.y + (height() - ts.y) * 0.5f)), theme::color(color), label.c_str());
            if (selected) dl->AddRectFilled(ImVec2(x + pad * 0.5f, max.y - theme::px(3)), ImVec2(x + w - pad * 0.5f, max.y - 1), theme::color(p.accent), theme::px(1.5f));
            a11y::node("tab", item.name, tmin, tmax, {{"aria-selected", selected ? "true" : "false"}});
        }
    a11y::pop();
    ImGui::SetCursorScreenPos(ImVec2(vp->Pos.x, max.y));
    return clicked;
}

} // namespace stronghold::web::views
