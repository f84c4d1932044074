// `gaincell attend`: runs one attention layer cycle-accurately (or the functional reference) over
// Q, K, V, on the ideal chip or a realised one (docs/model.md §7), and writes the digital outputs,
// optional scores, a VCD trace and a GTKWave save file; optionally it compares with the ideal chip.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { runAttention, type AttentionInputs } from "../arch/runAttention.js";
import { checkChip, functionalChip } from "../arch/chip.js";
import { LayerOutputs } from "../arch/layerOutputs.js";
import { runHeadsApart } from "../arch/runHeads.js";
import type { BlockSource } from "../arch/blocks.js";
import { cyclesPerToken, functionalPart, type AcceleratorConfig } from "../arch/config.js";
import { OutputFile } from "../engine/OutputFile.js";
import { SignalSelectionError } from "../errors.js";
import { attendFunctionalHeads } from "../functional/attention.js";
import { openRealisation, writeRealisationTo } from "../realisationFiles.js";
import { BLOCKS_HELP, blocksOption, swappedKinds } from "./blocksOption.js";
import { againstIdealLine, CHIP_HELP, CHIP_OPTIONS, chipFrom, type ChipChoice } from "./chipOptions.js";
import { clampedValues, loadInputs, seededInputs } from "./inputs.js";
import { attentionSaveFile } from "./gtkw.js";
import { writeNpyTo } from "../npy.js";
import { checkNotEmpty, CONFIG_HELP, CONFIG_OPTIONS, configFrom, fieldSource, parseCommand, parseCount, parseTimePs, UsageError } from "./options.js";
import { settleSignals } from "./processEnds.js";
import { Progress } from "./progress.js";
import { checkRunFits, type SizeSources } from "./runSize.js";

const USAGE = `usage: gaincell attend [--q Q.npy --k K.npy --v V.npy] [--out A.npy] [options]

inputs (float32/float64 .npy, C order, shape (T, D) or (T, H, D)); without them a seeded stream:
  --q Q.npy --k K.npy --v V.npy   q in pulse fractions [0, 1], k and v in volts [0, 0.9] (clamped)
  --tokens T  --heads H  --dims D  --seed S    the seeded stream's size (1100, 1, 64) and seed (1)
outputs (each appears whole when the run succeeds, or not at all; a trace also after Ctrl-C):
  --out A.npy            float64 (T, D) or (T, H, D): the digital output per token, before a_o, b_o
  --scores S.npy         stage-1 sums S for every token and slot, (T, M) or (T, H, M), column = slot
  --vcd FILE.vcd         a trace of the run; --signals GLOB[,GLOB] (e.g. "*.seq.*,*.cpc[0].charge_fC")
  --from TIME --to TIME  trace window (2000, 65ns, 1.5us); --trace-tokens N traces the last N tokens
  --gtkw FILE.gtkw       a GTKWave save file for the --vcd trace: controller, a K column, a CPC,
                         a signed CPC and the outputs of head 0 (open it with gtkwave FILE.gtkw)
  --waveforms ramps|steps  the arrays' charges drawn ramping, a vertex at each pulse's fall (ramps),
                         or as one step per phase: a full trace some 10× smaller (docs/library.md)
  --functional           the untimed reference model instead (fast, no trace)
  --against-ideal        also the paper's ideal chip on the same inputs (the functional model, which the
                         cycle-accurate ideal chip equals): RMS error of the outputs, the fraction of
                         output counts changed and the largest change
  --jobs N               heads simulated at once, one per worker thread (the cores available:
                         ${availableParallelism()}); the outputs are the same for any N. A traced run
                         keeps every head in one design, in this thread
${BLOCKS_HELP}${CHIP_HELP}${CONFIG_HELP}`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...CHIP_OPTIONS,
  "against-ideal": { type: "boolean" },
  q: { type: "string" },
  k: { type: "string" },
  v: { type: "string" },
  out: { type: "string" },
  scores: { type: "string" },
  vcd: { type: "string" },
  gtkw: { type: "string" },
  waveforms: { type: "string" },
  signals: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "trace-tokens": { type: "string" },
  functional: { type: "boolean" },
  jobs: { type: "string" },
  blocks: { type: "string" },
  tokens: { type: "string" },
  heads: { type: "string" },
  dims: { type: "string" },
  seed: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseCommand<typeof OPTIONS>>["values"];

/** Options that shape the trace: each needs --vcd. */
const TRACE_OPTIONS = ["signals", "from", "to", "trace-tokens", "gtkw", "waveforms"] as const;
/** Options naming an output file, in the order they are opened. */
const OUTPUT_OPTIONS = ["vcd", "gtkw", "out", "scores"] as const;
/**
 * The outputs named by options, the save file's translate filters beside it (known after the run),
 * and the realisation's files (--realisation-out, docs/model.md §7).
 */
type Outputs = Partial<Record<(typeof OUTPUT_OPTIONS)[number], OutputFile>> & { filters: OutputFile[]; realisation: OutputFile[] };

/** Every output, the trace first. */
function allOf(outputs: Outputs): OutputFile[] {
  return [...OUTPUT_OPTIONS.flatMap((o) => outputs[o] ?? []), ...outputs.filters, ...outputs.realisation];
}

/** What a run produced: A and its counts, the scores when asked, and the summary lines. */
interface Outcome {
  out: Float64Array;
  outCodes: Int32Array;
  scores?: Float64Array;
  summary: string;
}

/** Runs `gaincell attend`; returns the exit code. */
export async function attendCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  checkUsage(values);
  // every output is checked, and its temporary file made, before the inputs are read
  const outputs = openOutputs(values);
  try {
    const { inputs, config, chip } = setUp(values);
    const clamped = clampedValues(inputs, config);
    if (chip.realisation !== undefined && outputs.realisation.length > 0) writeRealisationTo(outputs.realisation, chip.realisation);
    const outcome = values.functional ? functionalRun(values, config, inputs, chip) : await cycleAccurateRun(values, config, inputs, outputs, chip);
    if (outcome === "interrupted") return 130;
    await settleSignals();
    const { T, H, D } = inputs;
    const shape = inputs.threeD ? [T, H, D] : [T, D];
    const comparison = values["against-ideal"] ? againstIdealLine(config, inputs, outcome.outCodes) : "";
    if (outputs.out) writeNpyTo(outputs.out, { shape, data: outcome.out });
    if (outputs.scores && outcome.scores) {
      writeNpyTo(outputs.scores, { shape: inputs.threeD ? [T, H, config.windowM] : [T, config.windowM], data: outcome.scores });
    }
    // all written: they appear together
    for (const output of allOf(outputs)) output.commit();
    const lines = [outcome.summary, ...clamped, chip.description, comparison, values.out ? `wrote ${values.out} (${shape.join(" × ")})` : ""];
    // a summary line in an output written to stdout would corrupt it
    (allOf(outputs).some((o) => o.isStdout) ? process.stderr : process.stdout).write(lines.filter((line) => line !== "").map((line) => `${line}\n`).join(""));
    return 0;
  } finally {
    for (const output of allOf(outputs)) output.abort();
  }
}

/** Option combinations that make no sense, or would be silently ignored, are usage errors (exit 2). */
function checkUsage(values: Values): void {
  checkNotEmpty(values, ["q", "k", "v", "config", "variation", "realisation", "realisation-out", "arrivals", ...OUTPUT_OPTIONS, ...TRACE_OPTIONS], USAGE);
  const files = [values.q, values.k, values.v].filter((f) => f !== undefined);
  if (files.length !== 0 && files.length !== 3) throw new UsageError("give all three of --q, --k and --v, or none", USAGE);
  const streamOptions = (["tokens", "heads", "dims", "seed"] as const).filter((o) => values[o] !== undefined);
  if (files.length === 3 && streamOptions.length > 0) {
    throw new UsageError(`--${streamOptions[0]} sets the seeded stream; with --q, --k and --v the sizes come from the files`, USAGE);
  }
  if (values.functional && values.blocks !== undefined) throw new UsageError("--functional knows the project's blocks only: drop --blocks", USAGE);
  if (values.functional && values.vcd !== undefined) throw new UsageError("--functional runs no trace: drop --vcd and the trace options", USAGE);
  if (values.gtkw !== undefined && values.vcd === undefined) throw new UsageError("--gtkw needs a trace to open: add --vcd FILE.vcd", USAGE);
  if (values.jobs !== undefined && (values.functional || values.vcd !== undefined)) {
    throw new UsageError(`--jobs spreads untraced heads over threads: drop it with ${values.functional ? "--functional" : "--vcd"}`, USAGE);
  }
  const traceOption = TRACE_OPTIONS.find((o) => values[o] !== undefined);
  if (traceOption !== undefined && values.vcd === undefined) throw new UsageError(`--${traceOption} shapes the trace: add --vcd FILE.vcd`, USAGE);
  if (values["trace-tokens"] !== undefined && values.from !== undefined) throw new UsageError("give --from or --trace-tokens, not both", USAGE);
  if (values.waveforms !== undefined && values.waveforms !== "ramps" && values.waveforms !== "steps") {
    throw new UsageError(`--waveforms: "${values.waveforms}" is not ramps or steps`, USAGE);
  }
  const given = OUTPUT_OPTIONS.filter((o) => values[o] !== undefined);
  for (const [i, a] of given.entries()) {
    const b = given.slice(i + 1).find((o) => resolve(values[o]!) === resolve(values[a]!));
    if (b !== undefined) throw new UsageError(`--${a} and --${b} name the same file, ${values[a]}`, USAGE);
  }
}

/** Opens every output named; a failure closes those already opened. */
function openOutputs(values: Values): Outputs {
  const outputs: Outputs = { filters: [], realisation: [] };
  try {
    for (const option of OUTPUT_OPTIONS) {
      const file = values[option];
      if (file !== undefined) outputs[option] = OutputFile.open(file);
    }
    const dir = values["realisation-out"];
    if (dir !== undefined) outputs.realisation = openRealisation(dir, (file) => OutputFile.open(file, { createFolders: true }));
  } catch (e) {
    for (const output of allOf(outputs)) output.abort();
    throw e;
  }
  return outputs;
}

/** Inputs, configuration and chip (docs/model.md §7), checked to fit this machine before the seeded stream is drawn. */
function setUp(values: Values): { inputs: AttentionInputs; config: AcceleratorConfig; chip: ChipChoice } {
  const fits = (config: AcceleratorConfig, T: number, H: number, sources: Omit<SizeSources, "clock">): ChipChoice => {
    const chip = chipFrom(values, config, T, USAGE);
    const arrivals = chip.chip?.arrivalsPs;
    checkRunFits({
      config, builtHeads: values.functional ? 0 : H, tokens: T, heads: H, scores: values.scores !== undefined, traced: values.vcd !== undefined,
      realised: chip.realisation !== undefined, lastArrivalPs: arrivals === undefined || T === 0 ? 0 : arrivals[T - 1],
    }, { ...sources, clock: fieldSource(values, "clockPeriodPs") });
    return chip;
  };
  if (values.q !== undefined) {
    const inputs = loadInputs(values.q, values.k!, values.v!);
    const { T, H, D } = inputs;
    const shape = `${values.q}'s shape (${inputs.threeD ? [T, H, D] : [T, D]})`.replace(/,/g, ", ");
    const config = configFrom(values, { D, heads: H }, USAGE, { D: `${shape}, D = ${D}`, heads: `${shape}, ${H} head(s)` });
    const chip = fits(config, T, H, { design: H > 1 ? shape : fieldSource(values, "windowM"), tokens: shape });
    return { inputs, config, chip };
  }
  const T = parseCount(values.tokens ?? "1100", "--tokens", USAGE);
  const seed = parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1);
  const fixed: { heads?: number; D?: number } = {};
  if (values.heads !== undefined) fixed.heads = parseCount(values.heads, "--heads", USAGE, 1, 1024);
  if (values.dims !== undefined) fixed.D = parseCount(values.dims, "--dims", USAGE, 1, 4096);
  const config = configFrom(values, fixed, USAGE, { D: `--dims ${fixed.D}`, heads: `--heads ${fixed.heads}` });
  const design = config.heads > 1 ? (values.heads !== undefined ? `--heads ${values.heads}` : fieldSource(values, "heads")) : fieldSource(values, "windowM");
  const chip = fits(config, T, config.heads, { design, tokens: `--tokens ${T}` });
  return { inputs: seededInputs(T, config.heads, config.D, seed), config, chip };
}

function functionalRun(values: Values, config: AcceleratorConfig, inputs: AttentionInputs, choice: ChipChoice): Outcome {
  const { T, H, D } = inputs;
  const started = performance.now();
  const wantScores = values.scores !== undefined;
  const chip = choice.chip === undefined ? {} : functionalChip(config, checkChip(config, choice.chip, T), T);
  const r = attendFunctionalHeads(inputs.q, inputs.k, inputs.v, T, H, D, functionalPart(config), { scores: wantScores }, chip);
  const layout = new LayerOutputs(config, T, H, D, wantScores);
  r.heads.forEach((head, h) => layout.placeScores(h, head.scores!));
  return {
    out: r.out,
    outCodes: r.outCodes,
    scores: layout.scores,
    summary: `functional reference: ${T} tokens × ${H} head(s), D ${D}, M ${config.windowM}, ${(performance.now() - started).toFixed(0)} ms wall`,
  };
}

async function cycleAccurateRun(values: Values, config: AcceleratorConfig, inputs: AttentionInputs, outputs: Outputs, choice: ChipChoice): Promise<Outcome | "interrupted"> {
  const { T } = inputs;
  const tokenPs = cyclesPerToken(config) * config.clockPeriodPs;
  const traceTokens = values["trace-tokens"] === undefined ? undefined : parseCount(values["trace-tokens"], "--trace-tokens", USAGE);
  const fromPs = values.from !== undefined ? parseTimePs(values.from, "--from", USAGE)
    : traceTokens !== undefined ? Math.max(0, T - traceTokens) * tokenPs : undefined;
  const toPs = values.to === undefined ? undefined : parseTimePs(values.to, "--to", USAGE);
  if (toPs !== undefined && toPs < (fromPs ?? 0)) throw new UsageError(`--to ${toPs} ps is before the trace's start, ${fromPs ?? 0} ps`, USAGE);
  const started = performance.now();
  const blocks = await blocksOption(values.blocks, USAGE);
  const swapped = blocks === undefined ? [] : [`blocks: ${swappedKinds(values.blocks!, blocks.factories)}`];
  if (outputs.vcd === undefined) return untracedRun(values, config, inputs, choice, started, blocks?.source, swapped);
  const progress = new Progress(T, "tokens");
  let r;
  try {
    r = await runAttention(config, inputs, {
      vcd: outputs.vcd,
      signals: values.signals,
      fromPs,
      toPs,
      waveforms: values.waveforms as "ramps" | "steps" | undefined,
      scores: values.scores !== undefined,
      onProgress: (done) => progress.update(done),
      chip: choice.chip,
      blocks: blocks?.factories,
      traceComment: `gaincell attend: ${choice.description}`,
    });
  } catch (e) {
    // a trace cut short by an error in the run is complete up to it, and kept
    if (outputs.vcd?.isFinished) outputs.vcd.commit();
    if (e instanceof SignalSelectionError) throw new UsageError(`--signals: ${e.message}`, USAGE);
    throw e;
  } finally {
    progress.stop();
  }
  if (outputs.gtkw !== undefined) {
    const view = attentionSaveFile(r.layer, values.signals, {
      dumpFile: values.vcd!,
      saveFile: values.gtkw!,
      startPs: Math.min(fromPs ?? 0, r.simulatedPs),
      endPs: Math.min(toPs ?? r.simulatedPs, r.simulatedPs),
      steps: values.waveforms === "steps",
    });
    for (const filter of view.filters) {
      const file = OutputFile.open(filter.file);
      outputs.filters.push(file);
      file.writeText(filter.text);
    }
    outputs.gtkw.writeText(view.text);
  }
  if (r.interrupted) {
    // the trace and its view are kept: complete up to the stop
    for (const output of [outputs.vcd, outputs.gtkw, ...outputs.filters]) output?.commit();
    process.stderr.write(`gaincell: interrupted after ${r.tokensDone} of ${T} tokens; the trace up to ${r.simulatedPs} ps is complete; no other output written\n`);
    return "interrupted";
  }
  const lines = summaryLines(config, inputs, r, started, "in one design, in this thread (traced)");
  lines.push(...swapped, `trace: ${values.vcd}${values.gtkw ? `, view: gtkwave ${values.gtkw}` : ""}`);
  return { out: r.out, outCodes: r.outCodes, scores: r.scores, summary: lines.join("\n") };
}

// No trace: each head in a design of its own (on the chip's part for it), on `--jobs` worker threads.
async function untracedRun(
  values: Values, config: AcceleratorConfig, inputs: AttentionInputs, choice: ChipChoice, started: number, blocks: BlockSource | undefined, swapped: string[],
): Promise<Outcome | "interrupted"> {
  const jobs = parseCount(values.jobs ?? String(availableParallelism()), "--jobs", USAGE, 1, 256);
  const chip = choice.chip === undefined ? undefined : checkChip(config, choice.chip, inputs.T);
  const progress = new Progress(inputs.T, "tokens");
  let r;
  try {
    r = await runHeadsApart(config, inputs, { jobs, scores: values.scores !== undefined, chip, blocks, onProgress: (done) => progress.update(done) });
  } finally {
    progress.stop();
  }
  if (r.interrupted) {
    process.stderr.write(`gaincell: interrupted after ${r.tokensDone} of ${inputs.T} tokens of every head; nothing written\n`);
    return "interrupted";
  }
  const how = r.threads === 1 ? "one after another, in this thread" : `apart, on ${r.threads} worker threads`;
  return { out: r.out, outCodes: r.outCodes, scores: r.scores, summary: [...summaryLines(config, inputs, r, started, how), ...swapped].join("\n") };
}

// What the run simulated, how fast, and where.
function summaryLines(config: AcceleratorConfig, inputs: AttentionInputs, r: { cycles: number; simulatedPs: number; evaluations: number }, started: number, how: string): string[] {
  const { T, H, D } = inputs;
  const wallS = (performance.now() - started) / 1000;
  return [
    `cycle-accurate run: ${T} tokens × ${H} head(s), D ${D}, M ${config.windowM}, ${r.cycles} control cycles`,
    `simulated ${(r.simulatedPs / 1e6).toFixed(3)} µs (${(r.simulatedPs / T / 1000).toFixed(1)} ns per token) in ${wallS.toFixed(2)} s wall`,
    `${Math.round(r.cycles / wallS).toLocaleString("en")} simulated cycles/s, ${Math.round(T / wallS).toLocaleString("en")} tokens/s, ${r.evaluations.toLocaleString("en")} process evaluations`,
    `heads: ${how}`,
  ];
}
