// The options of an associative-recall workload (docs/recall.md), shared by `gaincell recall` and
// `gaincell sweep --metric recall`: which distances, how many queries and probes, the keys' weight
// and overlap, the value levels, the capacity threshold, how many chips and which model; and the
// chip options (src/cli/chipOptions.ts) read into the plain ChipSpec a worker thread can be sent.
import type { ParseArgsConfig } from "node:util";
import { IDEAL_CHIP, type ChipSpec } from "../chipSpec.js";
import { isIdealVariation } from "../laws/variation.js";
import type { RecallSweep } from "../report/sweepStore.js";
import { retentionFrom, variationFrom, type CHIP_OPTIONS } from "./chipOptions.js";
import { parseCount, parseTimePs, UsageError } from "./options.js";

/** The recall options (the workload's seed is the command's --seed). */
export const RECALL_OPTIONS = {
  distances: { type: "string" },
  queries: { type: "string" },
  probes: { type: "string" },
  "key-weight": { type: "string" },
  "max-overlap": { type: "string" },
  "value-levels": { type: "string" },
  threshold: { type: "string" },
  chips: { type: "string" },
  "cycle-accurate": { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

/** Help lines for RECALL_OPTIONS. */
export const RECALL_HELP = `the recall workload (docs/recall.md):
  --distances LIST       distances in tokens from a stored pair to its query: N or A-B (every one from A to B),
                         comma-separated (powers of 2 below the window M, then M − 1, M and 2M)
  --queries N            queries per distance (32)          --probes N   queries matching nothing: the zero point (32; 0: decode against 0)
  --key-weight N         ones per key (the fewest that saturate a match: 8 at S_sat 80)
  --max-overlap N        most ones two keys near each other share (the most that keep a mismatch's S ≤ 0: 4)
  --value-levels N       levels per value dimension, spread over the DAC codes (2: 0 V and 0.9 V)
  --threshold X          bit accuracy that counts towards the capacity (0.99)
  --chips N              chips of the --variation, seeds S, S + 1, … (1)
  --cycle-accurate       run the streams cycle by cycle instead of the functional model (the same numbers, slower)
`;

/** (ours) Largest distance accepted: a stream is that many tokens long at least. */
const MAX_DISTANCE = 1_000_000;

type RecallValues = { [K in keyof typeof RECALL_OPTIONS]?: (typeof RECALL_OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

/** Parses `--distances`: whole numbers and A-B ranges, comma-separated; returned ascending without repeats. */
export function parseDistances(text: string, usage: string): number[] {
  const found = new Set<number>();
  for (const item of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!m || from < 1 || to < from || to > MAX_DISTANCE) {
      throw new UsageError(`--distances: "${item.trim()}" is not a distance in 1..${MAX_DISTANCE} or a range A-B of them (e.g. 1,2,4 or 1-127)`, usage);
    }
    for (let n = from; n <= to; n++) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

type ChipValues = { [K in keyof typeof CHIP_OPTIONS]?: string };

/**
 * The chip of the command line as a ChipSpec (chipOptions.ts's options and defaults). Arrival times
 * from a file are refused: a recall stream's length is the workload's, paced by --token-gap.
 */
export function recallChipFrom(values: ChipValues, usage: string): ChipSpec {
  if (values.arrivals !== undefined) throw new UsageError("--arrivals: a recall stream's length is set by its distances and queries; pace it with --token-gap", usage);
  const { variation, name, seed } = variationFrom(values, usage);
  return {
    variation,
    variationName: values.realisation !== undefined ? `${values.realisation}${values.variation === undefined ? "" : ` + noise of ${name}`}` : name,
    variationSeed: seed,
    ...(values.realisation === undefined ? {} : { realisationDir: values.realisation }),
    retention: retentionFrom(values, usage),
    tokenGapPs: values["token-gap"] === undefined ? IDEAL_CHIP.tokenGapPs : parseTimePs(values["token-gap"], "--token-gap", usage),
  };
}

/** The threshold: a fraction in (0, 1]. */
function parseThreshold(text: string, usage: string): number {
  const x = Number(text);
  if (text.trim() === "" || !(x > 0 && x <= 1)) throw new UsageError(`--threshold: "${text}" is not a fraction in (0, 1] (e.g. 0.99)`, usage);
  return x;
}

/** The recall workload of the command line over `chip`; `seed` is the command's --seed. */
export function recallFrom(values: RecallValues, chip: ChipSpec, seed: number, usage: string): RecallSweep {
  const count = (option: keyof RecallValues, min: number, fallback: number | null, max = 1_000_000) => {
    const text = values[option];
    return typeof text === "string" ? parseCount(text, `--${option}`, usage, min, max) : fallback;
  };
  const chips = count("chips", 1, 1, 10_000)!;
  const cycleAccurate = values["cycle-accurate"] === true;
  if (chips > 1 && chip.realisationDir !== undefined) throw new UsageError("--chips: --realisation reads one chip; draw several from a --variation instead", usage);
  if (chips > 1 && isIdealVariation(chip.variation)) throw new UsageError("--chips: the ideal chip has no variation, so every chip would be the same: give a --variation", usage);
  return {
    plan: {
      distances: values.distances === undefined ? null : parseDistances(values.distances, usage),
      queriesPerDistance: count("queries", 1, 32)!,
      probes: count("probes", 0, 32)!,
      keyWeight: count("key-weight", 1, null),
      maxOverlap: count("max-overlap", 0, null),
      valueLevels: count("value-levels", 2, 2, 256)!,
      threshold: values.threshold === undefined ? 0.99 : parseThreshold(values.threshold, usage),
      seed,
    },
    chip,
    chips,
    cycleAccurate,
  };
}
