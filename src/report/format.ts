// Renders a ledger as Markdown (for people), CSV (one quantity a row, for spreadsheets) or JSON.
import { EVENT_KINDS } from "./events.js";
import type { Ledger } from "./ledger.js";

/** Output formats of `gaincell report`. */
export const FORMATS = ["md", "json", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/** A number with thousands separators and at most `digits` decimals. */
export function num(x: number, digits = 2): string {
  return x.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Rows of the energy table: label, events per token, unit, pJ per event, pJ. */
export function energyRows(l: Ledger): [string, number, string, number, number][] {
  const e = l.eventsPerTokenPerHead;
  const t = l.technology;
  const p = l.energyPjPerTokenPerHead;
  return [
    ["stage 1: K arrays + CPCs", e.stage1Columns, "columns read", t.stage1PjPerColumn, p.stage1],
    ["stage 2: V arrays + signed CPCs", e.stage2Columns, "columns driven", t.stage2PjPerColumn, p.stage2],
    ["K/V write (DACs, drivers)", e.cellsWritten, "cells written", t.writePjPerCell, p.write],
    ["digital control and routing", e.controlCycles, "control cycles", t.controlPjPerCycle, p.control],
  ];
}

/** Rows of the area table: label, blocks per head, µm² each, mm² per head. */
export function areaRows(l: Ledger): [string, number, number, number][] {
  const b = l.blocksPerHead;
  const t = l.technology;
  const a = l.areaMm2ByBlockPerHead;
  return [
    [`gain cells (${b.arrays} arrays)`, b.cells, t.cellUm2, a.cells],
    ["charge-to-pulse converters", b.cpcs, t.cpcUm2, a.cpcs],
    ["signed CPCs + counters", b.signedCpcs, t.signedCpcUm2, a.signedCpcs],
    ["q PWM drivers", b.pwmDrivers, t.pwmDriverUm2, a.pwmDrivers],
    ["K/V write DACs", b.dacs, t.dacUm2, a.dacs],
    ["digital controller", b.controllers, t.controllerUm2, a.controllers],
  ];
}

/** The one-line headline: latency, energy per head, and the first platform's ratios. */
export function headline(l: Ledger): string {
  const p = l.platforms[0];
  return `${num(l.latencyNsPerToken, 1)} ns and ${num(l.energyPjPerTokenPerHead.total / 1000, 3)} nJ per head per token: ` +
    `${num(p.speedup, 0)}× the ${p.name}'s speed at ${num(p.energyGain, 0)}× less energy (${l.comparison.heads} heads)`;
}

/** Markdown report. */
export function toMarkdown(l: Ledger): string {
  const c = l.config;
  const e = l.energyPjPerTokenPerHead;
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
    "## Latency",
    "",
    `${num(l.latencyNsPerToken, 2)} ns per token per layer (all ${l.heads} heads in parallel), measured from simulated time; ` +
      `${num(l.perModel.latencyNs, 1)} ns for ${l.layers} layers in sequence.`,
    "",
    "## Energy per token, one head",
    "",
    "| component | events per token | | pJ per event | pJ |",
    "|---|---:|---|---:|---:|",
    ...energyRows(l).map(([label, n, unit, price, pj]) => `| ${label} | ${num(n, 2)} | ${unit} | ${num(price, 4)} | ${num(pj, 1)} |`),
    `| **total** | | | | **${num(e.total, 1)}** |`,
    "",
    `Per layer (${l.heads} heads): ${num(l.perLayer.energyNj, 2)} nJ per token. ` +
      `Per model (${l.layers} layers × ${l.heads} heads): ${num(l.perModel.energyNj, 1)} nJ per token.`,
    "",
    "## Area",
    "",
    "| block | per head | µm² each | mm² per head |",
    "|---|---:|---:|---:|",
    ...areaRows(l).map(([label, n, um2, mm2]) => `| ${label} | ${num(n, 0)} | ${num(um2, 4)} | ${num(mm2, 4)} |`),
    `| **total** | | | **${num(l.areaMm2PerHead, 4)}** |`,
    "",
    `Per layer: ${num(l.perLayer.areaMm2, 2)} mm²; per model: ${num(l.perModel.areaMm2, 1)} mm².`,
    "",
    "## Against the platforms of docs/model.md §5",
    "",
    `Basis: ${l.comparison.basis} Ours on that basis: ${num(l.comparison.latencyNs, 2)} ns and ${num(l.comparison.energyNj, 2)} nJ per token.`,
    "",
    "| platform | latency per token | energy per token | speedup | energy gain |",
    "|---|---:|---:|---:|---:|",
    ...l.platforms.map((p) => {
      const about = p.approximate ? "about " : "";
      return `| ${p.name} | ${about}${num(p.latencyUs, 2)} µs | ${about}${num(p.energyMj, 2)} mJ | ${num(p.speedup, 0)}× | ${num(p.energyGain, 0)}× |`;
    }),
    "",
  ];
  return lines.join("\n");
}

/** CSV: `quantity,value,unit`, one row per figure. */
export function toCsv(l: Ledger): string {
  const rows: [string, number | string, string][] = [
    ["latencyNsPerToken", l.latencyNsPerToken, "ns"],
    ...EVENT_KINDS.map((k): [string, number, string] => [`events.${k}`, l.eventsPerTokenPerHead[k], "per token per head"]),
    ...(["stage1", "stage2", "write", "control", "total"] as const).map((k): [string, number, string] => [`energy.${k}`, l.energyPjPerTokenPerHead[k], "pJ per token per head"]),
    ...Object.entries(l.areaMm2ByBlockPerHead).map(([k, v]): [string, number, string] => [`area.${k}`, v, "mm² per head"]),
    ["heads", l.heads, ""],
    ["layers", l.layers, ""],
    ["layer.energy", l.perLayer.energyNj, "nJ per token"],
    ["layer.area", l.perLayer.areaMm2, "mm²"],
    ["model.latency", l.perModel.latencyNs, "ns per token"],
    ["model.energy", l.perModel.energyNj, "nJ per token"],
    ["model.area", l.perModel.areaMm2, "mm²"],
    ...l.platforms.flatMap((p): [string, number, string][] => [
      [`${p.name}.speedup`, p.speedup, "×"],
      [`${p.name}.energyGain`, p.energyGain, `× (${l.comparison.heads} heads)`],
    ]),
  ];
  return ["quantity,value,unit", ...rows.map((r) => r.map(csvField).join(","))].join("\n") + "\n";
}

/** A CSV field, quoted when it holds a comma, quote or newline. */
export function csvField(v: number | string): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The ledger in the chosen format. */
export function formatLedger(l: Ledger, format: Format): string {
  if (format === "json") return JSON.stringify(l, null, 2) + "\n";
  return format === "csv" ? toCsv(l) : toMarkdown(l);
}
