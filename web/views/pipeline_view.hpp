// The Pipeline board: a pipeline picker, one column per stage (name, count, sum per currency)
// with deal cards; drag a card to another column, or select it and press Shift+Left/Right, to
// move it (optimistic, PATCH stage_id with If-Match, rolled back with a message on 412 or
// error). "New deal" in each column; a default "Sales" pipeline is offered when there is none.
// pipeline_view.cpp: loading, requests, live updates, dialogs; pipeline_view_board.cpp: drawing.
#pragma once

#include "app/pipeline_board.hpp"
#include "app/session.hpp"
#include "net/http.hpp"
#include "net/live.hpp"

#include <imgui.h>

#include <functional>
#include <map>
#include <string>

namespace stronghold::web::views {

class PipelineView {
public:
    void open(const app::Me& me, const std::string& account_id); // (re)start for a sub-account
    void close();                                                 // answers on their way are dropped
    void draw();
    void on_live(const net::LiveEvent& event);  // deal.* / pipeline.* / bulk_changed of this sub-account
    void show_deal(const std::string& deal_id); // quick search: open its pipeline and select it
    bool ready() const { return m_board.pipelines_loaded(); }

    std::function<void(const std::string& deal_id)> on_open_deal; // Enter / double-click on a card (record screen hook)

private:
    void load_pipelines();
    void load_deals();
    void load_companies();
    void refetch_deal(const std::string& deal_id, bool announce);
    void send_move(const app::MoveRequest& move);
    void create_default_pipeline();
    void save_new_deal();
    void draw_toolbar();
    void draw_empty();
    void draw_new_deal_dialog();
    void draw_board(float height);                                         // pipeline_view_board.cpp
    void draw_column(const app::Stage& stage, int index, ImVec2 at, ImVec2 size); // pipeline_view_board.cpp
    void handle_keys();                                                    // pipeline_view_board.cpp

    const app::Me* m_me = nullptr;
    std::string m_account_id;
    app::PipelineBoard m_board;
    bool m_pipelines_failed = false;
    std::string m_error;
    std::uint64_t m_deals_requested = 0; // board generation the deals were asked for
    bool m_creating_pipeline = false;
    std::map<std::string, std::string> m_company_names; // company id -> name (first page)
    std::string m_selected;                              // deal id selected for the keyboard
    std::string m_drop_highlight;                        // stage under a dragged card (last frame: drawn before known)
    std::string m_hovered_drop;                          // the same, found while drawing this frame
    bool m_scroll_to_selected = false;                   // keyboard moved the selection: bring it into view

    struct NewDeal {
        bool open = false;
        bool saving = false;
        std::string name, value, currency = "USD";
        int stage = 0;
        std::map<std::string, std::string> errors; // wire field -> message
    } m_new;

    net::Lifetime m_life;
};

} // namespace stronghold::web::views
