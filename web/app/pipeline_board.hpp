// The pipeline board's model (kanban of deals by stage): the sub-account's pipelines, the
// chosen pipeline's deals, per-stage counts and sums per currency, and optimistic moves that
// roll back when the server refuses (412 brings the deal as it is now). Pure logic: requests
// are values the view sends; answers come back through the *_succeeded/_failed calls.
#pragma once

#include <stronghold/model/time.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stronghold::web::app {

struct Stage {
    std::string id;   // "st_..."
    std::string name;
};

struct Pipeline {
    std::string id;   // "pl_..."
    std::string name;
    std::vector<Stage> stages;
    std::int64_t version = 0;
};

struct Deal {
    std::string id;   // "dl_..."
    std::string name;
    std::string pipeline_id;
    std::string stage_id;
    double value = 0;
    bool has_value = false;    // "value" may be absent (unknown amount): not summed
    std::string currency = "USD";
    std::string status = "open"; // open | won | lost
    std::string owner_id;
    std::string company_id;
    std::int64_t version = 0;
    model::UnixMillis updated_at = 0;
};

std::optional<Pipeline> pipeline_from_json(const nlohmann::json& j); // lenient; nullopt without id/stages
std::optional<Deal> deal_from_json(const nlohmann::json& j);         // lenient; nullopt without id
std::vector<Pipeline> pipelines_from_list(const nlohmann::json& list_body);
std::vector<Deal> deals_from_list(const nlohmann::json& list_body);
nlohmann::json default_pipeline_body();                              // "Sales": Lead, Qualified, Proposal, Won, Lost

struct CurrencySum {
    std::string currency;
    double total = 0;
    friend bool operator==(const CurrencySum&, const CurrencySum&) = default;
};
// "$12,500", "€3,000.50", "£10", "1,200 CHF": whole amounts without cents.
std::string format_money(double value, const std::string& currency);
std::string format_sums(const std::vector<CurrencySum>& sums); // "$12,500 · €3,000"; "" when none

// One optimistic move on its way to the server (PATCH stage_id with If-Match: version).
struct MoveRequest {
    std::string deal_id;
    std::string from_stage;
    std::string to_stage;
    std::int64_t version = 0; // the version the move was made from (If-Match)
    std::uint64_t ticket = 0;
};

class PipelineBoard {
public:
    // [SECTION] Pipelines
    void set_pipelines(std::vector<Pipeline> pipelines); // keeps the current choice when it still exists
    const std::vector<Pipeline>& pipelines() const { return m_pipelines; }
    bool pipelines_loaded() const { return m_pipelines_loaded; }
    const Pipeline* current() const;
    bool select(const std::string& pipeline_id); // true when the choice changed: deals must be loaded again
    std::uint64_t generation() const { return m_generation; } // answers for an older choice are dropped

    // [SECTION] Deals
    void set_deals(std::uint64_t generation, std::vector<Deal> deals); // the chosen pipeline's deals
    bool deals_loaded() const { return m_deals_loaded; }
    const Deal* find(const std::string& deal_id) const;
    std::vector<const Deal*> column(const std::string& stage_id) const; // by name, then id
    std::vector<CurrencySum> sums(const std::string& stage_id) const;   // by currency code
    std::string stage_name(const std::string& stage_id) const;
    std::optional<std::string> neighbour_stage(const std::string& stage_id, int direction) const; // -1 left, +1 right

    // A newer copy of a deal (refetch after a live frame, a create): newer versions win; one that
    // left this pipeline disappears. While a move of it is on its way, copies older than the
    // move's answer are ignored (they would make the card jump back).
    void upsert(const Deal& deal);
    void remove(const std::string& deal_id);

    // [SECTION] Moves
    // Moves the card at once and answers the request to send; nullopt when it is not a move
    // (unknown deal or stage, same stage, or a move of this deal still on its way).
    std::optional<MoveRequest> move(const std::string& deal_id, const std::string& to_stage);
    void move_succeeded(const MoveRequest& move, const Deal& stored);
    // Rolls back: to `current` when the server sent the deal as it is now (412), else to the
    // stage it came from. Returns the message to show.
    std::string move_failed(const MoveRequest& move, const std::optional<Deal>& current, const std::string& reason);
    bool moving(const std::string& deal_id) const { return m_pending.count(deal_id) > 0; }

private:
    std::vector<Pipeline> m_pipelines;
    bool m_pipelines_loaded = false;
    std::string m_current;
    std::uint64_t m_generation = 0;
    std::vector<Deal> m_deals;
    bool m_deals_loaded = false;
    std::map<std::string, MoveRequest> m_pending; // deal id -> its move on the way
    std::uint64_t m_next_ticket = 0;
    Deal* find_mut(const std::string& deal_id);
};

} // namespace stronghold::web::app
