// Shared command-line option handling: the configuration options every command takes, times with
// units, and usage errors (exit 2) kept apart from user errors (exit 1).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { atClock } from "../arch/clockAxis.js";
import { DEFAULT_ACCELERATOR, readAcceleratorFields, validateAccelerator, type AcceleratorConfig } from "../arch/config.js";
import { ConfigError } from "../errors.js";
import { timeTextPs } from "../timeText.js";

/** A malformed command line; the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
  }
}

/** Options that set configuration fields, shared by attend, report and sweep. */
export const CONFIG_OPTIONS = {
  config: { type: "string" },
  window: { type: "string" },
  tile: { type: "string" },
  "levels-q": { type: "string" },
  "levels-kv": { type: "string" },
  "levels-out": { type: "string" },
  decay: { type: "string" },
  "s-sat": { type: "string" },
  nonlinearity: { type: "string" },
  "clock-ps": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Help lines for CONFIG_OPTIONS. */
export const CONFIG_HELP = `configuration (defaults from the spec; a JSON file first, then these override it):
  --config FILE.json     any AcceleratorConfig fields, e.g. {"windowM": 512, "phase1Cycles": 15}
  --window M             slots per head (1024)          --tile N          columns per sub-tile (64; M if less)
  --levels-q N           q PWM levels (16)               --levels-kv N     K/V DAC levels (8)
  --levels-out N         signed-CPC output levels (32)   --decay λ         retention per token (1.6e-4; 0 = off)
  --s-sat S              CPC saturation (80)             --nonlinearity cubic|linear
  --clock-ps P           control clock period in ps (1000); WRITE, PRECHARGE and PHASE 1/2 keep their ns
                         (rounded up to whole cycles), LOAD, CONVERT and ACCUMULATE their cycles
`;

/** Option name → config field, for the numeric ones. */
const NUMERIC_FIELDS: Record<string, keyof AcceleratorConfig> = {
  window: "windowM",
  tile: "tile",
  "levels-q": "levelsQ",
  "levels-kv": "levelsKv",
  "levels-out": "levelsOut",
  decay: "lambdaPerToken",
  "s-sat": "sSat",
};

/** What parseCommand returns for `options` (named, so that declarations can be emitted). */
export type ParsedCommand<O extends ParseArgsConfig["options"]> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: false; strict: true }>>;

/** Parses argv against `options`, turning parse failures into UsageErrors. */
export function parseCommand<O extends ParseArgsConfig["options"]>(argv: string[], options: O, usage: string): ParsedCommand<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message, usage);
  }
}

/**
 * Builds the configuration from --config and the per-field options. `fixed` holds the fields the
 * inputs decide (D and heads from the .npy files' shape, or --dims and --heads), each described in
 * `fixedBy`; a --config file that sets one of them to another value is an error naming both.
 */
export function configFrom(
  values: Record<string, unknown>,
  fixed: Partial<AcceleratorConfig>,
  usage: string,
  fixedBy: Partial<Record<keyof AcceleratorConfig, string>> = {},
): AcceleratorConfig {
  const fields: Record<string, unknown> = {};
  for (const [option, field] of Object.entries(NUMERIC_FIELDS)) {
    const raw = values[option];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (String(raw).trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${option}: "${String(raw)}" is not a number`, usage);
    fields[field] = n;
  }
  if (values.nonlinearity !== undefined) fields.nonlinearity = values.nonlinearity;
  const file = typeof values.config === "string" ? values.config : undefined;
  const fromFile = file === undefined ? {} : readAcceleratorFields(file);
  for (const [field, value] of Object.entries(fixed)) {
    if (field in fromFile && fromFile[field] !== value) {
      const by = fixedBy[field as keyof AcceleratorConfig] ?? `the inputs' ${value}`;
      throw new ConfigError(`config.${field}`, `${JSON.stringify(fromFile[field])} (in ${file}) disagrees with ${by}`);
    }
  }
  const load = (overrides: Record<string, unknown>) => validateAccelerator({ ...fromFile, ...overrides }, file ?? "the command line");
  const overrides = { ...fields, ...fixed };
  let c = load(overrides);
  // a window smaller than the default 64-column sub-tile is one sub-tile of M columns, unless --tile says otherwise
  if (c.tile > c.windowM && values.tile === undefined && c.tile === DEFAULT_ACCELERATOR.tile) {
    c = load({ ...overrides, tile: c.windowM });
  }
  if (values["clock-ps"] !== undefined) {
    const raw = String(values["clock-ps"]);
    const clockPs = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(clockPs)) throw new UsageError(`--clock-ps: "${raw}" is not a number`, usage);
    c = atClock(c, clockPs, "the command line");
  }
  if (c.tile > c.windowM) {
    throw new ConfigError("config.tile", `${c.tile} columns per sub-tile is more than the window's ${c.windowM} slots (windowM); use --tile ${c.windowM} or less`);
  }
  return c;
}

/** Where a configuration field's value came from, for messages: `--window 4096`, `config.windowM (in c.json)` or `config.windowM`. */
export function fieldSource(values: Record<string, unknown>, field: keyof AcceleratorConfig): string {
  const options: Record<string, keyof AcceleratorConfig> = { ...NUMERIC_FIELDS, "clock-ps": "clockPeriodPs" };
  const option = Object.keys(options).find((o) => options[o] === field);
  if (option !== undefined && values[option] !== undefined) return `--${option} ${String(values[option])}`;
  return `config.${field}${typeof values.config === "string" ? ` (in ${values.config})` : ""}`;
}

/** Refuses an option given as an empty string (`--out ''`): a file name, a glob, a time must say something. */
export function checkNotEmpty(values: Record<string, unknown>, options: readonly string[], usage: string): void {
  for (const option of options) {
    if (values[option] === "") throw new UsageError(`--${option}: the value is empty`, usage);
  }
}

/** Parses a time such as `65ns`, `1.5us` or `2000` (ps) into integer picoseconds. */
export function parseTimePs(text: string, option: string, usage: string): number {
  const ps = timeTextPs(text);
  if (ps === undefined) throw new UsageError(`${option}: "${text}" is not a time such as 2000, 65ns or 1.5us`, usage);
  return ps;
}

/** Parses a whole number option within [min, max]. */
export function parseCount(text: string, option: string, usage: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${option}: "${text}" is not a whole number in ${min}..${max}`, usage);
  }
  return n;
}
