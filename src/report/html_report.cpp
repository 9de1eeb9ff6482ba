#include "report/html_report.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace nacre {

namespace {

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Embedding JSON in a <script> block: "</" must not end the block early.
std::string json_for_script(const nlohmann::json& json) {
  std::string text = json.dump();
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

const char* kStyle = R"CSS(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2em; } .sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ddd; padding: 4px 10px; text-align: right; }
th { background: #f4f4f4; } td.l, th.l { text-align: left; }
.ok { color: #0a7d32; font-weight: 600; } .bad { color: #b00020; font-weight: 600; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; } .card { border: 1px solid #ddd; border-radius: 6px; padding: 0.8em 1.2em; }
.card b { font-size: 1.6em; display: block; } svg text { font-size: 11px; fill: #333; }
)CSS";

// A small SVG charting script: scatter(containerId, series, xLabel, yLabel) and bars(containerId, rows,
// label).
const char* kChartScript = R"JS(
function svgEl(tag, attrs) { const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]); return e; }
function niceTicks(lo, hi, n) { const span = hi - lo || 1; const step = Math.pow(10, Math.floor(Math.log10(span / n)));
  const m = [1, 2, 5, 10].find(m => span / (m * step) <= n) * step; const out = [];
  for (let v = Math.ceil(lo / m) * m; v <= hi + 1e-12; v += m) out.push(+v.toPrecision(10)); return out; }
function scatter(id, series, xLabel, yLabel) {
  const W = 720, H = 420, L = 70, R = 170, T = 20, B = 50; const svg = svgEl('svg', {width: W, height: H});
  const pts = series.flatMap(s => s.points); if (!pts.length) return;
  let [x0, x1] = [Math.min(...pts.map(p => p.x)), Math.max(...pts.map(p => p.x))];
  let [y0, y1] = [Math.min(...pts.map(p => p.y)), Math.max(...pts.map(p => p.y))];
  const px = (x1 - x0) * 0.08 || 0.1, py = (y1 - y0) * 0.08 || 0.01; x0 -= px; x1 += px; y0 -= py; y1 += py;
  const sx = x => L + (x - x0) / (x1 - x0) * (W - L - R), sy = y => H - B - (y - y0) / (y1 - y0) * (H - T - B);
  for (const t of niceTicks(x0, x1, 8)) { svg.append(svgEl('line', {x1: sx(t), x2: sx(t), y1: T, y2: H - B, stroke: '#eee'}));
    const lab = svgEl('text', {x: sx(t), y: H - B + 15, 'text-anchor': 'middle'}); lab.textContent = t; svg.append(lab); }
  for (const t of niceTicks(y0, y1, 8)) { svg.append(svgEl('line', {x1: L, x2: W - R, y1: sy(t), y2: sy(t), stroke: '#eee'}));
    const lab = svgEl('text', {x: L - 6, y: sy(t) + 4, 'text-anchor': 'end'}); lab.textContent = t; svg.append(lab); }
  const xl = svgEl('text', {x: (L + W - R) / 2, y: H - 10, 'text-anchor': 'middle'}); xl.textContent = xLabel; svg.append(xl);
  const yl = svgEl('text', {x: 15, y: (T + H - B) / 2, transform: `rotate(-90 15 ${(T + H - B) / 2})`, 'text-anchor': 'middle'});
  yl.textContent = yLabel; svg.append(yl);
  series.forEach((s, i) => {
    for (const p of s.points) { const c = svgEl(s.marker === 'star' ? 'rect' : 'circle', s.marker === 'star'
        ? {x: sx(p.x) - 6, y: sy(p.y) - 6, width: 12, height: 12, fill: s.color, stroke: '#000'}
        : {cx: sx(p.x), cy: sy(p.y), r: s.radius || 4, fill: s.color, 'fill-opacity': 0.75});
      const tip = svgEl('title', {}); tip.textContent = `${s.name}${p.label ? ' ' + p.label : ''}: ${p.x.toFixed(3)}, ${p.y.toFixed(4)}`;
      c.append(tip); svg.append(c); }
    svg.append(svgEl('circle', {cx: W - R + 20, cy: T + 10 + i * 18, r: 5, fill: s.color}));
    const t = svgEl('text', {x: W - R + 30, y: T + 14 + i * 18}); t.textContent = s.name; svg.append(t); });
  document.getElementById(id).append(svg); }
function bars(id, rows, label) {
  const W = 720, rowH = 18, L = 170, H = rows.length * rowH + 30; const svg = svgEl('svg', {width: W, height: H});
  const max = Math.max(...rows.map(r => Math.max(r.a || 0, r.b || 0)), 1e-9), sx = v => (W - L - 90) * v / max;
  rows.forEach((r, i) => { const y = 5 + i * rowH;
    const name = svgEl('text', {x: L - 6, y: y + 12, 'text-anchor': 'end'}); name.textContent = r.name; svg.append(name);
    if (r.a != null) svg.append(svgEl('rect', {x: L, y: y + 1, width: sx(Math.max(0, r.a)), height: 7, fill: '#999'}));
    if (r.b != null) svg.append(svgEl('rect', {x: L, y: y + 8, width: sx(Math.max(0, r.b)), height: 7, fill: '#1f77b4'}));
    const v = svgEl('text', {x: L + sx(Math.max(r.a || 0, r.b || 0)) + 4, y: y + 12});
    v.textContent = `${(r.a ?? 0).toFixed(3)} → ${(r.b ?? 0).toFixed(3)}`; svg.append(v); });
  const l = svgEl('text', {x: L, y: H - 5}); l.textContent = label; svg.append(l);
  document.getElementById(id).append(svg); }
)JS";

const char* kDrawScript = R"JS(
const s = SUMMARY, series = [];
const front = (s.search && s.search.pareto_front) || [];
if (front.length) series.push({name: 'Pareto front (predicted)', color: '#9ecae1',
  points: front.map(p => ({x: p.predicted_latency_ms, y: p.predicted_accuracy, label: p.architecture}))});
const fin = (s.candidates_verified || []);
if (fin.length) series.push({name: 'fine-tuned (measured)', color: '#1f77b4', radius: 6,
  points: fin.map(p => ({x: p.latency_ms, y: p.val_accuracy,
    label: p.architecture + (p.fine_tuned === false ? ' (exact rewrites)' : p.continued_training ? ' (trained further)' : '')}))});
series.push({name: 'baseline (measured)', color: '#d62728', marker: 'star',
  points: [{x: s.baseline.latency_ms, y: s.baseline.val_accuracy}]});
series.push({name: 'result (measured)', color: '#2ca02c', marker: 'star',
  points: [{x: s.result.latency_ms, y: s.result.val_accuracy}]});
scatter('pareto', series, `latency on ${s.target} (ms, batch ${s.batch}, ${s.threads} thread(s))`, 'validation accuracy');
const blocks = s.blocks || [];
bars('block-latency', blocks.map(b => ({name: b.name, a: b.baseline_latency_ms, b: b.chosen_latency_ms})),
  'latency per block in ms: grey = original block, blue = chosen candidate (in place: the block\'s share of the whole model; a negative share is drawn as 0)');
const stages = Object.entries(s.stage_seconds || {});
bars('stages', stages.map(([k, v]) => ({name: k, b: v})), 'seconds per stage');
)JS";

std::string fmt(double value, int digits) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

double number_or(const nlohmann::json& json, const char* key, double fallback) {
  return json.contains(key) && json[key].is_number() ? json[key].get<double>() : fallback;
}

void write_headline(std::ostringstream& html, const nlohmann::json& summary) {
  const auto& baseline = summary["baseline"];
  const auto& result = summary["result"];
  bool met = summary.value("constraint_met", false);
  html << "<div class=cards>"
       << "<div class=card>speed-up<b>" << fmt(number_or(summary, "speedup", 1), 2) << "x</b>measured on "
       << escape_html(summary.value("target", "?")) << "</div>"
       << "<div class=card>latency<b>" << fmt(number_or(baseline, "latency_ms", 0), 3) << " → "
       << fmt(number_or(result, "latency_ms", 0), 3) << " ms</b>median, interleaved</div>"
       << "<div class=card>validation accuracy<b>" << fmt(100 * number_or(baseline, "val_accuracy", 0), 2)
       << "% → " << fmt(100 * number_or(result, "val_accuracy", 0), 2)
       << "%</b><span class=" << (met ? "ok>constraint met" : "bad>constraint not met")
       << "</span> (tolerance " << fmt(100 * number_or(summary, "tolerance", 0), 2) << " points)</div>"
       << "<div class=card>test accuracy<b>" << fmt(100 * number_or(baseline, "test_accuracy", 0), 2)
       << "% → " << fmt(100 * number_or(result, "test_accuracy", 0), 2)
       << "%</b>reported only, never used to select</div>"
       << "</div>";
  if (summary.contains("note")) html << "<p>" << escape_html(summary["note"].get<std::string>()) << "</p>";
}

void write_block_table(std::ostringstream& html, const nlohmann::json& summary) {
  if (!summary.contains("blocks")) return;
  html << "<h2>Per-block decisions</h2><table><tr><th class=l>block</th><th class=l>chosen</th>"
          "<th class=l>what it is</th><th>distillation NSR</th><th>MACs original → chosen</th>"
          "<th>latency original → chosen (ms)</th></tr>";
  for (const auto& block : summary["blocks"]) {
    html << "<tr><td class=l>" << escape_html(block.value("name", "")) << "</td><td class=l>"
         << escape_html(block.value("chosen", "")) << "</td><td class=l>"
         << escape_html(block.value("description", "")) << "</td><td>"
         << (block.contains("nsr") && block["nsr"].is_number() ? fmt(block["nsr"].get<double>(), 4) : "-")
         << "</td><td>" << block.value("baseline_macs", 0) << " → " << block.value("chosen_macs", 0)
         << "</td><td>" << fmt(number_or(block, "baseline_latency_ms", 0), 4) << " → "
         << fmt(number_or(block, "chosen_latency_ms", 0), 4) << "</td></tr>";
  }
  html << "</table>";
}

}  // namespace

std::string render_html_report(const nlohmann::json& summary) {
  std::ostringstream html;
  html << "<!doctype html><html><head><meta charset=utf-8><title>nacre report: "
       << escape_html(summary.value("model", "")) << "</title><style>" << kStyle << "</style></head><body>"
       << "<h1>nacre optimize</h1><p class=sub>" << escape_html(summary.value("model", "")) << " on "
       << escape_html(summary.value("target", "")) << ", batch " << summary.value("batch", 1) << ", "
       << summary.value("threads", 1) << " thread(s); data " << escape_html(summary.value("data", ""))
       << "</p>";
  write_headline(html, summary);
  html << "<h2>Accuracy and latency</h2><p>Every candidate the search kept on its Pareto front (predicted), "
          "the "
          "fine-tuned architectures (measured), the baseline and the result.</p><div id=pareto></div>";
  write_block_table(html, summary);
  html << "<h2>Latency by block</h2><div id=block-latency></div><h2>Time per stage</h2><div id=stages></div>"
       << "<h2>Summary (JSON)</h2><pre>" << escape_html(summary.dump(2)) << "</pre>"
       << "<script>const SUMMARY = " << json_for_script(summary) << ";" << kChartScript << kDrawScript
       << "</script></body></html>\n";
  return html.str();
}

}  // namespace nacre
