// `gaincell report`: runs one head cycle-accurately until its window is full and prints the energy,
// latency and area ledger per token (docs/model.md §4) with the platform comparison of docs/model.md §5.
import { checkChip, type CheckedChip } from "../arch/chip.js";
import { readAcceleratorFields, validateAccelerator, type AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { OutputFile } from "../engine/OutputFile.js";
import { FileFormatError } from "../errors.js";
import { formatLedger, FORMATS, type Format } from "../report/format.js";
import { buildLedger, type Ledger } from "../report/ledger.js";
import { drawRealisation } from "../laws/realisation.js";
import { idealAccuracy, idealOutput, realisedAccuracy } from "../report/accuracy.js";
import { fitTile, measureSteadyState, tokensFor } from "../report/measure.js";
import { inputsHash, runProvenance } from "../report/provenance.js";
import { DEFAULT_TECHNOLOGY, loadTechnology, type Technology } from "../report/technology.js";
import type { BlockFactories } from "../arch/blocks.js";
import { BLOCKS_HELP, blocksOption, swappedKinds } from "./blocksOption.js";
import { retentionFrom, VARIATION_HELP, VARIATION_OPTIONS, variationFrom, variationName } from "./chipOptions.js";
import { loadInputs, seededInputs } from "./inputs.js";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom, fieldSource, parseCommand, parseCount, UsageError } from "./options.js";
import { settleSignals } from "./processEnds.js";
import { Progress } from "./progress.js";
import { checkRunFits } from "./runSize.js";

const USAGE = `usage: gaincell report [options]

Runs one head cycle-accurately until its window is full and reports per token in steady state:
latency, energy per head by component, area, the events counted, per layer (heads) and per model
(layers), and the comparison with the GPUs of docs/model.md §5. Heads are identical and run in parallel,
so one head is simulated and multiplied.

  --tech FILE.json       technology: the energy laws' constants and µm² per block (docs/ledger.md)
  --tokens N             tokens measured with the window full, for energy, time and accuracy (64);
                         the seeded stream is M + N + 1 long
  --seed S               the seeded stream's seed (1)
  --q Q.npy --k K.npy --v V.npy   inputs instead of the seeded stream (head 0 of (T, H, D); T ≥ M + 2)
  --heads H              heads per layer (a --config file's heads, else 12: GPT-2 small, docs/model.md §5)
  --layers L             layers per model (12, GPT-2 small)
  --format md|json|csv   output format (md)
  --out FILE             write the report to FILE instead of stdout (whole or not at all)
${VARIATION_HELP}  With a realised chip the head simulated is that chip (one head drawn from the seed), and the
  accuracy section gains its figure beside the ideal chip's (docs/model.md §7).
${BLOCKS_HELP}  With your blocks the head simulated is built from them: the accuracy section gains their
  figure beside the ideal chip's, and blocks that count no ledger events add no energy.
${CONFIG_HELP}`;

/**
 * (ours) Tokens measured by default: the accuracy's spread from seed to seed is 4 to 13 % at 64
 * tokens and falls slowly beyond (docs/ledger.md), while energy and time per token are exact at 1.
 */
export const DEFAULT_MEASURED_TOKENS = 64;

/** Options of report, shared with review. */
export const REPORT_OPTIONS = {
  ...CONFIG_OPTIONS,
  ...VARIATION_OPTIONS,
  tech: { type: "string" },
  tokens: { type: "string" },
  seed: { type: "string" },
  q: { type: "string" },
  k: { type: "string" },
  v: { type: "string" },
  heads: { type: "string" },
  layers: { type: "string" },
  blocks: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const OPTIONS = { ...REPORT_OPTIONS, format: { type: "string" }, out: { type: "string" } } as const;

/** Parsed values of REPORT_OPTIONS. */
export type ReportValues = { [K in keyof typeof REPORT_OPTIONS]?: (typeof REPORT_OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

/** What report and review need to run: configuration, inputs, technology and the scale. */
export interface ReportSetup {
  config: AcceleratorConfig;
  inputs: AttentionInputs;
  tech: Technology;
  heads: number;
  layers: number;
  /** The command line (without node and the script), for the provenance. */
  argv: readonly string[];
  /** A realised chip of one head and what to call it (docs/model.md §7); the ideal chip without. */
  chip?: { checked: CheckedChip; name: string; seed: number };
  /** Blocks swapped for the project's (--blocks, docs/library.md) and what they are called. */
  blocks?: { factories: Partial<BlockFactories>; name: string };
}

/** reportSetup with the blocks of --blocks imported and checked (a wrong module, export or kind named in one line). */
export async function reportSetupWithBlocks(values: ReportValues, usage: string, argv: readonly string[]): Promise<ReportSetup> {
  const setup = reportSetup(values, usage, argv);
  const swapped = await blocksOption(values.blocks, usage);
  return swapped === undefined ? setup : { ...setup, blocks: { factories: swapped.factories, name: `swapped blocks (${swappedKinds(values.blocks!, swapped.factories)})` } };
}

/** The realised chip of --variation, --variation-seed and --retention for one head of `config` over T tokens; none without them. */
function reportChip(values: ReportValues, config: AcceleratorConfig, T: number, usage: string): ReportSetup["chip"] {
  if (values.variation === undefined && values.retention === undefined) return undefined;
  const { variation, name, file, seed } = variationFrom(values, usage);
  const retention = retentionFrom(values, usage);
  const one = { ...config, heads: 1 };
  const realisation = drawRealisation(variation, { heads: 1, windowM: config.windowM, D: config.D, tile: config.tile }, seed);
  const checked = checkChip(one, { realisation, noise: variation, noiseSeed: seed, retention }, T);
  return { checked, name: `realised chip (${variationName(name, file)}, seed ${seed}, retention per ${retention})`, seed };
}

/** Heads per layer: --heads, else the configuration file's heads, else GPT-2 small's 12 (docs/model.md §5). */
function headsPerLayer(values: ReportValues, usage: string): number {
  if (values.heads !== undefined) return parseCount(values.heads, "--heads", usage, 1, 4096);
  const fromFile = values.config === undefined ? undefined : readAcceleratorFields(values.config).heads;
  return fromFile === undefined ? 12 : validateAccelerator({ heads: fromFile }, values.config).heads;
}

/** Builds the configuration, inputs and technology from parsed options; `usage` for usage errors. */
export function reportSetup(values: ReportValues, usage: string, argv: readonly string[]): ReportSetup {
  const files = [values.q, values.k, values.v].filter((f) => f !== undefined);
  if (files.length !== 0 && files.length !== 3) throw new UsageError("give all three of --q, --k and --v, or none", usage);
  if (files.length === 3 && values.tokens !== undefined) throw new UsageError("--tokens sizes the seeded stream: drop it with --q/--k/--v", usage);
  const heads = headsPerLayer(values, usage);
  // --heads and a configuration file's heads must agree: neither is silently dropped
  const fixedHeads = values.heads === undefined ? {} : { heads };
  const layers = parseCount(values.layers ?? "12", "--layers", usage, 1, 4096);
  const tech = values.tech === undefined ? DEFAULT_TECHNOLOGY : loadTechnology(values.tech);
  // one head is built and run (heads are identical, docs/model.md §2)
  const fits = (config: AcceleratorConfig, T: number, H: number, tokens: string) =>
    checkRunFits({ config, builtHeads: 1, tokens: T, heads: H, scores: false, traced: false },
      { design: fieldSource(values, "windowM"), tokens, clock: fieldSource(values, "clockPeriodPs") });
  if (files.length === 3) {
    const inputs = loadInputs(values.q!, values.k!, values.v!);
    const config = fitTile(configFrom(values, { D: inputs.D, ...fixedHeads }, usage, { D: `${values.q}'s D = ${inputs.D}`, heads: `--heads ${heads}` }));
    if (inputs.T < tokensFor(config, 1)) {
      throw new FileFormatError(values.q!, `${inputs.T} tokens cannot show a full window of ${config.windowM}: give at least ${tokensFor(config, 1)}`);
    }
    fits(config, inputs.T, inputs.H, values.q!);
    return { config, inputs, tech, heads, layers, argv, chip: reportChip(values, config, inputs.T, usage) };
  }
  const config = fitTile(configFrom(values, fixedHeads, usage, { heads: `--heads ${heads}` }));
  const measured = parseCount(values.tokens ?? String(DEFAULT_MEASURED_TOKENS), "--tokens", usage, 1, 1_000_000);
  const seed = parseCount(values.seed ?? "1", "--seed", usage, 0, 2 ** 32 - 1);
  // the stream fills the window first, so a large one is what makes it long
  fits(config, tokensFor(config, measured), 1, measured < config.windowM ? fieldSource(values, "windowM") : `--tokens ${measured}`);
  const inputs = seededInputs(tokensFor(config, measured), 1, config.D, seed);
  return { config, inputs, tech, heads, layers, argv, chip: reportChip(values, config, inputs.T, usage) };
}

/** Measures and prices a setup, with a progress bar on a terminal; null when Ctrl-C stopped it. */
export async function runLedger(s: ReportSetup): Promise<Ledger | null> {
  const progress = new Progress(s.inputs.T, "tokens");
  try {
    const m = await measureSteadyState(s.config, s.inputs, { onProgress: (done) => progress.update(done), chip: s.chip?.checked, blocks: s.blocks?.factories });
    if (m.interrupted) return null;
    const range = { from: m.firstMeasured, count: m.measuredTokens };
    // with a realised chip or swapped blocks the run measured them; the ideal chip's output is the functional model's
    const idealOut = s.chip === undefined && s.blocks === undefined ? m.out : idealOutput(s.config, s.inputs);
    const accuracy = [idealAccuracy(s.config, s.inputs, idealOut, range)];
    const measured = [s.blocks?.name, s.chip?.name].filter((n) => n !== undefined).join(" on a ");
    if (measured !== "") accuracy.push(realisedAccuracy(s.config, s.inputs, m.out, idealOut, range, measured));
    const { provenance: _, ...tech } = s.tech;
    const chip = s.chip && { name: s.chip.name, variation: s.chip.checked.noise, seed: s.chip.seed, retention: s.chip.checked.retention };
    const blocks = s.blocks?.name;
    const provenance = runProvenance(s.argv, { config: s.config, tech, inputs: inputsHash(s.inputs), heads: s.heads, layers: s.layers, ...(chip && { chip }), ...(blocks && { blocks }) });
    return buildLedger(s.config, m, s.tech, s.heads, s.layers, { provenance, accuracy });
  } finally {
    progress.stop();
  }
}

/** Runs `gaincell report`; returns the exit code. */
export async function reportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = (values.format ?? "md") as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format: "${values.format}" is not one of ${FORMATS.join(", ")}`, USAGE);
  if (values.out === "") throw new UsageError("--out: the file name is empty", USAGE);
  const setup = await reportSetupWithBlocks(values, USAGE, ["report", ...argv]);
  // the output is checked, and its temporary file made, before the run
  const out = values.out === undefined ? null : OutputFile.open(values.out);
  try {
    const ledger = await runLedger(setup);
    if (ledger === null) {
      process.stderr.write("gaincell: interrupted before the window was full; no report\n");
      return 130;
    }
    const text = formatLedger(ledger, format);
    await settleSignals();
    if (out === null) {
      process.stdout.write(text);
      return 0;
    }
    out.writeText(text);
    out.commit();
    (out.isStdout ? process.stderr : process.stdout).write(`wrote ${values.out}\n`);
    return 0;
  } finally {
    out?.abort();
  }
}
