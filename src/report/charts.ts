// Charts of the ledger and the sweep as Vega-Lite specifications, rendered headless to standalone
// SVG (vega's "none" renderer needs no canvas or browser), sized and titled for a slide.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** One datum of a chart: any flat record. */
export type Datum = Record<string, number | string>;

/** The look of every chart: a white background and readable fonts, since the SVG is pasted into slides as it is. */
export const CHART_CONFIG = {
  background: "white",
  font: "Helvetica, Arial, sans-serif",
  title: { fontSize: 15, anchor: "start" as const },
  axis: { labelFontSize: 12, titleFontSize: 13, labelLimit: 360 },
  legend: { labelFontSize: 12, titleFontSize: 13, labelLimit: 360 },
};

/** Renders a Vega-Lite specification to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A horizontal bar chart of labelled values with the value printed at each bar's end. */
export function barSpec(title: string, data: Datum[], label: string, value: string, valueTitle: string, log = false): TopLevelSpec {
  const y = { field: label, type: "nominal" as const, sort: null, title: null };
  const x = { field: value, type: "quantitative" as const, title: valueTitle, ...(log ? { scale: { type: "log" as const } } : {}) };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: CHART_CONFIG,
    width: 420,
    data: { values: data },
    layer: [
      {
        mark: { type: "bar", tooltip: true },
        // on a log scale a bar cannot start at 0; it starts at 1 (parity) instead
        encoding: { y, x, ...(log ? { x2: { datum: 1 } } : {}), color: { field: label, type: "nominal", legend: null, sort: null } },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: { y, x, text: { field: value, type: "quantitative", format: log ? ",.0f" : ",.4~r" } },
      },
    ],
  } as TopLevelSpec;
}

/** How a sweep chart lays out its points: the first axis along x, the others as series. */
export interface SweepLayout {
  /** Field of the x axis (the first swept parameter), shown as ordered categories. */
  x: string;
  /** Field naming the other parameters' values, or null for a one-axis sweep. */
  series: string | null;
  /** The series in grid order (not alphabetical: "levels-kv=2" before "levels-kv=16"). */
  seriesOrder: string[];
}

/** The first axis along x; the other axes' values joined into a series name, in grid order. */
export function sweepLayout(axes: readonly { name: string }[], data: readonly Datum[]): SweepLayout {
  return {
    x: axes[0].name,
    series: axes.length > 1 ? "series" : null,
    seriesOrder: [...new Set(data.map((d) => String(d.series)))],
  };
}

/** A sweep's chart data: one datum per row measured (no error), plus its series name (the other axes' values). */
export function sweepChartData(axes: readonly { name: string }[], rows: readonly Datum[]): Datum[] {
  return rows.filter((r) => r.error === "").map((r) => ({ ...r, series: axes.slice(1).map((a) => `${a.name}=${r[a.name]}`).join(" ") }));
}

/** Stacked bars of `value` by `part` over the sweep (energy or area by component). */
export function stackedSweepSpec(title: string, data: Datum[], layout: SweepLayout, part: string, value: string, valueTitle: string): TopLevelSpec {
  const inner = {
    // facets share about 800 px, so a slide holds the whole chart
    width: layout.series === null ? 420 : Math.max(160, Math.round(800 / layout.seriesOrder.length)),
    mark: { type: "bar" as const, tooltip: true },
    encoding: {
      x: { field: layout.x, type: "ordinal" as const, title: layout.x, axis: { labelAngle: 0 } },
      y: { field: value, type: "quantitative" as const, title: valueTitle, stack: "zero" as const },
      color: { field: part, type: "nominal" as const, title: null, sort: null },
      order: { field: "partIndex", type: "quantitative" as const },
    },
  };
  const top = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", title, config: CHART_CONFIG, data: { values: data } };
  if (layout.series === null) return { ...top, ...inner } as TopLevelSpec;
  return { ...top, facet: { column: { field: layout.series, type: "nominal", title: null, sort: layout.seriesOrder } }, spec: inner } as TopLevelSpec;
}

/** A line of `value` over the sweep, one per series; `log` for errors spanning decades. */
export function lineSweepSpec(title: string, data: Datum[], layout: SweepLayout, value: string, valueTitle: string, log = false): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: CHART_CONFIG,
    width: 420,
    data: { values: data },
    mark: { type: "line", point: true, tooltip: true },
    encoding: {
      x: { field: layout.x, type: "ordinal", title: layout.x, axis: { labelAngle: 0 } },
      y: { field: value, type: "quantitative", title: valueTitle, ...(log ? { scale: { type: "log" } } : { scale: { zero: true } }) },
      ...(layout.series === null ? {} : { color: { field: layout.series, type: "nominal", title: null, sort: layout.seriesOrder } }),
    },
  } as TopLevelSpec;
}
