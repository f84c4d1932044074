// The ledger's accuracy figures: a head's digital output against the same head computed by the
// functional model without quantisation or leakage (docs/model.md §1 with every grid fine and λ = 0),
// over the measured tokens (window full). One figure per kind of chip: the ideal chip's and, when
// there is one, the realised chip's (docs/model.md §7), which also says how far it is from the ideal
// chip's outputs.
import { functionalPart, type AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { attendFunctional, attendFunctionalHeads } from "../functional/attention.js";
import { outGrid } from "../laws/quantise.js";

/** (ours) "Unquantised": 256 levels on q, K/V and the output, the finest the model supports. */
export const REFERENCE_LEVELS = 256;

/** What the error is measured against, stated in outputs. */
export const ACCURACY_METRIC =
  `RMS over tokens and dims of out − out_ref, where out = Σ_b o_{b,d} (units of A/(S_sat/2)) and out_ref is the functional model ` +
  `with the same window, tile, S_sat and device law but ${REFERENCE_LEVELS} levels for q, K/V and the output and λ = 0; ` +
  `relative error divides by the RMS of out_ref`;

/** RMS error of a run's output and the same relative to the reference's RMS. */
export interface Accuracy {
  rmsError: number;
  relativeRmsError: number;
}

/** One accuracy figure of a report: which chip, against what, over which tokens. */
export interface AccuracyFigure extends Accuracy {
  /** Which output: "ideal chip" (the configured quantisation and leakage, no variation) or "realised chip (…)". */
  name: string;
  metric: string;
  /** Tokens the RMS is taken over, from `fromToken` on (each with the window full). */
  tokens: number;
  fromToken: number;
  /** A realised chip's: how far its outputs are from the ideal chip's over the same tokens. */
  againstIdeal?: ChipDeviation;
}

/** The tokens an accuracy figure covers: `count` of them from `from`. */
export interface TokenRange {
  from: number;
  count: number;
}

/**
 * Compares `out` (T×D, head `head` of `inputs`) with the fine, leak-free functional reference over
 * the tokens of `range` (all T when not given).
 */
export function outputError(c: AcceleratorConfig, inputs: AttentionInputs, out: Float64Array, head = 0, range?: TokenRange): Accuracy {
  const { T, H, D } = inputs;
  const pick = (x: Float64Array) => {
    const h = new Float64Array(T * D);
    for (let t = 0; t < T; t++) h.set(x.subarray((t * H + head) * D, (t * H + head + 1) * D), t * D);
    return h;
  };
  const ref = attendFunctional(pick(inputs.q), pick(inputs.k), pick(inputs.v), T, D, {
    ...functionalPart(c),
    levelsQ: REFERENCE_LEVELS,
    levelsKv: REFERENCE_LEVELS,
    levelsOut: REFERENCE_LEVELS,
    lambdaPerToken: 0,
  }).out;
  const { from, count } = range ?? { from: 0, count: T };
  let err2 = 0;
  let ref2 = 0;
  for (let i = from * D; i < (from + count) * D; i++) {
    err2 += (out[i] - ref[i]) ** 2;
    ref2 += ref[i] ** 2;
  }
  const n = count * D;
  const rmsError = Math.sqrt(err2 / n);
  const rmsRef = Math.sqrt(ref2 / n);
  return { rmsError, relativeRmsError: rmsRef === 0 ? (rmsError === 0 ? 0 : Infinity) : rmsError / rmsRef };
}

/** The ideal chip's figure of a steady-state run: the measured tokens of `out`. */
export function idealAccuracy(c: AcceleratorConfig, inputs: AttentionInputs, out: Float64Array, range: TokenRange): AccuracyFigure {
  return { name: "ideal chip", metric: ACCURACY_METRIC, tokens: range.count, fromToken: range.from, ...outputError(c, inputs, out, 0, range) };
}

/** The ideal chip's output of head 0 of `inputs`, T×D: the functional model, which the cycle-accurate ideal chip equals. */
export function idealOutput(c: AcceleratorConfig, inputs: AttentionInputs): Float64Array {
  const { T, H, D } = inputs;
  return attendFunctionalHeads(inputs.q, inputs.k, inputs.v, T, H, D, functionalPart(c)).heads[0].out;
}

/**
 * A realised chip's figure (docs/model.md §7), `name` saying which: its output `out` (T×D, head 0)
 * against the same reference as the ideal chip's, and against the ideal chip's output `idealOut`.
 */
export function realisedAccuracy(c: AcceleratorConfig, inputs: AttentionInputs, out: Float64Array, idealOut: Float64Array, range: TokenRange, name: string): AccuracyFigure {
  return { ...idealAccuracy(c, inputs, out, range), name, againstIdeal: againstIdeal(c, out, idealOut, range) };
}

/** One head's outputs `out` against the ideal chip's `idealOut` (both T×D, in units of out) over `range`. */
export function againstIdeal(c: AcceleratorConfig, out: Float64Array, idealOut: Float64Array, range: TokenRange): ChipDeviation {
  const step = outGrid(c.levelsOut).step;
  const counts = (x: Float64Array) => Int32Array.from(x, (v) => Math.round(v / step));
  return chipDeviation(counts(out), counts(idealOut), step, 1, c.D, range);
}

/** How a realised chip's outputs differ from the ideal chip's for the same inputs (docs/model.md §7). */
export interface ChipDeviation {
  /** RMS over tokens, heads and dims of out − out_ideal, in the units of out (A/(S_sat/2)). */
  rmsError: number;
  /** Fraction of the output counts Σ_b o_{b,d} that differ. */
  changedFraction: number;
  /** The largest |count − ideal count|, and where: token, head, dim (the first such). */
  maxChange: number;
  at: { token: number; head: number; dim: number } | null;
}

/** Compares output counts (T, H, D) with the ideal chip's over tokens `range` (all when not given); `step` is out per count. */
export function chipDeviation(codes: Int32Array, idealCodes: Int32Array, step: number, H: number, D: number, range?: TokenRange): ChipDeviation {
  const T = codes.length / (H * D);
  const { from, count } = range ?? { from: 0, count: T };
  let err2 = 0;
  let changed = 0;
  let maxChange = 0;
  let at: ChipDeviation["at"] = null;
  for (let i = from * H * D; i < (from + count) * H * D; i++) {
    const change = Math.abs(codes[i] - idealCodes[i]);
    if (change === 0) continue;
    changed++;
    err2 += (step * change) ** 2;
    if (change > maxChange) {
      maxChange = change;
      at = { token: Math.floor(i / (H * D)), head: Math.floor(i / D) % H, dim: i % D };
    }
  }
  const n = count * H * D;
  return { rmsError: n === 0 ? 0 : Math.sqrt(err2 / n), changedFraction: n === 0 ? 0 : changed / n, maxChange, at };
}
