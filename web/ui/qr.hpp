// Draws a QR code from its module matrix with draw-list rectangles: no texture, no scaling
// filter, so it is crisp at any devicePixelRatio. Modules are whole device pixels wide and
// snapped to the pixel grid; a white quiet zone of 4 modules surrounds the code (scanners need it).
#pragma once

#include "app/profile.hpp"

#include <imgui.h>

namespace stronghold::web::ui {

float qr_module_px(const app::QrMatrix& qr, float max_side); // whole device px per module so the code (quiet zone included) fits max_side; at least 1
float qr_side(const app::QrMatrix& qr, float module_px);     // full side in device px, quiet zone included
void draw_qr(ImDrawList* dl, ImVec2 top_left, const app::QrMatrix& qr, float module_px); // top_left is snapped to whole pixels

} // namespace stronghold::web::ui
