#include "views/conflict_dialog.hpp"

#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <string>

namespace stronghold::web::views {
namespace {

// One value in its column, wrapped; a quiet dash for an empty value.
void value_cell(const std::string& text, bool strong) {
    const auto& p = theme::palette();
    ImGui::PushFont(strong ? fonts::semibold() : fonts::body());
    ImGui::PushStyleColor(ImGuiCol_Text, text.empty() ? p.text_muted : p.text);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x - theme::px(6));
    ImGui::TextUnformatted(text.empty() ? "(empty)" : text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

} // namespace

app::ConflictChoice draw_conflict_dialog(bool& open, const char* what, const std::vector<app::ConflictRow>& rows) {
    app::ConflictChoice choice = app::ConflictChoice::none;
    if (!ui::begin_dialog("Edit conflict", open, 640, false)) return choice;
    const auto& p = theme::palette();
    ui::heading("Someone else saved changes first");
    const std::string text = std::string("Another person changed this ") + what +
                             " while you were editing it. Nothing is lost: compare the versions and choose what to keep.";
    ImGui::PushTextWrapPos(0);
    ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    a11y::text_item("alert", "", text, {{"data-field", ""}});
    ImGui::Dummy(ImVec2(0, theme::px(6)));

    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_PadOuterX;
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(10), theme::px(8)));
    if (ImGui::BeginTable("conflict_rows", 3, flags)) {
        ImGui::TableSetupColumn("Field", 0, 1.0f);
        ImGui::TableSetupColumn("Their version", 0, 1.6f);
        ImGui::TableSetupColumn("Yours", 0, 1.6f);
        const ImVec2 tmin = ImGui::GetCursorScreenPos();
        a11y::push("table", "Changes", tmin, ImVec2(tmin.x + ImGui::GetContentRegionAvail().x, tmin.y + theme::px(40) * (rows.size() + 1)));
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        ImGui::PushFont(fonts::semibold());
        ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
        for (int c = 0; c < 3; ++c) {
            ImGui::TableSetColumnIndex(c);
            ImGui::TextUnformatted(ImGui::TableGetColumnName(c));
            a11y::item("columnheader", ImGui::TableGetColumnName(c));
        }
        ImGui::PopStyleColor();
        ImGui::PopFont();
        for (const auto& row : rows) {
            ImGui::TableNextRow();
            const float y0 = ImGui::GetCursorScreenPos().y;
            ImGui::TableSetColumnIndex(0);
            ImGui::PushFont(fonts::semibold());
            ImGui::TextUnformatted(row.label.c_str());
            ImGui::PopFont();
            ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
            const char* who = row.touched && row.they_changed ? "changed by both" : row.touched ? "changed by you" : "changed by them";
            ImGui::TextUnformatted(who);
            ImGui::PopStyleColor();
            ImGui::TableSetColumnIndex(1);
            value_cell(row.theirs, row.they_changed);
            ImGui::TableSetColumnIndex(2);
            value_cell(row.yours, row.touched);
            const float y1 = ImGui::GetItemRectMax().y;
            const ImVec2 rmin(tmin.x, y0), rmax(tmin.x + ImGui::GetWindowContentRegionMax().x, y1);
            a11y::push("row", row.label, rmin, rmax, {{"data-field", row.field}, {"data-who", who}});
            a11y::text_node("cell", "Their version", row.theirs, rmin, rmax);
            a11y::text_node("cell", "Yours", row.yours, rmin, rmax);
            a11y::pop();
        }
        a11y::pop();
        ImGui::EndTable();
    }
    ImGui::PopStyleVar();
    ImGui::Dummy(ImVec2(0, theme::px(8)));

    ImGui::PushFont(fonts::semibold());
    const auto width_of = [](const char* s) { return ImGui::CalcTextSize(s).x + ImGui::GetStyle().FramePadding.x * 2 + theme::px(8); };
    const float w1 = width_of("Keep theirs"), w2 = width_of("Merge"), w3 = width_of("Overwrite with mine");
    ImGui::PopFont();
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - w1 - w2 - w3 - sp * 2);
    if (ui::button("Keep theirs", "Keep theirs", ui::ButtonKind::secondary, ImVec2(w1, 0))) choice = app::ConflictChoice::keep_theirs;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drop your edits and show their version");
    ImGui::SameLine();
    if (ui::button("Merge", "Merge", ui::ButtonKind::secondary, ImVec2(w2, 0))) choice = app::ConflictChoice::merge;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep your changed fields; take theirs for the rest");
    ImGui::SameLine();
    if (ui::button("Overwrite with mine", "Overwrite with mine", ui::ButtonKind::danger, ImVec2(w3, 0)))
        choice = app::ConflictChoice::overwrite;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save every value of your form over their version");
    if (choice != app::ConflictChoice::none) open = false;
    ui::end_dialog();
    return choice;
}

} // namespace stronghold::web::views
