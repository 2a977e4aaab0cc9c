// CRM settings of a sub-account (user menu "CRM settings", shown when core's has_capability
// allows manage_settings there): custom fields per object (list, add, delete), tags (list,
// add with a colour, delete) and custom values, the sub-account's variables (list, create and
// edit in the generated record form with If-Match and the 412 conflict dialog, delete to the
// trash; crm_settings_values.cpp). Bodies are checked with core's record parser before they go out.
#pragma once

#include "app/session.hpp"
#include "net/http.hpp"
#include "views/record_form_view.hpp"

#include <stronghold/api/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace stronghold::web::views {

class CrmSettingsView {
public:
    std::function<void()> on_back;
    void open(const app::Me& me, const std::string& account_id);
    void close();
    void draw();

private:
    void load();
    void add_field();
    void add_tag();
    void remove(const std::string& path, const nlohmann::json& item);
    void draw_fields_card(float width);
    void draw_tags_card(float width);
    void draw_values_card(float width); // crm_settings_values.cpp
    static std::string wire_message(const api::Error& e); // "Key must start with a-z ..."

    const app::Me* m_me = nullptr;
    std::string m_account_id;
    int m_pending = 0;
    std::string m_load_error;
    std::vector<nlohmann::json> m_fields, m_tags, m_values;
    RecordFormView m_value_form; // new / edit custom value
    int m_object = 1; // index in model::k_custom_field_objects ("company")
    // New custom field.
    std::string m_label, m_key, m_options, m_field_error, m_field_error_at;
    int m_type = 0;
    bool m_required = false;
    // New tag.
    std::string m_tag_name, m_tag_error;
    int m_color = 0;
    bool m_busy = false;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views
