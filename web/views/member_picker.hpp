// The sub-account's member directory on screen (app/members): loaded once per sub-account from
// GET .../members, owner names for tables and panels, and the owner drop-down of forms and of
// bulk "Assign to...".
#pragma once

#include "app/members.hpp"
#include "app/session.hpp"

#include <string>
#include <string_view>

namespace stronghold::web::views {

void ensure_members(const std::string& account_id); // sends the request when the sub-account changed
// "You", a teammate's name, "Teammate" while unknown; "" for no owner.
std::string member_name(const std::string& user_id, const app::Me* me);
// A labelled drop-down of the members (me first; "Nobody" first when allow_nobody). An id not in
// the directory stays selectable as "Teammate". True when the user picked another one.
bool member_select(const char* label, std::string_view wire_field, std::string& user_id, const std::string& me_id, float width,
                   const std::string& error = {}, bool disabled = false, bool allow_nobody = true);
inline bool member_select(const char* label, std::string_view wire_field, std::string& user_id, const app::Me* me, float width,
                          const std::string& error = {}, bool disabled = false, bool allow_nobody = true) {
    return member_select(label, wire_field, user_id, me ? me->user_id : std::string(), width, error, disabled, allow_nobody);
}

} // namespace stronghold::web::views
