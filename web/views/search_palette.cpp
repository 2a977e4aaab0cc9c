#include "views/search_palette.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {

constexpr const char* k_popup = "Quick search###quick_search";

const char* icon_of(const std::string& kind) {
    if (kind == "contact") return fonts::k_icon_user;
    if (kind == "company") return fonts::k_icon_building;
    if (kind == "deal") return fonts::k_icon_briefcase;
    if (kind == "ticket") return fonts::k_icon_ticket;
    if (kind == "task") return fonts::k_icon_task;
    return fonts::k_icon_search;
}

std::string kind_label(const std::string& kind) {
    if (kind == "company") return "Company";
    if (kind.empty()) return {};
    std::string s = kind;
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

// Ctrl+K, or Cmd+K on macOS (GLFW reports Cmd as Super). The key index is GLFW's, which is
// the ASCII capital for letters; ImGui 1.86 has no ImGuiKey for K.
bool shortcut_pressed() {
    const ImGuiIO& io = ImGui::GetIO();
    return (io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed('K', false);
}

} // namespace

void SearchPalette::set_account(const std::string& account_id) {
    if (account_id == m_account_id) return;
    m_account_id = account_id;
    m_life.reset();
    m_model.close();
    m_wanted = false;
}

void SearchPalette::open() {
    if (m_account_id.empty()) return;
    m_life.reset(); // answers for an earlier opening are dropped
    m_model.open();
    m_text.clear();
    m_wanted = true;
    m_focus = true;
    platform::request_redraw();
}

void SearchPalette::send(const app::SearchRequest& request) {
    const std::string url = "/api/v1/accounts/" + platform::url_encode(m_account_id) + "/search?q=" + platform::url_encode(request.q) +
                            "&limit=" + std::to_string(app::QuickSearch::k_limit);
    net::call_api({.method = "GET", .url = url}, net::guard(m_life.weak(), [this, request](const net::ApiResponse& r) {
                      if (r.ok()) m_model.on_answer(request, app::hits_from_json(r.body));
                      else m_model.on_failed(request, net::describe(r));
                  }));
}

void SearchPalette::choose() {
    auto hit = m_model.chosen();
    if (!hit) return;
    m_wanted = false;
    m_model.close();
    if (on_open) on_open(*hit);
}

void SearchPalette::draw() {
    if (!m_wanted && shortcut_pressed()) open();
    if (!m_wanted) return;
    const auto& p = theme::palette();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float width = std::min(theme::px(620), vp->Size.x - theme::px(32));
    if (!ImGui::IsPopupOpen(k_popup)) ImGui::OpenPopup(k_popup);
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.16f), ImGuiCond_Always, ImVec2(0.5f, 0));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(theme::px(10), theme::px(10)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, theme::px(12));
    const bool open = ImGui::BeginPopupModal(k_popup, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                                                                  ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
    ImGui::PopStyleVar(2);
    if (!open) {
        m_wanted = false;
        return;
    }
    const ImVec2 wmin = ImGui::GetWindowPos();
    a11y::push("dialog", "Quick search", wmin, ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y), {{"aria-modal", "true"}});

    // The field: big, with a search icon inside and the shortcut's reminder on the right.
    const double now = platform::now_ms();
    ImGui::PushFont(fonts::title());
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(theme::px(40), theme::px(12)));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, p.surface);
    ImGui::SetNextItemWidth(-1);
    if (m_focus) {
        ImGui::SetKeyboardFocusHere();
        m_focus = false;
    }
    if (ImGui::InputTextWithHint("##q", "Search contacts, companies, deals, tickets, tasks", &m_text)) {
        m_model.edit(m_text, now);
        platform::redraw_after(static_cast<int>(app::QuickSearch::k_debounce_ms) + 10);
    }
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
    ImGui::PopFont();
    a11y::textbox("Search everything", m_text);
    {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImFont* f = fonts::body();
        const ImVec2 fmin = ImGui::GetItemRectMin(), fmax = ImGui::GetItemRectMax();
        const float cy = (fmin.y + fmax.y) * 0.5f;
        const ImVec2 is = f->CalcTextSizeA(f->FontSize, 1e9f, 0, fonts::k_icon_search);
        dl->AddText(f, f->FontSize, ImVec2(fmin.x + theme::px(14), std::floor(cy - is.y * 0.5f)), theme::color(p.text_muted), fonts::k_icon_search);
        if (m_model.searching()) ui::spinner(ImVec2(fmax.x - theme::px(22), cy), theme::px(8));
        else {
            const char* esc = "Esc";
            const ImVec2 s = ui::badge_size(esc);
            ui::badge(dl, ImVec2(fmax.x - theme::px(12) - s.x, std::floor(cy - s.y * 0.5f)), esc, ui::BadgeKind::neutral);
        }
    }
    if (auto request = m_model.poll(now)) send(*request);
    if (const double wait = m_model.wait_ms(now); wait > 0) platform::redraw_after(static_cast<int>(wait) + 5);

    // Keys: Up/Down pick, Enter opens, Esc closes.
    const auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
    if (pressed(ImGuiKey_DownArrow)) m_model.select_next();
    if (pressed(ImGuiKey_UpArrow)) m_model.select_previous();
    bool chose = pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeyPadEnter);
    if (pressed(ImGuiKey_Escape)) m_wanted = false;

    // Results.
    const auto& hits = m_model.hits();
    const float row_h = theme::px(44);
    if (!m_model.error().empty()) {
        ImGui::Dummy(ImVec2(0, theme::px(4)));
        ui::error_line("Search failed: " + m_model.error(), "q");
    } else if (m_model.answered() && hits.empty() && !m_model.searching()) {
        ImGui::Dummy(ImVec2(0, theme::px(6)));
        const std::string none = "Nothing matches \"" + m_model.text() + "\". Names match from their start; emails exactly.";
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + theme::px(8));
        ui::muted_text(none);
        a11y::text_item("status", "No results", none);
        ImGui::Dummy(ImVec2(0, theme::px(4)));
    } else if (!hits.empty()) {
        ImGui::Dummy(ImVec2(0, theme::px(2)));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 list_min = ImGui::GetCursorScreenPos();
        a11y::push("listbox", "Results", list_min, ImVec2(list_min.x + ImGui::GetContentRegionAvail().x, list_min.y + row_h * static_cast<float>(hits.size())));
        for (std::size_t i = 0; i < hits.size(); ++i) {
            const auto& h = hits[i];
            ImGui::PushID(static_cast<int>(i));
            const ImVec2 rmin = ImGui::GetCursorScreenPos();
            const ImVec2 rmax(rmin.x + ImGui::GetContentRegionAvail().x, rmin.y + row_h);
            ImGui::InvisibleButton("##hit", ImVec2(rmax.x - rmin.x, row_h));
            if (ImGui::IsItemHovered() && ImGui::GetIO().MouseDelta.x * ImGui::GetIO().MouseDelta.x + ImGui::GetIO().MouseDelta.y * ImGui::GetIO().MouseDelta.y > 0)
                m_model.select(static_cast<int>(i));
            if (ImGui::IsItemClicked()) {
                m_model.select(static_cast<int>(i));
                chose = true;
            }
            const bool sel = static_cast<int>(i) == m_model.selected();
            if (sel) dl->AddRectFilled(rmin, rmax, theme::color(theme::accent_soft()), theme::px(8));
            ImFont* f = fonts::body();
            ImFont* semi = fonts::semibold();
            const float cy = (rmin.y + rmax.y) * 0.5f;
            const ImVec2 icon_c(rmin.x + theme::px(22), cy);
            dl->AddCircleFilled(icon_c, theme::px(14), theme::color(sel ? p.surface : p.background), 24);
            const ImVec2 is = f->CalcTextSizeA(f->FontSize, 1e9f, 0, icon_of(h.kind));
            dl->AddText(f, f->FontSize, ImVec2(std::floor(icon_c.x - is.x * 0.5f), std::floor(cy - is.y * 0.5f)),
                        theme::color(sel ? p.accent : p.text_muted), icon_of(h.kind));
            const ImVec2 ts = semi->CalcTextSizeA(semi->FontSize, 1e9f, 0, h.title.c_str());
            const ImVec4 clip(rmin.x, rmin.y, rmax.x - theme::px(110), rmax.y);
            dl->AddText(semi, semi->FontSize, ImVec2(rmin.x + theme::px(46), std::floor(cy - ts.y * 0.5f)), theme::color(p.text), h.title.c_str(),
                        nullptr, 0, &clip);
            const std::string kind = kind_label(h.kind);
            const ImVec2 ks = f->CalcTextSizeA(f->FontSize, 1e9f, 0, kind.c_str());
            dl->AddText(f, f->FontSize, ImVec2(rmax.x - theme::px(14) - ks.x, std::floor(cy - ks.y * 0.5f)), theme::color(p.text_muted),
                        kind.c_str());
            a11y::text_node("option", h.title, h.title + " \xc2\xb7 " + kind, rmin, rmax,
                            {{"aria-selected", sel ? "true" : "false"}, {"data-kind", h.kind}, {"data-id", h.id}});
            ImGui::PopID();
        }
        a11y::pop();
    } else if (m_text.empty()) {
        ImGui::Dummy(ImVec2(0, theme::px(4)));
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + theme::px(8));
        ui::muted_text("Type a name or an email.  \xe2\x86\x91 \xe2\x86\x93 to pick, Enter to open, Esc to close.");
        ImGui::Dummy(ImVec2(0, theme::px(2)));
    }
    if (chose) choose();
    if (!m_wanted) {
        m_model.close();
        ImGui::CloseCurrentPopup();
    }
    a11y::pop();
    ImGui::EndPopup();
}

} // namespace stronghold::web::views
