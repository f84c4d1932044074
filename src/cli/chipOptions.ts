// The command-line options that choose a realised chip (docs/model.md §7), shared by every command that
// runs one: --variation FILE|PRESET, --variation-seed N, --realisation DIR, --realisation-out DIR,
// --retention token|time, --token-gap TIME. Parsed into a ChipSpec; a malformed option is a usage
// error (exit 2), a bad file or field a user error (exit 1) naming it.
import { join } from "node:path";
import type { ParseArgsConfig } from "node:util";
import type { AcceleratorConfig } from "../arch/config.js";
import { chipSeed, IDEAL_CHIP, type ChipSpec } from "../chipSpec.js";
import { drawRealisation } from "../laws/realisation.js";
import { writeRealisation } from "../realisationFiles.js";
import { loadVariation } from "../variationFile.js";
import { parseCount, parseTimePs, UsageError } from "./options.js";

/** The options of a realised chip. */
export const CHIP_OPTIONS = {
  variation: { type: "string" },
  "variation-seed": { type: "string" },
  realisation: { type: "string" },
  "realisation-out": { type: "string" },
  retention: { type: "string" },
  "token-gap": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Help lines for CHIP_OPTIONS. */
export const CHIP_HELP = `the chip (docs/model.md §7; the ideal chip, retention per token, back to back by default):
  --variation FILE|PRESET  σ and p of the chip: a JSON file or a preset (ideal, mild, harsh: illustrative, not data)
  --variation-seed N     seed of the chip's draws and noise (1); chip i of several uses N + i
  --realisation DIR      the chip's static values from .npy files (as --realisation-out writes them); the
                         per-event noise still comes from --variation
  --realisation-out DIR  also write the drawn chip's static values there (.npy, one file per array)
  --retention token|time retention per token (the paper's) or by simulated time (τ = 0.8 µs/λ)
  --token-gap TIME       idle time between tokens (0; 735ns paces them at the paper's 0.8 µs)
`;

/** A chip as chosen on the command line, and where to write its realisation if asked. */
export interface ChipChoice {
  readonly spec: ChipSpec;
  readonly realisationOut?: string;
}

type ChipValues = { [K in keyof typeof CHIP_OPTIONS]?: string };

/** The chip of the command line: the ideal chip unless options say otherwise. */
export function chipFrom(values: ChipValues, usage: string): ChipChoice {
  const retention = values.retention ?? IDEAL_CHIP.retention;
  if (retention !== "token" && retention !== "time") throw new UsageError(`--retention: "${retention}" is not token or time`, usage);
  if (values["variation-seed"] !== undefined && values.variation === undefined) {
    throw new UsageError("--variation-seed seeds the draws of a --variation: give one (a preset or a file), or drop the seed", usage);
  }
  if (values.realisation !== undefined && values["realisation-out"] !== undefined) {
    throw new UsageError("--realisation reads a chip and --realisation-out writes a drawn one: give one of them", usage);
  }
  const loaded = values.variation === undefined ? undefined : loadVariation(values.variation);
  const spec: ChipSpec = {
    variation: loaded?.variation ?? IDEAL_CHIP.variation,
    variationName: values.realisation !== undefined ? `${values.realisation}${loaded ? ` + noise of ${loaded.name}` : ""}` : loaded?.name ?? IDEAL_CHIP.variationName,
    // 1, as gaincell attend's --variation-seed
    variationSeed: values["variation-seed"] === undefined ? 1 : parseCount(values["variation-seed"], "--variation-seed", usage, 0, Number.MAX_SAFE_INTEGER),
    ...(values.realisation === undefined ? {} : { realisationDir: values.realisation }),
    retention,
    tokenGapPs: values["token-gap"] === undefined ? IDEAL_CHIP.tokenGapPs : parseTimePs(values["token-gap"], "--token-gap", usage),
  };
  return values["realisation-out"] === undefined ? { spec } : { spec, realisationOut: values["realisation-out"] };
}

/**
 * Writes the static values of chips 0..chips−1 of `choice` for `config` into its --realisation-out
 * directory (one chip: the directory itself; several: DIR/seed-S for each chip's seed); returns the directories.
 */
export function writeChosenRealisations(choice: ChipChoice, config: AcceleratorConfig, chips: number): string[] {
  const dir = choice.realisationOut;
  if (dir === undefined) return [];
  const shape = { heads: config.heads, windowM: config.windowM, D: config.D, tile: config.tile };
  return Array.from({ length: chips }, (_, i) => {
    const seed = chipSeed(choice.spec, i);
    const target = chips === 1 ? dir : join(dir, `seed-${seed}`);
    writeRealisation(target, drawRealisation(choice.spec.variation, shape, seed));
    return target;
  });
}
