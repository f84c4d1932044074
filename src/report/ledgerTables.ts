// The ledger's tables as plain rows of text, drawn by the Markdown report and the review page alike:
// energy by component and part with its law, scale, accuracy, area, platforms, technology, provenance.
import { COMPONENT_NAMES, COMPONENTS, PAPER_COMPONENT_PJ } from "./energy.js";
import type { EventKind } from "./events.js";
import type { Ledger } from "./ledger.js";
import { TECHNOLOGY_FIELDS, TECHNOLOGY_UNITS } from "./technology.js";

/** A table: header, rows of cells, which columns are numbers, and rows to set in bold. */
export interface Table {
  head: string[];
  rows: string[][];
  numeric: boolean[];
  strong?: number[];
}

/** A number with thousands separators and at most `digits` decimals. */
export function num(x: number, digits = 2): string {
  return x.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A number to 4 significant digits (laws' constants and small prices), without exponent noise. */
export function sig(x: number, digits = 4): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e7 ? num(Number(x.toPrecision(digits)), 12) : x.toPrecision(digits);
}

/** What one event of a kind is. */
export const EVENT_UNITS: Record<EventKind, string> = {
  cellsWritten: "cells written",
  stage1Columns: "columns read",
  stage2Columns: "columns driven",
  controlCycles: "control cycles",
  pwmPulses: "pulses",
  signedConversions: "conversions",
  tokenNs: "ns",
};

/** Energy per token of one head: each component's subtotal, then its parts with their laws. */
export function energyTable(l: Ledger): Table {
  const e = l.energyPjPerTokenPerHead;
  const rows: string[][] = [];
  const strong: number[] = [];
  for (const k of COMPONENTS) {
    strong.push(rows.length);
    rows.push([COMPONENT_NAMES[k], "", "", "", "", num(e[k], 1), num(PAPER_COMPONENT_PJ[k], 0)]);
    for (const p of e.parts.filter((x) => x.component === k)) {
      rows.push([`  ${p.label}`, p.law, num(p.eventsPerToken, 2), EVENT_UNITS[p.event], sig(p.pjPerEvent), num(p.pj, 1), ""]);
    }
  }
  strong.push(rows.length);
  const paperTotal = COMPONENTS.reduce((a, k) => a + PAPER_COMPONENT_PJ[k], 0); // 6,150 pJ
  rows.push(["total", "", "", "", "", num(e.total, 1), num(paperTotal, 0)]);
  return {
    head: ["component / part", "law", "events per token", "", "pJ per event", "pJ", "paper, default config"],
    rows,
    numeric: [false, false, true, false, true, true, true],
    strong,
  };
}

/** Latency, energy, power, rate and area of a head, a layer and a model. */
export function scaleTable(l: Ledger): Table {
  const e = l.energyPjPerTokenPerHead.total;
  const t = l.throughput;
  return {
    head: ["scope", "latency per token", "energy per token", "power", "tokens per second", "area"],
    rows: [
      ["one head", `${num(l.latencyNsPerToken, 2)} ns`, `${num(e / 1000, 3)} nJ`, `${num(l.powerMwPerHead, 2)} mW`, num(t.tokensPerSecondPerLayer, 0), `${num(l.areaMm2PerHead, 4)} mm²`],
      [`layer (${l.heads} heads in parallel)`, `${num(l.perLayer.latencyNs, 2)} ns`, `${num(l.perLayer.energyNj, 2)} nJ`, `${num(l.perLayer.powerW, 3)} W`,
        num(t.tokensPerSecondPerLayer, 0), `${num(l.perLayer.areaMm2, 2)} mm²`],
      [`model (${l.layers} layers in sequence)`, `${num(l.perModel.latencyNs, 1)} ns`, `${num(l.perModel.energyNj, 1)} nJ`, `${num(l.perModel.powerW, 3)} W`,
        num(t.tokensPerSecondPerModel, 0), `${num(l.perModel.areaMm2, 1)} mm²`],
    ],
    numeric: [false, true, true, true, true, true],
  };
}

/** The throughput line: operations per token, TOPS and TOPS/W of one head. */
export function throughputLine(l: Ledger): string {
  const t = l.throughput;
  return `${num(t.opsPerTokenPerHead, 0)} operations per token per head (q·K and φ·V: 2·M·D multiply-accumulates, 2 operations each): ` +
    `${num(t.topsPerHead, 2)} TOPS per head at ${num(t.topsPerWatt, 1)} TOPS/W.`;
}

/** The accuracy figures; with a realised chip's, how far its outputs are from the ideal chip's (docs/model.md §7). */
export function accuracyTable(l: Ledger): Table {
  const realised = l.accuracy.some((a) => a.againstIdeal !== undefined);
  const vsIdeal = (a: Ledger["accuracy"][number]) => {
    const d = a.againstIdeal;
    return d === undefined ? ["", ""] : [`${num(100 * d.changedFraction, 2)} %`, `${d.maxChange} count${d.maxChange === 1 ? "" : "s"}`];
  };
  return {
    head: ["output", "tokens", "RMS error", "relative RMS error", ...(realised ? ["counts changed vs the ideal chip", "largest change"] : [])],
    rows: l.accuracy.map((a) => [a.name, `${num(a.tokens, 0)} (from token ${a.fromToken})`, sig(a.rmsError), sig(a.relativeRmsError), ...(realised ? vsIdeal(a) : [])]),
    numeric: [false, true, true, true, ...(realised ? [true, true] : [])],
  };
}

/** What each accuracy figure measures, one sentence each; a realised chip's also against the ideal chip. */
export function accuracyNotes(l: Ledger): string[] {
  return l.accuracy.map((a) => {
    const d = a.againstIdeal;
    const against = d === undefined ? "" : ` Against the ideal chip's outputs over the same tokens: RMS difference ${sig(d.rmsError)}, ` +
      `${num(100 * d.changedFraction, 2)} % of the output counts changed, the largest by ${d.maxChange}` +
      (d.at === null ? "." : ` (token ${d.at.token}, dim ${d.at.dim}).`);
    return `${a.name}: ${a.metric}.${against}`;
  });
}

/** Area per block kind. */
export function areaTable(l: Ledger): Table {
  const b = l.blocksPerHead;
  const t = l.technology;
  const a = l.areaMm2ByBlockPerHead;
  const row = (label: string, n: number, um2: number, mm2: number) => [label, num(n, 0), sig(um2), num(mm2, 4)];
  return {
    head: ["block", "per head", "µm² each", "mm² per head"],
    rows: [
      row(`gain cells (${b.arrays} arrays)`, b.cells, t.cellUm2, a.cells),
      row("charge-to-pulse converters", b.cpcs, t.cpcUm2, a.cpcs),
      row("signed CPCs + counters", b.signedCpcs, t.signedCpcUm2, a.signedCpcs),
      row("q PWM drivers", b.pwmDrivers, t.pwmDriverUm2, a.pwmDrivers),
      row("K/V write DACs", b.dacs, t.dacUm2, a.dacs),
      row("digital controller", b.controllers, t.controllerUm2, a.controllers),
      ["total", "", "", num(l.areaMm2PerHead, 4)],
    ],
    numeric: [false, true, true, true],
    strong: [6],
  };
}

/** docs/model.md §5's platforms against ours. */
export function platformTable(l: Ledger): Table {
  return {
    head: ["platform", "latency per token", "energy per token", "speedup", "energy gain"],
    rows: l.platforms.map((p) => {
      const about = p.approximate ? "about " : "";
      return [p.name, `${about}${num(p.latencyUs, 2)} µs`, `${about}${num(p.energyMj, 2)} mJ`, `${num(p.speedup, 0)}×`, `${num(p.energyGain, 0)}×`];
    }),
    numeric: [false, true, true, true, true],
  };
}

/** Every technology value with its unit and provenance. */
export function technologyTable(l: Ledger): Table {
  const t = l.technology;
  return {
    head: ["field", "value", "unit", "from", "why"],
    rows: TECHNOLOGY_FIELDS.map((k) => [k, sig(t[k], 6), TECHNOLOGY_UNITS[k], t.provenance[k].kind, t.provenance[k].note]),
    numeric: [false, true, false, false, false],
  };
}

/** The run's provenance. */
export function provenanceTable(l: Ledger): Table {
  const p = l.provenance;
  return { head: ["", ""], rows: [["tool", p.tool], ["command", p.command], ["configuration hash", p.configHash], ["date", p.date]], numeric: [false, false] };
}
