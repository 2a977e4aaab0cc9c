// "Roles" (ACC-1, ACC-2): the agency's roles, built-ins read-only and custom ones editable: name,
// description, the permission matrix (object x verb -> none/own/team/all) and the admin
// capabilities. "New role" copies an existing role (copy_of); "Save changes" sends only what
// changed, through the re-authentication prompt, with If-Match (412 offers a reload); "Delete
// role" asks first and says plainly when the role is still assigned (409). Opened from the user
// menu by those the core lets manage roles (can_manage_roles). The editor's rules are
// app::RoleEditor (unit-tested); every name of an object, verb, scope or capability is the core's.
#pragma once

#include "app/role_editor.hpp"
#include "app/session.hpp"
#include "net/http.hpp"

#include <functional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class RolesView {
public:
    std::function<void()> on_back; // "Back to contacts"

    void open(const app::Me& me, std::string agency_id); // (re)loads the roles; shows the list
    void close();
    void draw();

private:
    void load(std::string then_edit = {});
    void edit(const access::RoleDef& role);
    void draw_list_card(float width);
    void draw_details_card(float width);
    void draw_matrix_card(float width);
    void draw_capabilities_card(float width);
    void draw_actions(float width);
    void draw_new_dialog();
    void create_role();
    void draw_delete_dialog();
    void delete_role();
    void save();

    const app::Me* m_me = nullptr;
    std::string m_agency_id;
    enum class Phase { loading, ready, failed };
    Phase m_phase = Phase::loading;
    std::string m_load_error;
    std::vector<access::RoleDef> m_roles;

    bool m_editing = false; // the editor replaces the list until "All roles"
    app::RoleEditor m_editor;
    bool m_busy = false;

    bool m_new_open = false;
    std::string m_new_name, m_new_error;
    int m_new_from = 0;
    bool m_new_busy = false;

    bool m_delete_open = false;
    std::string m_delete_error;
    bool m_delete_busy = false;

    net::Lifetime m_life; // reset on open/close: answers for a screen left behind are dropped
};

} // namespace stronghold::web::views
