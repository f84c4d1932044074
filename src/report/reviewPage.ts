// The review page: one self-contained HTML file (no scripts, no external files) with the
// configuration, the ledger tables, charts as inline SVG, the GPU comparison and one token's waveform.
import { barSpec, renderSvg } from "./charts.js";
import { areaRows, energyRows, headline, num } from "./format.js";
import type { Ledger } from "./ledger.js";
import { escapeXml } from "./waveSvg.js";

/** What the page shows besides the ledger. */
export interface ReviewExtras {
  /** The waveform excerpt as SVG, and which token it shows. */
  waveSvg: string;
  waveToken: number;
  /** When the page was made (shown; fixed in tests). */
  generated: string;
}

/** The page's charts as inline SVG: energy and area split, and the ratios to docs/model.md §5's platforms. */
export async function reviewCharts(l: Ledger): Promise<string[]> {
  const energy = energyRows(l).map(([label, , , , pj]) => ({ component: label, pJ: pj }));
  const area = areaRows(l).map(([label, , , mm2]) => ({ block: label, mm2 }));
  const ratios = l.platforms.flatMap((p) => [
    { ratio: `${p.name}: speedup`, times: p.speedup },
    { ratio: `${p.name}: energy gain`, times: p.energyGain },
  ]);
  return Promise.all([
    renderSvg(barSpec("Energy per token, one head", energy, "component", "pJ", "pJ per token")),
    renderSvg(barSpec("Area of one head", area, "block", "mm2", "mm²")),
    renderSvg(barSpec(`Against docs/model.md §5's platforms (${l.comparison.heads} heads, log scale)`, ratios, "ratio", "times", "× (platform / ours)", true)),
  ]);
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1040px; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
.headline { font-size: 1.25em; background: #f2f6fb; padding: 0.7em 1em; border-left: 4px solid #2b5d9b; }
.figures { display: flex; gap: 2em; flex-wrap: wrap; } .figure { font-size: 1.1em; }
.figure b { font-size: 1.5em; display: block; }
table { border-collapse: collapse; margin: 0.6em 0; } th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e5e5e5; }
th { text-align: left; background: #fafafa; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.small { color: #666; font-size: 0.9em; } .chart svg { max-width: 100%; height: auto; }
.wave { overflow-x: auto; border: 1px solid #ddd; }
`;

function table(head: string[], rows: (string | number)[][], numeric: boolean[]): string {
  const th = head.map((h) => `<th>${escapeXml(h)}</th>`).join("");
  const trs = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ""}>${typeof c === "number" ? num(c, 4) : c}</td>`).join("")}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs.join("")}</tbody></table>`;
}

/** The whole page. */
export async function reviewHtml(l: Ledger, x: ReviewExtras): Promise<string> {
  const e = l.energyPjPerTokenPerHead;
  const [energyChart, areaChart, platformChart] = await reviewCharts(l);
  const config = Object.entries(l.config).map(([k, v]) => [escapeXml(k), escapeXml(String(v))]);
  const tech = Object.entries(l.technology).map(([k, v]) => [escapeXml(k), typeof v === "number" ? num(v, 6) : escapeXml(String(v))]);
  const bold = (s: string) => `<b>${s}</b>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gaincell review: ${escapeXml(headline(l))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>gaincell review</h1>
<p class="small">Cycle-accurate model of the Leroux et al. gain-cell attention accelerator (arXiv 2409.19315). Generated ${escapeXml(x.generated)}.</p>
<p class="headline" id="headline">${escapeXml(headline(l))}.</p>
<div class="figures">
<div class="figure" id="latency"><b>${num(l.latencyNsPerToken, 2)} ns</b>latency per token (one layer)</div>
<div class="figure" id="energy"><b>${num(e.total, 1)} pJ</b>energy per token, one head</div>
<div class="figure"><b>${num(l.perLayer.energyNj, 2)} nJ</b>per token, ${l.heads} heads</div>
<div class="figure" id="area"><b>${num(l.areaMm2PerHead, 4)} mm²</b>area per head</div>
</div>
<p>${escapeXml(l.method)}</p>

<h2>Energy per token, one head</h2>
${table(["component", "events per token", "", "pJ per event", "pJ"], [
    ...energyRows(l).map(([label, n, unit, price, pj]) => [escapeXml(label), n, unit, price, num(pj, 1)]),
    [bold("total"), "", "", "", bold(num(e.total, 1))],
  ], [false, true, false, true, true])}
<div class="chart">${energyChart}</div>

<h2>Area</h2>
${table(["block", "per head", "µm² each", "mm² per head"], [
    ...areaRows(l).map(([label, n, um2, mm2]) => [escapeXml(label), num(n, 0), um2, mm2]),
    [bold("total"), "", "", bold(num(l.areaMm2PerHead, 4))],
  ], [false, true, true, true])}
<div class="chart">${areaChart}</div>

<h2>Layer and model</h2>
${table(["scope", "latency per token", "energy per token", "area"], [
    ["one head", `${num(l.latencyNsPerToken, 2)} ns`, `${num(e.total / 1000, 3)} nJ`, `${num(l.areaMm2PerHead, 4)} mm²`],
    [`layer (${l.heads} heads in parallel)`, `${num(l.perLayer.latencyNs, 2)} ns`, `${num(l.perLayer.energyNj, 2)} nJ`, `${num(l.perLayer.areaMm2, 2)} mm²`],
    [`model (${l.layers} layers in sequence)`, `${num(l.perModel.latencyNs, 1)} ns`, `${num(l.perModel.energyNj, 1)} nJ`, `${num(l.perModel.areaMm2, 1)} mm²`],
  ], [false, true, true, true])}

<h2>Against the GPUs of docs/model.md §5</h2>
<p>${escapeXml(l.comparison.basis)} Ours on that basis: ${num(l.comparison.latencyNs, 2)} ns and ${num(l.comparison.energyNj, 2)} nJ per token.</p>
${table(["platform", "latency per token", "energy per token", "speedup", "energy gain"], l.platforms.map((p) => {
    const about = p.approximate ? "about " : "";
    return [escapeXml(p.name), `${about}${num(p.latencyUs, 2)} µs`, `${about}${num(p.energyMj, 2)} mJ`, `${num(p.speedup, 0)}×`, `${num(p.energyGain, 0)}×`];
  }), [false, true, true, true, true])}
<div class="chart">${platformChart}</div>

<h2>One token, as traced</h2>
<p>Token ${x.waveToken} of a short cycle-accurate run with this configuration on a seeded stream, from its LOAD to its result (acc.outValid): the sequencer's phases,
the q pulse of row 0, slot 0's CPC (charge published T_max into PHASE 1, pulse φ in PHASE 2) and output row 0's signed CPC (sign and count in CONVERT).</p>
<div class="wave">${x.waveSvg}</div>

<h2>Configuration</h2>
${table(["field", "value"], config, [false, true])}
<h2>Technology</h2>
${table(["field", "value"], tech, [false, true])}
</body></html>
`;
}
