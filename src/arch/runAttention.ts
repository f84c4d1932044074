// Runs an attention layer cycle-accurately over Q, K, V: quantises the inputs into codes (the
// chip's digital front end, docs/model.md §1), builds the layer, runs it with an optional VCD trace, and
// returns outputs in the functional model's layout.
import { gridCode, kvGrid, qGrid, type QuantGrid } from "../laws/quantise.js";
import { codeBits } from "../analog/params.js";
import { AttentionLayer } from "./AttentionLayer.js";
import { withBlocks, type BlockFactories } from "./blocks.js";
import { LayerOutputs } from "./layerOutputs.js";
import { checkChip, type LayerChip } from "./chip.js";
import { cyclesPerToken, type AcceleratorConfig } from "./config.js";
import { runInterruptible } from "../engine/runInterruptible.js";
import type { Backend } from "../engine/api.js";
import { Simulator } from "../engine/Simulator.js";
import type { TokenCodes } from "./testbench/TokenSource.js";
import type { OutputFile } from "../engine/OutputFile.js";
import { VcdTrace } from "../engine/VcdTrace.js";

/** Q, K, V of T tokens × H heads × D dims, row-major (T, H, D). */
export interface AttentionInputs {
  T: number;
  H: number;
  D: number;
  q: Float64Array;
  k: Float64Array;
  v: Float64Array;
  /** True when the inputs came as (T, H, D) arrays, so outputs keep that shape. */
  threeD: boolean;
}

/** Tracing and reporting options of a run. */
export interface AttentionRunOptions {
  /** Where the trace goes: a path (renamed into place when the run ends), or an OutputFile its owner commits. */
  vcd?: string | OutputFile;
  signals?: string;
  fromPs?: number;
  toPs?: number;
  /** How the trace draws the integrators' charges: through their vertices (default) or as steps (VcdOptions). */
  waveforms?: "ramps" | "steps";
  /** $date of the trace (for bit-identical files). */
  date?: string;
  /** Also return the stage-1 sums S of every token and slot. */
  scores?: boolean;
  /** Called now and then with the tokens finished by every head. */
  onProgress?: (tokensDone: number) => void;
  /** The simulator's back end (default "compiled"; "interpreted" is the reference). */
  backend?: Backend;
  /** A realised chip (docs/model.md §7) and the tokens' arrival times; the paper's ideal chip, back to back, without. */
  chip?: LayerChip;
  /** Text of the trace's $comment (e.g. which chip it is). */
  traceComment?: string;
  /**
   * Analog blocks swapped for the project's (blocks.ts), e.g. `{ cpcRow: … }`. Factories are
   * functions: the layer is built and run in this thread (docs/library.md).
   */
  blocks?: Partial<BlockFactories>;
}

/** Outputs and statistics of a run. */
export interface AttentionRunResult {
  /** Σ_b o_{b,d} per token, head and dim, (T, H, D), before a_o, b_o. */
  out: Float64Array;
  /** The same as integer counts (out = step · count). */
  outCodes: Int32Array;
  /** Stage-1 sums, (T, H, M), when asked. */
  scores?: Float64Array;
  simulatedPs: number;
  cycles: number;
  evaluations: number;
  tokensDone: number;
  interrupted: boolean;
  /** The simulator, for reports that count events after the run. */
  sim: Simulator;
  layer: AttentionLayer;
}

/** Quantises head h's inputs into PWM and DAC codes; NaN or ±Inf is an error naming the index. */
export function tokenCodes(inputs: AttentionInputs, h: number, c: AcceleratorConfig): TokenCodes {
  const { T, H, D } = inputs;
  const gq = qGrid(c.levelsQ);
  const gkv = kvGrid(c.levelsKv);
  const q = new Int32Array(T * D);
  const k = new Int32Array(T * D);
  const v = new Int32Array(T * D);
  // the label naming a value's index is made only for a value that is not finite (gridCode then
  // throws with it): one per value was 3·T·D strings, most of a one-head run's garbage
  const code = (grid: QuantGrid, x: number, array: string, t: number, d: number) =>
    Number.isFinite(x) ? gridCode(grid, x) : gridCode(grid, x, `${array}[t=${t}, h=${h}, d=${d}]`);
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < D; d++) {
      const src = (t * H + h) * D + d;
      q[t * D + d] = code(gq, inputs.q[src], "q", t, d);
      k[t * D + d] = code(gkv, inputs.k[src], "k", t, d);
      v[t * D + d] = code(gkv, inputs.v[src], "v", t, d);
    }
  }
  return { T, D, q, k, v, qBits: codeBits(c.levelsQ), kvBits: codeBits(c.levelsKv) };
}

/** Runs the layer until every token of every head is out (or Ctrl-C); always closes the trace. */
export async function runAttention(c: AcceleratorConfig, inputs: AttentionInputs, options: AttentionRunOptions = {}): Promise<AttentionRunResult> {
  const { T, H, D } = inputs;
  const chip = options.chip === undefined ? undefined : checkChip(c, options.chip, T);
  const streams = Array.from({ length: H }, (_, h) => tokenCodes(inputs, h, c));
  const layer = new AttentionLayer("layer", c, streams, options.scores === true, chip, 0, withBlocks(options.blocks));
  const sim = new Simulator(layer, { backend: options.backend });
  if (options.vcd) {
    new VcdTrace(sim, options.vcd, {
      signals: options.signals, fromPs: options.fromPs, toPs: options.toPs, date: options.date, version: "gaincell attend", comment: options.traceComment,
      waveforms: options.waveforms,
    });
  }
  // one token's schedule per token after the last arrival, plus the cycle that hands the first token over, plus slack
  const tokenPs = cyclesPerToken(c) * c.clockPeriodPs;
  const arrivals = chip?.arrivalsPs;
  const untilPs = (arrivals === undefined || T === 0 ? 0 : arrivals[T - 1]) + (T + 2) * tokenPs;
  const done = () => Math.min(...layer.collectors.map((x) => x.collected));
  const outcome = await runInterruptible(sim, untilPs, { onProgress: () => options.onProgress?.(done()) });
  const outputs = new LayerOutputs(c, T, H, D, options.scores === true);
  layer.collectors.forEach((col, h) => outputs.place(h, col.sums, col.scores));
  return {
    out: outputs.out,
    outCodes: outputs.outCodes,
    scores: outputs.scores,
    simulatedPs: outcome.endPs,
    cycles: Math.round(outcome.endPs / c.clockPeriodPs),
    evaluations: sim.evaluations,
    tokensDone: done(),
    interrupted: outcome.interrupted,
    sim,
    layer,
  };
}
