// What the CRM record screens share (companies, deals, tickets, tasks, trash, CRM settings):
// people-facing names of kinds, their icons, the permission check against /me, and the badge
// colour of status-like values.
#pragma once

#include "app/session.hpp"
#include "ui/fonts.hpp"
#include "ui/widgets.hpp"

#include <stronghold/access/permissions.hpp>
#include <stronghold/model/record.hpp>

#include <string>
#include <string_view>

namespace stronghold::web::views {

// "Company" / "Companies"; contacts too (for trash rows and related lists).
inline std::string kind_singular(std::string_view name) {
    if (name == "contact") return "Contact";
    if (name == "company") return "Company";
    if (name == "deal") return "Deal";
    if (name == "ticket") return "Ticket";
    if (name == "task") return "Task";
    if (name == "note") return "Note";
    if (name == "tag") return "Tag";
    if (name == "pipeline") return "Pipeline";
    if (name == "custom_field") return "Custom field";
    if (name == "custom_value") return "Custom value";
    return std::string(name);
}
// "company", "custom value": the singular inside a sentence.
inline std::string kind_in_text(std::string_view name) {
    std::string s = kind_singular(name);
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
}
inline std::string kind_plural(std::string_view name) {
    if (name == "company") return "Companies";
    return kind_singular(name) + "s";
}
inline const char* kind_icon(std::string_view name) {
    if (name == "company") return fonts::k_icon_building;
    if (name == "deal") return fonts::k_icon_briefcase;
    if (name == "ticket") return fonts::k_icon_ticket;
    if (name == "task") return fonts::k_icon_task;
    if (name == "note") return fonts::k_icon_note;
    return fonts::k_icon_user;
}

// /me's permission strings: "<object>.<verb>" in the sub-account (deny by default).
inline bool allowed(const app::Me* me, const std::string& account_id, access::Object object, access::Verb verb) {
    if (!me) return false;
    auto it = me->permissions.find(account_id);
    if (it == me->permissions.end()) return false;
    return it->second.count(std::string(access::to_string(object)) + "." + std::string(access::to_string(verb))) > 0;
}
// For a kind: record kinds by their object; settings-like kinds are readable by every member.
inline bool allowed(const app::Me* me, const std::string& account_id, const model::ObjectSpec& spec, access::Verb verb) {
    return allowed(me, account_id, spec.object, verb);
}

// Status-like select values as coloured pills.
inline ui::BadgeKind badge_of(std::string_view v) {
    if (v == "won" || v == "resolved" || v == "closed" || v == "Yes") return ui::BadgeKind::good;
    if (v == "pending" || v == "high" || v == "urgent" || v == "lost") return ui::BadgeKind::warning;
    if (v == "open") return ui::BadgeKind::accent;
    return ui::BadgeKind::neutral;
}

} // namespace stronghold::web::views
