// The grid of a sweep: `--param NAME=v1,v2,…` axes over configuration fields (docs/model.md §6's knobs),
// the retention time constant τ, the σ and p of a realised chip (§7) and, for recall sweeps, the gap
// between tokens; their cartesian product, and each point's validated configuration, variation and
// gap or what is wrong with them.
import { atClock } from "../arch/clockAxis.js";
import { validateAccelerator, type AcceleratorConfig } from "../arch/config.js";
import { ConfigError, GaincellError } from "../errors.js";
import { T_TOKEN_PS } from "../laws/nonideal.js";
import { IDEAL_VARIATION, validateVariation, VARIATION_CHECKS, type Variation } from "../laws/variation.js";
import { timeTextPs } from "../timeText.js";
import { fitTile } from "./measure.js";

/** Command-line names of configuration fields, as the config options spell them. */
const OPTION_FIELDS: Record<string, keyof AcceleratorConfig> = {
  window: "windowM",
  tile: "tile",
  dims: "D",
  "levels-q": "levelsQ",
  "levels-kv": "levelsKv",
  "levels-out": "levelsOut",
  decay: "lambdaPerToken",
  "s-sat": "sSat",
  nonlinearity: "nonlinearity",
  "clock-ps": "clockPeriodPs",
};

/** What an axis sets: a configuration field, a variation field (σ or p of docs/model.md §7), or the gap between tokens. */
export type SweepField = keyof AcceleratorConfig | keyof Variation | "tokenGapPs";

/** The axis of the idle time between tokens (a time), which a recall sweep's chip takes. */
export const GAP_AXIS = "token-gap";

/**
 * The axis of the retention time constant τ (a time): it sets λ = t_token/τ per token, t_token = 0.8 µs
 * (docs/model.md §7: λ = 1.6e-4 per token is τ = 5 ms).
 */
export const TAU_AXIS = "tau";

/** Axes whose values are times (`735ns`, `5ms`): kept as typed for labels, converted to ps. */
const TIME_AXES = new Set([GAP_AXIS, TAU_AXIS]);

/** True for the σ and p of a realised chip (sigmaGain, …, pStuck). */
export function isVariationField(field: string): field is keyof Variation {
  return Object.hasOwn(VARIATION_CHECKS, field);
}

/** One axis: a name as given, the field it sets, and its values in the order given. */
export interface SweepAxis {
  name: string;
  field: SweepField;
  values: (number | string)[];
}

/** One point of the grid: the axis values and the full configuration, or why there is none. */
export interface SweepPoint {
  index: number;
  /** Axis name → value, in axis order. */
  values: Record<string, number | string>;
  /** e.g. "window=64 levels-kv=2". */
  label: string;
  /** null when the values make no valid configuration; `error` says why. */
  config: AcceleratorConfig | null;
  /** The chip's σ and p at this point (the base's with the variation axes' values). */
  variation: Variation;
  /** The idle time between tokens at this point, ps (the base's, or the token-gap axis's value). */
  tokenGapPs: number;
  error: string | null;
}

/**
 * The axis name that changes the clock as `--clock-ps` does: timed phases keep their ns
 * (src/arch/clockAxis.ts). Sweeping the field `clockPeriodPs` instead keeps every phase's cycles.
 */
export const CLOCK_AXIS = "clock-ps";

/**
 * Parses `NAME=v1,v2,…`; NAME is an option name (window, levels-kv, …), a configuration field
 * (windowM, phase1Cycles, …), `tau`, a variation field (sigmaGain, pStuck, …, docs/model.md §7) or `token-gap`.
 */
export function parseAxis(text: string, known: readonly (keyof AcceleratorConfig)[]): SweepAxis {
  const m = /^\s*([A-Za-z][\w-]*)\s*=\s*(.+)$/.exec(text);
  if (!m) throw new ConfigError("--param", `"${text}" is not NAME=v1,v2,… (e.g. window=64,128,256)`);
  const name = m[1];
  const field: SweepField | undefined = OPTION_FIELDS[name] ?? (known.includes(name as keyof AcceleratorConfig) ? (name as keyof AcceleratorConfig) : undefined) ??
    (isVariationField(name) ? name : undefined) ?? (name === TAU_AXIS ? "lambdaPerToken" : name === GAP_AXIS ? "tokenGapPs" : undefined);
  if (field === undefined) {
    throw new ConfigError(`--param ${name}`, `is not a configuration option or field, nor a variation field; use one of ${[...Object.keys(OPTION_FIELDS), TAU_AXIS, ...known, ...Object.keys(VARIATION_CHECKS), GAP_AXIS].join(", ")}`);
  }
  if (field === "heads") {
    throw new ConfigError(`--param ${name}`, "one head is simulated and heads are identical, so every point would be the same: use gaincell report --heads H");
  }
  const values = m[2].split(",").map((v) => v.trim()).map((v) => {
    if (v === "") throw new ConfigError(`--param ${name}`, `"${m[2]}" has an empty value`);
    if (TIME_AXES.has(name)) {
      if (timeTextPs(v) === undefined) throw new ConfigError(`--param ${name}`, `"${v}" is not a time such as 735ns or 5ms`);
      return v;
    }
    return field === "nonlinearity" ? v : Number(v);
  });
  const bad = values.find((v) => typeof v === "number" && !Number.isFinite(v));
  if (bad !== undefined) throw new ConfigError(`--param ${name}`, `"${m[2]}" holds a value that is not a number`);
  if (new Set(values).size !== values.length) throw new ConfigError(`--param ${name}`, `"${m[2]}" repeats a value`);
  return { name, field, values };
}

/** The field value of axis `a` for a value as given: a time axis's in ps, τ as λ per token. */
function fieldValue(a: SweepAxis, value: number | string): number | string {
  if (!TIME_AXES.has(a.name)) return value;
  const ps = timeTextPs(String(value))!;
  return a.name === TAU_AXIS ? T_TOKEN_PS / ps : ps;
}

/**
 * The cartesian product of `axes` over `base` (and the chip's `variation` and `tokenGapPs`), the first
 * axis varying slowest. Each point is validated: variation axes, other axes' values (phase fields in
 * cycles of the base clock), then the clock axis; a point that fails carries its error instead of a configuration.
 */
export function expandGrid(base: AcceleratorConfig, axes: readonly SweepAxis[], variation: Variation = IDEAL_VARIATION, tokenGapPs = 0): SweepPoint[] {
  const fields = axes.map((a) => a.field);
  const twice = fields.find((f, i) => fields.indexOf(f) !== i);
  if (twice !== undefined) throw new ConfigError(`--param ${twice}`, "is swept twice: give each field one --param");
  let combos: (number | string)[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, v]));
  return combos.map((combo, index) => {
    const values: Record<string, number | string> = {};
    const fieldValues: Record<string, number | string> = {};
    const chipValues: Record<string, number | string> = {};
    let gapPs = tokenGapPs;
    axes.forEach((a, i) => {
      values[a.name] = combo[i];
      const value = fieldValue(a, combo[i]);
      if (isVariationField(a.field)) chipValues[a.field] = value;
      else if (a.field === "tokenGapPs") gapPs = value as number;
      else if (a.name !== CLOCK_AXIS) fieldValues[a.field] = value;
    });
    const label = axes.map((a) => `${a.name}=${values[a.name]}`).join(" ");
    const where = `the sweep point ${label}`;
    let pointVariation = variation;
    try {
      pointVariation = validateVariation({ ...variation, ...chipValues }, where);
      const config = validateAccelerator({ ...base, ...fieldValues }, where);
      const clocked = values[CLOCK_AXIS] === undefined ? config : atClock(config, values[CLOCK_AXIS] as number, where);
      return { index, values, label, config: fitTile(clocked), variation: pointVariation, tokenGapPs: gapPs, error: null };
    } catch (e) {
      if (!(e instanceof GaincellError)) throw e;
      return { index, values, label, config: null, variation: pointVariation, tokenGapPs: gapPs, error: e.message };
    }
  });
}
