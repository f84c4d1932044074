// The options that make a run's chip a realised one (docs/model.md §7): the variation (a preset or a
// JSON file) and its seed, a realisation read from or written to .npy files, how retention is
// counted and when tokens arrive; the one-line description of the chip for summaries and traces,
// and the line comparing a run's outputs with the ideal chip's.
import type { ParseArgsConfig } from "node:util";
import type { LayerChip } from "../arch/chip.js";
import { functionalPart, type AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { FileFormatError } from "../errors.js";
import { attendFunctionalHeads } from "../functional/attention.js";
import { outGrid } from "../laws/quantise.js";
import type { RetentionMode } from "../laws/nonideal.js";
import { drawRealisation, type Realisation } from "../laws/realisation.js";
import { arrivalsWithGap, checkArrivals, scheduleOf } from "../laws/tokenTiming.js";
import { IDEAL_VARIATION, type Variation } from "../laws/variation.js";
import { readNpy } from "../npy.js";
import { readRealisation } from "../realisationFiles.js";
import { chipDeviation } from "../report/accuracy.js";
import { loadVariation } from "../variationFile.js";
import { parseCount, parseTimePs, UsageError } from "./options.js";

/** Options of the chip that report, review and sweep take too. */
export const VARIATION_OPTIONS = {
  variation: { type: "string" },
  "variation-seed": { type: "string" },
  retention: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Options of the chip of `gaincell attend`: VARIATION_OPTIONS, token timing and realisation files. */
export const CHIP_OPTIONS = {
  ...VARIATION_OPTIONS,
  "token-gap": { type: "string" },
  arrivals: { type: "string" },
  realisation: { type: "string" },
  "realisation-out": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Help lines for VARIATION_OPTIONS. */
export const VARIATION_HELP = `a realised chip (docs/model.md §7; the paper's ideal chip without these):
  --variation PRESET|FILE.json   σ and p of the chip: a preset (ideal, mild, harsh: illustrative
                         assumptions, not data) or your own JSON file of the fields of docs/model.md §7
  --variation-seed N     seed of the chip's draw and of its per-event noise (1)
  --retention token|time retention per token, as the paper (token), or by simulated time (time)
`;

/** Help lines for CHIP_OPTIONS. */
export const CHIP_HELP = `${VARIATION_HELP}  --token-gap TIME       idle time between tokens (e.g. 735ns: one token per 0.8 µs); back to back without
  --arrivals FILE.npy    each token's arrival time in ps, shape (T,), in order (instead of --token-gap)
  --realisation DIR      run on the chip in DIR's .npy files (k_gain … scpc_offset, docs/model.md §7);
                         its noise σ still come from --variation
  --realisation-out DIR  write the chip this run uses into DIR as those .npy files
`;

/** A run's chip as the options give it, with what to call it. */
export interface ChipChoice {
  /** The chip for runAttention (checked there against the configuration); undefined: the ideal chip, back to back. */
  readonly chip: LayerChip | undefined;
  /** Its realisation: drawn, read, or (for --realisation-out alone) the ideal chip's; none for the ideal chip. */
  readonly realisation: Realisation | undefined;
  /** One line naming the chip: preset or file, seed, retention, arrivals. */
  readonly description: string;
}

type ChipValues = { [K in keyof typeof CHIP_OPTIONS]?: string };

/** What to call a variation: a preset by its name, so that outputs read alike on every machine; a file as given. */
export function variationName(name: string, file: string | undefined): string {
  return file === undefined ? "ideal (the paper's)" : name === file ? `variation ${file}` : `preset ${name}`;
}

/** The variation the options name (IDEAL_VARIATION when none), its name, the file it came from and its seed. */
export function variationFrom(values: ChipValues, usage: string): { variation: Variation; name: string; file: string | undefined; seed: number } {
  const seed = parseCount(values["variation-seed"] ?? "1", "--variation-seed", usage, 0, Number.MAX_SAFE_INTEGER);
  if (values.variation === undefined) return { variation: IDEAL_VARIATION, name: "ideal", file: undefined, seed };
  return { ...loadVariation(values.variation), seed };
}

/** Retention mode of --retention (token by default). */
export function retentionFrom(values: ChipValues, usage: string): RetentionMode {
  const r = values.retention ?? "token";
  if (r !== "token" && r !== "time") throw new UsageError(`--retention: "${r}" is not token or time`, usage);
  return r;
}

/**
 * The chip of `values` for a run of T tokens of configuration `c`: drawn from --variation and
 * --variation-seed, or read from --realisation (the caller writes --realisation-out with its outputs).
 */
export function chipFrom(values: ChipValues, c: AcceleratorConfig, T: number, usage: string): ChipChoice {
  if (values["token-gap"] !== undefined && values.arrivals !== undefined) throw new UsageError("give --token-gap or --arrivals, not both", usage);
  const { variation, name, file, seed } = variationFrom(values, usage);
  const retention = retentionFrom(values, usage);
  const shape = { heads: c.heads, windowM: c.windowM, D: c.D, tile: c.tile };
  const named = variationName(name, file);
  let realisation: Realisation | undefined;
  let what: string;
  if (values.realisation !== undefined) {
    realisation = readRealisation(values.realisation, shape);
    what = `realisation read from ${values.realisation}` + (file === undefined ? ", no noise" : `, noise of ${named}`);
  } else {
    realisation = file === undefined && values["realisation-out"] === undefined ? undefined : drawRealisation(variation, shape, seed);
    what = named;
  }
  const arrivalsPs = values.arrivals !== undefined ? arrivalsFile(values.arrivals, T)
    : values["token-gap"] !== undefined ? arrivalsWithGap(scheduleOf(c), T, parseTimePs(values["token-gap"], "--token-gap", usage)) : undefined;
  const timing = values.arrivals !== undefined ? `arrivals from ${values.arrivals}`
    : values["token-gap"] !== undefined ? `${values["token-gap"]} between tokens` : "tokens back to back";
  const seeded = realisation !== undefined || file !== undefined ? `, variation seed ${seed}` : "";
  const description = `chip ${what}${seeded}; retention per ${retention === "token" ? "token" : "simulated time"}; ${timing}`;
  const ideal = realisation === undefined && retention === "token" && arrivalsPs === undefined;
  return { chip: ideal ? undefined : { realisation, noise: variation, noiseSeed: seed, retention, arrivalsPs }, realisation, description };
}

/** Arrival times from a .npy of shape (T,), in ps: whole, ≥ 0, in order; errors name the file and index. */
function arrivalsFile(file: string, T: number): Float64Array {
  const a = readNpy(file);
  if (a.shape.length !== 1) throw new FileFormatError(file, `shape (${a.shape.join(", ")}) is not (T,): one arrival time per token`);
  checkArrivals(a.data, T, file);
  return a.data;
}

/** The --against-ideal line: a run's output counts (T, H, D) against the paper's ideal chip's (the functional model's). */
export function againstIdealLine(config: AcceleratorConfig, inputs: AttentionInputs, outCodes: Int32Array): string {
  const { T, H, D } = inputs;
  const ideal = attendFunctionalHeads(inputs.q, inputs.k, inputs.v, T, H, D, functionalPart(config)).outCodes;
  const step = outGrid(config.levelsOut).step;
  const dev = chipDeviation(outCodes, ideal, step, H, D);
  const where = dev.at === null ? "" : ` at token ${dev.at.token}, head ${dev.at.head}, dim ${dev.at.dim}`;
  return `against the ideal chip (the functional model, docs/model.md §1, which the cycle-accurate ideal chip equals): ` +
    `RMS error ${dev.rmsError.toPrecision(4)} (units of out), ${(100 * dev.changedFraction).toFixed(2)} % of ${(T * H * D).toLocaleString("en")} output counts changed, ` +
    `largest change ${dev.maxChange} count${dev.maxChange === 1 ? "" : "s"} (${(dev.maxChange * step).toPrecision(4)})${where}`;
}
