#include "app/members.hpp"

#include "app/wire_read.hpp"

namespace stronghold::web::app {

std::vector<Member> members_from_json(const nlohmann::json& body) {
    std::vector<Member> out;
    if (!body.is_object() || !body.contains("members") || !body["members"].is_array()) return out;
    for (const auto& j : body["members"]) {
        Member m{wire::str(j, "id"), wire::str(j, "name"), wire::str(j, "email")};
        if (m.id.rfind("us_", 0) != 0) continue;
        if (m.name.empty()) m.name = m.email.empty() ? "Teammate" : m.email;
        out.push_back(std::move(m));
    }
    return out;
}

void MemberDirectory::start(const std::string& account_id) {
    m_account_id = account_id;
    m_members.clear();
    m_loading = true;
}

void MemberDirectory::on_answer(const std::string& account_id, const nlohmann::json& body) {
    if (account_id != m_account_id) return; // a late answer for the sub-account we left
    m_members = members_from_json(body);
    m_loading = false;
}

void MemberDirectory::on_failed(const std::string& account_id) {
    if (account_id == m_account_id) m_loading = false;
}

const Member* MemberDirectory::find(const std::string& id) const {
    for (const auto& m : m_members)
        if (m.id == id) return &m;
    return nullptr;
}

std::string MemberDirectory::display(const std::string& id, const std::string& me_id) const {
    if (id.empty()) return {};
    if (id == me_id) return "You";
    const Member* m = find(id);
    return m ? m->name : "Teammate";
}

void MemberDirectory::options(const std::string& me_id, std::vector<std::string>& labels, std::vector<std::string>& ids) const {
    if (const Member* me = find(me_id)) {
        labels.push_back("You (" + me->name + ")");
        ids.push_back(me->id);
    } else if (!me_id.empty()) {
        labels.emplace_back("You");
        ids.push_back(me_id);
    }
    for (const auto& m : m_members) {
        if (m.id == me_id) continue;
        labels.push_back(m.email.empty() ? m.name : m.name + "  \xc2\xb7  " + m.email);
        ids.push_back(m.id);
    }
}

MemberDirectory& member_directory() {
    static MemberDirectory directory;
    return directory;
}

} // namespace stronghold::web::app
