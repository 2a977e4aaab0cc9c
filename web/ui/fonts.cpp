#include "ui/fonts.hpp"

#include "net/http.hpp"

#include <array>
#include <cmath>
#include <string>

namespace stronghold::web::fonts {
namespace {

enum File { regular, semibold_file, icons, file_count };
constexpr std::array<const char*, file_count> k_urls = {
    "fonts/Inter-Regular.otf", "fonts/Inter-SemiBold.otf", "fonts/forkawesome-webfont.ttf"};

std::array<std::string, file_count> g_data; // kept alive: the atlas does not own it
int g_answered = 0;
bool g_built = false;
ImFont* g_body = nullptr;
ImFont* g_semibold = nullptr;
ImFont* g_title = nullptr;

// Latin (+ extended), Greek, Cyrillic, general punctuation, currency: what Inter covers.
constexpr ImWchar k_text_ranges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F,
                                     0x2000, 0x206F, 0x20A0, 0x20BF, 0x2190, 0x2193, 0};
// Only the icons we draw: the whole icon font would triple the atlas.
constexpr ImWchar k_icon_ranges[] = {0xF002, 0xF002, 0xF007, 0xF007, 0xF00C, 0xF00D, 0xF067, 0xF067,
                                     0xF071, 0xF071, 0xF08B, 0xF08B, 0xF0C0, 0xF0C0, 0xF0D7, 0xF0D7,
                                     0xF132, 0xF132, 0xF1F8, 0xF1F8,
                                     0xF023, 0xF023, 0xF084, 0xF084, 0xF0C5, 0xF0C5, 0xF108, 0xF108, 0xF10B, 0xF10B,
                                     0xF0DB, 0xF0DB, 0xF0B1, 0xF0B1, 0xF1AD, 0xF1AD, 0xF145, 0xF145, 0xF14A, 0xF14A,
                                     0xF013, 0xF013, 0xF02B, 0xF02B, 0xF040, 0xF040, 0xF0B0, 0xF0B0, 0xF0E2, 0xF0E2, 0xF1DA, 0xF1DA, 0xF249, 0xF249, 0};

ImFont* add(ImFontAtlas* atlas, File file, float px, const ImWchar* ranges, bool merge = false) {
    std::string& data = g_data[file];
    if (data.empty()) return nullptr;
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    config.MergeMode = merge;
    config.OversampleH = 2;
    config.OversampleV = 1;
    config.PixelSnapH = merge;
    if (merge) config.GlyphOffset.y = px * 0.05f;
    return atlas->AddFontFromMemoryTTF(data.data(), static_cast<int>(data.size()), px, &config, ranges);
}

} // namespace

void start_loading() {
    for (int i = 0; i < file_count; ++i) {
        net::send({.method = "GET", .url = k_urls[i]}, [i](const net::HttpResponse& r) {
            if (r.status == 200) g_data[i] = r.body;
            ++g_answered;
        });
    }
}

bool loaded() { return g_answered == file_count; }
bool built() { return g_built; }

void build(float dpr) {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    const float body_px = std::floor(k_body_px * dpr + 0.5f);
    const float title_px = std::floor(k_title_px * dpr + 0.5f);
    g_body = add(atlas, regular, body_px, k_text_ranges);
    if (g_body) add(atlas, icons, body_px, k_icon_ranges, /*merge=*/true);
    g_semibold = add(atlas, semibold_file, body_px, k_text_ranges);
    if (g_semibold) add(atlas, icons, body_px, k_icon_ranges, /*merge=*/true); // buttons carry icons too
    g_title = add(atlas, semibold_file, title_px, k_text_ranges);
    if (!g_body) { // fonts missing: ImGui's built-in font, scaled, keeps the app usable
        ImFontConfig config;
        config.SizePixels = body_px;
        g_body = atlas->AddFontDefault(&config);
    }
    if (!g_semibold) g_semibold = g_body;
    if (!g_title) g_title = g_semibold;
    ImGui::GetIO().FontDefault = g_body;
    atlas->Build();
    g_built = true;
}

ImFont* body() { return g_body; }
ImFont* semibold() { return g_semibold; }
ImFont* title() { return g_title; }

} // namespace stronghold::web::fonts
