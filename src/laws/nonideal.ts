// The laws of a realised chip, docs/model.md §7: a cell's read with its gain, offset and own retention
// rate; the stored voltage under write noise and stuck cells; PWM jitter; the CPC and signed-CPC
// offsets; retention counted in tokens or in simulated time. One definition for both models
// (docs/architecture.md): with every σ and p at 0 each reduces to the ideal law of docs/model.md §1
// bit for bit (γ = 1, β = 0, r = 1, offsets 0 leave every double unchanged).
import { VDD_V } from "./deviceLaw.js";

/** How retention is counted (docs/model.md §7): per token, as the paper, or by simulated time. */
export type RetentionMode = "token" | "time";

/** t_token of docs/model.md §7, ps: 0.8 µs per token, at which λ = 1.6e-4 per token is τ ≈ 5 ms. */
export const T_TOKEN_PS = 800_000;

/** A stuck cell's entry in a realisation when the cell works (docs/model.md §7: `*_stuck` holds −1). */
export const NOT_STUCK = -1;

/** A cell's own retention rate λ_cell = λ·r, per token (docs/model.md §7 retention spread). */
export function cellRate(lambdaPerToken: number, r: number): number {
  return lambdaPerToken * r;
}

/**
 * Retention factor in `time` mode: δ = exp(−λ_cell·Δt/t_token), Δt the simulated time in ps from
 * the end of the slot's WRITE to the start of its read (docs/model.md §7). Token mode is
 * deviceLaw's retention(λ_cell, age).
 */
export function retentionInTime(rate: number, dtPs: number): number {
  return Math.exp(-rate * (dtPs / T_TOKEN_PS));
}

/**
 * Read current of a realised cell per unit pulse, µA: γ·g(y·δ) + β, given g(y·δ) (docs/model.md §7
 * cell gain and offset). The array multiplies it by the pulse fraction x: x·(γ·g(y·δ) + β).
 */
export function realisedCurrent(gDecayed: number, gain: number, offset: number): number {
  return gain * gDecayed + offset;
}

/**
 * The voltage a cell holds after a write of DAC level `levelV` (docs/model.md §7): a stuck cell its
 * stuck voltage whatever is written; a working one the level plus its write noise, clamped to
 * [0, 0.9] V. With no noise the level itself.
 */
export function storedVoltage(levelV: number, writeNoiseV: number, stuckV: number): number {
  if (stuckV !== NOT_STUCK) return stuckV;
  if (writeNoiseV === 0) return levelV;
  const v = levelV + writeNoiseV;
  return v < 0 ? 0 : v > VDD_V ? VDD_V : v;
}

/** A q pulse fraction with its jitter, clamped to [0, 1] (docs/model.md §7 PWM jitter); unchanged without. */
export function jitteredPulse(fraction: number, jitter: number): number {
  if (jitter === 0) return fraction;
  const x = fraction + jitter;
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** The CPC's hard sigmoid with its offset: φ/T_max = clamp((S − S_off)/S_sat, 0, 1) (docs/model.md §1, §7). */
export function cpcFraction(score: number, offset: number, sSat: number): number {
  const fraction = (score - offset) / sSat;
  return fraction > 0 ? (fraction < 1 ? fraction : 1) : 0;
}

/** The signed CPC's input to the output quantiser: (A − A_off)/(S_sat/2) (docs/model.md §1, §7). */
export function signedCpcInput(charge: number, offset: number, halfSat: number): number {
  return (charge - offset) / halfSat;
}
