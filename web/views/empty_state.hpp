// The empty state of a list screen (contacts, record tables, trash): an icon on a soft disc, a
// title and a muted line, centred in the card; `status` named `name` in the mirror, its text the
// title and the line.
#pragma once

#include <string>

namespace stronghold::web::views {

void draw_empty_state(const char* icon, const std::string& title, const std::string& detail, const std::string& name, float height);

} // namespace stronghold::web::views
