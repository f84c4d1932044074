// What a sweep writes: one CSV row per point (parameters, latency, energy and area split, events,
// accuracy) and the charts of those columns as SVG.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileFormatError } from "../errors.js";
import { ACCURACY_METRIC } from "./accuracy.js";
import { lineSweepSpec, renderSvg, stackedSweepSpec, type Datum, type SweepLayout } from "./charts.js";
import { EVENT_KINDS } from "./events.js";
import { csvField } from "./format.js";
import { priceEvents } from "./energy.js";
import { priceBlocks } from "./ledger.js";
import type { SweepAxis, SweepPoint } from "./sweepGrid.js";
import type { PointMeasurement } from "./sweepPoint.js";
import type { Technology } from "./technology.js";

/** One row of sweep.csv: the axis values, then the figures per token per head. */
export type SweepRow = Datum;

const ENERGY_PARTS = ["stage1", "stage2", "write", "control"] as const;
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

/** The CSV rows of a sweep: prices each point's events and blocks with `tech`. */
export function sweepRows(axes: readonly SweepAxis[], points: readonly SweepPoint[], results: readonly PointMeasurement[], tech: Technology): SweepRow[] {
  return points.map((p, i) => {
    const r = results[i];
    const energy = priceEvents(r.perToken, p.config, tech);
    const area = priceBlocks(r.blocks, tech);
    const row: SweepRow = { point: p.label };
    for (const a of axes) row[a.name] = p.values[a.name];
    row.latencyNsPerToken = r.tokenPs / 1000;
    for (const k of [...ENERGY_PARTS, "total"] as const) row[`energyPj.${k}`] = energy[k];
    for (const k of [...AREA_PARTS, "total"] as const) row[`areaMm2.${k}`] = area[k];
    for (const k of EVENT_KINDS) row[`events.${k}`] = r.perToken[k];
    row.tokensSimulated = r.tokens;
    if (r.accuracy) {
      row.rmsError = r.accuracy.rmsError;
      row.relativeRmsError = r.accuracy.relativeRmsError;
    }
    return row;
  });
}

/** sweep.csv's text: a header of the rows' fields, then the rows. */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const fields = Object.keys(rows[0] ?? {});
  return [fields.join(","), ...rows.map((r) => fields.map((f) => csvField(r[f] ?? "")).join(","))].join("\n") + "\n";
}

/** The first axis along x; the other axes' values joined into a series name, in grid order. */
export function sweepLayout(axes: readonly SweepAxis[], data: readonly Datum[]): SweepLayout {
  return {
    x: axes[0].name,
    series: axes.length > 1 ? "series" : null,
    seriesOrder: [...new Set(data.map((d) => String(d.series)))],
  };
}

// Chart data: one datum per row, plus the series name; long form (one datum per part) for stacks.
function chartData(axes: readonly SweepAxis[], rows: readonly SweepRow[]): Datum[] {
  return rows.map((r) => ({ ...r, series: axes.slice(1).map((a) => `${a.name}=${r[a.name]}`).join(" ") }));
}

function longForm(data: Datum[], parts: readonly string[], prefix: string): Datum[] {
  return data.flatMap((d) => parts.map((part, partIndex) => ({ ...d, part: PART_NAMES[part], partIndex, value: d[`${prefix}.${part}`] })));
}

/** The charts of a sweep by file name: energy, latency, area and, when measured, accuracy. */
export async function sweepCharts(axes: readonly SweepAxis[], rows: readonly SweepRow[]): Promise<Record<string, string>> {
  const data = chartData(axes, rows);
  const layout = sweepLayout(axes, data);
  const charts: Record<string, string> = {
    "energy.svg": await renderSvg(stackedSweepSpec("Energy per token, one head, by component", longForm(data, ENERGY_PARTS, "energyPj"), layout, "part", "value", "pJ per token")),
    "latency.svg": await renderSvg(lineSweepSpec("Latency per token (one layer, heads in parallel)", data, layout, "latencyNsPerToken", "ns per token")),
    "area.svg": await renderSvg(stackedSweepSpec("Area of one head, by block", longForm(data, AREA_PARTS, "areaMm2"), layout, "part", "value", "mm²")),
  };
  if (rows.every((r) => typeof r.rmsError === "number")) {
    // a zero error cannot sit on a log scale; the chart is linear then
    const log = rows.every((r) => (r.rmsError as number) > 0);
    charts["accuracy.svg"] = await renderSvg(lineSweepSpec("Output error vs the fine, leak-free functional model", data, layout, "rmsError", "RMS error of out", log));
  }
  return charts;
}

/** Writes sweep.csv, sweep.json (rows and the metric's definition) and the charts into `dir`; returns the files. */
export async function writeSweep(dir: string, axes: readonly SweepAxis[], rows: readonly SweepRow[], tech: Technology): Promise<string[]> {
  const files: Record<string, string> = {
    "sweep.csv": sweepCsv(rows),
    "sweep.json": JSON.stringify({ technology: tech, accuracyMetric: ACCURACY_METRIC, axes, rows }, null, 2) + "\n",
    ...(await sweepCharts(axes, rows)),
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FileFormatError(dir, `cannot create the output folder: ${(e as Error).message}`);
  }
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    try {
      writeFileSync(path, text);
    } catch (e) {
      throw new FileFormatError(path, `cannot write: ${(e as Error).message}`);
    }
    return path;
  });
}
