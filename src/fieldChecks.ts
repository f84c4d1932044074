// Checks of user-given parameter fields, shared by every configuration in the project (the
// accelerator's, each analog block's, the technology description): one message style, one place.
import { ConfigError } from "./errors.js";

/** A field check: undefined when the value is acceptable, else what is wrong with it. */
export type Check = (value: unknown) => string | undefined;

// (ours) upper bound on levels: the spec sweeps 2..64; 256 keeps codes in 8 bits (q, K/V) and
// output counts within an Int16, and the level × age tables small.
const MAX_LEVELS = 256;

const isNumber = (v: unknown): v is number => typeof v === "number" && !Number.isNaN(v);

/** A whole number ≥ 1. */
export const positiveInteger: Check = (v) =>
  isNumber(v) && Number.isInteger(v) && v >= 1 ? undefined : `${String(v)} is not a positive integer`;

/** An integer in min..max. */
export const integerIn = (min: number, max: number): Check => (v) =>
  isNumber(v) && Number.isInteger(v) && v >= min && v <= max ? undefined : `${String(v)} is not an integer in ${min}..${max}`;

/** A level count of at least 2 (a quantiser with fewer levels represents nothing), at most 256. */
export const levelCount = (what: string, spec: number): Check => (v) => {
  if (!isNumber(v) || !Number.isInteger(v)) return `${String(v)} is not an integer level count`;
  if (v < 2) return `${v} is too few: ${what} needs at least 2 levels (the spec's default is ${spec})`;
  if (v > MAX_LEVELS) return `${v} is too many: at most ${MAX_LEVELS} levels are supported (the spec's default is ${spec})`;
  return undefined;
};

/** A finite number above (strict) or at least `min`, in `unit`. */
export const finiteNumber = (min: number, strict: boolean, unit: string): Check => (v) => {
  if (!isNumber(v) || !Number.isFinite(v)) return `${String(v)} is not a finite number`;
  if (strict ? v <= min : v < min) return `${v} must be ${strict ? "above" : "at least"} ${min}${unit ? " " + unit : ""}`;
  return undefined;
};

/** One of the listed strings. */
export const oneOf = (...allowed: string[]): Check => (v) =>
  typeof v === "string" && allowed.includes(v) ? undefined : `${JSON.stringify(v)} is not one of ${allowed.map((a) => `"${a}"`).join(", ")}`;

/**
 * Fills `given` from `defaults` and runs `checks` on every field; a ConfigError names
 * `${prefix}.${field}` (and `source`, the file or command line it came from). Unknown fields are
 * errors too: a misspelt knob must not silently take its default.
 */
export function checkFields<T extends object>(
  given: unknown,
  checks: { readonly [K in keyof T]: Check },
  defaults: T,
  prefix: string,
  source?: string,
): T {
  const where = source === undefined ? "" : ` (in ${source})`;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new ConfigError(prefix, `expected an object of fields, got ${Array.isArray(given) ? "an array" : String(given)}${where}`);
  }
  const fields = given as Record<string, unknown>;
  const known = Object.keys(checks);
  for (const name of Object.keys(fields)) {
    if (!known.includes(name)) {
      throw new ConfigError(`${prefix}.${name}`, `is not a known field; known fields are ${known.join(", ")}${where}`);
    }
  }
  const full = { ...defaults } as Record<string, unknown>;
  for (const name of known as (keyof T & string)[]) {
    const value = fields[name];
    if (value === undefined) continue;
    const problem = checks[name](value);
    if (problem !== undefined) throw new ConfigError(`${prefix}.${name}`, problem + where);
    full[name] = value;
  }
  return Object.freeze(full) as unknown as T;
}
