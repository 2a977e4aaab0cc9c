// The member directory of a sub-account (GET .../members: {"members":[{"id","name"}]}, emails for
// who manages users): owner names in tables and panels, owner pickers in forms, bulk "Assign
// to...". Pure logic: one process-wide directory per signed-in user, refilled when the
// sub-account changes; the view (views/members) sends the request.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace stronghold::web::app {

struct Member {
    std::string id;    // "us_..."
    std::string name;
    std::string email; // only for who may manage users
};
std::vector<Member> members_from_json(const nlohmann::json& body); // lenient: bad entries skipped

class MemberDirectory {
public:
    // True when a request for `account_id` should go out now (another sub-account, or none yet).
    bool needs(const std::string& account_id) const { return account_id != m_account_id; }
    void start(const std::string& account_id); // the request went out: empty, loading
    void on_answer(const std::string& account_id, const nlohmann::json& body);
    void on_failed(const std::string& account_id); // names fall back to "Teammate"
    void clear() { *this = {}; }

    bool loading() const { return m_loading; }
    const std::string& account_id() const { return m_account_id; }
    const std::vector<Member>& members() const { return m_members; }
    const Member* find(const std::string& id) const;
    // "" for no owner, "You" for me_id, the member's name, "Teammate" for an id not (yet) known.
    std::string display(const std::string& id, const std::string& me_id) const;
    // Picker entries: me first ("You (name)"), then the others by the server's order (by name).
    void options(const std::string& me_id, std::vector<std::string>& labels, std::vector<std::string>& ids) const;

private:
    std::string m_account_id;
    std::vector<Member> m_members;
    bool m_loading = false;
};

MemberDirectory& member_directory(); // the dashboard's one directory

} // namespace stronghold::web::app
