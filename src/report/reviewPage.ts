// The review page: one self-contained HTML file (no scripts, no external files) with the provenance,
// the ledger tables, charts as inline SVG, accuracy, associative recall, the GPU comparison, one
// token's waveform and the technology with where each value comes from.
import { barSpec, renderSvg } from "./charts.js";
import { COMPONENT_NAMES, COMPONENTS } from "./energy.js";
import { headline } from "./format.js";
import type { Ledger } from "./ledger.js";
import {
  accuracyNotes, accuracyTable, areaTable, energyTable, num, platformTable, provenanceTable, scaleTable, technologyTable, throughputLine, type Table,
} from "./ledgerTables.js";
import { escapeXml } from "./waveSvg.js";
import type { RecallResult, RecallSetting } from "../recall/api.js";
import { capacityText, encodingLines } from "./recallOutput.js";

/** What the page shows besides the ledger. */
export interface ReviewExtras {
  /** The waveform excerpt as SVG, which token it shows and the labels of its lanes, top to bottom. */
  waveSvg: string;
  waveToken: number;
  waveLanes: string[];
  /** Associative recall on this configuration (docs/recall.md): the setting, its result and its chart as SVG, or why it could not run. */
  recall: { setting: RecallSetting; result: RecallResult; svg: string } | { error: string };
}

/** The recall section: what was run, the capacity, the encoding, the curve as a table and the chart. */
function recallSection(recall: ReviewExtras["recall"]): string {
  if ("error" in recall) return `<p id="recall-capacity">Not run on this configuration: ${escapeXml(recall.error)}.</p>`;
  const { setting: s, result: r, svg } = recall;
  const rows = r.pooled.curve.map((p) => [String(p.distance), p.elapsedUs.toFixed(3), p.bitAccuracy.toFixed(4), p.queryAccuracy.toFixed(3)]);
  return `<p>How far back this configuration retrieves a stored key → value pair (docs/recall.md): every token stores a pair, and a
later token's query is the key stored a given number of tokens before it, with distractor pairs in between. ${s.plan.queriesPerDistance} queries
per distance on the ideal chip, tokens back to back, functional model.
<b id="recall-capacity">Capacity (bit accuracy ≥ ${s.plan.threshold}): ${escapeXml(capacityText(r.pooled.capacity))}</b>.</p>
${encodingLines(r.encoding).map((line) => `<p class="small">${escapeXml(line)}</p>`).join("\n")}
${html({ head: ["distance (tokens)", "write to read (µs)", "value bits right", "values fully right"], rows, numeric: [true, true, true, true] })}
<div class="chart">${svg}</div>`;
}

/** The page's charts as inline SVG: energy and area split, and the ratios to docs/model.md §5's platforms. */
export async function reviewCharts(l: Ledger): Promise<string[]> {
  const e = l.energyPjPerTokenPerHead;
  const energy = COMPONENTS.map((k) => ({ component: COMPONENT_NAMES[k], pJ: e[k] }));
  const a = l.areaMm2ByBlockPerHead;
  const area = areaTable(l).rows.slice(0, 6).map(([block], i) => ({ block, mm2: [a.cells, a.cpcs, a.signedCpcs, a.pwmDrivers, a.dacs, a.controllers][i] }));
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
td.part { padding-left: 2em; } .small { color: #666; font-size: 0.9em; } .chart svg { max-width: 100%; height: auto; }
.wave { overflow-x: auto; border: 1px solid #ddd; }
`;

/** A table as HTML; cells are escaped, rows listed in `strong` are bold, indented labels are parts. */
function html(t: Table): string {
  const strong = new Set(t.strong ?? []);
  const th = t.head.map((h) => `<th>${escapeXml(h)}</th>`).join("");
  const trs = t.rows.map((r, i) => `<tr>${r.map((c, j) => {
    const cls = t.numeric[j] ? ' class="n"' : j === 0 && c.startsWith("  ") ? ' class="part"' : "";
    const text = escapeXml(c.trim());
    return `<td${cls}>${strong.has(i) && text !== "" ? `<b>${text}</b>` : text}</td>`;
  }).join("")}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs.join("")}</tbody></table>`;
}

/** The whole page. */
export async function reviewHtml(l: Ledger, x: ReviewExtras): Promise<string> {
  const e = l.energyPjPerTokenPerHead;
  const [energyChart, areaChart, platformChart] = await reviewCharts(l);
  const config = Object.entries(l.config).map(([k, v]) => [k, String(v)]);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gaincell review: ${escapeXml(headline(l))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>gaincell review</h1>
<p class="small">Cycle-accurate model of the Leroux et al. gain-cell attention accelerator (arXiv 2409.19315).
${escapeXml(l.provenance.tool)}, configuration ${escapeXml(l.provenance.configHash)}, ${escapeXml(l.provenance.date)}.</p>
<p class="headline" id="headline">${escapeXml(headline(l))}.</p>
<div class="figures">
<div class="figure" id="latency"><b>${num(l.latencyNsPerToken, 2)} ns</b>latency per token (one layer)</div>
<div class="figure" id="energy"><b>${num(e.total, 1)} pJ</b>energy per token, one head</div>
<div class="figure" id="power"><b>${num(l.powerMwPerHead, 1)} mW</b>power, one head</div>
<div class="figure"><b>${num(l.perLayer.energyNj, 2)} nJ</b>per token, ${l.heads} heads</div>
<div class="figure" id="area"><b>${num(l.areaMm2PerHead, 4)} mm²</b>area per head</div>
</div>
<p>${escapeXml(l.method)}</p>

<h2>Provenance</h2>
${html(provenanceTable(l))}

<h2>Latency, energy, power and throughput</h2>
${html(scaleTable(l))}
<p>${escapeXml(throughputLine(l))}</p>

<h2>Energy per token, one head</h2>
<p>Each part is priced per event by its first-order law (docs/ledger.md) with the technology below; the last column is the paper's
figure (docs/model.md §4) at the default configuration, which the default technology reproduces.</p>
${html(energyTable(l))}
<div class="chart">${energyChart}</div>

<h2>Accuracy</h2>
${html(accuracyTable(l))}
${accuracyNotes(l).map((note) => `<p class="small">${escapeXml(note)}</p>`).join("\n")}

<h2>Associative recall</h2>
${recallSection(x.recall)}

<h2>Area</h2>
${html(areaTable(l))}
<div class="chart">${areaChart}</div>

<h2>Against the GPUs of docs/model.md §5</h2>
<p>${escapeXml(l.comparison.basis)} Ours on that basis: ${num(l.comparison.latencyNs, 2)} ns and ${num(l.comparison.energyNj, 2)} nJ per token.</p>
${html(platformTable(l))}
<div class="chart">${platformChart}</div>

<h2>One token, as traced</h2>
<p id="wave-caption">Token ${x.waveToken} of a short cycle-accurate run of head 0 with this configuration on a seeded stream, from a cycle
before its LOAD to its result. Lanes, top to bottom: ${x.waveLanes.map(escapeXml).join("; ")}.</p>
<div class="wave">${x.waveSvg}</div>

<h2>Configuration</h2>
${html({ head: ["field", "value"], rows: config, numeric: [false, true] })}
<h2>Technology</h2>
<p>${escapeXml(l.technology.description)}. Where each value comes from: paper (docs/model.md), derived (from the paper's figures),
assumption (ours), given (your file).</p>
${html(technologyTable(l))}
</body></html>
`;
}
