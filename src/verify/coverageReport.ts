// Functional coverage as data: hits per bin of each cover point and cross, merged across runs
// (bins united by name, hits added, as coverage databases merge), and shown as text or JSON.

/** One cover point or cross: its bins and their hits. */
export interface CoverItem {
  name: string;
  kind: "point" | "cross";
  /** Values sampled (a point over n operands counts n per sampling tick). */
  samples: number;
  bins: { name: string; hits: number }[];
}

/** Hits of every cover point and cross of one run, or of several merged. */
export interface CoverageReport {
  items: CoverItem[];
}

/** Bins hit and bins in all. */
export interface CoverageTotals {
  hit: number;
  bins: number;
  /** hit / bins in percent (100 when there are no bins). */
  percent: number;
}

/** Merges reports: items and bins united by name (first-seen order), samples and hits added. */
export function mergeCoverage(reports: readonly CoverageReport[]): CoverageReport {
  const items: CoverItem[] = [];
  for (const report of reports) {
    for (const item of report.items) {
      let into = items.find((x) => x.name === item.name && x.kind === item.kind);
      if (into === undefined) items.push((into = { name: item.name, kind: item.kind, samples: 0, bins: [] }));
      into.samples += item.samples;
      for (const bin of item.bins) {
        const b = into.bins.find((x) => x.name === bin.name);
        if (b === undefined) into.bins.push({ ...bin });
        else b.hits += bin.hits;
      }
    }
  }
  return { items };
}

/** Bins hit and in all, over `items`. */
export function coverageTotals(items: readonly CoverItem[]): CoverageTotals {
  const bins = items.reduce((n, i) => n + i.bins.length, 0);
  const hit = items.reduce((n, i) => n + i.bins.filter((b) => b.hits > 0).length, 0);
  return { hit, bins, percent: bins === 0 ? 100 : (100 * hit) / bins };
}

/** The bins of `item` never hit. */
export function missedBins(item: CoverItem): string[] {
  return item.bins.filter((b) => b.hits === 0).map((b) => b.name);
}

/** A table: one line per item with bins hit, percent and the bins missed. */
export function coverageText(report: CoverageReport): string {
  const total = coverageTotals(report.items);
  const width = Math.max(0, ...report.items.map((i) => i.name.length));
  const lines = [`functional coverage: ${total.hit} of ${total.bins} bins (${total.percent.toFixed(1)}%)`];
  for (const item of report.items) {
    const t = coverageTotals([item]);
    const missed = missedBins(item);
    const shown = missed.length > 8 ? [...missed.slice(0, 8), `… ${missed.length - 8} more`] : missed;
    lines.push(`  ${item.kind.padEnd(5)}  ${item.name.padEnd(width)}  ${`${t.hit}/${t.bins}`.padStart(7)}  ${t.percent.toFixed(1).padStart(5)}%` +
      (missed.length > 0 ? `  missed: ${shown.join(", ")}` : ""));
  }
  return `${lines.join("\n")}\n`;
}

/** The report as JSON, with the totals. */
export function coverageJson(report: CoverageReport): string {
  return `${JSON.stringify({ totals: coverageTotals(report.items), ...report }, null, 2)}\n`;
}
