#include "views/member_picker.hpp"

#include "net/records_api.hpp"
#include "ui/widgets.hpp"

namespace stronghold::web::views {
namespace {
net::Lifetime& life() {
    static net::Lifetime l;
    return l;
}
} // namespace

void ensure_members(const std::string& account_id) {
    auto& dir = app::member_directory();
    if (account_id.empty() || !dir.needs(account_id)) return;
    life().reset(); // an answer for the previous sub-account is dropped
    dir.start(account_id);
    net::get_list(account_id, "members", "", net::guard(life().weak(), [account_id](const net::ApiResponse& r) {
        if (r.ok()) app::member_directory().on_answer(account_id, r.body);
        else app::member_directory().on_failed(account_id); // names read "Teammate"; pickers offer only "You"
    }));
}

std::string member_name(const std::string& user_id, const app::Me* me) {
    return app::member_directory().display(user_id, me ? me->user_id : std::string());
}

bool member_select(const char* label, std::string_view wire_field, std::string& user_id, const std::string& me_id, float width,
                   const std::string& error, bool disabled, bool allow_nobody) {
    std::vector<std::string> labels, ids;
    if (allow_nobody) { labels.emplace_back("Nobody"); ids.emplace_back(); }
    app::member_directory().options(me_id, labels, ids);
    int index = -1;
    for (std::size_t k = 0; k < ids.size(); ++k)
        if (ids[k] == user_id) index = static_cast<int>(k);
    if (index < 0 && !user_id.empty()) { // someone the directory does not list (left the sub-account)
        labels.emplace_back("Teammate");
        ids.push_back(user_id);
        index = static_cast<int>(ids.size()) - 1;
    }
    const char* placeholder = app::member_directory().loading() ? "Loading teammates..." : "Choose a teammate";
    if (!ui::select(label, wire_field, index, labels, width, error, disabled, placeholder) || index < 0) return false;
    user_id = ids[static_cast<std::size_t>(index)];
    return true;
}

} // namespace stronghold::web::views
