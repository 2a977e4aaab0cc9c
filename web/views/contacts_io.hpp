// Export and CSV import of the Contacts screen (CRM-4), the import also on Companies and Deals
// (ImportTarget: the object's URL and mappable fields). Export downloads
// GET .../contacts/export?format=csv|json with the list's q and sort; import picks a file, maps
// its header row to contact fields, uploads the file itself (the browser streams it; its bytes
// never enter WASM memory) to POST .../contacts/import and polls the job every 500 ms: progress
// bar, counts, then the first row errors. Both are critical actions: a reauth_required answer
// opens the password prompt and the request goes out again after it.
#pragma once

#include "net/api.hpp"
#include "net/http.hpp"

#include <stronghold/model/record.hpp>

#include <functional>
#include <string>
#include <vector>

namespace stronghold::web::views {

// The contact fields an import column can feed ("" = skip), and the default for a CSV header:
// letters and digits only, lower-cased, then the field's own name or a known spelling.
const std::vector<std::string>& import_fields();
std::string default_import_field(const std::string& header);

// What an import dialog imports: the URL segment (POST .../<path>/import), the words for people,
// and the fields a column can feed (fields[0] = "" for Skip; labels beside them).
struct ImportTarget {
    std::string path = "contacts";
    std::string noun = "contact"; // "Import contacts", "contact field"
    std::string custom_object;    // "company", "deal": its custom fields are read when the dialog opens
    std::vector<std::string> fields, labels;
    std::string default_field(const std::string& header) const; // "" when no field fits
};
ImportTarget contacts_import_target();
// Companies or deals: core's ObjectSpec fields (a deal's pipeline, stage and company may be given
// by name) plus "custom.<key>" for the custom fields given as {key, label}.
ImportTarget record_import_target(const model::ObjectSpec& spec,
                                  const std::vector<std::pair<std::string, std::string>>& custom = {});

class ContactsIo {
public:
    std::function<void()> on_imported; // a real import finished: the list reloads

    explicit ContactsIo(ImportTarget target = contacts_import_target()) : m_target(std::move(target)) {}

    void set_account(const std::string& account_id); // forgets the dialog and any job of the old one
    // The toolbar's "Export" (menu: CSV, JSON) and "Import CSV" buttons, on the current line.
    float toolbar_width(bool can_export, bool can_import) const;
    void draw_toolbar(bool can_export, bool can_import, const std::string& q, const std::string& sort);
    void draw(); // the import dialog; once per frame after the page

private:
    struct RowError {
        std::int64_t row = 0;
        std::string column, code, message;
    };
    struct Job {
        std::string id, status; // running | done | failed
        bool dry_run = false;
        std::int64_t rows_done = 0, created = 0, failed = 0;
        double bytes_done = 0, bytes_total = 0;
        std::vector<RowError> errors;
        std::string failure;
    };

    void start_export(const std::string& format, const std::string& url);
    void pick_file();
    void start_import();
    void poll();
    void read_job(const nlohmann::json& body);
    void draw_setup();
    void draw_progress();
    void draw_errors();
    void load_custom_fields();

    ImportTarget m_target;
    std::string m_account_id;
    bool m_exporting = false;
    bool m_open = false;
    std::string m_error;
    // The picked file.
    int m_file = 0;
    std::string m_file_name;
    double m_file_size = 0;
    std::vector<std::string> m_headers;
    std::vector<int> m_mapping; // index into import_fields() per header
    bool m_dry_run = true;
    bool m_uploading = false;
    // The job.
    bool m_has_job = false;
    Job m_job;
    bool m_polling = false;
    double m_next_poll_ms = 0;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views
