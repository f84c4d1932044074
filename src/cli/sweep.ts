// `gaincell sweep`: runs the ledger over a grid of configurations (docs/model.md §6's knobs) on the cores
// available, or one shard of it, or writes a Slurm job array for it; `gaincell sweep merge` joins
// shards. Every finished point is recorded at once, so a stopped sweep or shard resumes.
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_ACCELERATOR, type AcceleratorConfig } from "../arch/config.js";
import { causeOf, writeWholeFile } from "../engine/OutputFile.js";
import { ConfigError, FileFormatError } from "../errors.js";
import { ACCURACY_METRIC } from "../report/accuracy.js";
import { tokensFor } from "../report/measure.js";
import { commandLine, runDate, toolVersion, type RunProvenance } from "../report/provenance.js";
import { expandGrid, GAP_AXIS, isVariationField, parseAxis, type SweepAxis, type SweepPoint } from "../report/sweepGrid.js";
import { recallSettingAt } from "../report/sweepRecall.js";
import { recallTokens } from "../recall/stream.js";
import { writeSweep } from "../report/sweepOutput.js";
import { runSweep, workersAvailable, type RunnablePoint } from "../report/sweepRun.js";
import { builtCli, mergeCommand, sbatchScript } from "../report/sweepSlurm.js";
import type { SweepChip } from "../report/sweepPoint.js";
import { collectRecords, parseShard, SweepStore, type RecallSweep, type SweepDefinition } from "../report/sweepStore.js";
import { DEFAULT_TECHNOLOGY, loadTechnology } from "../report/technology.js";
import { retentionFrom, VARIATION_HELP, VARIATION_OPTIONS, variationFrom } from "./chipOptions.js";
import { seededInputs } from "./inputs.js";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom, parseCommand, parseCount, UsageError } from "./options.js";
import { describeInterruption } from "./processEnds.js";
import { RECALL_HELP, RECALL_OPTIONS, recallChipFrom, recallFrom } from "./recallOptions.js";
import { Progress } from "./progress.js";
import { DEFAULT_MEASURED_TOKENS } from "./report.js";
import { checkRunFits } from "./runSize.js";
import { BLOCKS_HELP, blocksOption } from "./blocksOption.js";

const USAGE = `usage: gaincell sweep --param NAME=v1,v2,… [--param …] --out DIR [options]
       gaincell sweep merge DIR… --out DIR

Runs the steady-state ledger of \`gaincell report\` for every point of the grid (the cartesian
product of the --param axes, over the configuration below) and writes DIR/sweep.csv, DIR/sweep.json
and the charts DIR/energy.svg, latency.svg, area.svg (and accuracy.svg with --accuracy; variation.svg,
the error against the ideal chip, on a realised chip). A point
that fails is a row with its error; the others go on. Each finished point is recorded under DIR at
once: run the same command again to resume a stopped sweep.

  --param NAME=v1,v2,…   an axis: an option name (window, tile, dims, levels-q, levels-kv, levels-out,
                         decay, s-sat, nonlinearity, clock-ps), a configuration field (phase1Cycles, …),
                         tau (a time: λ = 0.8 µs/τ per token) or a σ or p of a realised chip (sigmaGain,
                         sigmaOffset, sigmaRet, pStuck, sigmaCpc, sigmaScpc, sigmaWrite, sigmaS, sigmaA,
                         sigmaQ; docs/model.md §7); with --metric recall also token-gap (a time).
                         clock-ps keeps WRITE, PRECHARGE and PHASE 1/2 in ns (rounded up to whole cycles)
                         and LOAD, CONVERT, ACCUMULATE in cycles; the field clockPeriodPs keeps all cycles.
                         Phase fields are cycles of the base clock, before clock-ps.
  --out DIR              where to write (created if missing); sweep.csv, sweep.json and the charts
                         appear together, whole, when every point is done
  --metric ledger|recall what each point measures: the steady-state ledger (the default), or associative
                         recall (docs/recall.md): DIR/sweep.csv with each point's capacity, recall.csv
                         with its accuracy at each distance, recall.svg and capacity.svg
  --accuracy             also the output error against the functional model with 256 levels and λ = 0
                         (RMS of out − out_ref over the measured tokens and dims, in units of A/(S_sat/2))
  --tech FILE.json       technology: the energy laws' constants and µm² per block (docs/ledger.md)
  --tokens N             tokens measured per point with the window full: energy, time, accuracy (${DEFAULT_MEASURED_TOKENS})
  --seed S               the seeded streams' seed (1)
  --jobs N               points run at once, one per worker thread (the cores available: ${availableParallelism()})
  --shard I/N            run only the points p with p mod N = I, into DIR (no charts: merge the shards);
                         auto or auto/N takes I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX and N
                         from SLURM_ARRAY_TASK_COUNT
  --slurm                write DIR/sweep.sbatch, a job array of --shards N tasks (min(points, 32)), and
                         say how to submit and merge it; nothing runs here
${VARIATION_HELP}  A σ or p axis, --variation or --retention makes every point a realised chip (its σ and p those
  of --variation with the axes' values, drawn from --variation-seed) and measures the accuracy: the
  error against the fine reference, and against the ideal chip (rmsErrorVsIdeal, changedFraction,
  maxChange; variation.svg).
${BLOCKS_HELP}  Every point is built from your blocks (imported by every worker thread) and measures the accuracy,
  against the ideal chip too; the blocks (a file's bytes too) are part of the sweep's definition: a resume
  with others, or with the file edited, is refused.
${CONFIG_HELP}
with --metric recall (as gaincell recall's; --seed seeds the keys and values, --variation-seed the chips):
${RECALL_HELP}  --token-gap TIME       idle time between tokens (0; 735ns paces them at the paper's 0.8 µs)
`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...VARIATION_OPTIONS,
  ...RECALL_OPTIONS,
  "token-gap": { type: "string" },
  metric: { type: "string" },
  param: { type: "string", multiple: true },
  out: { type: "string" },
  accuracy: { type: "boolean" },
  tech: { type: "string" },
  tokens: { type: "string" },
  seed: { type: "string" },
  jobs: { type: "string" },
  shard: { type: "string" },
  slurm: { type: "boolean" },
  shards: { type: "string" },
  blocks: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

// Options that say where a sweep writes or how it is split, not what it computes.
const PLACEMENT = new Set(["--out", "--shard", "--jobs", "--shards"]);

/** The sweep's arguments without the placement options (as a shard or the job array runs them). */
export function definingArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [name] = argv[i].split("=", 1);
    if (argv[i] === "--slurm") continue;
    if (PLACEMENT.has(name)) {
      if (!argv[i].includes("=")) i++;
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}

/** The provenance of outputs made from a sweep's records. */
function sweepProvenance(store: SweepStore): RunProvenance {
  return { tool: `gaincell ${toolVersion()}`, command: store.definition.command, configHash: store.hash, date: runDate() };
}

/** Runs `gaincell sweep` or `gaincell sweep merge`; returns the exit code. */
export async function sweepCommand(argv: string[]): Promise<number> {
  if (argv[0] === "merge") return mergeCommandLine(argv.slice(1));
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.param || values.param.length === 0) throw new UsageError("give at least one --param NAME=v1,v2,…", USAGE);
  if (values.out === undefined || values.out === "") throw new UsageError("give --out DIR", USAGE);
  if (values.slurm && values.shard !== undefined) throw new UsageError("--slurm writes a job array whose tasks take their shards: drop --shard", USAGE);
  if (values.shards !== undefined && !values.slurm) throw new UsageError("--shards N sizes the --slurm job array; a single shard is --shard I/N", USAGE);
  const measured = parseCount(values.tokens ?? String(DEFAULT_MEASURED_TOKENS), "--tokens", USAGE, 1, 1_000_000);
  const seed = parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1);
  const jobs = parseCount(values.jobs ?? String(availableParallelism()), "--jobs", USAGE, 1, 256);
  const base = configFrom(values, {}, USAGE);
  const known = Object.keys(DEFAULT_ACCELERATOR) as (keyof typeof DEFAULT_ACCELERATOR)[];
  const axes = values.param.map((p) => parseAxis(p, known));
  const recall = recallSweepFrom(values, axes, seed);
  if (recall !== undefined && values.blocks !== undefined) throw new UsageError("--metric recall measures the project's blocks: drop --blocks", USAGE);
  const blocks = (await blocksOption(values.blocks, USAGE))?.source;
  // the ledger on a realised chip at every point when an axis or an option asks for one (docs/model.md §7)
  const realised = recall === undefined && (axes.some((a) => isVariationField(a.field)) || values.variation !== undefined || values.retention !== undefined);
  const variation = variationFrom(values, USAGE);
  const chip: SweepChip | undefined = realised ? { variation: variation.variation, seed: variation.seed, retention: retentionFrom(values, USAGE) } : undefined;
  const definition: SweepDefinition = {
    command: commandLine(["gaincell", "sweep", ...definingArgs(argv)]),
    base,
    axes,
    technology: values.tech === undefined ? DEFAULT_TECHNOLOGY : loadTechnology(values.tech),
    tokens: measured,
    seed,
    accuracy: values.accuracy === true || realised || blocks !== undefined,
    ...(chip && { chip }),
    ...(recall && { recall }),
    ...(blocks && { blocks }),
  };
  const points = expandGrid(base, definition.axes, recall?.chip.variation ?? chip?.variation, recall?.chip.tokenGapPs);
  if (values.slurm) return writeSlurm(values.out, points.length, values.shards, argv);
  const shard = values.shard === undefined ? { index: 0, count: 1 } : parseShard(values.shard);
  const store = SweepStore.create(values.out, definition);
  // worker threads leave the signal to the process: whichever way it stops, it says what is kept
  const interrupted = () => `sweep interrupted; ${store.done().size} points are recorded in ${values.out}: run the same command to resume`;
  describeInterruption(interrupted);
  const mine = points.filter((p) => p.index % shard.count === shard.index);
  const done = store.done();
  const doneBefore = mine.filter((p) => done.has(p.index)).length;
  // tokens of one run of a point: the ledger's stream, or one recall chip's (its chips run one after another)
  const runTokens = (index: number, config: AcceleratorConfig) => {
    if (recall === undefined) return tokensFor(config, measured);
    const s = recallSettingAt(recall, points[index]);
    return recallTokens(s.config, s.plan);
  };
  const todo: RunnablePoint[] = [];
  for (const p of mine) {
    if (done.has(p.index)) continue;
    // a point that cannot run (an invalid configuration, or one too large for this machine) is a row with its error
    const error = p.config === null ? p.error! : tooLarge(p.config, runTokens(p.index, p.config), recall?.cycleAccurate === false ? 0 : 1, p.label);
    if (error !== undefined) store.record(p.index, p.label, { error });
    else todo.push({ index: p.index, config: p.config! });
  }
  const totalTokens = todo.reduce((n, p) => n + (recall?.chips ?? 1) * runTokens(p.index, p.config), 0);
  const progress = new Progress(totalTokens, "tokens");
  const started = performance.now();
  let complete: boolean;
  try {
    complete = await runSweep(todo, {
      workFor: (p) => recall === undefined
        ? { kind: "ledger", config: p.config, inputs: seededInputs(tokensFor(p.config, measured), 1, p.config.D, seed), accuracy: definition.accuracy,
          chip: chip && { ...chip, variation: points[p.index].variation }, blocks }
        : { kind: "recall", setting: recallSettingAt(recall, points[p.index]), chips: Array.from({ length: recall.chips }, (_, i) => i) },
      jobs,
      onProgress: (n) => progress.update(n),
      onOutcome: (p, outcome) => store.record(p.index, points[p.index].label, outcome),
    });
  } finally {
    progress.stop();
  }
  if (!complete) {
    process.stderr.write(`gaincell: ${interrupted()}\n`);
    return 130;
  }
  const failed = mine.filter((p) => store.read(p.index).outcome.error !== undefined).length;
  const wallS = (performance.now() - started) / 1000;
  const how = workersAvailable() && jobs > 1 && todo.length > 1 ? `${Math.min(jobs, todo.length)} worker threads` : "one thread";
  const summary = `${mine.length} points (${doneBefore} done before), ${totalTokens.toLocaleString("en")} tokens simulated on ${how} in ${wallS.toFixed(1)} s` +
    (failed > 0 ? `; ${failed} failed (their error is in the CSV)` : "") + "\n";
  if (shard.count > 1) {
    process.stdout.write(`shard ${shard.index}/${shard.count}: ${summary}merge the shards with: gaincell sweep merge DIR… --out DIR\n`);
    return 0;
  }
  const files = await writeSweep(values.out, definition, points, collectRecords([store], points.map((p) => p.label)), sweepProvenance(store));
  process.stdout.write(summary + (definition.accuracy ? `accuracy: ${ACCURACY_METRIC}\n` : "") + files.map((f) => `wrote ${f}\n`).join(""));
  return 0;
}

/** Why a point's run of `tokens` tokens cannot run on this machine (ConfigError's message naming the limit), or undefined. */
function tooLarge(config: AcceleratorConfig, tokens: number, builtHeads: number, label: string): string | undefined {
  const where = `the sweep point ${label}`;
  try {
    checkRunFits({ config, builtHeads, tokens, heads: 1, scores: false, traced: false }, { design: where, tokens: where, clock: where });
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return undefined;
}

/**
 * The recall workload of `--metric recall`, or undefined for the ledger; options that belong to the
 * other metric are usage errors, not ignored.
 */
function recallSweepFrom(values: Values, axes: readonly SweepAxis[], seed: number): RecallSweep | undefined {
  const metric = values.metric ?? "ledger";
  if (metric !== "ledger" && metric !== "recall") throw new UsageError(`--metric: "${metric}" is not ledger or recall`, USAGE);
  const given = (options: readonly string[]) => options.filter((o) => values[o as keyof Values] !== undefined).map((o) => `--${o}`);
  if (metric === "ledger") {
    const recallOnly = given([...Object.keys(RECALL_OPTIONS), "token-gap"]);
    if (recallOnly.length > 0) throw new UsageError(`${recallOnly[0]} belongs to --metric recall`, USAGE);
    const gap = axes.find((a) => a.name === GAP_AXIS);
    if (gap !== undefined) throw new UsageError(`--param ${gap.name} paces a recall stream: add --metric recall (the ledger's tokens run back to back)`, USAGE);
    return undefined;
  }
  const ledgerOnly = given(["accuracy", "tech", "tokens"]);
  if (ledgerOnly.length > 0) throw new UsageError(`${ledgerOnly[0]} belongs to the ledger, not to --metric recall`, USAGE);
  return recallFrom(values, recallChipFrom(values, USAGE), seed, USAGE);
}

type Values = ReturnType<typeof parseCommand<typeof OPTIONS>>["values"];

/** Writes DIR/sweep.sbatch and DIR/logs/, and says how to submit and merge. */
function writeSlurm(dir: string, points: number, shardsText: string | undefined, argv: readonly string[]): number {
  const shards = parseCount(shardsText ?? String(Math.min(points, 32)), "--shards", USAGE, 1, Math.max(1, points));
  const abs = resolve(dir);
  const job = { dir: abs, shards, args: definingArgs(argv), cwd: process.cwd(), node: process.execPath, cli: builtCli() };
  const file = join(abs, "sweep.sbatch");
  writeWholeFile(file, sbatchScript(job), { createFolders: true, mode: 0o755 });
  try {
    mkdirSync(join(abs, "logs"), { recursive: true });
  } catch (e) {
    throw new FileFormatError(join(abs, "logs"), `cannot create the folder: ${causeOf(e)}`);
  }
  process.stdout.write(
    `wrote ${file}: a job array of ${shards} tasks over ${points} points. Submit it and merge in a dependent job:\n` +
      `  jobid=$(sbatch --parsable ${file})\n` +
      `  sbatch --dependency=afterok:$jobid --output=${join(abs, "logs")}/merge.out --wrap "${mergeCommand(job).replace(/(["$`\\])/g, "\\$1")}"\n` +
      `or, once the array has finished: ${mergeCommand(job)}\n`,
  );
  return 0;
}

/** `gaincell sweep merge DIR… --out DIR`. */
async function mergeCommandLine(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { out: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`sweep merge: ${(e as Error).message}`, USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("sweep merge: give the shards' folders (DIR…)", USAGE);
  if (values.out === undefined) throw new UsageError("sweep merge: give --out DIR", USAGE);
  const stores = positionals.map((d) => SweepStore.open(d));
  const first = stores[0];
  const d = first.definition;
  const points: SweepPoint[] = expandGrid(d.base, d.axes, d.recall?.chip.variation ?? d.chip?.variation, d.recall?.chip.tokenGapPs);
  const records = collectRecords(stores, points.map((p) => p.label));
  const files = await writeSweep(values.out, first.definition, points, records, sweepProvenance(first));
  process.stdout.write(`merged ${points.length} points from ${stores.length} folders\n` + files.map((f) => `wrote ${f}\n`).join(""));
  return 0;
}
