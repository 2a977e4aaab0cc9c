// Index
// [SECTION] Wire readers
// [SECTION] Money
// [SECTION] Pipelines
// [SECTION] Deals
// [SECTION] Moves
#include "app/pipeline_board.hpp"

#include "app/text_format.hpp"
#include "app/wire_read.hpp"

#include <algorithm>
#include <cmath>

namespace stronghold::web::app {
namespace {
using nlohmann::json;

std::vector<json> list_items(const json& body) {
    std::vector<json> out;
    if (!body.is_object()) return out;
    auto it = body.find("items");
    if (it == body.end() || !it->is_array()) return out;
    for (const auto& j : *it) out.push_back(j);
    return out;
}

} // namespace

// [SECTION] Wire readers

std::optional<Pipeline> pipeline_from_json(const json& j) {
    Pipeline p;
    p.id = wire::str(j, "id");
    if (p.id.empty()) return std::nullopt;
    p.name = wire::str(j, "name");
    if (auto it = j.find("stages"); it != j.end() && it->is_array()) {
        for (const auto& s : *it) {
            Stage st{wire::str(s, "id"), wire::str(s, "name")};
            if (!st.id.empty()) p.stages.push_back(std::move(st));
        }
    }
    if (auto it = j.find("version"); it != j.end() && it->is_number_integer()) p.version = it->get<std::int64_t>();
    return p;
}

std::optional<Deal> deal_from_json(const json& j) {
    Deal d;
    d.id = wire::str(j, "id");
    if (d.id.empty()) return std::nullopt;
    d.name = wire::str(j, "name");
    d.pipeline_id = wire::str(j, "pipeline_id");
    d.stage_id = wire::str(j, "stage_id");
    if (auto it = j.find("value"); it != j.end() && it->is_number()) {
        d.value = it->get<double>();
        d.has_value = std::isfinite(d.value);
    }
    if (auto c = wire::str(j, "currency"); !c.empty()) d.currency = c;
    if (auto s = wire::str(j, "status"); !s.empty()) d.status = s;
    d.owner_id = wire::str(j, "owner_id");
    d.company_id = wire::str(j, "company_id");
    if (auto it = j.find("version"); it != j.end() && it->is_number_integer()) d.version = it->get<std::int64_t>();
    d.updated_at = wire::time_of(j, "updated_at");
    return d;
}

std::vector<Pipeline> pipelines_from_list(const json& body) {
    std::vector<Pipeline> out;
    for (const auto& j : list_items(body))
        if (auto p = pipeline_from_json(j)) out.push_back(std::move(*p));
    return out;
}

std::vector<Deal> deals_from_list(const json& body) {
    std::vector<Deal> out;
    for (const auto& j : list_items(body))
        if (auto d = deal_from_json(j)) out.push_back(std::move(*d));
    return out;
}

json default_pipeline_body() {
    json stages = json::array();
    for (const char* name : {"Lead", "Qualified", "Proposal", "Won", "Lost"}) stages.push_back({{"name", name}});
    return {{"name", "Sales"}, {"stages", stages}};
}

// [SECTION] Money

std::string format_money(double value, const std::string& currency) {
    const bool negative = value < 0;
    const std::string grouped = with_thousands(static_cast<std::uint64_t>(std::llround(std::fabs(value))));
    const char* symbol = currency == "USD" ? "$" : currency == "EUR" ? "\xe2\x82\xac" : currency == "GBP" ? "\xc2\xa3"
                       : currency == "JPY" ? "\xc2\xa5" : nullptr;
    std::string out = negative ? "-" : "";
    if (symbol) return out + symbol + grouped;
    return out + grouped + " " + currency;
}

std::string format_sums(const std::vector<CurrencySum>& sums) {
    std::string out;
    for (const auto& s : sums) out += (out.empty() ? "" : " \xc2\xb7 ") + format_money(s.total, s.currency);
    return out;
}

// [SECTION] Pipelines

void PipelineBoard::set_pipelines(std::vector<Pipeline> pipelines) {
    m_pipelines = std::move(pipelines);
    m_pipelines_loaded = true;
    const bool kept = std::any_of(m_pipelines.begin(), m_pipelines.end(), [&](const Pipeline& p) { return p.id == m_current; });
    if (!kept) select(m_pipelines.empty() ? std::string() : m_pipelines.front().id);
}

const Pipeline* PipelineBoard::current() const {
    for (const auto& p : m_pipelines)
        if (p.id == m_current) return &p;
    return nullptr;
}

bool PipelineBoard::select(const std::string& pipeline_id) {
    if (pipeline_id == m_current && (m_deals_loaded || pipeline_id.empty())) return false;
    m_current = pipeline_id;
    ++m_generation;
    m_deals.clear();
    m_pending.clear();
    m_deals_loaded = false;
    return true;
}

// [SECTION] Deals

void PipelineBoard::set_deals(std::uint64_t generation, std::vector<Deal> deals) {
    if (generation != m_generation) return; // for a pipeline no longer shown
    m_deals.clear();
    for (auto& d : deals)
        if (d.pipeline_id == m_current || d.pipeline_id.empty()) m_deals.push_back(std::move(d));
    m_deals_loaded = true;
    // A move still on its way keeps its card where the user put it.
    for (const auto& [id, mv] : m_pending)
        if (Deal* d = find_mut(id)) d->stage_id = mv.to_stage;
}

const Deal* PipelineBoard::find(const std::string& deal_id) const {
    for (const auto& d : m_deals)
        if (d.id == deal_id) return &d;
    return nullptr;
}

Deal* PipelineBoard::find_mut(const std::string& deal_id) {
    for (auto& d : m_deals)
        if (d.id == deal_id) return &d;
    return nullptr;
}

std::vector<const Deal*> PipelineBoard::column(const std::string& stage_id) const {
    std::vector<const Deal*> out;
    for (const auto& d : m_deals)
        if (d.stage_id == stage_id) out.push_back(&d);
    std::sort(out.begin(), out.end(), [](const Deal* a, const Deal* b) {
        const std::string la = lower_ascii(a->name), lb = lower_ascii(b->name);
        return la != lb ? la < lb : a->id < b->id;
    });
    return out;
}

std::vector<CurrencySum> PipelineBoard::sums(const std::string& stage_id) const {
    std::map<std::string, double> by_currency;
    for (const auto& d : m_deals)
        if (d.stage_id == stage_id && d.has_value) by_currency[d.currency] += d.value;
    std::vector<CurrencySum> out;
    for (const auto& [c, total] : by_currency) out.push_back({c, total});
    return out;
}

std::string PipelineBoard::stage_name(const std::string& stage_id) const {
    if (const Pipeline* p = current())
        for (const auto& s : p->stages)
            if (s.id == stage_id) return s.name;
    return {};
}

std::optional<std::string> PipelineBoard::neighbour_stage(const std::string& stage_id, int direction) const {
    const Pipeline* p = current();
    if (!p) return std::nullopt;
    for (std::size_t i = 0; i < p->stages.size(); ++i) {
        if (p->stages[i].id != stage_id) continue;
        const auto j = static_cast<std::ptrdiff_t>(i) + direction;
        if (j < 0 || j >= static_cast<std::ptrdiff_t>(p->stages.size())) return std::nullopt;
        return p->stages[static_cast<std::size_t>(j)].id;
    }
    return std::nullopt;
}

void PipelineBoard::upsert(const Deal& deal) {
    if (auto it = m_pending.find(deal.id); it != m_pending.end() && deal.version <= it->second.version + 1) return;
    Deal* have = find_mut(deal.id);
    if (have && deal.version < have->version) return; // an older answer overtaken by a newer one
    if (deal.pipeline_id != m_current) {
        if (have) remove(deal.id);
        return;
    }
    if (have) *have = deal;
    else m_deals.push_back(deal);
}

void PipelineBoard::remove(const std::string& deal_id) {
    m_deals.erase(std::remove_if(m_deals.begin(), m_deals.end(), [&](const Deal& d) { return d.id == deal_id; }), m_deals.end());
    m_pending.erase(deal_id);
}

// [SECTION] Moves

std::optional<MoveRequest> PipelineBoard::move(const std::string& deal_id, const std::string& to_stage) {
    Deal* d = find_mut(deal_id);
    if (!d || d->stage_id == to_stage || m_pending.count(deal_id) || stage_name(to_stage).empty()) return std::nullopt;
    MoveRequest mv{deal_id, d->stage_id, to_stage, d->version, ++m_next_ticket};
    d->stage_id = to_stage;
    m_pending[deal_id] = mv;
    return mv;
}

void PipelineBoard::move_succeeded(const MoveRequest& move, const Deal& stored) {
    auto it = m_pending.find(move.deal_id);
    if (it == m_pending.end() || it->second.ticket != move.ticket) return; // the board was reloaded since
    m_pending.erase(it);
    upsert(stored);
}

std::string PipelineBoard::move_failed(const MoveRequest& move, const std::optional<Deal>& current, const std::string& reason) {
    auto it = m_pending.find(move.deal_id);
    if (it == m_pending.end() || it->second.ticket != move.ticket) return {};
    m_pending.erase(it);
    Deal* d = find_mut(move.deal_id);
    const std::string name = d ? "\"" + d->name + "\"" : std::string("The deal");
    if (current) {
        upsert(*current);
        const Deal* now = find(move.deal_id);
        if (!now) return "Someone else just moved " + name + " to another pipeline. It was not moved.";
        return "Someone else just changed " + name + ". It stays in " + stage_name(now->stage_id) + "; try again.";
    }
    if (d) d->stage_id = move.from_stage;
    return name + " could not be moved: " + reason + " It is back in " + stage_name(move.from_stage) + ".";
}

} // namespace stronghold::web::app
