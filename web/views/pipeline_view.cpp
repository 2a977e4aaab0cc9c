// Index
// [SECTION] Requests (pipelines, deals, companies, moves, creates)
// [SECTION] Live updates
// [SECTION] Toolbar, empty state, new-deal dialog
#include "views/pipeline_view.hpp"

#include "app/wire_read.hpp"
#include "net/api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdlib>

namespace stronghold::web::views {
namespace {
using nlohmann::json;

std::string account_url(const std::string& account_id) { return "/api/v1/accounts/" + platform::url_encode(account_id); }
std::string if_match(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

bool may(const app::Me* me, const std::string& account_id, const char* permission) {
    if (!me) return false;
    auto it = me->permissions.find(account_id);
    return it != me->permissions.end() && it->second.count(permission) > 0;
}

} // namespace

void PipelineView::open(const app::Me& me, const std::string& account_id) {
    m_me = &me;
    if (account_id == m_account_id) return; // kept while other screens are shown (live frames still apply)
    m_life.reset();
    m_account_id = account_id;
    m_board = app::PipelineBoard();
    m_deals_requested = 0;
    m_selected.clear();
    m_company_names.clear();
    m_new = NewDeal();
    load_pipelines();
    load_companies();
}

void PipelineView::close() {
    m_life.reset();
    m_account_id.clear();
    m_board = app::PipelineBoard();
    m_deals_requested = 0;
    m_new = NewDeal();
}

// [SECTION] Requests

void PipelineView::load_pipelines() {
    m_pipelines_failed = false;
    net::call_api({.method = "GET", .url = account_url(m_account_id) + "/pipelines?limit=200"},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      if (!r.ok()) {
                          m_pipelines_failed = true;
                          m_error = net::describe(r);
                          return;
                      }
                      m_board.set_pipelines(app::pipelines_from_list(r.body));
                      load_deals();
                  }));
}

void PipelineView::load_deals() {
    const app::Pipeline* p = m_board.current();
    if (!p) return;
    const std::uint64_t generation = m_board.generation();
    m_deals_requested = generation;
    // One page of 200 (the API's max) per pipeline: a board of more open deals than that needs
    // cursor paging, which a kanban of this size does not show usefully anyway.
    const std::string url = account_url(m_account_id) + "/deals?pipeline_id%5Beq%5D=" + platform::url_encode(p->id) + "&limit=200";
    net::call_api({.method = "GET", .url = url}, net::guard(m_life.weak(), [this, generation](const net::ApiResponse& r) {
                      if (!r.ok()) {
                          if (generation == m_board.generation()) m_deals_requested = 0; // "Retry" asks again
                          ui::toast("Could not load deals: " + net::describe(r));
                          return;
                      }
                      m_board.set_deals(generation, app::deals_from_list(r.body));
                  }));
}

void PipelineView::load_companies() {
    net::call_api({.method = "GET", .url = account_url(m_account_id) + "/companies?limit=200"},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      if (!r.ok() || !r.body.is_object() || !r.body.contains("items") || !r.body["items"].is_array()) return;
                      for (const auto& c : r.body["items"])
                          if (c.is_object() && c.contains("id") && c["id"].is_string() && c.contains("name") && c["name"].is_string())
                              m_company_names[c["id"].get<std::string>()] = c["name"].get<std::string>();
                  }));
}

void PipelineView::refetch_deal(const std::string& deal_id, bool announce) {
    net::call_api({.method = "GET", .url = account_url(m_account_id) + "/deals/" + platform::url_encode(deal_id)},
                  net::guard(m_life.weak(), [this, deal_id, announce](const net::ApiResponse& r) {
                      if (r.status == 404) {
                          m_board.remove(deal_id);
                          return;
                      }
                      if (!r.ok()) return;
                      auto d = app::deal_from_json(r.body);
                      if (!d) return;
                      const app::Deal* before = m_board.find(deal_id);
                      const std::string old_stage = before ? before->stage_id : std::string();
                      const bool was_moving = m_board.moving(deal_id);
                      m_board.upsert(*d);
                      const app::Deal* after = m_board.find(deal_id);
                      // Someone else moved it: say so, since the card jumps under the user's eyes.
                      if (announce && !was_moving && before && after && after->stage_id != old_stage)
                          ui::toast("\"" + after->name + "\" was moved to " + m_board.stage_name(after->stage_id) + " by someone else.", false);
                  }));
}

void PipelineView::send_move(const app::MoveRequest& move) {
    platform::request_redraw();
    net::call_api({.method = "PATCH",
                   .url = account_url(m_account_id) + "/deals/" + platform::url_encode(move.deal_id),
                   .body = json{{"stage_id", move.to_stage}}.dump(),
                   .headers = {{"If-Match", if_match(move.version)}}},
                  net::guard(m_life.weak(), [this, move](const net::ApiResponse& r) {
                      if (r.ok()) {
                          if (auto d = app::deal_from_json(r.body)) {
                              m_board.move_succeeded(move, *d);
                              return;
                          }
                      }
                      std::optional<app::Deal> current;
                      if (r.status == 412 && r.body.is_object() && r.body.contains("current")) current = app::deal_from_json(r.body["current"]);
                      if (r.status == 404) current = app::Deal{.id = move.deal_id}; // deleted meanwhile: leaves the board
                      std::string reason = r.error ? app::wire::sentence(r.error->message) : std::string("the server's answer was not understood.");
                      const std::string message = m_board.move_failed(move, current, reason);
                      if (!message.empty()) ui::toast(message);
                  }));
}

void PipelineView::create_default_pipeline() {
    if (m_creating_pipeline) return;
    m_creating_pipeline = true;
    net::call_api({.method = "POST", .url = account_url(m_account_id) + "/pipelines", .body = app::default_pipeline_body().dump()},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      m_creating_pipeline = false;
                      if (!r.ok()) {
                          ui::toast("Could not create the pipeline: " + net::describe(r));
                          return;
                      }
                      ui::toast("The Sales pipeline is ready. Add your first deal.", false);
                      load_pipelines();
                  }));
}

void PipelineView::save_new_deal() {
    const app::Pipeline* p = m_board.current();
    if (!p || m_new.saving) return;
    m_new.errors.clear();
    json body = {{"name", m_new.name}, {"pipeline_id", p->id},
                 {"stage_id", p->stages.at(static_cast<std::size_t>(std::clamp(m_new.stage, 0, static_cast<int>(p->stages.size()) - 1))).id}};
    std::string value = m_new.value;
    std::erase(value, ',');
    std::erase(value, ' ');
    if (!value.empty()) {
        char* end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        if (end != value.c_str() + value.size()) {
            m_new.errors["value"] = "Type a number, e.g. 12500";
            return;
        }
        body["value"] = v;
    }
    std::string currency = m_new.currency;
    for (char& c : currency)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!currency.empty()) body["currency"] = currency;
    m_new.saving = true;
    net::call_api({.method = "POST", .url = account_url(m_account_id) + "/deals", .body = body.dump()},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      m_new.saving = false;
                      if (!r.ok()) {
                          if (r.error && !r.error->field.empty()) m_new.errors[r.error->field] = app::wire::sentence(r.error->message);
                          else ui::toast("Could not create the deal: " + net::describe(r));
                          return;
                      }
                      if (auto d = app::deal_from_json(r.body)) {
                          m_board.upsert(*d);
                          m_selected = d->id;
                      }
                      m_new.open = false;
                      ui::toast("Deal created.", false);
                  }));
}

void PipelineView::show_deal(const std::string& deal_id) {
    net::call_api({.method = "GET", .url = account_url(m_account_id) + "/deals/" + platform::url_encode(deal_id)},
                  net::guard(m_life.weak(), [this, deal_id](const net::ApiResponse& r) {
                      auto d = r.ok() ? app::deal_from_json(r.body) : std::nullopt;
                      if (!d) {
                          ui::toast("Could not open the deal: " + net::describe(r));
                          return;
                      }
                      m_selected = deal_id;
                      m_scroll_to_selected = true;
                      if (m_board.select(d->pipeline_id)) load_deals();
                      else m_board.upsert(*d);
                  }));
}

// [SECTION] Live updates

void PipelineView::on_live(const net::LiveEvent& event) {
    if (event.account_id != m_account_id || m_account_id.empty()) return;
    if (event.type == "deal.deleted") {
        m_board.remove(event.id);
    } else if (event.type == "deal.created" || event.type == "deal.updated" || event.type == "deal.restored") {
        const app::Deal* have = m_board.find(event.id);
        if (!have || have->version < event.version) refetch_deal(event.id, true);
    } else if (event.type.rfind("pipeline.", 0) == 0) {
        load_pipelines();
    } else if (event.type == "bulk_changed") {
        load_deals(); // one frame for many records: the column's deals again
    }
    platform::request_redraw();
}

// [SECTION] Toolbar, empty state, new-deal dialog

void PipelineView::draw_toolbar() {
    ui::heading("Pipeline");
    const app::Pipeline* current = m_board.current();
    if (current && m_board.pipelines().size() > 0) {
        ImGui::SameLine(0, theme::px(16));
        std::vector<std::string> names;
        int index = 0;
        for (std::size_t i = 0; i < m_board.pipelines().size(); ++i) {
            names.push_back(m_board.pipelines()[i].name);
            if (m_board.pipelines()[i].id == current->id) index = static_cast<int>(i);
        }
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + theme::px(2));
        if (ui::select_inline("Pipeline", index, names, theme::px(220)) && m_board.select(m_board.pipelines()[static_cast<std::size_t>(index)].id)) {
            m_selected.clear();
            load_deals();
        }
    }
    const bool can_create = may(m_me, m_account_id, "deal.create");
    if (current && can_create && !current->stages.empty()) {
        const std::string label = std::string(fonts::k_icon_plus) + "  New deal";
        ImGui::PushFont(fonts::semibold());
        const float w = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2 + theme::px(8);
        ImGui::PopFont();
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
        if (ui::button("New deal", label.c_str(), ui::ButtonKind::primary, ImVec2(w, 0))) {
            m_new = NewDeal();
            m_new.open = true;
        }
    }
    if (current) ui::muted_text("Drag a card to another stage, or select it (arrow keys) and press Shift+Left / Shift+Right.");
}

void PipelineView::draw_empty() {
    const auto& p = theme::palette();
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetContentRegionAvail().y * 0.28f);
    const ImVec2 center(ImGui::GetCursorScreenPos().x + w * 0.5f, ImGui::GetCursorScreenPos().y);
    ImGui::GetWindowDrawList()->AddCircleFilled(center, theme::px(28), theme::color(theme::accent_soft()), 40);
    ImFont* body = fonts::body();
    const ImVec2 is = body->CalcTextSizeA(body->FontSize, 1e9f, 0, fonts::k_icon_columns);
    ImGui::GetWindowDrawList()->AddText(body, body->FontSize, ImVec2(center.x - is.x * 0.5f, center.y - is.y * 0.5f),
                                        theme::color(p.accent), fonts::k_icon_columns);
    ImGui::Dummy(ImVec2(0, theme::px(44)));
    const char* title = "No pipeline yet";
    const char* detail = "A pipeline is the path your deals take, stage by stage. Start with a ready-made one and rename stages later.";
    ImGui::PushFont(fonts::title());
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(title).x) * 0.5f);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    a11y::text_item("status", "No pipeline", title);
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(detail).x) * 0.5f);
    ui::muted_text(detail);
    const std::string stages = "Lead  \xe2\x86\x92  Qualified  \xe2\x86\x92  Proposal  \xe2\x86\x92  Won / Lost";
    ImGui::SetCursorPosX((w - ImGui::CalcTextSize(stages.c_str()).x) * 0.5f);
    ui::muted_text(stages);
    ImGui::Dummy(ImVec2(0, theme::px(8)));
    if (may(m_me, m_account_id, "deal.create")) {
        const float bw = theme::px(240);
        ImGui::SetCursorPosX((w - bw) * 0.5f);
        if (ui::button("Create the Sales pipeline", "Create the Sales pipeline", ui::ButtonKind::primary, ImVec2(bw, 0), m_creating_pipeline))
            create_default_pipeline();
    }
}

void PipelineView::draw_new_deal_dialog() {
    if (!ui::begin_dialog("New deal", m_new.open, 460)) return;
    const app::Pipeline* p = m_board.current();
    const float w = ImGui::GetContentRegionAvail().x;
    ui::heading("New deal", false);
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    const auto err = [&](const char* f) { auto it = m_new.errors.find(f); return it == m_new.errors.end() ? std::string() : it->second; };
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    bool submit = ui::text_field("Name", "name", m_new.name, err("name"), w).entered;
    const float half = (w - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    ImGui::BeginGroup();
    submit |= ui::text_field("Value", "value", m_new.value, err("value"), half, false, false, "e.g. 12500").entered;
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    submit |= ui::text_field("Currency", "currency", m_new.currency, err("currency"), half, false, false, "USD").entered;
    ImGui::EndGroup();
    if (p) {
        std::vector<std::string> stages;
        for (const auto& s : p->stages) stages.push_back(s.name);
        ui::select("Stage", "stage_id", m_new.stage, stages, w, err("stage_id"));
    }
    for (const char* other : {"pipeline_id", "status"}) ui::error_line(err(other), other);
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    const float bw = theme::px(110);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + w - bw * 2 - ImGui::GetStyle().ItemSpacing.x);
    if (ui::button("Cancel", "Cancel", ui::ButtonKind::secondary, ImVec2(bw, 0), m_new.saving)) m_new.open = false;
    ImGui::SameLine();
    if (ui::button("Create deal", m_new.saving ? "Creating..." : "Create deal", ui::ButtonKind::primary, ImVec2(bw, 0), m_new.saving) || submit)
        save_new_deal();
    ui::end_dialog();
}

void PipelineView::draw() {
    draw_toolbar();
    ImGui::Dummy(ImVec2(0, theme::px(6)));
    if (m_pipelines_failed) {
        const std::string text = "The pipelines could not be loaded: " + m_error;
        ui::error_line(text, "");
        if (ui::button("Retry", "Retry")) load_pipelines();
    } else if (!m_board.pipelines_loaded()) {
        ui::spinner(ImVec2(ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x * 0.5f, ImGui::GetCursorScreenPos().y + theme::px(80)),
                    theme::px(14));
        platform::request_redraw();
    } else if (!m_board.current()) {
        draw_empty();
    } else {
        if (!m_board.deals_loaded() && m_deals_requested != m_board.generation()) load_deals();
        draw_board(ImGui::GetContentRegionAvail().y - theme::px(8));
    }
    draw_new_deal_dialog();
}

} // namespace stronghold::web::views
