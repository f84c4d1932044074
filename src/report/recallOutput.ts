// What a recall run writes (docs/recall.md): the curves as CSV (one row per series and distance), the
// whole result as JSON with its provenance and setting, the chart of accuracy against distance (one
// line per series) as Vega-Lite, and the summary a terminal shows.
import type { TopLevelSpec } from "vega-lite";
import { csvField, jsonText } from "./format.js";
import type { RunProvenance } from "./provenance.js";
import { CHART_CONFIG } from "./charts.js";
import type { Capacity, RecallEncoding, RecallPoint, RecallResult, RecallSetting } from "../recall/api.js";

/** One line of a chart or block of CSV rows: a chip, all chips pooled, or a sweep's point. */
export interface RecallSeries {
  readonly series: string;
  readonly curve: readonly RecallPoint[];
  readonly capacity: Capacity;
}

/** The series of a result: each chip, and all chips pooled when there are several. */
export function resultSeries(r: RecallResult): RecallSeries[] {
  const chips = r.chips.map((c) => ({ series: c.chip, curve: c.curve, capacity: c.capacity }));
  return r.chips.length > 1 ? [...chips, { series: `all ${r.chips.length} chips`, ...r.pooled }] : chips;
}

/** The CSV columns, after the series. */
export const RECALL_COLUMNS = ["distance", "queries", "elapsedUs", "bitAccuracy", "queryAccuracy", "capacityTokens", "capacityUs", "capacityCensored"] as const;

/** CSV text: a header, then one row per series and distance (the series' capacity repeated on each). */
export function recallCsv(series: readonly RecallSeries[], seriesColumn = "chip"): string {
  const rows = series.flatMap((s) => s.curve.map((p) => [
    s.series, p.distance, p.queries, p.elapsedUs, p.bitAccuracy, p.queryAccuracy, s.capacity.tokens, s.capacity.elapsedUs, String(s.capacity.censored),
  ]));
  return [[seriesColumn, ...RECALL_COLUMNS].join(","), ...rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}

/** The JSON of a run: provenance, the setting, the encoding and every chip's curve and capacity. */
export function recallJson(provenance: RunProvenance, s: RecallSetting, r: RecallResult): string {
  return jsonText({
    provenance,
    model: s.cycleAccurate ? "cycle-accurate" : "functional",
    config: s.config,
    chip: { ...s.chip, chips: s.chips },
    plan: s.plan,
    tokensPerChip: r.tokens,
    encoding: r.encoding,
    chips: r.chips,
    pooled: r.pooled,
  });
}

/**
 * Accuracy of each series against distance (tokens, log scale) or elapsed time (µs), with the
 * threshold and chance as dashed rules; `value` picks the bit or the query accuracy.
 */
export function recallChartSpec(title: string, series: readonly RecallSeries[], x: "distance" | "elapsedUs", threshold: number, chance: number): TopLevelSpec {
  const data = series.flatMap((s) => s.curve.filter((p) => p.queries > 0).map((p) => ({ series: s.series, ...p })));
  const order = series.map((s) => s.series);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: CHART_CONFIG,
    width: 480,
    height: 260,
    layer: [
      {
        data: { values: data },
        mark: { type: "line", point: true, tooltip: true },
        encoding: {
          x: { field: x, type: "quantitative", title: x === "distance" ? "distance from the stored pair to the query (tokens)" : "time from the write to the read (µs)", scale: { type: "log", nice: false } },
          y: { field: "bitAccuracy", type: "quantitative", title: "value bits recalled", scale: { domain: [0, 1] } },
          // more lines than tableau10 has colours would repeat them
          color: { field: "series", type: "nominal", title: null, sort: order, legend: { orient: "bottom", columns: 2 }, ...(order.length > 10 ? { scale: { scheme: "tableau20" } } : {}) },
        },
      },
      {
        data: { values: [{ y: threshold, label: `threshold ${threshold}` }, { y: chance, label: `chance ${chance}` }] },
        layer: [
          { mark: { type: "rule", strokeDash: [4, 4], color: "#888" }, encoding: { y: { field: "y", type: "quantitative" } } },
          { mark: { type: "text", align: "left", dx: 4, dy: 10, color: "#666", fontSize: 11 }, encoding: { y: { field: "y", type: "quantitative" }, x: { value: 0 }, text: { field: "label" } } },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** A capacity in words: "1023 tokens (66.5 µs)", "≥ 2048 tokens …" when censored. */
export function capacityText(c: Capacity): string {
  return `${c.censored ? "≥ " : ""}${c.tokens} token${c.tokens === 1 ? "" : "s"} (${c.elapsedUs.toFixed(c.elapsedUs < 10 ? 3 : 1)} µs)`;
}

/** The encoding in a few lines, as the summary and the review page state it. */
export function encodingLines(e: RecallEncoding): string[] {
  const breakEven = e.breakEven.map((b) => `level ${b.level} (${e.valueVolts[b.level].toFixed(3)} V): ${b.tokens === null ? "never" : `${b.tokens.toFixed(1)} tokens (${b.timeUs!.toFixed(1)} µs after the write)`}`);
  return [
    `keys: ${e.keyWeight} of ${e.D} dims at 0.9 V (g = ${e.gHighUa.toFixed(3)} µA), the rest 0 V (g = ${e.gLowUa.toFixed(3)} µA); ` +
      `a match gives S = ${e.matchScore.toFixed(2)} (φ = ${e.matchFraction.toFixed(3)} T_max), a key sharing ${e.maxOverlap} ones S = ${e.crossScore.toFixed(2)}`,
    `values: ${e.valueVolts.length} levels (${e.valueVolts.map((v) => `${v.toFixed(3)} V`).join(", ")}) read as counts ${e.codebook.join(", ")}` +
      (e.indistinguishable.length > 0 ? `; indistinguishable: ${e.indistinguishable.map(([a, b]) => `${a}/${b}`).join(", ")}` : ""),
    `break-even from the law (the count decodes wrong): ${breakEven.join("; ")}`,
  ];
}
