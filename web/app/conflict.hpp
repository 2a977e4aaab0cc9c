// One field of an edit conflict (412): what the server holds now ("theirs") next to what the
// form holds ("yours"). The record form and the contact form both produce these rows; the
// conflict dialog (views/conflict_dialog) shows them and offers keep theirs / overwrite / merge.
#pragma once

#include <string>

namespace stronghold::web::app {

struct ConflictRow {
    std::string field;  // wire name
    std::string label;
    std::string theirs; // as displayed
    std::string yours;
    bool touched = false;      // I changed it
    bool they_changed = false; // they changed it since I loaded
};

enum class ConflictChoice { none, keep_theirs, overwrite, merge };

} // namespace stronghold::web::app
