// The trash (RES-2): what was deleted in the sub-account, newest first: kind, title, who deleted
// it and when, when it is purged for good, and "Restore" where the server says `restorable`.
#pragma once

#include "app/record_list.hpp"
#include "app/session.hpp"
#include "net/http.hpp"
#include "net/live.hpp"

#include <set>
#include <string>

namespace stronghold::web::views {

class TrashView {
public:
    TrashView();
    void open(const app::Me& me, const std::string& account_id); // reloads every time it opens
    void draw();
    void on_live(const net::LiveEvent& event);

private:
    void fetch_page(const app::RecordPageRequest& page);
    void restore(const std::string& id, const std::string& title);

    app::RecordList m_list;
    const app::Me* m_me = nullptr;
    std::string m_account_id;
    std::set<std::string> m_busy;
    net::Lifetime m_life;
};

} // namespace stronghold::web::views
