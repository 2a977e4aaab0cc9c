// The edit-conflict dialog (412 on a save, RES-1 "never lose a write"): per changed field, the
// server's current value ("Their version") next to the form's ("Yours"), and three ways out:
// "Keep theirs" (drop my edits), "Overwrite with mine" (re-send my values against their version)
// and "Merge" (my changed fields over theirs; theirs for everything I did not touch).
// Shared by the record form and the contact form.
#pragma once

#include "app/conflict.hpp"

#include <vector>

namespace stronghold::web::views {

// Draws the modal while `open`; returns the choice clicked this frame (and closes it then).
// `what` names the record kind in the text ("company", "contact").
app::ConflictChoice draw_conflict_dialog(bool& open, const char* what, const std::vector<app::ConflictRow>& rows);

} // namespace stronghold::web::views
