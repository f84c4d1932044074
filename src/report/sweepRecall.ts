// A sweep of associative recall (docs/recall.md): each point's setting, and what the sweep writes from
// the point records: sweep.csv (a point's capacity and break-even), recall.csv (its accuracy at
// each distance, all chips pooled), sweep.json and the charts (accuracy against distance, one line
// per point; capacity across the grid).
import type { RecallSetting } from "../recall/api.js";
import { capacityOf, pooledCurve } from "../recall/decode.js";
import { defaultDistances, recallEncoding } from "../recall/encoding.js";
import { recallChartSpec, recallCsv, type RecallSeries } from "./recallOutput.js";
import { recallTokens } from "../recall/stream.js";
import { lineSweepSpec, renderSvg, sweepChartData, sweepLayout, type Datum } from "./charts.js";
import { csvField, jsonText } from "./format.js";
import type { RunProvenance } from "./provenance.js";
import type { SweepPoint } from "./sweepGrid.js";
import { isRecall } from "./sweepPoint.js";
import type { PointRecord, RecallSweep, SweepDefinition } from "./sweepStore.js";

/** The recall setting of a valid point: its configuration and chip, the sweep's workload (distances by its window when not given). */
export function recallSettingAt(r: RecallSweep, p: SweepPoint): RecallSetting {
  const config = p.config!;
  return {
    config,
    plan: { ...r.plan, distances: r.plan.distances ?? defaultDistances(config.windowM) },
    chip: { ...r.chip, variation: p.variation, tokenGapPs: p.tokenGapPs },
    chips: r.chips,
    cycleAccurate: r.cycleAccurate,
  };
}

/** The columns of a recall sweep's sweep.csv after the point, its axis values and its error. */
export const RECALL_SWEEP_COLUMNS = [
  "capacityTokens", "capacityUs", "capacityCensored", "breakEvenTokens", "breakEvenUs", "keyWeight", "maxOverlap", "chips", "tokensPerChip",
] as const;

/** Each point's row (capacity of all its chips pooled, the first break-even from the law) and its pooled curve. */
export function recallSweepRows(d: SweepDefinition, points: readonly SweepPoint[], records: readonly PointRecord[]): { rows: Datum[]; series: RecallSeries[] } {
  const r = d.recall!;
  const rows: Datum[] = [];
  const series: RecallSeries[] = [];
  points.forEach((p, i) => {
    const row: Datum = { point: p.label };
    for (const a of d.axes) row[a.name] = p.values[a.name];
    const { result, error } = records[i].outcome;
    row.error = error ?? "";
    rows.push(row);
    if (result === undefined || !isRecall(result)) return;
    const setting = recallSettingAt(r, p);
    const encoding = recallEncoding(setting.config, setting.plan, setting.chip);
    const curve = pooledCurve(result.recall.map((c) => c.curve));
    const capacity = capacityOf(curve, r.plan.threshold);
    const first = encoding.breakEven.reduce((a, b) => (a.tokens === null || (b.tokens !== null && b.tokens < a.tokens) ? b : a));
    Object.assign(row, {
      capacityTokens: capacity.tokens,
      capacityUs: capacity.elapsedUs,
      capacityCensored: String(capacity.censored),
      breakEvenTokens: first.tokens ?? "never",
      breakEvenUs: first.timeUs ?? "never",
      keyWeight: encoding.keyWeight,
      maxOverlap: encoding.maxOverlap,
      chips: result.recall.length,
      tokensPerChip: recallTokens(setting.config, setting.plan),
    });
    series.push({ series: p.label, curve, capacity });
  });
  return { rows, series };
}

/** sweep.csv, recall.csv, sweep.json and the charts of a recall sweep, by file name. */
export async function recallSweepFiles(d: SweepDefinition, points: readonly SweepPoint[], records: readonly PointRecord[], provenance: RunProvenance): Promise<Record<string, string>> {
  const r = d.recall!;
  const { rows, series } = recallSweepRows(d, points, records);
  const fields = ["point", ...d.axes.map((a) => a.name), "error", ...RECALL_SWEEP_COLUMNS];
  const { technology: _, ...definition } = d;
  const files: Record<string, string> = {
    "sweep.csv": [fields.join(","), ...rows.map((row) => fields.map((f) => csvField(row[f] ?? "")).join(","))].join("\n") + "\n",
    "recall.csv": recallCsv(series, "point"),
    "sweep.json": jsonText({ provenance, definition, rows, curves: series }),
  };
  if (series.length === 0) return files;
  const chance = 1 / r.plan.valueLevels;
  const model = `${r.cycleAccurate ? "cycle-accurate" : "functional"} model`;
  files["recall.svg"] = await renderSvg(recallChartSpec(`Recall against distance, one line per point (${model})`, series, "distance", r.plan.threshold, chance));
  if (r.chip.retention === "time") {
    files["recall-time.svg"] = await renderSvg(recallChartSpec(`Recall against time since the write, one line per point (${model})`, series, "elapsedUs", r.plan.threshold, chance));
  }
  const measured = sweepChartData(d.axes, rows);
  files["capacity.svg"] = await renderSvg(lineSweepSpec(`Capacity: the longest distance recalled with bit accuracy ≥ ${r.plan.threshold}`, measured, sweepLayout(d.axes, measured), "capacityTokens", "tokens"));
  return files;
}
