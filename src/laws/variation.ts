// The variation parameters of docs/model.md §7: how far one chip is from the paper's ideal one. Every
// σ and p is 0 (off) by default; a preset or a user's JSON file sets some of them. Field names are
// fixed (docs/model.md §7), so that presets and scripts keep working across versions.
import { ConfigError } from "../errors.js";
import { checkFields, finiteNumber, type Check } from "../fieldChecks.js";

/** The σ and p of docs/model.md §7, each with its unit; 0 turns an effect off. */
export interface Variation {
  /** Cell gain spread: γ ~ N(1, σ_gain), dimensionless, one per K/V cell. */
  readonly sigmaGain: number;
  /** Cell offset spread: β ~ N(0, σ_offset), µA, one per K/V cell. */
  readonly sigmaOffset: number;
  /** Retention spread: λ_cell = λ·r, r = exp(σ_ret·N(0, 1)) (lognormal τ), one per K/V cell. */
  readonly sigmaRet: number;
  /** Fraction of stuck cells, 0..1, each holding 0 V or 0.9 V with equal odds. */
  readonly pStuck: number;
  /** CPC offset spread: S_off ~ N(0, σ_cpc) in the units of S, one per K column. */
  readonly sigmaCpc: number;
  /** Signed-CPC offset spread: A_off ~ N(0, σ_scpc) in the units of A, one per sub-tile and output row. */
  readonly sigmaScpc: number;
  /** Write noise: the stored voltage is the DAC level + N(0, σ_write) V, clamped to [0, 0.9]. */
  readonly sigmaWrite: number;
  /** Read noise of a K column's integrator, per token: S_j += N(0, σ_S). */
  readonly sigmaS: number;
  /** Read noise of a signed CPC's integrator, per token: A_{b,d} += N(0, σ_A). */
  readonly sigmaA: number;
  /** PWM jitter, per q driver and token: the pulse fraction + N(0, σ_q) (a fraction of T_max), clamped to [0, 1]. */
  readonly sigmaQ: number;
}

/** The paper's chip: every effect off (docs/model.md §7 defaults). */
export const IDEAL_VARIATION: Variation = Object.freeze({
  sigmaGain: 0,
  sigmaOffset: 0,
  sigmaRet: 0,
  pStuck: 0,
  sigmaCpc: 0,
  sigmaScpc: 0,
  sigmaWrite: 0,
  sigmaS: 0,
  sigmaA: 0,
  sigmaQ: 0,
});

const sigma = (unit: string): Check => finiteNumber(0, false, unit);

/** The check of every field; the unit named in each message is the field's unit (docs/model.md §7). */
export const VARIATION_CHECKS: { readonly [K in keyof Variation]: Check } = {
  sigmaGain: sigma("(relative gain spread)"),
  sigmaOffset: sigma("µA"),
  sigmaRet: sigma("(spread of ln r)"),
  pStuck: (v) => finiteNumber(0, false, "")(v) ?? ((v as number) > 1 ? `${String(v)} is above 1: a fraction of the cells` : undefined),
  sigmaCpc: sigma("in the units of S"),
  sigmaScpc: sigma("in the units of A"),
  sigmaWrite: sigma("V"),
  sigmaS: sigma("in the units of S"),
  sigmaA: sigma("in the units of A"),
  sigmaQ: sigma("of T_max"),
};

/**
 * Fills `given` from IDEAL_VARIATION and checks every field; throws ConfigError naming
 * `variation.<field>` (and `source`, the file it came from). Fields whose names start with "_"
 * are notes (e.g. "_note", "_sigmaGain": why the value is what it is) and must be strings.
 */
export function validateVariation(given: unknown, source?: string): Variation {
  const where = source === undefined ? "" : ` (in ${source})`;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new ConfigError("variation", `expected an object of σ and p fields, got ${Array.isArray(given) ? "an array" : String(given)}${where}`);
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!name.startsWith("_")) fields[name] = value;
    else if (typeof value !== "string") throw new ConfigError(`variation.${name}`, `a note (a field starting with "_") must be a string, got ${JSON.stringify(value)}${where}`);
  }
  return checkFields(fields, VARIATION_CHECKS, IDEAL_VARIATION, "variation", source);
}

/** True when every σ and p is 0: the paper's ideal chip. */
export function isIdealVariation(v: Variation): boolean {
  return (Object.keys(IDEAL_VARIATION) as (keyof Variation)[]).every((k) => v[k] === 0);
}

/** Checks a seed: a whole number in 0..2^53 − 1 (the Philox key, docs/model.md §7); `what` names it. */
export function checkSeed(seed: number, what: string): number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ConfigError(what, `${seed} is not a whole number in 0..${Number.MAX_SAFE_INTEGER}`);
  return seed;
}
