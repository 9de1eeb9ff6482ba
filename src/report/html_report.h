// The human-readable report of an optimize run: one self-contained HTML page made from the run's
// summary.json. Charts are drawn in the browser by a small charting script embedded in the page (SVG scatter
// and bar charts from the summary's numbers), so the page needs no network and shows exactly the recorded
// figures.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace nacre {

std::string render_html_report(const nlohmann::json& summary);

}  // namespace nacre
