// Configuration and result types of the untimed functional model of docs/model.md §1, and the validator
// that turns a partial user configuration into a full one or a ConfigError naming the field.
import type { Nonlinearity } from "../laws/deviceLaw.js";
import { HEAD_DIM, LAMBDA_PER_TOKEN, LEVELS_KV, LEVELS_OUT, LEVELS_Q, S_SAT, T_MAX_PS, TILE, WINDOW_M } from "../laws/constants.js";
import type { RetentionMode } from "../laws/nonideal.js";
import type { Realisation } from "../laws/realisation.js";
import type { TokenTimes } from "../laws/tokenTiming.js";
import type { Variation } from "../laws/variation.js";
import { checkFields, finiteNumber, levelCount, positiveInteger, type Check } from "../fieldChecks.js";

/** Everything the functional model of one head needs besides its inputs (docs/model.md §1, knobs of §6). */
export interface FunctionalConfig {
  /** Window M: slots per head, written cyclically. */
  readonly windowM: number;
  /** Sub-tile width: slots (columns) per sub-tile, digitised together. */
  readonly tile: number;
  /** Head dimension D: rows of the K array, columns of q, k, v. */
  readonly D: number;
  /** q PWM levels over [0, 1]. */
  readonly levelsQ: number;
  /** K/V DAC levels over [0, 0.9] V. */
  readonly levelsKv: number;
  /** Signed-CPC output levels over [−1, 1]. */
  readonly levelsOut: number;
  /** Retention rate λ per token; 0 turns leakage off. */
  readonly lambdaPerToken: number;
  /** CPC saturation charge S_sat (µA × pulse/T_max). */
  readonly sSat: number;
  /** Shape of the device law g(y). */
  readonly nonlinearity: Nonlinearity;
  /** Full-scale pulse width T_max, ps. */
  readonly tMaxPs: number;
}

/** The spec's configuration. */
export const DEFAULT_CONFIG: FunctionalConfig = Object.freeze({
  windowM: WINDOW_M, // docs/model.md §1: M = 1024 slots per head
  tile: TILE, // docs/model.md §1, §2: 64 × 64 cell arrays, slot s in sub-tile s div 64
  D: HEAD_DIM, // docs/model.md §1: summed over the D = 64 rows of the K array
  levelsQ: LEVELS_Q, // docs/model.md §1: q quantised to 16 levels, 4-bit PWM drivers (§2)
  levelsKv: LEVELS_KV, // docs/model.md §1: 3-bit DACs, 8 levels
  levelsOut: LEVELS_OUT, // docs/model.md §1: quantise(A/40, −1, 1, 32 levels)
  lambdaPerToken: LAMBDA_PER_TOKEN, // docs/model.md §1: λ = 1.6e-4 per token (τ ≈ 5 ms at 0.8 µs per token)
  sSat: S_SAT, // docs/model.md §1: φ = clamp(S/S_sat, 0, 1)·T_max, S_sat = 80
  nonlinearity: "cubic", // docs/model.md §1: the gain-cell cubic; "linear" is the authors' intermediate model
  tMaxPs: T_MAX_PS, // docs/model.md §1: T_max = 15 ns
});

/** Which optional per-token results attendFunctional should fill in (each costs memory, not time). */
export interface FunctionalWants {
  /** Stage-1 sums S_j, T×M, column = physical slot. */
  readonly scores?: boolean;
  /** Stage-1 pulse widths as fractions of T_max, T×M. */
  readonly phi?: boolean;
  /** Signed output counts o_{b,d}/step, T×nSubTiles×D. */
  readonly subTileCodes?: boolean;
  /** Stage-2 values A_{b,d}/(S_sat/2) before quantisation, T×nSubTiles×D. */
  readonly stage2?: boolean;
}

/** Result of one head over T tokens; all arrays row-major. */
export interface FunctionalResult {
  /** out_d = Σ_b o_{b,d}, T×D, before the a_o, b_o scaling (docs/model.md §1). */
  readonly out: Float64Array;
  /** Σ_b of the signed output counts, T×D: out = outCodes · step_out (the adder tree's integer sum). */
  readonly outCodes: Int32Array;
  /** Number of sub-tiles, ⌈M/tile⌉. */
  readonly nSubTiles: number;
  /** Stage-1 sums S_j, T×M by physical slot; 0 for unwritten slots (when requested). */
  readonly scores?: Float64Array;
  /** φ_j/T_max = clamp(S_j/S_sat, 0, 1), T×M by physical slot; × config.tMaxPs gives ps (when requested). */
  readonly phi?: Float64Array;
  /** Per-sub-tile signed counts o_{b,d}/step_out, T×nSubTiles×D (when requested). */
  readonly subTileCodes?: Int16Array;
  /** Stage-2 values A_{b,d}/(S_sat/2), T×nSubTiles×D (when requested). */
  readonly stage2?: Float64Array;
}

/** The check of every field of FunctionalConfig. */
export const FUNCTIONAL_CHECKS: { readonly [K in keyof FunctionalConfig]: Check } = {
  windowM: positiveInteger,
  tile: positiveInteger,
  D: positiveInteger,
  levelsQ: levelCount("a PWM driver", 16),
  levelsKv: levelCount("a DAC", 8),
  levelsOut: levelCount("a signed CPC", 32),
  lambdaPerToken: finiteNumber(0, false, "per token (0 turns retention off)"),
  sSat: finiteNumber(0, true, ""),
  nonlinearity: (v) => (v === "cubic" || v === "linear" ? undefined : `${JSON.stringify(v)} is not "cubic" or "linear"`),
  tMaxPs: finiteNumber(0, true, "ps"),
};

/** Fill `partial` from DEFAULT_CONFIG and check every field; throws ConfigError naming the field (`source` names its origin). */
export function validateConfig(partial: unknown = {}, source?: string): FunctionalConfig {
  return checkFields(partial, FUNCTIONAL_CHECKS, DEFAULT_CONFIG, "config", source);
}

/**
 * A realised chip for the functional model (docs/model.md §7). Omitted fields are the paper's ideal:
 * no realisation (every γ = 1, β = 0, r = 1, no stuck cell, no converter offset), no noise,
 * retention per token. Given a realisation, the model reads every cell through the §7 laws (the
 * slower per-cell path) even when its values are ideal.
 */
export interface ChipOptions {
  /** The chip's static non-idealities, all heads; its shape must match the configuration. */
  readonly realisation?: Realisation;
  /** σ of the per-event noise: sigmaWrite, sigmaS, sigmaA, sigmaQ (the static σ and p are the realisation's). */
  readonly noise?: Variation;
  /** Seed of the per-event noise (docs/model.md §7 counter-based draws); 0 by default. */
  readonly noiseSeed?: number;
  /** Retention per token (the paper's, default) or by simulated time. */
  readonly retention?: RetentionMode;
  /** Each token's times (src/laws/tokenTiming.ts), needed for `time` retention. */
  readonly times?: TokenTimes;
}
