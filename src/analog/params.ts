// Parameter objects of the analog blocks (docs/model.md §1–§3): each block's slice of the configuration,
// its spec defaults, the validation that names the field, and the code-bus width helpers.
import { finiteNumber, integerIn, levelCount, oneOf, type Check } from "../fieldChecks.js";
import type { CellValues } from "../laws/cellReadout.js";
import type { Nonlinearity } from "../laws/deviceLaw.js";
import type { RetentionMode } from "../laws/nonideal.js";
import { outGrid } from "../laws/quantise.js";
import { CLOCK_PERIOD_PS, HEAD_DIM, LAMBDA_PER_TOKEN, LEVELS_KV, LEVELS_OUT, LEVELS_Q, S_SAT, T_MAX_PS, TILE, VDD_V } from "../laws/constants.js";

/**
 * Where a block's per-event noise comes from (docs/model.md §7): σ in the block's unit, and the key
 * of its counter-based draws, (seed, head) with the token and the block's index within it.
 */
export interface EventNoise {
  readonly sigma: number;
  readonly seed: number;
  readonly head: number;
}

/** A q driver's PWM jitter (docs/model.md §7): σ_q as a fraction of T_max, keyed by its row d. */
export interface PwmJitter extends EventNoise {
  readonly row: number;
}

/** A gain-cell array's part of a realised chip (docs/model.md §7); every field absent is the ideal chip's. */
export interface RealisedArray {
  /** Its cells' γ, β, r and stuck voltages, column-major (column j, row d at j·rows + d): its slice of the realisation. */
  readonly cells?: CellValues;
  /** Its cells decay at their own rates λ·r: some cell of the head's K (or V) matrix has r ≠ 1. */
  readonly ownRates?: boolean;
  /** Retention counted per token (default) or in time, from the fall of WRITE to the rise of the read phase. */
  readonly retention?: RetentionMode;
  /** The integrators' read noise: σ_S per column (K; index firstSlot + j) or σ_A per row (V; index subTile·rows + d). */
  readonly readNoise?: EventNoise;
  /** The slot of column 0 (subTile·tile), for the K columns' noise index. */
  readonly firstSlot?: number;
}

/** Which matrix a gain-cell array holds: K (rows driven by q, columns integrated) or V (columns driven by φ). */
export type ArrayOrientation = "K" | "V";

/** WriteDriver: one 3-bit DAC per row for k and one for v (docs/model.md §1, §2). */
export interface WriteDriverParams {
  /** Rows written per column: the head dimension D. */
  readonly rows: number;
  /** K/V DAC levels over [0, 0.9] V. */
  readonly levelsKv: number;
}

/** GainCellArray: a rows × cols tile of one sub-tile (docs/model.md §1 read current and retention, §2). */
export interface GainCellArrayParams {
  /** Rows: the head dimension D (K: rows driven by q; V: output dims read by signed CPCs). */
  readonly rows: number;
  /** Columns: slots of this sub-tile. */
  readonly cols: number;
  readonly orientation: ArrayOrientation;
  /** Sub-tile index b: the array stores a column only when `subTile` equals it. */
  readonly subTile: number;
  /** Retention rate λ per token; 0 turns leakage off. */
  readonly lambdaPerToken: number;
  readonly nonlinearity: Nonlinearity;
  /** Full-scale pulse width T_max, ps. */
  readonly tMaxPs: number;
}

/** PwmDriver: one 4-bit read-word-line PWM driver per K row (docs/model.md §1 q pulses, §2). */
export interface PwmDriverParams {
  /** q PWM levels over [0, 1]. */
  readonly levelsQ: number;
  /** Full-scale pulse width T_max, ps. */
  readonly tMaxPs: number;
  /** Read-word-line pulse amplitude V_in, V; a property of the pulse, used by no computation here. */
  readonly amplitudeV: number;
}

/** ChargeToPulseConverter: the stage-1 hard sigmoid of a sub-tile's K columns (docs/model.md §1). */
export interface CpcParams {
  /** Saturation S_sat, µA × (pulse/T_max). */
  readonly sSat: number;
  /** Full-scale pulse width T_max, ps. */
  readonly tMaxPs: number;
}

/** SignedChargeToPulseConverter: stage-2 digitisation of a sub-tile's V rows (docs/model.md §1, §3 CONVERT). */
export interface SignedCpcParams {
  /** Saturation S_sat; the count's full scale is S_sat/2. */
  readonly sSat: number;
  /** Full-scale pulse width T_max, ps (converts fC back to µA × pulse/T_max). */
  readonly tMaxPs: number;
  /** Output levels over [−1, 1]. */
  readonly levelsOut: number;
  /** Control-clock period, ps: the counter steps once per period. */
  readonly clockPeriodPs: number;
}

export const WRITE_DRIVER_DEFAULTS: WriteDriverParams = Object.freeze({
  rows: HEAD_DIM, // docs/model.md §1: D = 64
  levelsKv: LEVELS_KV, // docs/model.md §1: 3-bit DACs, 8 levels
});

export const GAIN_CELL_ARRAY_DEFAULTS: GainCellArrayParams = Object.freeze({
  rows: HEAD_DIM, // docs/model.md §2: 64 × 64 gain cells per array
  cols: TILE,
  orientation: "K" as ArrayOrientation,
  subTile: 0,
  lambdaPerToken: LAMBDA_PER_TOKEN, // docs/model.md §1: λ = 1.6e-4 per token
  nonlinearity: "cubic" as Nonlinearity, // docs/model.md §1: the gain-cell cubic
  tMaxPs: T_MAX_PS, // docs/model.md §1: T_max = 15 ns
});

export const PWM_DRIVER_DEFAULTS: PwmDriverParams = Object.freeze({
  levelsQ: LEVELS_Q, // docs/model.md §1: q quantised to 16 levels, 4-bit PWM drivers (§2)
  tMaxPs: T_MAX_PS, // docs/model.md §1: T_max = 15 ns
  amplitudeV: VDD_V, // docs/model.md §1: V_in = 0.9 V
});

export const CPC_DEFAULTS: CpcParams = Object.freeze({
  sSat: S_SAT, // docs/model.md §1: S_sat = 80
  tMaxPs: T_MAX_PS, // docs/model.md §1: T_max = 15 ns
});

export const SIGNED_CPC_DEFAULTS: SignedCpcParams = Object.freeze({
  sSat: S_SAT, // docs/model.md §1: quantise(A/40, …), 40 = S_sat/2
  tMaxPs: T_MAX_PS, // docs/model.md §1: T_max = 15 ns
  levelsOut: LEVELS_OUT, // docs/model.md §1: 32 output levels, magnitude count 0..16
  clockPeriodPs: CLOCK_PERIOD_PS, // docs/model.md §3: 1 GHz control clock
});

// (ours) sizes beyond this would not fit the 16-bit column bus of the SlotPointer.
const MAX_SIZE = 65_535;

const size = integerIn(1, MAX_SIZE);
const tMax = finiteNumber(0, true, "ps");

export const WRITE_DRIVER_CHECKS: { readonly [K in keyof WriteDriverParams]: Check } = {
  rows: size,
  levelsKv: levelCount("a DAC", 8),
};

export const GAIN_CELL_ARRAY_CHECKS: { readonly [K in keyof GainCellArrayParams]: Check } = {
  rows: size,
  cols: size,
  orientation: oneOf("K", "V"),
  subTile: integerIn(0, MAX_SIZE),
  lambdaPerToken: finiteNumber(0, false, "per token (0 turns retention off)"),
  nonlinearity: oneOf("cubic", "linear"),
  tMaxPs: tMax,
};

export const PWM_DRIVER_CHECKS: { readonly [K in keyof PwmDriverParams]: Check } = {
  levelsQ: levelCount("a PWM driver", 16),
  tMaxPs: tMax,
  amplitudeV: finiteNumber(0, true, "V"),
};

export const CPC_CHECKS: { readonly [K in keyof CpcParams]: Check } = {
  sSat: finiteNumber(0, true, ""),
  tMaxPs: tMax,
};

export const SIGNED_CPC_CHECKS: { readonly [K in keyof SignedCpcParams]: Check } = {
  sSat: finiteNumber(0, true, ""),
  tMaxPs: tMax,
  levelsOut: levelCount("a signed CPC", 32),
  // the counter's timer re-arms every period: a whole number of ps
  clockPeriodPs: integerIn(1, Number.MAX_SAFE_INTEGER),
};

/**
 * Charges are traced in fC; the spec counts them in µA × (pulse/T_max). As 1 µA × 1 ns = 1 fC, a
 * charge S in the spec's unit is S × (T_max in ns) fC: this is that factor.
 */
export function fcPerSpecCharge(tMaxPs: number): number {
  return tMaxPs / 1000;
}

/** Bits needed to hold the integers 0..n (at least 1). */
export function bitsFor(n: number): number {
  let bits = 1;
  while (2 ** bits <= n) bits++;
  return bits;
}

/** Width of one code on a q or K/V code bus: ceil(log2(levels)) bits (4 for 16 levels, 3 for 8). */
export function codeBits(levels: number): number {
  return bitsFor(levels - 1);
}

/** Width of a signed CPC's magnitude count: bits for 0..codeMax (5 for 32 levels: 0..16). */
export function countBits(levelsOut: number): number {
  return bitsFor(outGrid(levelsOut).codeMax);
}

/** Largest magnitude a signed CPC counts to: 16 for 32 output levels (docs/model.md §1). */
export function maxMagnitude(levelsOut: number): number {
  return outGrid(levelsOut).codeMax;
}
