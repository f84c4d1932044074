// The gain-cell device law of docs/model.md §1: read current g(y) of one cell, its retention (leakage) and
// the decayed read. Shared by the functional model and the analog blocks (docs/architecture.md: one
// definition of the device law), so both compute bit-identical currents.

import { VDD_V } from "./constants.js";

/** Shape of g(y): the authors' fitted gain-cell cubic, or their intermediate linear model (docs/model.md §1). */
export type Nonlinearity = "cubic" | "linear";

// The voltages the law is written in, with the other constants of docs/model.md §1.
export { VDD_V, ZERO_POINT_V } from "./constants.js";

/** Slope of the linear variant, µA per V of offset: g(y) = 19.3·y (docs/model.md §1). */
export const LINEAR_GAIN_UA_PER_V = 19.3;

/** The fit coefficients C_ij of docs/model.md §1 as [i, j, C_ij], in the spec's order. */
export const C_IJ: readonly (readonly [number, number, number])[] = [
  [0, 0, 0.17393044],
  [0, 1, 0.15653739],
  [0, 2, 0.14088365],
  [0, 3, 0.12679529],
  [1, 0, 5.51975209],
  [1, 1, 4.96777688],
  [1, 2, 4.4709992],
  [2, 0, -1.44776001],
  [2, 1, -1.30298401],
  [3, 0, 46.05483778],
];

// docs/model.md §1: a_i = Σ_j C_ij · 0.9^j (0.9 = V_in, the read amplitude); summed in the table's order,
// j ascending, so the rounded a_i ≈ 0.521364, 13.612261, −2.620446, 46.054838 are derived here,
// not copied.
function deriveCoefficients(): readonly [number, number, number, number] {
  const a = [0, 0, 0, 0];
  for (const [i, j, c] of C_IJ) a[i] += c * Math.pow(VDD_V, j);
  return [a[0], a[1], a[2], a[3]];
}

/** Cubic coefficients [a0, a1, a2, a3] of g(y) in µA, derived from C_ij (docs/model.md §1). */
export const CUBIC_COEFFS_UA: readonly [number, number, number, number] = deriveCoefficients();

// Module-level copies as plain numbers so the hot path reads no array.
const A0 = CUBIC_COEFFS_UA[0];
const A1 = CUBIC_COEFFS_UA[1];
const A2 = CUBIC_COEFFS_UA[2];
const A3 = CUBIC_COEFFS_UA[3];

/** Retention factor δ = exp(−λ·age) after `ageTokens` tokens; exactly 1 when λ = 0 or age = 0 (docs/model.md §1). */
export function retention(lambdaPerToken: number, ageTokens: number): number {
  return Math.exp(-lambdaPerToken * ageTokens);
}

/**
 * Decayed cubic read, µA per unit pulse: g(y·δ) = a0 + a1·(yδ) + a2·(yδ)² + a3·(yδ)³.
 * docs/model.md §1: y → y·δ, so the i-th power carries δ^i and the constant a0 does not decay.
 * Evaluated in Horner form; gCubic(y) is this with δ = 1, bit for bit (y·1 = y).
 */
export function gCubicDecayed(y: number, delta: number): number {
  const u = y * delta;
  return A0 + u * (A1 + u * (A2 + u * A3));
}

/** Decayed linear read, µA per unit pulse: 19.3·(y·δ) (docs/model.md §1, the authors' intermediate model). */
export function gLinearDecayed(y: number, delta: number): number {
  return LINEAR_GAIN_UA_PER_V * (y * delta);
}

/** Cubic read current g(y) in µA per unit pulse, y = V_store − 0.45 V (docs/model.md §1). */
export function gCubic(y: number): number {
  return gCubicDecayed(y, 1);
}

/** Linear read current g(y) = 19.3·y in µA per unit pulse (docs/model.md §1). */
export function gLinear(y: number): number {
  return gLinearDecayed(y, 1);
}

/** g(y·δ) for the chosen nonlinearity: the current of a cell whose offset has decayed by δ (docs/model.md §1). */
export function gDecayed(y: number, delta: number, nonlinearity: Nonlinearity): number {
  return nonlinearity === "cubic" ? gCubicDecayed(y, delta) : gLinearDecayed(y, delta);
}

/** g(y) for the chosen nonlinearity, no decay (docs/model.md §1). */
export function g(y: number, nonlinearity: Nonlinearity): number {
  return gDecayed(y, 1, nonlinearity);
}

/**
 * One cell's read, cell(x, y) = x · g(y·δ), in µA × (pulse / T_max): x is the input pulse as a
 * fraction of T_max, y the stored offset, δ its retention factor (docs/model.md §1).
 */
export function cellRead(x: number, y: number, delta: number, nonlinearity: Nonlinearity): number {
  return x * gDecayed(y, delta, nonlinearity);
}
