// The board itself: columns side by side (scrolling sideways when they do not fit), each with
// its header (stage, count, sums per currency), its cards (scrolling down) and "New deal".
// A card is an ImGui drag-and-drop source; a column is a drop target over its whole rect.
// Keyboard: arrows select a card, Shift+Left/Right moves it a stage, Enter opens it.
#include "views/pipeline_view.hpp"

#include "app/members.hpp"
#include "app/text_format.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace stronghold::web::views {
namespace {

constexpr const char* k_payload = "SH_DEAL";
const ImVec4 k_column_bg{0.933f, 0.941f, 0.953f, 1.0f};
const ImVec4 k_won{0.133f, 0.620f, 0.337f, 1.0f};
const ImVec4 k_lost{0.612f, 0.639f, 0.686f, 1.0f};

// Won stages read green, lost ones grey, the rest in the brand colour.
ImVec4 stage_color(const std::string& name) {
    const std::string n = app::lower_ascii(name);
    if (n.find("won") != std::string::npos) return k_won;
    if (n.find("lost") != std::string::npos) return k_lost;
    return theme::palette().accent;
}

// Text cut to `width` with an ellipsis.
std::string fit(ImFont* font, float size, const std::string& text, float width) {
    if (font->CalcTextSizeA(size, 1e9f, 0, text.c_str()).x <= width) return text;
    std::string out = text;
    while (!out.empty()) {
        out.pop_back();
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back(); // whole UTF-8 characters
        if (font->CalcTextSizeA(size, 1e9f, 0, (out + "...").c_str()).x <= width) return out + "...";
    }
    return "...";
}

std::string deal_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " deal" : " deals"); }

} // namespace

void PipelineView::draw_board(float height) {
    const app::Pipeline* pipeline = m_board.current();
    if (!pipeline) return;
    // Columns share the width (scrolling sideways only when each would be narrower than 250 px).
    const float gap = theme::px(14);
    const float n = static_cast<float>(std::max<std::size_t>(1, pipeline->stages.size()));
    const float col_w = std::clamp((ImGui::GetContentRegionAvail().x - gap * (n - 1)) / n, theme::px(250), theme::px(330));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::BeginChild("board", ImVec2(0, height), false, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoBackground);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float col_h = ImGui::GetContentRegionAvail().y - (ImGui::GetScrollMaxX() > 0 ? ImGui::GetStyle().ScrollbarSize : 0);
    a11y::push("region", "Pipeline board", origin, ImVec2(origin.x + ImGui::GetWindowSize().x, origin.y + height),
               {{"data-pipeline-id", pipeline->id}});
    if (!m_board.deals_loaded()) ui::spinner(ImVec2(origin.x + ImGui::GetWindowSize().x * 0.5f, origin.y + theme::px(120)), theme::px(14));
    m_hovered_drop.clear();
    for (std::size_t i = 0; i < pipeline->stages.size(); ++i)
        draw_column(pipeline->stages[i], static_cast<int>(i), ImVec2(start.x + static_cast<float>(i) * (col_w + gap), start.y),
                    ImVec2(col_w, col_h));
    ImGui::SetCursorScreenPos(start);
    ImGui::Dummy(ImVec2(static_cast<float>(pipeline->stages.size()) * (col_w + gap) - gap, col_h));
    a11y::pop();
    ImGui::EndChild();
    m_drop_highlight = m_hovered_drop;
    handle_keys();
}

void PipelineView::draw_column(const app::Stage& stage, int index, ImVec2 at, ImVec2 size) {
    const auto& p = theme::palette();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max(at.x + size.x, at.y + size.y);
    const float radius = theme::px(10), pad = theme::px(10);
    const bool highlighted = m_drop_highlight == stage.id;
    dl->AddRectFilled(at, max, theme::color(highlighted ? theme::accent_soft() : k_column_bg), radius);
    if (highlighted) dl->AddRect(at, max, theme::color(p.accent), radius, 0, theme::px(2));
    const ImVec4 tint = stage_color(stage.name);
    dl->AddRectFilled(at, ImVec2(max.x, at.y + theme::px(4)), theme::color(tint), radius, ImDrawFlags_RoundCornersTop);

    const std::vector<const app::Deal*> deals = m_board.column(stage.id);
    const std::string sums = app::format_sums(m_board.sums(stage.id));
    a11y::push("list", stage.name, at, max, {{"data-stage-id", stage.id}});

    // Header: name and count on the first line, the sums per currency under it.
    ImFont* semi = fonts::semibold();
    ImFont* body = fonts::body();
    const float header_h = theme::px(66);
    const ImVec2 name_at(at.x + pad + theme::px(4), at.y + theme::px(16));
    dl->AddCircleFilled(ImVec2(name_at.x + theme::px(4), name_at.y + semi->FontSize * 0.55f), theme::px(4), theme::color(tint));
    const std::string title = fit(semi, semi->FontSize, stage.name, size.x - theme::px(90));
    dl->AddText(semi, semi->FontSize, ImVec2(name_at.x + theme::px(14), name_at.y), theme::color(p.text), title.c_str());
    const std::string count = std::to_string(deals.size());
    const ImVec2 bs = ui::badge_size(count);
    ui::badge(dl, ImVec2(max.x - pad - bs.x, name_at.y - theme::px(1)), count, ui::BadgeKind::neutral);
    const std::string sum_text = sums.empty() ? std::string("No value yet") : sums;
    dl->AddText(body, body->FontSize, ImVec2(name_at.x, name_at.y + semi->FontSize + theme::px(6)),
                theme::color(p.text_muted, sums.empty() ? 0.7f : 1.0f), fit(body, body->FontSize, sum_text, size.x - pad * 2).c_str());
    a11y::text_node("status", stage.name + " summary", deal_count(deals.size()) + (sums.empty() ? "" : " \xc2\xb7 " + sums), at,
                    ImVec2(max.x, at.y + header_h));

    // Cards.
    const bool can_create = m_me && m_me->permissions.count(m_account_id) && m_me->permissions.at(m_account_id).count("deal.create");
    const float footer_h = can_create ? theme::px(48) : theme::px(8);
    const float card_h = theme::px(96), card_r = theme::px(8), cp = theme::px(12), spacing = theme::px(8);
    // The list is as tall as its cards (so "New deal" follows the last one), at most the column.
    const float content_h = deals.empty() ? theme::px(72) : static_cast<float>(deals.size()) * (card_h + spacing) - spacing;
    const ImVec2 list_at(at.x + pad, at.y + header_h);
    const ImVec2 list_size(size.x - pad * 2, std::min(size.y - header_h - footer_h, content_h + theme::px(2)));
    ImGui::SetCursorScreenPos(list_at);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, spacing));
    ImGui::BeginChild(("cards_" + stage.id).c_str(), list_size, false, ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    const ImVec2 clip_min = ImGui::GetWindowPos();
    const ImVec2 clip_max(clip_min.x + ImGui::GetWindowSize().x, clip_min.y + ImGui::GetWindowSize().y);
    ImDrawList* cdl = ImGui::GetWindowDrawList();
    const ImGuiPayload* dragging = ImGui::GetDragDropPayload();
    if (deals.empty() && m_board.deals_loaded()) {
        const char* hint = "Drop a deal here";
        const ImVec2 ts = body->CalcTextSizeA(body->FontSize, 1e9f, 0, hint);
        const ImVec2 box_min(clip_min.x, clip_min.y), box_max(clip_max.x, clip_min.y + theme::px(72));
        cdl->AddRect(box_min, box_max, theme::color(p.border), card_r, 0, theme::px(1.5f));
        cdl->AddText(body, body->FontSize, ImVec2(std::floor((box_min.x + box_max.x - ts.x) * 0.5f), std::floor((box_min.y + box_max.y - ts.y) * 0.5f)),
                     theme::color(p.text_muted, 0.8f), hint);
    }
    for (const app::Deal* d : deals) {
        ImGui::PushID(d->id.c_str());
        const ImVec2 c_min = ImGui::GetCursorScreenPos();
        const ImVec2 c_max(c_min.x + list_size.x, c_min.y + card_h);
        ImGui::InvisibleButton("##card", ImVec2(list_size.x, card_h));
        const bool hovered = ImGui::IsItemHovered();
        const bool selected = d->id == m_selected;
        if (ImGui::IsItemClicked()) m_selected = d->id;
        if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && on_open_deal) on_open_deal(d->id);
        if (hovered && !dragging) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        if (selected && m_scroll_to_selected) {
            ImGui::SetScrollHereY(0.5f);
            m_scroll_to_selected = false;
        }
        const bool this_dragged = dragging && dragging->IsDataType(k_payload) &&
                                  std::string(static_cast<const char*>(dragging->Data), static_cast<std::size_t>(dragging->DataSize)) == d->id;
        if (ImGui::BeginDragDropSource(ImGuiDragDropFlags_SourceNoHoldToOpenOthers)) {
            ImGui::SetDragDropPayload(k_payload, d->id.data(), d->id.size());
            ImGui::PushFont(semi);
            ImGui::TextUnformatted(d->name.c_str());
            ImGui::PopFont();
            if (d->has_value) ui::muted_text(app::format_money(d->value, d->currency));
            ImGui::EndDragDropSource();
        }
        if (this_dragged) { // the card's place while it travels
            cdl->AddRectFilled(c_min, c_max, theme::color(theme::accent_soft()), card_r);
            cdl->AddRect(c_min, c_max, theme::color(p.accent, 0.5f), card_r, 0, theme::px(1.5f));
        } else {
            if (hovered || selected) cdl->AddRectFilled(ImVec2(c_min.x, c_min.y + theme::px(2)), ImVec2(c_max.x, c_max.y + theme::px(2)),
                                                        IM_COL32(15, 23, 42, 18), card_r);
            cdl->AddRectFilled(c_min, c_max, theme::color(p.surface), card_r);
            cdl->AddRect(c_min, c_max, selected ? theme::color(p.accent) : theme::color(p.border, hovered ? 1.0f : 0.9f), card_r, 0,
                         theme::px(selected ? 2.0f : 1.0f));
            // Name, value (+ won/lost), then owner and company.
            float y = c_min.y + cp;
            const float inner = list_size.x - cp * 2;
            cdl->AddText(semi, semi->FontSize, ImVec2(c_min.x + cp, y), theme::color(p.text), fit(semi, semi->FontSize, d->name, inner).c_str());
            y += semi->FontSize + theme::px(6);
            const std::string money = d->has_value ? app::format_money(d->value, d->currency) : std::string("No value");
            cdl->AddText(body, body->FontSize, ImVec2(c_min.x + cp, y), theme::color(d->has_value ? p.text : p.text_muted), money.c_str());
            if (d->status == "won" || d->status == "lost") {
                const char* label = d->status == "won" ? "Won" : "Lost";
                const ImVec2 s = ui::badge_size(label);
                ui::badge(cdl, ImVec2(c_max.x - cp - s.x, y - theme::px(2)), label, d->status == "won" ? ui::BadgeKind::good : ui::BadgeKind::neutral);
            }
            y += body->FontSize + theme::px(10);
            const float r = theme::px(10);
            std::string owner;
            if (m_me && !d->owner_id.empty() && d->owner_id == m_me->user_id) owner = m_me->name.empty() ? m_me->email : m_me->name;
            else if (const auto* member = app::member_directory().find(d->owner_id)) owner = member->name; // GET .../members
            if (!owner.empty()) ui::avatar(cdl, ImVec2(c_min.x + cp + r, y + r), r, owner);
            else if (!d->owner_id.empty()) { // not in the directory (yet): a quiet person icon
                cdl->AddCircleFilled(ImVec2(c_min.x + cp + r, y + r), r, theme::color(k_column_bg), 24);
                const float is = body->FontSize * 0.8f;
                const ImVec2 isz = body->CalcTextSizeA(is, 1e9f, 0, fonts::k_icon_user);
                cdl->AddText(body, is, ImVec2(std::floor(c_min.x + cp + r - isz.x * 0.5f), std::floor(y + r - isz.y * 0.5f)),
                             theme::color(p.text_muted), fonts::k_icon_user);
            }
            auto company = m_company_names.find(d->company_id);
            std::string footer = company != m_company_names.end() ? company->second : std::string();
            if (footer.empty()) footer = owner.empty() ? (d->owner_id.empty() ? "Unassigned" : "Teammate") : owner;
            const float fx = c_min.x + cp + (d->owner_id.empty() ? 0 : r * 2 + theme::px(8));
            const float small = body->FontSize * 0.93f;
            if (!footer.empty())
                cdl->AddText(body, small, ImVec2(fx, std::floor(y + r - small * 0.5f)), theme::color(p.text_muted),
                             fit(body, small, footer, c_max.x - cp - fx - theme::px(18)).c_str());
            if (m_board.moving(d->id)) ui::spinner(ImVec2(c_max.x - cp - theme::px(6), y + r), theme::px(6));
        }
        // Mirror node clipped to the visible list, so a click at its centre lands on the card.
        const float y0 = std::max(c_min.y, clip_min.y), y1 = std::min(c_max.y, clip_max.y);
        if (y1 - y0 > 2) {
            std::string text = d->name + ", " + (d->has_value ? app::format_money(d->value, d->currency) : std::string("no value"));
            if (auto co = m_company_names.find(d->company_id); co != m_company_names.end()) text += ", " + co->second;
            a11y::text_node("listitem", d->name, text, ImVec2(c_min.x, y0), ImVec2(c_max.x, y1),
                            {{"data-id", d->id}, {"data-stage", stage.name}, {"aria-selected", selected ? "true" : "false"}});
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
    ImGui::PopStyleVar();

    if (can_create) {
        ImGui::SetCursorScreenPos(ImVec2(at.x + pad, list_at.y + list_size.y + theme::px(6)));
        const std::string label = std::string(fonts::k_icon_plus) + "  New deal##" + stage.id;
        if (ui::button("New deal in " + stage.name, label.c_str(), ui::ButtonKind::ghost, ImVec2(size.x - pad * 2, 0))) {
            m_new = NewDeal();
            m_new.stage = index;
            m_new.open = true;
        }
    }
    a11y::pop();

    // The whole column takes a dropped card.
    if (ImGui::BeginDragDropTargetCustom(ImRect(at, max), ImGui::GetID(("drop_" + stage.id).c_str()))) {
        const ImGuiPayload* payload =
            ImGui::AcceptDragDropPayload(k_payload, ImGuiDragDropFlags_AcceptBeforeDelivery | ImGuiDragDropFlags_AcceptNoDrawDefaultRect);
        if (payload) {
            const std::string id(static_cast<const char*>(payload->Data), static_cast<std::size_t>(payload->DataSize));
            const app::Deal* d = m_board.find(id);
            if (d && d->stage_id != stage.id) m_hovered_drop = stage.id;
            if (payload->IsDelivery()) {
                m_selected = id;
                if (auto mv = m_board.move(id, stage.id)) send_move(*mv);
            }
        }
        ImGui::EndDragDropTarget();
    }
}

void PipelineView::handle_keys() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId) || io.KeyCtrl || io.KeySuper || io.KeyAlt) return;
    const app::Pipeline* pipeline = m_board.current();
    if (!pipeline || !m_board.deals_loaded()) return;
    const auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); };
    const bool left = pressed(ImGuiKey_LeftArrow), right = pressed(ImGuiKey_RightArrow);
    const bool up = pressed(ImGuiKey_UpArrow), down = pressed(ImGuiKey_DownArrow);
    const bool enter = pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeyPadEnter), escape = pressed(ImGuiKey_Escape);
    if (!(left || right || up || down || enter || escape)) return;
    const app::Deal* sel = m_board.find(m_selected);
    if (!sel) { // the first arrow selects the first card on the board
        if (!(left || right || up || down)) return;
        for (const auto& s : pipeline->stages)
            if (auto col = m_board.column(s.id); !col.empty()) {
                m_selected = col.front()->id;
                m_scroll_to_selected = true;
                break;
            }
        return;
    }
    if (escape) {
        m_selected.clear();
        return;
    }
    if (enter) {
        if (on_open_deal) on_open_deal(sel->id);
        return;
    }
    const std::vector<const app::Deal*> col = m_board.column(sel->stage_id);
    const auto at = std::find(col.begin(), col.end(), sel) - col.begin();
    if (io.KeyShift && (left || right)) { // move the card one stage
        if (auto to = m_board.neighbour_stage(sel->stage_id, left ? -1 : 1))
            if (auto mv = m_board.move(sel->id, *to)) {
                send_move(*mv);
                m_scroll_to_selected = true;
            }
        return;
    }
    if (up || down) {
        const auto next = at + (down ? 1 : -1);
        if (next >= 0 && next < static_cast<std::ptrdiff_t>(col.size())) m_selected = col[static_cast<std::size_t>(next)]->id;
        m_scroll_to_selected = true;
        return;
    }
    // Left/Right: the card at the same height in the nearest column that has cards.
    std::string stage = sel->stage_id;
    while (auto to = m_board.neighbour_stage(stage, left ? -1 : 1)) {
        stage = *to;
        auto other = m_board.column(stage);
        if (other.empty()) continue;
        m_selected = other[static_cast<std::size_t>(std::min<std::ptrdiff_t>(at, static_cast<std::ptrdiff_t>(other.size()) - 1))]->id;
        m_scroll_to_selected = true;
        return;
    }
}

} // namespace stronghold::web::views
