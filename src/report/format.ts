// Renders a ledger as Markdown (for people), CSV (one quantity a row, for spreadsheets) or JSON, with
// numbers rounded to what a first-order model can claim.
import { COMPONENTS } from "./energy.js";
import { EVENT_KINDS } from "./events.js";
import type { Ledger } from "./ledger.js";
import {
  accuracyNotes, accuracyTable, areaTable, energyTable, num, platformTable, provenanceTable, scaleTable, technologyTable, throughputLine, type Table,
} from "./ledgerTables.js";
import { TECHNOLOGY_FIELDS, TECHNOLOGY_UNITS } from "./technology.js";

export { num };

/** Output formats of `gaincell report`. */
export const FORMATS = ["md", "json", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/** (ours) Significant digits kept in JSON and CSV: more than a first-order ledger can claim, and no float noise. */
export const SIGNIFICANT_DIGITS = 6;

/** `x` rounded to SIGNIFICANT_DIGITS (integers and non-finite values as they are). */
export function rounded(x: number): number {
  return Number.isInteger(x) || !Number.isFinite(x) ? x : Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

/** JSON text of `value` with every number rounded, two-space indented, with a final newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "number" ? rounded(v) : v), 2) + "\n";
}

/** The one-line headline: latency, energy per head, and the first platform's ratios. */
export function headline(l: Ledger): string {
  const p = l.platforms[0];
  return `${num(l.latencyNsPerToken, 1)} ns and ${num(l.energyPjPerTokenPerHead.total / 1000, 3)} nJ per head per token: ` +
    `${num(p.speedup, 0)}× the ${p.name}'s speed at ${num(p.energyGain, 0)}× less energy (${l.comparison.heads} heads)`;
}

/** A Markdown table. */
export function markdownTable(t: Table): string[] {
  const strong = new Set(t.strong ?? []);
  const cell = (c: string, bold: boolean) => (bold && c !== "" ? `**${c.trim()}**` : c).replace(/\|/g, "\\|");
  return [
    `| ${t.head.join(" | ")} |`,
    `|${t.numeric.map((n) => (n ? "---:" : "---")).join("|")}|`,
    ...t.rows.map((r, i) => `| ${r.map((c) => cell(c, strong.has(i))).join(" | ")} |`),
  ];
}

/** Markdown report. */
export function toMarkdown(l: Ledger): string {
  const c = l.config;
  const lines = [
    "# gaincell ledger: one token in steady state (window full)",
    "",
    `**${headline(l)}.**`,
    "",
    `Configuration: window M ${c.windowM}, tile ${c.tile}, D ${c.D}, levels q/kv/out ${c.levelsQ}/${c.levelsKv}/${c.levelsOut}, ` +
      `λ ${c.lambdaPerToken} per token, S_sat ${c.sSat}, ${c.nonlinearity}; clock ${c.clockPeriodPs} ps, ` +
      `${l.cyclesPerToken} cycles per token. Technology: ${l.technology.description}.`,
    "",
    l.method,
    "",
    ...markdownTable(provenanceTable(l)),
    "",
    "## Latency, energy, power and throughput",
    "",
    ...markdownTable(scaleTable(l)),
    "",
    throughputLine(l),
    "",
    "## Energy per token, one head",
    "",
    "Each part is priced per event by its law (docs/ledger.md); the paper's column is docs/model.md §4 at the default configuration.",
    "",
    ...markdownTable(energyTable(l)),
    "",
    "## Accuracy",
    "",
    ...markdownTable(accuracyTable(l)),
    "",
    ...accuracyNotes(l),
    "",
    "## Area",
    "",
    ...markdownTable(areaTable(l)),
    "",
    "## Against the platforms of docs/model.md §5",
    "",
    `Basis: ${l.comparison.basis} Ours on that basis: ${num(l.comparison.latencyNs, 2)} ns and ${num(l.comparison.energyNj, 2)} nJ per token.`,
    "",
    ...markdownTable(platformTable(l)),
    "",
    "## Technology",
    "",
    "Where each value comes from: paper (docs/model.md), derived (from the paper's figures), assumption (ours), given (your file).",
    "",
    ...markdownTable(technologyTable(l)),
    "",
  ];
  return lines.join("\n");
}

/** CSV: `quantity,value,unit`, one row per figure. */
export function toCsv(l: Ledger): string {
  const e = l.energyPjPerTokenPerHead;
  const t = l.throughput;
  const rows: [string, number | string, string][] = [
    ["provenance.tool", l.provenance.tool, ""],
    ["provenance.command", l.provenance.command, ""],
    ["provenance.configHash", l.provenance.configHash, ""],
    ["provenance.date", l.provenance.date, ""],
    ["latencyNsPerToken", l.latencyNsPerToken, "ns"],
    ["powerMwPerHead", l.powerMwPerHead, "mW"],
    ["throughput.tokensPerSecondPerLayer", t.tokensPerSecondPerLayer, "1/s"],
    ["throughput.tokensPerSecondPerModel", t.tokensPerSecondPerModel, "1/s"],
    ["throughput.topsPerHead", t.topsPerHead, "TOPS"],
    ["throughput.topsPerWatt", t.topsPerWatt, "TOPS/W"],
    ...EVENT_KINDS.map((k): [string, number, string] => [`events.${k}`, l.eventsPerTokenPerHead[k], "per token per head"]),
    ...[...COMPONENTS, "total" as const].map((k): [string, number, string] => [`energy.${k}`, e[k], "pJ per token per head"]),
    ...e.parts.map((p): [string, number, string] => [`energy.${p.component}.${p.id}`, p.pj, "pJ per token per head"]),
    ...l.accuracy.flatMap((a): [string, number, string][] => [
      [`accuracy.${a.name}.rmsError`, a.rmsError, `over ${a.tokens} tokens`],
      [`accuracy.${a.name}.relativeRmsError`, a.relativeRmsError, `over ${a.tokens} tokens`],
      ...(a.againstIdeal === undefined ? [] : [
        [`accuracy.${a.name}.againstIdeal.rmsError`, a.againstIdeal.rmsError, `over ${a.tokens} tokens`],
        [`accuracy.${a.name}.againstIdeal.changedFraction`, a.againstIdeal.changedFraction, "of the output counts"],
        [`accuracy.${a.name}.againstIdeal.maxChange`, a.againstIdeal.maxChange, "counts"],
      ] as [string, number, string][]),
    ]),
    ...Object.entries(l.areaMm2ByBlockPerHead).map(([k, v]): [string, number, string] => [`area.${k}`, v, "mm² per head"]),
    ["heads", l.heads, ""],
    ["layers", l.layers, ""],
    ["layer.energy", l.perLayer.energyNj, "nJ per token"],
    ["layer.power", l.perLayer.powerW, "W"],
    ["layer.area", l.perLayer.areaMm2, "mm²"],
    ["model.latency", l.perModel.latencyNs, "ns per token"],
    ["model.energy", l.perModel.energyNj, "nJ per token"],
    ["model.area", l.perModel.areaMm2, "mm²"],
    ...l.platforms.flatMap((p): [string, number, string][] => [
      [`${p.name}.speedup`, p.speedup, "×"],
      [`${p.name}.energyGain`, p.energyGain, `× (${l.comparison.heads} heads)`],
    ]),
    ...TECHNOLOGY_FIELDS.map((k): [string, number, string] => [`tech.${k}`, l.technology[k], `${TECHNOLOGY_UNITS[k]} (${l.technology.provenance[k].kind})`]),
  ];
  return ["quantity,value,unit", ...rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}

/** A CSV field, rounded when a number, quoted when it holds a comma, quote or newline. */
export function csvField(v: number | string): string {
  const s = typeof v === "number" ? String(rounded(v)) : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The ledger in the chosen format. */
export function formatLedger(l: Ledger, format: Format): string {
  if (format === "json") return jsonText(l);
  return format === "csv" ? toCsv(l) : toMarkdown(l);
}
