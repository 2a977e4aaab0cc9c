// Stronghold dashboard (WebAssembly). The browser owns the loop: platform::run() sets up the
// window and returns, then draws the dashboard on demand.
#include "app/dashboard.hpp"
#include "ui/platform.hpp"



namespace {
stronghold::web::app::Dashboard g_dashboard; // lives as long as the page
}

int main() {
    g_dashboard.start();
    return stronghold::web::platform::run([] { g_dashboard.draw(); });
}
