// The accelerator's configuration: the functional model's fields (docs/model.md §1, §6) plus heads, the
// control clock and the phase schedule of docs/model.md §3, validated with errors that name the field.
import { g, ZERO_POINT_V } from "../laws/deviceLaw.js";
import { outGrid } from "../laws/quantise.js";
import { MAX_TIME_PS } from "../engine/api.js";
import { ConfigError, FileFormatError } from "../errors.js";
import { readJsonFile } from "../jsonFile.js";
import { checkFields, finiteNumber, positiveInteger, type Check } from "../fieldChecks.js";
import { DEFAULT_CONFIG, FUNCTIONAL_CHECKS, type FunctionalConfig } from "../functional/api.js";
import { CLOCK_PERIOD_PS, PHASE_CYCLES } from "../laws/constants.js";

/** Every knob of one attention layer (H heads in parallel). */
export interface AcceleratorConfig extends FunctionalConfig {
  /** Heads run in parallel, each with its own arrays and controller. */
  readonly heads: number;
  /** Control clock period, ps. */
  readonly clockPeriodPs: number;
  /** Phase durations in control-clock cycles (docs/model.md §3). */
  readonly loadCycles: number;
  readonly writeCycles: number;
  readonly precharge1Cycles: number;
  readonly phase1Cycles: number;
  readonly precharge2Cycles: number;
  readonly phase2Cycles: number;
  readonly convertCycles: number;
  readonly accumulateCycles: number;
  /** Output scaling out' = aOut·out + bOut, per head (docs/model.md §1). */
  readonly aOut: number;
  readonly bOut: number;
}

/** The spec's configuration: GPT-2-sized head, 65 ns per token on a 1 GHz control clock. */
export const DEFAULT_ACCELERATOR: AcceleratorConfig = Object.freeze({
  ...DEFAULT_CONFIG,
  heads: 1,
  clockPeriodPs: CLOCK_PERIOD_PS, // docs/model.md §3: 1 GHz control clock
  loadCycles: PHASE_CYCLES.load, // docs/model.md §3 LOAD 2 ns
  writeCycles: PHASE_CYCLES.write, // docs/model.md §3 WRITE 8 ns
  precharge1Cycles: PHASE_CYCLES.precharge1, // docs/model.md §3 PRECHARGE 1 2 ns
  phase1Cycles: PHASE_CYCLES.phase1, // docs/model.md §3 PHASE 1 15 ns = T_max
  precharge2Cycles: PHASE_CYCLES.precharge2, // docs/model.md §3 PRECHARGE 2 2 ns
  phase2Cycles: PHASE_CYCLES.phase2, // docs/model.md §3 PHASE 2 15 ns = T_max
  convertCycles: PHASE_CYCLES.convert, // docs/model.md §3 CONVERT 16 ns: magnitude count 0..16
  accumulateCycles: PHASE_CYCLES.accumulate, // docs/model.md §3 ACCUMULATE 5 ns
  aOut: 1,
  bOut: 0,
});

const anyFinite: Check = finiteNumber(-Infinity, false, "");

const ACCELERATOR_CHECKS: { readonly [K in keyof AcceleratorConfig]: Check } = {
  ...FUNCTIONAL_CHECKS,
  heads: positiveInteger,
  clockPeriodPs: positiveInteger,
  loadCycles: positiveInteger,
  writeCycles: positiveInteger,
  precharge1Cycles: positiveInteger,
  phase1Cycles: positiveInteger,
  precharge2Cycles: positiveInteger,
  phase2Cycles: positiveInteger,
  convertCycles: positiveInteger,
  accumulateCycles: positiveInteger,
  aOut: anyFinite,
  bOut: anyFinite,
};

/** Phase names in schedule order, with the config field holding each one's duration. */
export const PHASES = [
  ["LOAD", "loadCycles"],
  ["WRITE", "writeCycles"],
  ["PRECHARGE1", "precharge1Cycles"],
  ["PHASE1", "phase1Cycles"],
  ["PRECHARGE2", "precharge2Cycles"],
  ["PHASE2", "phase2Cycles"],
  ["CONVERT", "convertCycles"],
  ["ACCUMULATE", "accumulateCycles"],
] as const;

/** Control-clock cycles per token: the sum of the phase durations (65 with the defaults). */
export function cyclesPerToken(c: AcceleratorConfig): number {
  return PHASES.reduce((n, [, field]) => n + c[field], 0);
}

/** The functional model's fields of a configuration (the reference ignores clock and schedule). */
export function functionalPart(c: AcceleratorConfig): FunctionalConfig {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(FUNCTIONAL_CHECKS)) out[field] = c[field as keyof FunctionalConfig];
  return out as unknown as FunctionalConfig;
}

/** Fills `partial` from the defaults and checks every field and the schedule's consistency. */
export function validateAccelerator(partial: unknown = {}, source?: string): AcceleratorConfig {
  const c = checkFields<AcceleratorConfig>(partial, ACCELERATOR_CHECKS, DEFAULT_ACCELERATOR, "config", source);
  const where = source === undefined ? "" : ` (in ${source})`;
  if (!Number.isInteger(c.tMaxPs)) throw new ConfigError("config.tMaxPs", `${c.tMaxPs} is not a whole number of ps${where}`);
  // a pulse of up to T_max must end inside its phase, or it would still drive the array in the next one
  for (const field of ["phase1Cycles", "phase2Cycles"] as const) {
    if (c[field] * c.clockPeriodPs < c.tMaxPs) {
      throw new ConfigError(
        `config.${field}`,
        `${c[field]} cycles × ${c.clockPeriodPs} ps is shorter than T_max = ${c.tMaxPs} ps: a full-scale pulse would not fit${where}`,
      );
    }
  }
  const maxMagnitude = outGrid(c.levelsOut).codeMax; // 16 for 32 levels: the clamp at ±1
  if (c.convertCycles < maxMagnitude) {
    throw new ConfigError(
      "config.convertCycles",
      `${c.convertCycles} cycles cannot count a magnitude of up to ${maxMagnitude} (levelsOut ${c.levelsOut})${where}`,
    );
  }
  checkRepresentable(c, where);
  return c;
}

/** Largest |g(y)| over the stored offsets y ∈ [−0.45, 0.45] V, µA: what one cell read can add to a charge. */
function largestRead(nonlinearity: AcceleratorConfig["nonlinearity"]): number {
  const SAMPLES = 90; // the cubic may peak inside the range; 10 mV steps find its largest value
  let most = 0;
  for (let i = 0; i <= SAMPLES; i++) most = Math.max(most, Math.abs(g(-ZERO_POINT_V + (2 * ZERO_POINT_V * i) / SAMPLES, nonlinearity)));
  return most;
}

/**
 * Values every field check accepts may still make a derived number non-finite or a time
 * unrepresentable: a token's schedule past the engine's exact range, a charge divided by a tiny
 * S_sat, a huge output scaling. Each is named here, before anything runs.
 */
function checkRepresentable(c: AcceleratorConfig, where: string): void {
  const cycles = cyclesPerToken(c);
  if (cycles * c.clockPeriodPs > MAX_TIME_PS) {
    const [field] = PHASES.reduce((a, b) => (c[b[1]] > c[a[1]] ? b : a));
    const culprit = cycles > c.clockPeriodPs ? `config.${PHASES.find(([name]) => name === field)![1]}` : "config.clockPeriodPs";
    throw new ConfigError(culprit, `one token of ${cycles} cycles × ${c.clockPeriodPs} ps is past the simulator's largest exact time, 2^53 − 1 ps${where}`);
  }
  // stage 1 sums D cell reads per column, stage 2 a sub-tile's columns per row (docs/model.md §1);
  // each is divided by S_sat or S_sat/2
  const largestCharge = Math.max(c.D, c.tile) * largestRead(c.nonlinearity);
  if (!Number.isFinite(largestCharge / (c.sSat / 2))) {
    throw new ConfigError("config.sSat", `${c.sSat} is too small: the largest charge, ${largestCharge.toPrecision(3)} µA·T_max, divided by S_sat/2 is not a finite number${where}`);
  }
  const grid = outGrid(c.levelsOut);
  const largestOut = Math.ceil(c.windowM / c.tile) * grid.codeMax * grid.step; // every sub-tile at the clamp
  if (!Number.isFinite(Math.abs(c.aOut) * largestOut)) {
    throw new ConfigError("config.aOut", `${c.aOut} × the largest output, ${largestOut.toPrecision(3)}, is not a finite number${where}`);
  }
  if (!Number.isFinite(Math.abs(c.aOut) * largestOut + Math.abs(c.bOut))) {
    throw new ConfigError("config.bOut", `${c.bOut} added to a_o × the largest output is not a finite number${where}`);
  }
}

/** The fields a configuration JSON file sets, as written (a FileFormatError names a file that is not an object). */
export function readAcceleratorFields(file: string): Record<string, unknown> {
  const parsed = readJsonFile(file);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new FileFormatError(file, "expected a JSON object of configuration fields");
  }
  return parsed as Record<string, unknown>;
}

/** Reads and validates a configuration JSON file; errors name the file and the field. */
export function loadAcceleratorConfig(file: string, overrides: Partial<AcceleratorConfig> = {}): AcceleratorConfig {
  return validateAccelerator({ ...readAcceleratorFields(file), ...overrides }, file);
}
