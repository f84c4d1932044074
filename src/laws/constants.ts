// The paper's constants (docs/model.md §1–§3), defined once: the functional model's defaults, the
// analog blocks' parameter defaults, the quantiser's grids and the accelerator's configuration read
// them here, so the two models cannot drift apart on a number.

/** Supply voltage VDD, V: the top of the K/V storage range and the read pulse amplitude V_in (§1). */
export const VDD_V = 0.9;

/** Zero point of a stored voltage, V: y = V_store − VDD/2 = V_store − 0.45 (§1). */
export const ZERO_POINT_V = VDD_V / 2;

/** Full-scale pulse width T_max, ps: 15 ns (§1; PHASE 1 and PHASE 2 last exactly T_max, §3). */
export const T_MAX_PS = 15_000;

/** CPC saturation S_sat, in µA × (pulse/T_max): φ = clamp(S/S_sat, 0, 1)·T_max (§1). */
export const S_SAT = 80;

/** Retention rate λ per token: δ = exp(−λ·age), τ ≈ 5 ms at 0.8 µs per token (§1). */
export const LAMBDA_PER_TOKEN = 1.6e-4;

/** Window M: slots per head, written cyclically (§1). */
export const WINDOW_M = 1024;

/** Sub-tile width: a 64 × 64 gain-cell array per K and V, slots s in sub-tile s div 64 (§1, §2). */
export const TILE = 64;

/** Head dimension D: rows of the K array, columns of q, k, v (§1). */
export const HEAD_DIM = 64;

/** q levels over [0, 1]: 4-bit PWM drivers (§1, §2). */
export const LEVELS_Q = 16;

/** K/V levels over [0, VDD]: 3-bit DACs (§1, §2). */
export const LEVELS_KV = 8;

/** Output levels over [−1, 1]: signed counts −16..16 (§1). */
export const LEVELS_OUT = 32;

/** Control-clock period, ps: 1 GHz (§3). */
export const CLOCK_PERIOD_PS = 1000;

/** Cycles of each phase of a token, in schedule order (§3): 2 + 8 + 2 + 15 + 2 + 15 + 16 + 5 = 65. */
export const PHASE_CYCLES = Object.freeze({
  load: 2,
  write: 8,
  precharge1: 2,
  phase1: 15, // T_max at 1 GHz
  precharge2: 2,
  phase2: 15, // T_max at 1 GHz
  convert: 16, // a magnitude count of up to 16
  accumulate: 5,
});
