// The create/edit dialog for one contact, with the delete confirmation and the 412 conflict
// choices ("Reload" takes the server's version, "Overwrite" re-sends mine on top of it).
#pragma once

#include "app/contact_form.hpp"
#include "net/http.hpp"
#include "views/history_view.hpp"

#include <stronghold/model/contact.hpp>

#include <functional>
#include <optional>
#include <string>

namespace stronghold::web::views {

struct FormPermissions {
    bool edit = false;
    bool remove = false;
};

class ContactFormView {
public:
    std::function<void()> on_changed; // a save or delete went through: refresh the table

    void open_new(const std::string& account_id);
    void open_edit(const std::string& account_id, const model::Contact& contact, FormPermissions can);
    void close();
    bool is_open() const { return m_open; }
    void set_me(const std::string& user_id) { m_me_id = user_id; } // "You" in the history
    void draw();
    void on_deleted_elsewhere(const std::string& id); // live: someone deleted what I am editing

private:
    void save();
    void remove();
    void draw_fields(float width);
    void draw_conflict();
    void draw_delete_confirm();

    app::ContactForm m_form;
    model::ContactRules m_rules; // sub-account defaults (country code) once /me carries them
    std::string m_account_id;
    FormPermissions m_can;
    bool m_open = false;
    bool m_open_requested = false;
    bool m_closing = false;
    bool m_busy = false;
    bool m_confirm_delete = false;
    bool m_gone = false;                     // deleted by someone else while open
    std::optional<model::Contact> m_conflict; // the server's current record after a 412
    bool m_conflict_open = false;             // the conflict dialog is up
    HistoryView m_history;
    std::string m_me_id;                    // "History": versions with revert
    net::Lifetime m_life;                    // reset on close: late answers are dropped
};

} // namespace stronghold::web::views
