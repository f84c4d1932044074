// The quantiser of docs/model.md §1 (q PWM codes, K/V DAC levels, signed-CPC output counts): clamp to
// [lo, hi], then step·round(x/step) with step = (hi − lo)/(levels − 1), halves to even.
// Shared by the functional model and the analog blocks (docs/architecture.md: one definition).
//
// Order of operations (docs/model.md §1): first step = (hi − lo)/(levels − 1), then x/step, then the
// rounding, all in float64, as the authors' torch code does (torch.round is half-to-even). That
// order decides the inputs that sit on a half-step: step itself (1/15, 0.9/7, 2/31) is not a
// representable number, so x/step can land a hair off the half the real numbers would give, and
// the authors' results round the way their arithmetic lands, not the way the real numbers would.
// VDD/2 = 0.45 V is 3.4999999999999996 K/V steps that way and takes level 3 (not 4); 0.5·0.9/7
// takes level 0 and 0.09999999999999999 takes q code 2. (An earlier version divided by (hi − lo)
// and multiplied by (levels − 1), which rounded those inputs the other way.)
//
// Output grid decision (docs/model.md §1, "quantise(A/40, −1, 1, 32 levels)"): the bounds stay [−1, 1] and
// step = 2/31, and the grid is the multiples of step, not lo + k·step. So 0 is on the grid, the
// code is a signed count, and |x| < 1 is below 15.5 steps, rounding to a magnitude 0..15; only
// the clamp value |x| = 1 is 1/(2/31) = 15.5 steps exactly in float64, which rounds half-to-even to
// 16, giving ±16·step = ±32/31 ≈ ±1.032. This reproduces "sign and magnitude count 0..16 of steps
// 2/31 (a magnitude of 16 appears only at the clamp)" with the general formula and no special
// case. The 32 "levels" therefore yield 33 codes −16..16; the q and K/V grids (lo = 0) are the
// usual 0..levels−1. (For some other output level counts, e.g. 100, 1/step lands just below the
// half and the clamp rounds down: the ends follow the same arithmetic, codeMin/codeMax say where.)
import { ConfigError, SignalValueError } from "../errors.js";
import { LEVELS_KV, LEVELS_OUT, LEVELS_Q, VDD_V } from "./constants.js";

/** A quantisation grid: bounds, level count and its derived step, validated once. */
export interface QuantGrid {
  /** Lower clamp bound. */
  readonly lo: number;
  /** Upper clamp bound. */
  readonly hi: number;
  /** Nominal level count; step = (hi − lo)/(levels − 1). */
  readonly levels: number;
  /** Grid spacing; values are code·step. */
  readonly step: number;
  /** Smallest code, the clamped lo rounded: 0 for lo = 0, −16 for the output grid. */
  readonly codeMin: number;
  /** Largest code: levels − 1 for lo = 0, +16 for the output grid. */
  readonly codeMax: number;
}

/** Round to the nearest integer, exact halves to the even neighbour (torch.round; Math.round rounds halves up). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const frac = x - floor; // exact for every finite double
  if (frac < 0.5) return floor;
  if (frac > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

function checkGrid(lo: number, hi: number, levels: number, what: string): void {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new ConfigError(what, `bounds [${lo}, ${hi}] must be finite numbers`);
  }
  if (!(lo < hi)) throw new ConfigError(what, `lower bound ${lo} must be below upper bound ${hi}`);
  if (!Number.isInteger(levels) || levels < 2) {
    throw new ConfigError(what, `${levels} levels is not an integer of at least 2: a quantiser needs 2 or more levels`);
  }
}

function checkFinite(x: number, what: string): void {
  if (!Number.isFinite(x)) {
    throw new SignalValueError(`${what}: ${x} is not a finite number: values out of range are clamped, but NaN and ±Inf are errors (docs/model.md §1)`);
  }
}

// docs/model.md §1: round(x/step), x already clamped, with step computed first (see the top of the file).
function codeOf(clamped: number, step: number): number {
  return roundHalfEven(clamped / step);
}

/** Build and validate a grid; `what` names it in errors (e.g. "config.levelsKv"). */
export function makeGrid(lo: number, hi: number, levels: number, what = "quantiser"): QuantGrid {
  checkGrid(lo, hi, levels, what);
  const step = (hi - lo) / (levels - 1);
  return {
    lo,
    hi,
    levels,
    step,
    codeMin: codeOf(lo, step),
    codeMax: codeOf(hi, step),
  };
}

/** Integer code of x on `grid` (clamp, then round(x/step) halves to even); throws on NaN/±Inf naming `what`. */
export function gridCode(grid: QuantGrid, x: number, what = "quantiser input"): number {
  checkFinite(x, what);
  const clamped = x < grid.lo ? grid.lo : x > grid.hi ? grid.hi : x;
  return codeOf(clamped, grid.step);
}

/** Quantised value of x on `grid`: step·code (docs/model.md §1). */
export function gridValue(grid: QuantGrid, x: number, what = "quantiser input"): number {
  return grid.step * gridCode(grid, x, what);
}

/** Integer code of quantise(x, lo, hi, levels): a count of steps from 0, signed when lo < 0. */
export function quantiseCode(x: number, lo: number, hi: number, levels: number, what = "quantiser input"): number {
  checkGrid(lo, hi, levels, "quantiser");
  checkFinite(x, what);
  const clamped = x < lo ? lo : x > hi ? hi : x;
  return codeOf(clamped, (hi - lo) / (levels - 1));
}

/** The quantiser of docs/model.md §1: clamp to [lo, hi], then step·round(x/step), halves to even. */
export function quantise(x: number, lo: number, hi: number, levels: number, what = "quantiser input"): number {
  return ((hi - lo) / (levels - 1)) * quantiseCode(x, lo, hi, levels, what);
}

/** Default q grid: pulse fractions [0, 1], 16 levels, step 1/15 (docs/model.md §1). */
export const Q_GRID: QuantGrid = makeGrid(0, 1, LEVELS_Q, "q grid");

/** Default K/V grid: stored volts [0, 0.9], 8 levels, step 0.9/7 (docs/model.md §1, 3-bit DACs). */
export const KV_GRID: QuantGrid = makeGrid(0, VDD_V, LEVELS_KV, "K/V grid");

/** Default output grid: [−1, 1], 32 levels, step 2/31, codes −16..16 (docs/model.md §1, signed CPC). */
export const OUT_GRID: QuantGrid = makeGrid(-1, 1, LEVELS_OUT, "output grid");

/** q grid with `levels` levels over [0, 1] (docs/model.md §1: default 16). */
export function qGrid(levels = LEVELS_Q): QuantGrid {
  return levels === LEVELS_Q ? Q_GRID : makeGrid(0, 1, levels, "q grid");
}

/** K/V grid with `levels` levels over [0, 0.9] V (docs/model.md §1: default 8). */
export function kvGrid(levels = LEVELS_KV): QuantGrid {
  return levels === LEVELS_KV ? KV_GRID : makeGrid(0, VDD_V, levels, "K/V grid");
}

/** Output grid with `levels` levels over [−1, 1] (docs/model.md §1: default 32). */
export function outGrid(levels = LEVELS_OUT): QuantGrid {
  return levels === LEVELS_OUT ? OUT_GRID : makeGrid(-1, 1, levels, "output grid");
}

/** Quantise a q pulse fraction to the q grid (docs/model.md §1). */
export function quantiseQ(x: number, levels = LEVELS_Q): number {
  return gridValue(qGrid(levels), x, "q");
}

/** Quantise a K or V voltage to the DAC grid (docs/model.md §1). */
export function quantiseKv(x: number, levels = LEVELS_KV): number {
  return gridValue(kvGrid(levels), x, "k/v");
}

/** Quantise a normalised stage-2 charge A/(S_sat/2) to the output grid (docs/model.md §1). */
export function quantiseOut(x: number, levels = LEVELS_OUT): number {
  return gridValue(outGrid(levels), x, "stage-2 output");
}

/** Signed output count of x (sign and magnitude 0..16 at the default 32 levels; docs/model.md §1, §3 CONVERT). */
export function outCode(x: number, levels = LEVELS_OUT): number {
  return gridCode(outGrid(levels), x, "stage-2 output");
}
