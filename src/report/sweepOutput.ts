// What a sweep writes: one CSV row per point (parameters, error, latency, power, throughput, energy by
// component and part, area, events, accuracy), sweep.json with the provenance and definition, and
// the charts of those columns as SVG. Made from the point records alone, so a merge of shards
// writes the same bytes as one run; written together, whole, or not at all.
import { writeFilesTogether } from "../engine/OutputSet.js";
import { ACCURACY_METRIC } from "./accuracy.js";
import { lineSweepSpec, renderSvg, stackedSweepSpec, sweepChartData, sweepLayout, type Datum } from "./charts.js";
import { COMPONENTS, ENERGY_PARTS, priceEvents } from "./energy.js";
import { EVENT_KINDS } from "./events.js";
import { csvField, jsonText } from "./format.js";
import { priceBlocks, throughputOf } from "./ledger.js";
import type { RunProvenance } from "./provenance.js";
import type { SweepAxis, SweepPoint } from "./sweepGrid.js";
import { isRecall } from "./sweepPoint.js";
import { recallSweepFiles } from "./sweepRecall.js";
import type { PointRecord, SweepDefinition } from "./sweepStore.js";

/** One row of sweep.csv: the axis values, then the figures per token per head (absent for a failed point). */
export type SweepRow = Datum;

const AREA_PARTS = ["cells", "cpcs", "signedCpcs", "pwmDrivers", "dacs", "controllers"] as const;
// Legend names of the parts, as the report's tables call them.
const PART_NAMES: Record<string, string> = {
  stage1: "stage 1: K arrays + CPCs",
  stage2: "stage 2: V arrays + signed CPCs",
  write: "K/V write",
  control: "control and routing",
  cells: "gain cells",
  cpcs: "CPCs",
  signedCpcs: "signed CPCs + counters",
  pwmDrivers: "q PWM drivers",
  dacs: "K/V write DACs",
  controllers: "controller",
};

/** The figure columns of sweep.csv, after the point, its axis values and its error. */
export const FIGURE_COLUMNS: readonly string[] = [
  "latencyNsPerToken", "powerMwPerHead", "tokensPerSecondPerLayer", "topsPerWatt",
  ...[...COMPONENTS, "total"].map((k) => `energyPj.${k}`),
  ...ENERGY_PARTS.map((p) => `energyPj.${p.component}.${p.id}`),
  ...[...AREA_PARTS, "total"].map((k) => `areaMm2.${k}`),
  ...EVENT_KINDS.map((k) => `events.${k}`),
  "tokensSimulated", "tokensMeasured", "rmsError", "relativeRmsError",
  // a realised chip's outputs against the ideal chip's (docs/model.md §7)
  "rmsErrorVsIdeal", "changedFraction", "maxChange",
];

/** The rows of a sweep: each point's record priced with its configuration and the definition's technology. */
export function sweepRows(d: SweepDefinition, points: readonly SweepPoint[], records: readonly PointRecord[]): SweepRow[] {
  return points.map((p, i) => {
    const row: SweepRow = { point: p.label };
    for (const a of d.axes) row[a.name] = p.values[a.name];
    const { result, error } = records[i].outcome;
    row.error = error ?? "";
    if (result === undefined || isRecall(result) || p.config === null) return row;
    const energy = priceEvents(result.perToken, p.config, d.technology);
    const area = priceBlocks(result.blocks, d.technology);
    const latencyNs = result.tokenPs / 1000;
    const rate = throughputOf(p.config, energy.total, latencyNs, 1);
    Object.assign(row, {
      latencyNsPerToken: latencyNs,
      powerMwPerHead: energy.total / latencyNs,
      tokensPerSecondPerLayer: rate.tokensPerSecondPerLayer,
      topsPerWatt: rate.topsPerWatt,
    });
    for (const k of [...COMPONENTS, "total"] as const) row[`energyPj.${k}`] = energy[k];
    for (const part of energy.parts) row[`energyPj.${part.component}.${part.id}`] = part.pj;
    for (const k of [...AREA_PARTS, "total"] as const) row[`areaMm2.${k}`] = area[k];
    for (const k of EVENT_KINDS) row[`events.${k}`] = result.perToken[k];
    row.tokensSimulated = result.tokens;
    row.tokensMeasured = result.measuredTokens;
    if (result.accuracy) {
      row.rmsError = result.accuracy.rmsError;
      row.relativeRmsError = result.accuracy.relativeRmsError;
      const d = result.accuracy.againstIdeal;
      if (d !== undefined) Object.assign(row, { rmsErrorVsIdeal: d.rmsError, changedFraction: d.changedFraction, maxChange: d.maxChange });
    }
    return row;
  });
}

/** sweep.csv's text: point, axes, error, then FIGURE_COLUMNS; a failed point's figures are empty. */
export function sweepCsv(axes: readonly SweepAxis[], rows: readonly SweepRow[]): string {
  const fields = ["point", ...axes.map((a) => a.name), "error", ...FIGURE_COLUMNS];
  return [fields.join(","), ...rows.map((r) => fields.map((f) => csvField(r[f] ?? "")).join(","))].join("\n") + "\n";
}

// Long form for stacked bars: one datum per part.
function longForm(data: Datum[], parts: readonly string[], prefix: string): Datum[] {
  return data.flatMap((d) => parts.map((part, partIndex) => ({ ...d, part: PART_NAMES[part], partIndex, value: d[`${prefix}.${part}`] })));
}

/**
 * The charts of a sweep by file name: energy, latency, area and, when measured, accuracy and (on a
 * realised chip) variation, its error against the ideal chip; none without a measured point.
 */
export async function sweepCharts(axes: readonly SweepAxis[], rows: readonly SweepRow[]): Promise<Record<string, string>> {
  const data = sweepChartData(axes, rows);
  if (data.length === 0) return {};
  const layout = sweepLayout(axes, data);
  const charts: Record<string, string> = {
    "energy.svg": await renderSvg(stackedSweepSpec("Energy per token, one head, by component", longForm(data, COMPONENTS, "energyPj"), layout, "part", "value", "pJ per token")),
    "latency.svg": await renderSvg(lineSweepSpec("Latency per token (one layer, heads in parallel)", data, layout, "latencyNsPerToken", "ns per token")),
    "area.svg": await renderSvg(stackedSweepSpec("Area of one head, by block", longForm(data, AREA_PARTS, "areaMm2"), layout, "part", "value", "mm²")),
  };
  if (data.every((r) => typeof r.rmsError === "number")) {
    // a zero error cannot sit on a log scale; the chart is linear then
    const log = data.every((r) => (r.rmsError as number) > 0);
    charts["accuracy.svg"] = await renderSvg(lineSweepSpec("Output error vs the fine, leak-free functional model", data, layout, "rmsError", "RMS error of out", log));
  }
  if (data.every((r) => typeof r.rmsErrorVsIdeal === "number")) {
    charts["variation.svg"] = await renderSvg(lineSweepSpec("Output error of the realised chip vs the ideal chip", data, layout, "rmsErrorVsIdeal", "RMS of out − out of the ideal chip"));
  }
  return charts;
}

/** A ledger sweep's files by name: sweep.csv, sweep.json and the charts. */
async function ledgerFiles(d: SweepDefinition, points: readonly SweepPoint[], records: readonly PointRecord[], provenance: RunProvenance): Promise<Record<string, string>> {
  const rows = sweepRows(d, points, records);
  const { technology, ...definition } = d;
  return {
    "sweep.csv": sweepCsv(d.axes, rows),
    "sweep.json": jsonText({ provenance, definition, technology, accuracyMetric: d.accuracy ? ACCURACY_METRIC : null, rows }),
    ...(await sweepCharts(d.axes, rows)),
  };
}

/** Writes the sweep's files into `dir` (a ledger's or a recall sweep's), all together or none; returns the files. */
export async function writeSweep(dir: string, d: SweepDefinition, points: readonly SweepPoint[], records: readonly PointRecord[], provenance: RunProvenance): Promise<string[]> {
  const files = d.recall !== undefined ? await recallSweepFiles(d, points, records, provenance) : await ledgerFiles(d, points, records, provenance);
  return writeFilesTogether(dir, files, { createFolders: true });
}
