// The user's sessions (IAM-5): where they are signed in, and "Sign out" for any other device.
#include "views/profile_view.hpp"

#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/card.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace stronghold::web::views {
namespace {

model::UnixMillis wall_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool looks_mobile(const app::SessionInfo& s) {
    const std::string& t = s.device.empty() ? s.user_agent : s.device;
    return t.find("Android") != std::string::npos || t.find("iPhone") != std::string::npos || t.find("iOS") != std::string::npos ||
           t.find("Mobile") != std::string::npos;
}

} // namespace

void ProfileView::load_sessions() {
    m_sessions_failed = false;
    net::call_api({.method = "GET", .url = "/api/v1/me/sessions"}, net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
        auto list = r.ok() ? app::sessions_from_json(r.body) : std::nullopt;
        if (!list) {
            m_sessions_failed = true;
            ui::toast("Could not load your sessions: " + (r.ok() ? std::string("the answer was not understood.") : net::describe(r)));
            return;
        }
        m_sessions = std::move(*list);
    }));
}

void ProfileView::sign_out(const std::string& id) {
    m_signing_out = id;
    reauth::send({.method = "DELETE", .url = "/api/v1/me/sessions/" + platform::url_encode(id)},
                 net::guard(m_life.weak(), [this, id](const net::ApiResponse& r) {
                     m_signing_out.clear();
                     if (reauth::was_cancelled(r)) return;
                     if (r.ok() || r.status == 404) { // 404: it ended meanwhile; either way it is gone
                         std::string device = "that device";
                         if (m_sessions) {
                             auto it = std::find_if(m_sessions->begin(), m_sessions->end(), [&](const auto& s) { return s.id == id; });
                             if (it != m_sessions->end()) {
                                 device = app::device_label(*it);
                                 m_sessions->erase(it);
                             }
                         }
                         ui::toast("Signed out of " + device + ".", false);
                         return;
                     }
                     ui::toast("Could not sign out that session: " + net::describe(r));
                 }));
}

void ProfileView::draw_sessions_card(float width) {
    const auto& p = theme::palette();
    ui::Card card;
    const float inner = ui::card_begin(card, "Sessions", "Where your account is signed in. Sign out any session you don't recognise.", width);
    if (!m_sessions) {
        if (m_sessions_failed) {
            ui::muted_text("Your sessions could not be loaded.");
            ImGui::SameLine();
            if (ui::button("Retry", "Retry##sessions")) load_sessions();
        } else {
            ImGui::Dummy(ImVec2(inner, theme::px(40)));
            ui::spinner(ImVec2(ImGui::GetItemRectMin().x + inner * 0.5f, ImGui::GetItemRectMin().y + theme::px(20)), theme::px(10));
        }
        ui::card_end(card);
        return;
    }

    // Render on demand draws nothing while idle: wake once a minute so relative times move on.
    if (platform::now_ms() >= m_tick_at) {
        m_tick_at = platform::now_ms() + 60000;
        platform::redraw_after(60000);
    }
    const float row_h = theme::px(52);
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(10), 0));
    if (ImGui::BeginTable("sessions", 5, flags, ImVec2(inner, 0))) {
        ImGui::TableSetupColumn("Device", 0, 2.6f);
        ImGui::TableSetupColumn("IP address", 0, 1.3f);
        ImGui::TableSetupColumn("Signed in", 0, 1.1f);
        ImGui::TableSetupColumn("Last seen", 0, 1.1f);
        ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthFixed, theme::px(104));
        const ImVec2 table_min = ImGui::GetCursorScreenPos();
        a11y::push("table", "Sessions", table_min, ImVec2(table_min.x + inner, table_min.y + row_h * (m_sessions->size() + 1)),
                   {{"aria-rowcount", std::to_string(m_sessions->size() + 1)}});

        // Header row.
        const float header_h = theme::px(36);
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers, header_h);
        ImGui::PushFont(fonts::semibold());
        a11y::push("row", "Columns", table_min, ImVec2(table_min.x + inner, table_min.y + header_h));
        for (int c = 0; c < 4; ++c) {
            ImGui::TableSetColumnIndex(c);
            const char* name = ImGui::TableGetColumnName(c);
            const ImVec2 at = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddText(ImVec2(at.x, at.y + std::floor((header_h - ImGui::GetTextLineHeight()) * 0.5f)),
                                                theme::color(p.text_muted), name);
            a11y::node("columnheader", name, at, ImVec2(at.x + ImGui::GetContentRegionAvail().x, at.y + header_h));
        }
        a11y::pop();
        ImGui::PopFont();

        const model::UnixMillis now = wall_now();
        std::string to_sign_out;
        for (std::size_t i = 0; i < m_sessions->size(); ++i) {
            const app::SessionInfo& s = (*m_sessions)[i];
            ImGui::TableNextRow(0, row_h);
            ImGui::TableSetColumnIndex(0);
            const ImVec2 row_min = ImGui::GetCursorScreenPos();
            const std::string device = app::device_label(s);
            a11y::push("row", device, ImVec2(table_min.x, row_min.y), ImVec2(table_min.x + inner, row_min.y + row_h),
                       {{"data-id", s.id}, {"aria-rowindex", std::to_string(i + 2)}, {"data-current", s.current ? "true" : "false"}});
            ImDrawList* dl = ImGui::GetWindowDrawList();
            ImGui::PushID(s.id.c_str());

            // Device: icon disc, name (+ "This device"), user agent underneath in small muted text.
            {
                const float r = theme::px(16);
                const ImVec2 c(row_min.x + r, row_min.y + row_h * 0.5f);
                dl->AddCircleFilled(c, r, theme::color(s.current ? theme::accent_soft() : ImVec4(0.93f, 0.94f, 0.96f, 1)), 32);
                ImFont* f = fonts::body();
                const char* icon = looks_mobile(s) ? fonts::k_icon_mobile : fonts::k_icon_desktop;
                const ImVec2 is = f->CalcTextSizeA(f->FontSize, 1e9f, 0, icon);
                dl->AddText(f, f->FontSize, ImVec2(std::floor(c.x - is.x * 0.5f), std::floor(c.y - is.y * 0.5f)),
                            theme::color(s.current ? p.accent : p.text_muted), icon);
                ImFont* sb = fonts::semibold();
                const float x = row_min.x + r * 2 + theme::px(12);
                const float line = sb->FontSize;
                const float y = row_min.y + std::floor((row_h - line * 2 - theme::px(2)) * 0.5f);
                const float col_w = ImGui::GetContentRegionAvail().x;
                const ImVec4 clip(row_min.x, row_min.y, row_min.x + col_w, row_min.y + row_h);
                dl->AddText(sb, sb->FontSize, ImVec2(x, y), theme::color(p.text), device.c_str(), nullptr, 0, &clip);
                if (s.current) {
                    const float w = sb->CalcTextSizeA(sb->FontSize, 1e9f, 0, device.c_str()).x;
                    const char* badge = "This device";
                    const float bs = sb->FontSize * 0.8f;
                    const ImVec2 ts = sb->CalcTextSizeA(bs, 1e9f, 0, badge);
                    const ImVec2 bmin(x + w + theme::px(10), y + std::floor((line - ts.y - theme::px(4)) * 0.5f));
                    const ImVec2 bmax(bmin.x + ts.x + theme::px(12), bmin.y + ts.y + theme::px(4));
                    dl->AddRectFilled(bmin, bmax, theme::color({0.86f, 0.97f, 0.90f, 1}), (bmax.y - bmin.y) * 0.5f);
                    dl->AddText(sb, bs, ImVec2(bmin.x + theme::px(6), bmin.y + theme::px(2)), theme::color({0.09f, 0.5f, 0.25f, 1}), badge);
                    a11y::text_node("status", "This device", badge, bmin, bmax);
                }
                const std::string sub = s.user_agent.empty() ? std::string("No browser details") : s.user_agent;
                ImFont* bf = fonts::body();
                dl->AddText(bf, bf->FontSize * 0.85f, ImVec2(x, y + line + theme::px(2)), theme::color(p.text_muted), sub.c_str(),
                            nullptr, 0, &clip);
                a11y::text_node("cell", "", device, ImVec2(row_min.x, row_min.y), ImVec2(row_min.x + col_w, row_min.y + row_h));
            }
            // IP, signed in, last seen: plain muted text, vertically centred.
            const std::string cells[3] = {s.ip.empty() ? std::string("-") : s.ip, app::relative_time(now, s.created_at),
                                          s.current ? std::string("Active now") : app::relative_time(now, s.last_seen_at)};
            for (int c = 0; c < 3; ++c) {
                ImGui::TableSetColumnIndex(c + 1);
                const ImVec2 at(ImGui::GetCursorScreenPos().x, row_min.y);
                const float col_w = ImGui::GetContentRegionAvail().x;
                const ImVec4 clip(at.x, at.y, at.x + col_w, at.y + row_h);
                dl->AddText(fonts::body(), fonts::body()->FontSize,
                            ImVec2(at.x, at.y + std::floor((row_h - ImGui::GetTextLineHeight()) * 0.5f)),
                            theme::color(c == 2 && s.current ? ImVec4(0.09f, 0.5f, 0.25f, 1) : p.text_muted), cells[c].c_str(), nullptr,
                            0, &clip);
                a11y::text_node("cell", "", cells[c], at, ImVec2(at.x + col_w, at.y + row_h));
            }
            // Sign out: every session but this one (signing out here is "Log out" in the user menu).
            ImGui::TableSetColumnIndex(4);
            if (!s.current) {
                ImGui::SetCursorScreenPos(ImVec2(ImGui::GetCursorScreenPos().x,
                                                 row_min.y + std::floor((row_h - ImGui::GetFrameHeight()) * 0.5f)));
                const bool busy = m_signing_out == s.id;
                if (ui::button("Sign out", busy ? "Signing out..." : "Sign out", ui::ButtonKind::secondary,
                               ImVec2(ImGui::GetContentRegionAvail().x, 0), !m_signing_out.empty()))
                    to_sign_out = s.id;
            }
            ImGui::PopID();
            a11y::pop();
        }
        a11y::pop();
        ImGui::EndTable();
        if (!to_sign_out.empty()) sign_out(to_sign_out); // after the loop: it may erase from the list
    }
    ImGui::PopStyleVar();
    if (m_sessions->size() == 1) {
        ImGui::Dummy(ImVec2(0, theme::px(2)));
        ui::muted_text("You are signed in on this device only.");
    }
    ui::card_end(card);
}

} // namespace stronghold::web::views
