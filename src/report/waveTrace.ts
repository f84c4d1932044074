// A waveform excerpt of one token for the review page: a short cycle-accurate run traced to a VCD
// (sequencer, strobes, one PWM driver, one CPC, one signed CPC), read back with the strict VCD
// reader and cut to one token's schedule.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BlockFactories } from "../arch/blocks.js";
import type { LayerChip } from "../arch/chip.js";
import { cyclesPerToken, type AcceleratorConfig } from "../arch/config.js";
import { runAttention, type AttentionInputs } from "../arch/runAttention.js";
import { parseVcd, type VcdChange, type VcdDocument } from "../engine/VcdReader.js";
import { SequencerState } from "../control/TokenSequencer.js";

/** How a lane is drawn. */
export type LaneKind = "bit" | "bus" | "analog";

/** One traced signal over the excerpt. */
export interface WaveLane {
  label: string;
  kind: LaneKind;
  /** Changes from the VCD; the value before the first one is the first's. */
  changes: VcdChange[];
  /** Bus values shown by name (the sequencer's state). */
  names?: Readonly<Record<number, string>>;
}

/** A token's worth of trace. */
export interface WaveExcerpt {
  /** Index of the token shown. */
  token: number;
  fromPs: number;
  toPs: number;
  lanes: WaveLane[];
}

const HEAD = "layer.head[0]";
// What the excerpt shows, in order: [path under the head, label, kind]; j is a slot, d an output row.
const lanes = (j: number, d: number): [string, string, LaneKind][] => [
  ["seq.state", "sequencer state", "bus"],
  ["seq.load", "load", "bit"],
  ["seq.write", "write", "bit"],
  ["seq.phase1", "phase1", "bit"],
  ["seq.phase2", "phase2", "bit"],
  ["seq.convert", "convert", "bit"],
  ["seq.accumulate", "accumulate", "bit"],
  ["pwm[0].rwl", "pwm[0].rwl (q pulse, row 0)", "bit"],
  [`sub[0].cpc[${j}].charge_fC`, `cpc[${j}].charge (fC)`, "analog"],
  [`sub[0].cpc[${j}].pulse`, `cpc[${j}].pulse (φ, slot ${j})`, "bit"],
  [`sub[0].scpc[${d}].charge_fC`, `scpc[${d}].charge (fC)`, "analog"],
  [`sub[0].scpc[${d}].sign`, `scpc[${d}].sign (1 = negative)`, "bit"],
  [`sub[0].scpc[${d}].count`, `scpc[${d}].count`, "bus"],
  ["acc.outValid", "acc.outValid", "bit"],
];

// The filter matches handle names; the trace names reals with their unit (charge → charge_fC).
// Every CPC and signed CPC of sub-tile 0 is traced, so the excerpt can pick ones that fire.
const TRACED = ["seq.*", "pwm[0].rwl", "sub[0].cpc[*].charge", "sub[0].cpc[*].pulse", "sub[0].scpc[*].charge",
  "sub[0].scpc[*].sign", "sub[0].scpc[*].count", "acc.outValid"].map((g) => `${HEAD}.${g}`).join(",");

const STATE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(SequencerState).filter(([, v]) => typeof v === "number").map(([k, v]) => [v as number, k]),
);

/** Times at which a bit lane rises. */
function rises(changes: readonly VcdChange[]): number[] {
  return changes.filter((c, i) => c.value === "1" && (i === 0 || changes[i - 1].value !== "1")).map((c) => c.time);
}

/** Largest value a lane takes within [from, to), as a number (bits read as binary). */
function peak(changes: readonly VcdChange[], from: number, to: number): number {
  let best = 0;
  for (const c of changes) if (c.time >= from && c.time < to) best = Math.max(best, typeof c.value === "number" ? c.value : parseInt(c.value, 2) || 0);
  return best;
}

/** The token (after the first), CPC and signed CPC that show most: a φ pulse and the largest count. */
function pick(doc: VcdDocument, loads: number[], slots: number, dims: number): { token: number; j: number; d: number } {
  const h = (path: string) => doc.history(`${HEAD}.${path}`);
  let best = { token: 1, j: 0, d: 0, count: -1 };
  for (let t = 1; t + 1 < loads.length; t++) {
    const [from, to] = [loads[t], loads[t + 1]];
    const j = Array.from({ length: slots }, (_, i) => i).find((i) => peak(h(`sub[0].cpc[${i}].pulse`), from, to) > 0);
    if (j === undefined) continue;
    for (let d = 0; d < dims; d++) {
      const count = peak(h(`sub[0].scpc[${d}].count`), from, to);
      if (count > best.count) best = { token: t, j, d, count };
    }
  }
  return best;
}

/**
 * Runs `inputs` (a few tokens of one head) with a trace and returns the excerpt of the token, after
 * the first, in which a CPC of sub-tile 0 pulses and one of its signed CPCs counts highest, on a
 * realised chip or with blocks swapped in when given; null when Ctrl-C stopped the run.
 */
export async function traceOneToken(c: AcceleratorConfig, inputs: AttentionInputs, chip?: LayerChip, blocks?: Partial<BlockFactories>): Promise<WaveExcerpt | null> {
  const dir = mkdtempSync(join(tmpdir(), "gaincell-wave-"));
  let doc: VcdDocument;
  try {
    const vcd = join(dir, "token.vcd");
    const run = await runAttention({ ...c, heads: 1 }, inputs, { vcd, signals: TRACED, date: "review", chip, blocks });
    if (run.interrupted) return null;
    doc = parseVcd(readFileSync(vcd, "utf8"), vcd);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const loads = rises(doc.history(`${HEAD}.seq.load`));
  const { token, j, d } = pick(doc, loads, Math.min(c.tile, c.windowM), c.D);
  const tokenPs = cyclesPerToken(c) * c.clockPeriodPs;
  // one cycle before the token's LOAD to two after the next one: the result appears as it ends
  const fromPs = (loads[token] ?? token * tokenPs) - c.clockPeriodPs;
  const toPs = fromPs + tokenPs + 3 * c.clockPeriodPs;
  return {
    token,
    fromPs,
    toPs,
    lanes: lanes(j, d).map(([path, label, kind]): WaveLane => ({
      label,
      kind,
      changes: doc.history(`${HEAD}.${path}`),
      ...(path === "seq.state" ? { names: STATE_NAMES } : {}),
    })),
  };
}
