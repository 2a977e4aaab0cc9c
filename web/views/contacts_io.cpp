// Export and CSV import of the Contacts screen (CRM-4); see contacts_io.hpp. Wire: server/doc/
// crm-api.md "## Import" and server/src/app/contacts_export.cpp.
//
// Index
// [SECTION] Mapping defaults
// [SECTION] Export
// [SECTION] Import: file, upload, polling
// [SECTION] Drawing
#include "views/contacts_io.hpp"

#include "app/record_form.hpp"
#include "net/records_api.hpp"
#include "ui/a11y.hpp"
#include "ui/fonts.hpp"
#include "ui/platform.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "views/reauth_dialog.hpp"
#include "views/record_common.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace stronghold::web::views {
namespace {

constexpr double k_poll_ms = 500;
constexpr const char* k_export_menu = "export_menu";
// A function's static, not a global: views holding a ContactsIo may be made before this file's globals.
const std::vector<std::string>& contact_field_labels() {
    static const std::vector<std::string> labels = {"Skip", "First name", "Last name", "Email", "Phone", "Company", "Owner id", "Tags"};
    return labels;
}

std::string normalise(const std::string& header) {
    std::string out;
    for (unsigned char ch : header)
        if (std::isalnum(ch)) out += static_cast<char>(std::tolower(ch));
    return out;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string size_text(double bytes) {
    char buf[32];
    if (bytes < 1024) std::snprintf(buf, sizeof buf, "%.0f B", bytes);
    else if (bytes < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KB", bytes / 1024);
    else std::snprintf(buf, sizeof buf, "%.1f MB", bytes / (1024 * 1024));
    return buf;
}

std::int64_t int_of(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}
std::string str_of(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

// [SECTION] Mapping defaults

const std::vector<std::string>& import_fields() {
    static const std::vector<std::string> fields = {"", "first_name", "last_name", "email", "phone", "company_name", "owner_id", "tags"};
    return fields;
}

std::string default_import_field(const std::string& header) {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> spellings = {
        {"first_name", {"firstname", "first", "givenname", "forename"}},
        {"last_name", {"lastname", "last", "surname", "familyname"}},
        {"email", {"email", "emailaddress", "mail"}},
        {"phone", {"phone", "phonenumber", "mobile", "mobilephone", "telephone", "tel"}},
        {"company_name", {"companyname", "company", "organization", "organisation"}},
        {"owner_id", {"ownerid", "owner"}},
        {"tags", {"tags", "tag"}},
    };
    const std::string n = normalise(header);
    for (const auto& [field, names] : spellings)
        if (std::find(names.begin(), names.end(), n) != names.end()) return field;
    return {};
}

ImportTarget contacts_import_target() {
    ImportTarget t;
    t.fields = import_fields();
    t.labels = contact_field_labels();
    return t;
}

ImportTarget record_import_target(const model::ObjectSpec& spec, const std::vector<std::pair<std::string, std::string>>& custom) {
    ImportTarget t;
    t.path = std::string(spec.path);
    t.noun = lower(kind_singular(spec.name));
    t.custom_object = spec.custom_fields ? std::string(spec.name) : std::string();
    t.fields = {""};
    t.labels = {"Skip"};
    for (const auto& f : spec.fields) {
        t.fields.emplace_back(f.name);
        // A deal's links may be given by name: the label says so.
        t.labels.push_back(f.name == "pipeline_id" ? "Pipeline (name or id)" : f.name == "stage_id" ? "Stage (name or id)"
                           : f.name == "company_id" ? "Company (name or id)" : f.name == "contact_ids" ? "Contact ids"
                                                                                : app::field_label(f.name));
    }
    for (const auto& [key, label] : custom) {
        t.fields.push_back("custom." + key);
        t.labels.push_back(label.empty() ? app::field_label(key) : label);
    }
    return t;
}

std::string ImportTarget::default_field(const std::string& header) const {
    if (path == "contacts") return default_import_field(header);
    // As the server's default mapping: the field's name or label, a custom field's key, or a known spelling.
    static const std::vector<std::pair<std::string, std::vector<std::string>>> spellings = {
        {"name", {"companyname", "dealname", "deal", "company"}},
        {"website", {"url", "web"}},
        {"pipeline_id", {"pipeline"}},
        {"stage_id", {"stage", "dealstage"}},
        {"value", {"amount"}},
        {"expected_close", {"closedate", "expectedclosedate"}},
        {"owner_id", {"owner"}},
        {"contact_ids", {"contacts", "contact"}},
        {"tags", {"tag"}},
    };
    const std::string n = normalise(header);
    for (std::size_t i = 1; i < fields.size(); ++i) {
        const std::string& f = fields[i];
        const bool custom = f.rfind("custom.", 0) == 0;
        if (n == normalise(f) || n == normalise(labels[i]) || (custom && n == normalise(f.substr(7)))) return f;
    }
    const bool deal = path == "deals";
    for (const auto& [field, names] : spellings) {
        if (std::find(fields.begin(), fields.end(), field) == fields.end()) continue;
        if (field == "name" && (deal ? n == "company" || n == "companyname" : n == "deal" || n == "dealname")) continue;
        if (std::find(names.begin(), names.end(), n) != names.end()) return field;
    }
    if (deal && (n == "company" || n == "companyname")) return "company_id";
    return {};
}

void ContactsIo::set_account(const std::string& account_id) {
    if (account_id == m_account_id) return;
    m_life.reset();
    m_account_id = account_id;
    m_open = false;
    m_exporting = m_uploading = m_polling = m_has_job = false;
    if (m_file) platform::forget_file(m_file);
    m_file = 0;
    m_headers.clear();
    m_mapping.clear();
    m_error.clear();
}

// [SECTION] Export

void ContactsIo::start_export(const std::string& format, const std::string& url) {
    m_exporting = true;
    platform::download(url, "contacts." + format, net::guard(m_life.weak(), [this, format, url](int status, const std::string& body) {
        const net::ApiResponse r = net::to_api_response(status, body);
        if (r.ok()) {
            m_exporting = false;
            ui::toast("Export downloaded: contacts." + format, false);
            return;
        }
        if (net::signed_out(r)) return;
        if (reauth::intercept(r, [this, format, url] { start_export(format, url); }, [this] { m_exporting = false; })) return;
        m_exporting = false;
        ui::toast("Export failed: " + net::describe(r));
    }));
}

// [SECTION] Import: file, upload, polling

// The object's custom fields as mapping choices (companies, deals); the built-in fields stay
// offered if they cannot be read.
void ContactsIo::load_custom_fields() {
    const auto* spec = model::spec_by_name(m_target.custom_object);
    if (!spec) return;
    net::get_list(m_account_id, "custom-fields", "limit=200&object%5Beq%5D=" + m_target.custom_object,
                  net::guard(m_life.weak(), [this, spec](const net::ApiResponse& r) {
                      if (!r.ok() || !r.body.contains("items") || !r.body["items"].is_array()) return;
                      std::vector<std::pair<std::string, std::string>> custom;
                      for (const auto& item : r.body["items"])
                          if (item.is_object()) custom.emplace_back(str_of(item, "key"), str_of(item, "label"));
                      m_target = record_import_target(*spec, custom);
                      for (std::size_t i = 0; i < m_headers.size() && i < m_mapping.size(); ++i) { // a chosen file: map again
                          const auto it = std::find(m_target.fields.begin(), m_target.fields.end(), m_target.default_field(m_headers[i]));
                          m_mapping[i] = it == m_target.fields.end() ? 0 : static_cast<int>(it - m_target.fields.begin());
                      }
                  }));
}

void ContactsIo::pick_file() {
    platform::pick_csv_file(net::guard(m_life.weak(), [this](const platform::PickedFile& f) {
        if (!f.error.empty()) {
            m_error = f.error;
            return;
        }
        if (!f.handle) return; // chooser closed with no file
        if (m_file) platform::forget_file(m_file);
        m_file = f.handle;
        m_file_name = f.name;
        m_file_size = f.size;
        m_headers = f.headers;
        m_mapping.clear();
        for (const auto& h : m_headers) {
            const auto& fields = m_target.fields;
            const auto it = std::find(fields.begin(), fields.end(), m_target.default_field(h));
            m_mapping.push_back(it == fields.end() ? 0 : static_cast<int>(it - fields.begin()));
        }
        m_error.clear();
        m_has_job = false;
    }));
}

void ContactsIo::start_import() {
    nlohmann::json mapping = nlohmann::json::object();
    for (std::size_t i = 0; i < m_headers.size() && i < m_mapping.size(); ++i)
        if (m_mapping[i] > 0) mapping[m_headers[i]] = m_target.fields[static_cast<std::size_t>(m_mapping[i])];
    if (mapping.empty()) {
        m_error = "Map at least one column to a " + m_target.noun + " field.";
        return;
    }
    const std::string url = "/api/v1/accounts/" + platform::url_encode(m_account_id) + "/" + m_target.path + "/import?dry_run=" + (m_dry_run ? "true" : "false") +
                            "&mapping=" + platform::url_encode(reauth::json_body(mapping));
    m_error.clear();
    m_uploading = true;
    platform::upload_file(m_file, url, net::guard(m_life.weak(), [this](int status, const std::string& body) {
        const net::ApiResponse r = net::to_api_response(status, body);
        if (net::signed_out(r)) return;
        if (reauth::intercept(r, [this] { start_import(); }, [this] { m_uploading = false; })) return;
        m_uploading = false;
        if (!r.ok() || !r.body.is_object() || str_of(r.body, "id").empty()) {
            m_error = net::describe(r);
            if (r.error && !r.error->field.empty()) m_error += " (" + r.error->field + ")";
            return;
        }
        m_has_job = true;
        m_job = {};
        read_job(r.body);
        m_next_poll_ms = platform::now_ms() + k_poll_ms;
        platform::redraw_after(static_cast<int>(k_poll_ms));
    }));
}

void ContactsIo::read_job(const nlohmann::json& body) {
    const std::string was = m_job.status;
    m_job.id = str_of(body, "id");
    m_job.status = str_of(body, "status");
    m_job.dry_run = body.value("dry_run", false);
    m_job.rows_done = int_of(body, "rows_done");
    m_job.created = int_of(body, "created");
    m_job.failed = int_of(body, "failed");
    m_job.bytes_done = static_cast<double>(int_of(body, "bytes_done"));
    m_job.bytes_total = static_cast<double>(int_of(body, "bytes_total"));
    m_job.errors.clear();
    if (auto e = body.find("errors"); e != body.end() && e->is_array())
        for (const auto& j : *e)
            if (j.is_object()) m_job.errors.push_back({int_of(j, "row"), str_of(j, "column"), str_of(j, "code"), str_of(j, "message")});
    m_job.failure.clear();
    if (auto f = body.find("failure"); f != body.end() && f->is_object()) {
        m_job.failure = str_of(*f, "message");
        if (m_job.failure.empty()) m_job.failure = str_of(*f, "code");
    }
    if (was == "running" && m_job.status == "done" && !m_job.dry_run && on_imported) on_imported();
}

void ContactsIo::poll() {
    m_polling = true;
    net::call_api({.method = "GET", .url = "/api/v1/accounts/" + platform::url_encode(m_account_id) + "/imports/" + platform::url_encode(m_job.id)},
                  net::guard(m_life.weak(), [this](const net::ApiResponse& r) {
                      m_polling = false;
                      if (reauth::intercept(r, [this] { poll(); })) return;
                      if (r.ok() && r.body.is_object()) read_job(r.body);
                      else m_error = "Could not read the import's progress: " + net::describe(r);
                      m_next_poll_ms = platform::now_ms() + k_poll_ms;
                      if (m_job.status == "running") platform::redraw_after(static_cast<int>(k_poll_ms));
                  }));
}

// [SECTION] Drawing

float ContactsIo::toolbar_width(bool can_export, bool can_import) const {
    const float pad = ImGui::GetStyle().FramePadding.x * 2 + theme::px(8), gap = ImGui::GetStyle().ItemSpacing.x;
    float w = 0;
    ImGui::PushFont(fonts::semibold());
    if (can_export) w += ImGui::CalcTextSize("Export").x + pad + gap;
    if (can_import) w += ImGui::CalcTextSize("Import CSV").x + pad + gap;
    ImGui::PopFont();
    return w;
}

void ContactsIo::draw_toolbar(bool can_export, bool can_import, const std::string& q, const std::string& sort) {
    const float pad = ImGui::GetStyle().FramePadding.x * 2 + theme::px(8);
    const float y = ImGui::GetCursorPosY();
    if (can_export) {
        ImGui::PushFont(fonts::semibold());
        const float w = ImGui::CalcTextSize("Export").x + pad;
        ImGui::PopFont();
        if (ui::button("Export", m_exporting ? "Exporting" : "Export", ui::ButtonKind::secondary, ImVec2(w, 0), m_exporting))
            ImGui::OpenPopup(k_export_menu);
        const ImVec2 below(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y + theme::px(4));
        ImGui::SetNextWindowPos(below);
        if (ImGui::BeginPopup(k_export_menu)) {
            const ImVec2 wmin = ImGui::GetWindowPos();
            a11y::push("menu", "Export", wmin, ImVec2(wmin.x + ImGui::GetWindowSize().x, wmin.y + ImGui::GetWindowSize().y));
            for (const char* format : {"csv", "json"}) {
                const std::string label = std::string(format) == "csv" ? "CSV (spreadsheet)" : "JSON";
                if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(theme::px(170), 0))) {
                    std::string url = net::contacts_url(m_account_id) + "/export?format=" + format + "&sort=" + platform::url_encode(sort);
                    if (!q.empty()) url += "&q=" + platform::url_encode(q);
                    start_export(format, url);
                }
                a11y::item("menuitem", label);
            }
            a11y::pop();
            ImGui::EndPopup();
        }
        ImGui::SameLine();
        ImGui::SetCursorPosY(y);
    }
    if (can_import) {
        ImGui::PushFont(fonts::semibold());
        const float w = ImGui::CalcTextSize("Import CSV").x + pad;
        ImGui::PopFont();
        if (ui::button("Import CSV", "Import CSV", ui::ButtonKind::secondary, ImVec2(w, 0))) {
            m_open = true;
            m_error.clear();
            if (!m_target.custom_object.empty()) load_custom_fields();
            if (m_has_job && m_job.status != "running") { // a finished job: start afresh with the same file
                m_has_job = false;
            }
        }
        ImGui::SameLine();
        ImGui::SetCursorPosY(y);
    }
}

void ContactsIo::draw_setup() {
    const auto& p = theme::palette();
    ImGui::PushTextWrapPos(0);
    ui::muted_text("Upload a CSV file with a header row. Choose which " + m_target.noun + " field each column fills; "
                   "a dry run checks every row and saves nothing.");
    ImGui::PopTextWrapPos();
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    if (ui::button("Choose file", m_file ? "Choose another file" : "Choose file...", ui::ButtonKind::secondary, ImVec2(0, 0), m_uploading))
        pick_file();
    if (m_file) {
        ImGui::SameLine();
        const std::string label = m_file_name + "  (" + size_text(m_file_size) + ", " + std::to_string(m_headers.size()) + " columns)";
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label.c_str());
        a11y::text_item("status", "Chosen file", label);
    }
    if (!m_file) return;

    ImGui::Dummy(ImVec2(0, theme::px(6)));
    ui::field_label("Column mapping");
    const float list_h = std::min(theme::px(260), (ImGui::GetFrameHeight() + theme::px(8)) * static_cast<float>(m_headers.size()) +
                                                     ImGui::GetTextLineHeight() + theme::px(10));
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(10), theme::px(4)));
    if (ImGui::BeginTable("mapping", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg, ImVec2(0, list_h))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("CSV column", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        const std::string field_column = kind_singular(m_target.noun) + " field";
        ImGui::TableSetupColumn(field_column.c_str(), ImGuiTableColumnFlags_WidthFixed, theme::px(210));
        ImGui::PushStyleColor(ImGuiCol_Text, p.text_muted);
        ImGui::TableHeadersRow();
        ImGui::PopStyleColor();
        for (std::size_t i = 0; i < m_headers.size(); ++i) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::AlignTextToFramePadding();
            const std::string shown = m_headers[i].empty() ? "(no name)" : m_headers[i];
            ImGui::TextUnformatted(shown.c_str());
            ImGui::TableSetColumnIndex(1);
            ImGui::PushID(static_cast<int>(i));
            ui::select_inline(("Field for " + shown).c_str(), m_mapping[i], m_target.labels, theme::px(200), m_uploading);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::PopStyleVar();
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    ui::checkbox("Dry run (check only, save nothing)", m_dry_run, m_uploading);
}

void ContactsIo::draw_progress() {
    const auto& p = theme::palette();
    const bool running = m_job.status == "running";
    const char* title = running ? (m_job.dry_run ? "Checking rows..." : "Importing...")
                                : m_job.status == "failed" ? "The import stopped"
                                : m_job.dry_run              ? "Dry run finished: nothing was saved"
                                                             : "Import finished";
    ui::heading(title, false);
    a11y::text_item("status", "Import state", title);
    const float frac = m_job.bytes_total > 0 ? static_cast<float>(std::clamp(m_job.bytes_done / m_job.bytes_total, 0.0, 1.0))
                                             : (running ? 0.0f : 1.0f);
    char overlay[64];
    std::snprintf(overlay, sizeof overlay, "%s of %s", size_text(m_job.bytes_done).c_str(), size_text(m_job.bytes_total).c_str());
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, m_job.status == "failed" ? p.danger : p.accent);
    ImGui::ProgressBar(frac, ImVec2(-1, theme::px(10)), "");
    ImGui::PopStyleColor();
    a11y::item("progressbar", "Import progress", {{"aria-valuenow", std::to_string(static_cast<int>(frac * 100))}, {"aria-valuemin", "0"}, {"aria-valuemax", "100"}});
    ui::muted_text(overlay);

    const std::string counts = ui::with_thousands(m_job.rows_done) + " rows read  \xc2\xb7  " +
                               ui::with_thousands(m_job.created) + (m_job.dry_run ? " would be created" : " created") + "  \xc2\xb7  " +
                               ui::with_thousands(m_job.failed) + " failed";
    ImGui::TextUnformatted(counts.c_str());
    a11y::text_item("status", "Import counts", counts);
    if (!m_job.failure.empty()) ui::error_line(m_job.failure, "file");
    if (running) {
        if (!m_polling && platform::now_ms() >= m_next_poll_ms) poll();
        else if (!m_polling) platform::redraw_after(static_cast<int>(std::max(10.0, m_next_poll_ms - platform::now_ms())));
    }
}

void ContactsIo::draw_errors() {
    if (m_job.status == "running" || m_job.errors.empty()) return;
    ImGui::Dummy(ImVec2(0, theme::px(4)));
    const std::string label = m_job.failed > static_cast<std::int64_t>(m_job.errors.size())
                                  ? "Row errors (first " + std::to_string(m_job.errors.size()) + " of " + ui::with_thousands(m_job.failed) + ")"
                                  : "Row errors";
    ui::field_label(label.c_str());
    const float row_h = ImGui::GetTextLineHeight() + theme::px(10);
    const float h = std::min(theme::px(220), row_h * static_cast<float>(m_job.errors.size() + 1) + theme::px(6));
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(theme::px(10), theme::px(5)));
    if (ImGui::BeginTable("row_errors", 4, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg, ImVec2(0, h))) {
        const ImVec2 tmin = ImGui::GetWindowPos();
        a11y::push("table", "Row errors", tmin, ImVec2(tmin.x + ImGui::GetWindowSize().x, tmin.y + ImGui::GetWindowSize().y));
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Row", ImGuiTableColumnFlags_WidthFixed, theme::px(50));
        ImGui::TableSetupColumn("Column", ImGuiTableColumnFlags_WidthFixed, theme::px(110));
        ImGui::TableSetupColumn("Code", ImGuiTableColumnFlags_WidthFixed, theme::px(130));
        ImGui::TableSetupColumn("Message", ImGuiTableColumnFlags_WidthStretch);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::palette().text_muted);
        ImGui::TableHeadersRow();
        ImGui::PopStyleColor();
        for (const auto& e : m_job.errors) {
            ImGui::TableNextRow();
            const std::string cells[4] = {std::to_string(e.row), e.column.empty() ? "(row)" : e.column, e.code, e.message};
            const ImVec2 rmin = ImGui::GetCursorScreenPos();
            a11y::push("row", "Row " + cells[0], rmin, ImVec2(tmin.x + ImGui::GetWindowSize().x, rmin.y + row_h));
            for (int c = 0; c < 4; ++c) {
                ImGui::TableSetColumnIndex(c);
                ImGui::TextUnformatted(cells[c].c_str());
                a11y::text_item("cell", "", cells[c]);
            }
            a11y::pop();
        }
        a11y::pop();
        ImGui::EndTable();
    }
    ImGui::PopStyleVar();
}

void ContactsIo::draw() {
    // The password prompt is a modal of its own: this dialog steps aside while it is up.
    bool show = m_open && !reauth::active();
    const std::string title = "Import " + lower(kind_plural(m_target.noun));
    if (!ui::begin_dialog(title.c_str(), show, 640)) {
        if (!show && !reauth::active()) m_open = false;
        return;
    }
    // The dialog grows when a file is chosen: keep it centred (begin_dialog centres it only on opening).
    const ImVec2 size = ImGui::GetWindowSize(), center = ImGui::GetMainViewport()->GetCenter();
    const ImVec2 want(std::floor(center.x - size.x * 0.5f), std::floor(std::max(0.0f, center.y - size.y * 0.5f)));
    if (std::fabs(ImGui::GetWindowPos().x - want.x) > 1 || std::fabs(ImGui::GetWindowPos().y - want.y) > 1) ImGui::SetWindowPos(want);
    ui::heading(title.c_str());
    if (m_has_job) {
        draw_progress();
        draw_errors();
    } else {
        draw_setup();
    }
    ui::error_line(m_error, "import");

    ImGui::Dummy(ImVec2(0, theme::px(8)));
    const float bw = theme::px(120), gap = ImGui::GetStyle().ItemSpacing.x;
    const bool finished = m_has_job && m_job.status != "running";
    if (!m_has_job) {
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * 2 - gap);
        if (ui::button("Cancel", "Cancel", ui::ButtonKind::secondary, ImVec2(bw, 0))) show = false;
        ImGui::SameLine();
        const char* go = m_uploading ? "Uploading..." : m_dry_run ? "Start dry run" : "Start import";
        if (ui::button("Start import", go, ui::ButtonKind::primary, ImVec2(bw, 0), m_uploading || !m_file)) start_import();
    } else {
        const bool again = finished && m_file;
        ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - bw * (again ? 2 : 1) - (again ? gap : 0));
        if (again) {
            if (ui::button("Back to mapping", "Back to mapping", ui::ButtonKind::secondary, ImVec2(bw, 0))) m_has_job = false;
            ImGui::SameLine();
        }
        // Closing while it runs only stops watching: the job goes on on the server.
        if (ui::button("Close", "Close", finished ? ui::ButtonKind::primary : ui::ButtonKind::secondary, ImVec2(bw, 0))) show = false;
    }
    ui::end_dialog();
    if (!show) m_open = false;
}

} // namespace stronghold::web::views
