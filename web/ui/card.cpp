#include "ui/card.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>

namespace stronghold::web::ui {

float card_padding() { return theme::px(24); }

float card_begin(Card& card, const char* title, const char* subtitle, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    card.min = ImGui::GetCursorScreenPos();
    card.width = width;
    card.split.Split(dl, 2);
    card.split.SetCurrentChannel(dl, 1);
    const float pad = card_padding();
    ImGui::Indent(pad);
    ImGui::Dummy(ImVec2(0, pad - ImGui::GetStyle().ItemSpacing.y));
    ImGui::PushFont(fonts::semibold());
    ImGui::SetWindowFontScale(1.12f); // between body and page title: a section heading
    ImGui::TextUnformatted(title);
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopFont();
    a11y::text_item("heading", title, title, {{"aria-level", "3"}});
    const float inner = width - pad * 2;
    if (subtitle) {
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - theme::px(6));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + inner);
        muted_text(subtitle);
        ImGui::PopTextWrapPos();
    }
    ImGui::Dummy(ImVec2(0, theme::px(2)));
    return inner;
}

void card_end(Card& card) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pad = card_padding();
    ImGui::Dummy(ImVec2(0, pad - ImGui::GetStyle().ItemSpacing.y));
    ImGui::Unindent(pad);
    const ImVec2 max(card.min.x + card.width, ImGui::GetCursorScreenPos().y - ImGui::GetStyle().ItemSpacing.y);
    card.split.SetCurrentChannel(dl, 0);
    const auto& p = theme::palette();
    const float r = theme::px(12);
    dl->AddRectFilled(ImVec2(card.min.x, card.min.y + theme::px(1)), ImVec2(max.x, max.y + theme::px(2)), IM_COL32(15, 23, 42, 10), r);
    dl->AddRectFilled(card.min, max, theme::color(p.surface), r);
    dl->AddRect(card.min, max, theme::color(p.border), r, 0, theme::px(1));
    card.split.Merge(dl);
    ImGui::Dummy(ImVec2(0, theme::px(8)));
}

bool card_title_button(ImVec2 card_top_left, float card_width, const char* name, const char* label, bool primary) {
    ImGui::PushFont(fonts::semibold());
    const float bw = ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::PopFont();
    const ImVec2 back = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(card_top_left.x + card_width - card_padding() - bw, card_top_left.y + card_padding() - theme::px(4)));
    const bool clicked = button(name, label, primary ? ButtonKind::primary : ButtonKind::secondary);
    ImGui::SetCursorScreenPos(back);
    return clicked;
}

bool page_loaded(PageLoad state, const char* what, const std::string& error, float column, bool& retry) {
    if (state == PageLoad::ready) return true;
    if (state == PageLoad::loading) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        spinner(ImVec2(at.x + column * 0.5f, at.y + theme::px(60)), theme::px(14));
        a11y::text_node("status", what, "Loading...", at, ImVec2(at.x + column, at.y + theme::px(120)));
        return false;
    }
    const std::string line = std::string(what) + " could not be loaded.";
    ImGui::TextUnformatted(line.c_str());
    a11y::text_item("alert", "", std::string(what) + " could not be loaded: " + error);
    muted_text(error);
    if (button("Retry", "Retry", ButtonKind::primary)) retry = true;
    return false;
}

float page_begin(Page& page, float max_width_css) {
    // The header stays put (the way back is always in view); the cards scroll under it. The
    // scrollbar sits at the page's right edge, the column in the middle.
    const float avail = ImGui::GetContentRegionAvail().x;
    page.column = std::min(avail - theme::px(16), theme::px(max_width_css));
    page.indent = std::floor((avail - page.column) * 0.5f);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + page.indent);
    ImGui::BeginGroup();
    return page.column;
}

void page_body(Page& page, const char* child_id) {
    ImGui::EndGroup();
    ImGui::BeginChild(child_id, ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
    if (page.indent > 0) ImGui::Indent(page.indent);
}

void page_end(Page& page) {
    ImGui::Dummy(ImVec2(0, theme::px(16)));
    if (page.indent > 0) ImGui::Unindent(page.indent);
    ImGui::EndChild();
}

bool page_header(const char* title, const char* subtitle) {
    const bool back = button("Back to contacts", "\xe2\x86\x90  Contacts", ButtonKind::ghost);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - theme::px(2));
    heading(title);
    if (subtitle && *subtitle) {
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - theme::px(6));
        muted_text(subtitle);
    }
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    return back;
}

} // namespace stronghold::web::ui
