// `gaincell attend`: runs one attention layer cycle-accurately (or the functional reference) over
// Q, K, V and writes the digital outputs, optional scores, a VCD trace and a GTKWave save file.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { runAttention, type AttentionInputs } from "../arch/runAttention.js";
import { runHeadsApart } from "../arch/runHeads.js";
import { cyclesPerToken, functionalPart, type AcceleratorConfig } from "../arch/config.js";
import { compileGlobs } from "../engine/glob.js";
import { writeGtkwSaveFile } from "../engine/GtkwSaveFile.js";
import { FileFormatError } from "../errors.js";
import { attendFunctionalHeads } from "../functional/attention.js";
import { loadInputs, seededInputs } from "./inputs.js";
import { attentionView } from "./gtkw.js";
import { writeNpy } from "../npy.js";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom, parseCommand, parseCount, parseTimePs, UsageError } from "./options.js";
import { Progress } from "./progress.js";

const USAGE = `usage: gaincell attend [--q Q.npy --k K.npy --v V.npy] [--out A.npy] [options]

inputs (float32/float64 .npy, C order, shape (T, D) or (T, H, D)); without them a seeded stream:
  --q Q.npy --k K.npy --v V.npy   q in pulse fractions [0, 1], k and v in volts [0, 0.9] (clamped)
  --tokens T  --heads H  --dims D  --seed S    the seeded stream's size (1100, 1, 64) and seed (1)
outputs:
  --out A.npy            float64 (T, D) or (T, H, D): the digital output per token, before a_o, b_o
  --scores S.npy         stage-1 sums S for every token and slot, (T, M) or (T, H, M), column = slot
  --vcd FILE.vcd         a trace of the run; --signals GLOB[,GLOB] (e.g. "*.seq.*,*.cpc[0].*")
  --from TIME --to TIME  trace window (2000, 65ns, 1.5us); --trace-tokens N traces the last N tokens
  --gtkw FILE.gtkw       a GTKWave save file for the --vcd trace: controller, a K column, a CPC,
                         a signed CPC and the outputs of head 0 (open it with gtkwave FILE.gtkw)
  --functional           the untimed reference model instead (fast, no trace)
  --jobs N               heads simulated at once, one per worker thread (the cores available:
                         ${availableParallelism()}); the outputs are the same for any N. A traced run
                         keeps every head in one design, in this thread
${CONFIG_HELP}`;

const GTKW_COMMENT = [
  "GTKWave save file for a trace of gaincell attend, written by its --gtkw option (npm start",
  "rewrites it with traces/attention.vcd beside it). Groups: controller (the state by name, from",
  "the translate filter file *.state-names.txt beside this file), the q word lines of rows 0..3,",
  "the bit lines of the K column being written, column 0's charge and its CPC's pulse, row 0's",
  "signed CPC, and the outputs (sums in signed counts; out_d = a_o x step x sum + b_o). The paths",
  "below are placeholders: GTKWave opens the trace and the filter at the same place relative to this file.",
];

const OPTIONS = {
  ...CONFIG_OPTIONS,
  q: { type: "string" },
  k: { type: "string" },
  v: { type: "string" },
  out: { type: "string" },
  scores: { type: "string" },
  vcd: { type: "string" },
  gtkw: { type: "string" },
  signals: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "trace-tokens": { type: "string" },
  functional: { type: "boolean" },
  tokens: { type: "string" },
  heads: { type: "string" },
  dims: { type: "string" },
  seed: { type: "string" },
  jobs: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseCommand<typeof OPTIONS>>["values"];

/** What a run produced: A, the scores when asked, and the summary lines. */
interface Outcome {
  out: Float64Array;
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
  // fail now, not after a long run, when an output cannot be written
  for (const file of [values.out, values.scores, values.gtkw]) if (file !== undefined) checkWritable(file);
  const inputs = readInputs(values);
  const config = configFrom(values, { D: inputs.D, heads: inputs.H }, USAGE);
  const outcome = values.functional ? functionalRun(values, config, inputs) : await cycleAccurateRun(values, config, inputs);
  if (outcome === "interrupted") return 130;
  const { T, H, D } = inputs;
  const shape = inputs.threeD ? [T, H, D] : [T, D];
  if (values.out) writeNpy(values.out, { shape, data: outcome.out });
  if (values.scores && outcome.scores) {
    writeNpy(values.scores, { shape: inputs.threeD ? [T, H, config.windowM] : [T, config.windowM], data: outcome.scores });
  }
  process.stdout.write(`${outcome.summary}\n${values.out ? `wrote ${values.out} (${shape.join(" × ")})\n` : ""}`);
  return 0;
}

/** Option combinations that make no sense are usage errors (exit 2). */
function checkUsage(values: Values): void {
  const files = [values.q, values.k, values.v].filter((f) => f !== undefined);
  if (files.length !== 0 && files.length !== 3) throw new UsageError("give all three of --q, --k and --v, or none", USAGE);
  const streamOptions = (["tokens", "heads", "dims", "seed"] as const).filter((o) => values[o] !== undefined);
  if (files.length === 3 && streamOptions.length > 0) {
    throw new UsageError(`--${streamOptions[0]} sets the seeded stream; with --q, --k and --v the sizes come from the files`, USAGE);
  }
  if (values["trace-tokens"] !== undefined && values.from !== undefined) throw new UsageError("give --from or --trace-tokens, not both", USAGE);
  if (values.functional && (values.vcd || values["trace-tokens"] || values.gtkw)) {
    throw new UsageError("--functional runs no trace: drop --vcd, --gtkw and --trace-tokens", USAGE);
  }
  if (values.gtkw !== undefined && values.vcd === undefined) throw new UsageError("--gtkw needs a trace to open: add --vcd FILE.vcd", USAGE);
  if (values.jobs !== undefined && (values.functional || values.vcd)) {
    throw new UsageError(`--jobs spreads untraced heads over threads: drop it with ${values.functional ? "--functional" : "--vcd"}`, USAGE);
  }
}

function checkWritable(file: string): void {
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) throw new FileFormatError(file, `cannot write: directory ${dirname(file)} does not exist`);
}

/** Q, K, V from the .npy files, or the seeded stream. */
function readInputs(values: Values): AttentionInputs {
  if (values.q !== undefined) return loadInputs(values.q, values.k!, values.v!);
  return seededInputs(
    parseCount(values.tokens ?? "1100", "--tokens", USAGE),
    parseCount(values.heads ?? "1", "--heads", USAGE, 1, 1024),
    parseCount(values.dims ?? "64", "--dims", USAGE, 1, 4096),
    parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1),
  );
}

function functionalRun(values: Values, config: AcceleratorConfig, inputs: AttentionInputs): Outcome {
  const { T, H, D } = inputs;
  const started = performance.now();
  const wantScores = values.scores !== undefined;
  const r = attendFunctionalHeads(inputs.q, inputs.k, inputs.v, T, H, D, functionalPart(config), { scores: wantScores });
  return {
    out: r.out,
    scores: wantScores ? interleaveHeads(r.heads.map((h) => h.scores!), T, config.windowM) : undefined,
    summary: `functional reference: ${T} tokens × ${H} head(s), D ${D}, M ${config.windowM}, ${(performance.now() - started).toFixed(0)} ms wall`,
  };
}

async function cycleAccurateRun(values: Values, config: AcceleratorConfig, inputs: AttentionInputs): Promise<Outcome | "interrupted"> {
  const { T, H, D } = inputs;
  const tokenPs = cyclesPerToken(config) * config.clockPeriodPs;
  const traceTokens = values["trace-tokens"] === undefined ? undefined : parseCount(values["trace-tokens"], "--trace-tokens", USAGE);
  const fromPs = values.from !== undefined ? parseTimePs(values.from, "--from", USAGE)
    : traceTokens !== undefined ? Math.max(0, T - traceTokens) * tokenPs : undefined;
  const toPs = values.to === undefined ? undefined : parseTimePs(values.to, "--to", USAGE);
  if (toPs !== undefined && toPs < (fromPs ?? 0)) throw new UsageError(`--to ${toPs} ps is before the trace's start, ${fromPs ?? 0} ps`, USAGE);
  const started = performance.now();
  if (values.vcd === undefined) return untracedRun(values, config, inputs, started);
  const progress = new Progress(T, "tokens");
  const r = await runAttention(config, inputs, {
    vcd: values.vcd,
    signals: values.signals,
    fromPs,
    toPs,
    scores: values.scores !== undefined,
    onProgress: (done) => progress.update(done),
  });
  progress.stop();
  if (values.gtkw !== undefined) {
    const traced = compileGlobs(values.signals);
    writeGtkwSaveFile(attentionView(r.layer, (s) => traced(s.path)), {
      dumpFile: values.vcd!,
      saveFile: values.gtkw,
      startPs: Math.min(fromPs ?? 0, r.simulatedPs),
      endPs: Math.min(toPs ?? r.simulatedPs, r.simulatedPs),
      comment: GTKW_COMMENT,
      treeOpen: [r.layer.path, r.layer.heads[0].path],
    });
  }
  if (r.interrupted) {
    process.stderr.write(`gaincell: interrupted after ${r.tokensDone} of ${T} tokens; the trace up to ${r.simulatedPs} ps is complete\n`);
    return "interrupted";
  }
  const lines = summaryLines(config, inputs, r, started, "in one design, in this thread (traced)");
  lines.push(`trace: ${values.vcd}${values.gtkw ? `, view: gtkwave ${values.gtkw}` : ""}`);
  return { out: r.out, scores: r.scores, summary: lines.join("\n") };
}

// No trace: each head in a design of its own, on `--jobs` worker threads.
async function untracedRun(values: Values, config: AcceleratorConfig, inputs: AttentionInputs, started: number): Promise<Outcome | "interrupted"> {
  const jobs = parseCount(values.jobs ?? String(availableParallelism()), "--jobs", USAGE, 1, 256);
  const progress = new Progress(inputs.T, "tokens");
  const r = await runHeadsApart(config, inputs, { jobs, scores: values.scores !== undefined, onProgress: (done) => progress.update(done) });
  progress.stop();
  if (r.interrupted) {
    process.stderr.write(`gaincell: interrupted after ${r.tokensDone} of ${inputs.T} tokens of every head; nothing written\n`);
    return "interrupted";
  }
  const how = r.threads === 1 ? "one after another, in this thread" : `apart, on ${r.threads} worker threads`;
  return { out: r.out, scores: r.scores, summary: summaryLines(config, inputs, r, started, how).join("\n") };
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

/** Per-head (T, M) arrays into one (T, H, M) array. */
function interleaveHeads(perHead: Float64Array[], T: number, M: number): Float64Array {
  const H = perHead.length;
  const out = new Float64Array(T * H * M);
  for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) out.set(perHead[h].subarray(t * M, (t + 1) * M), (t * H + h) * M);
  return out;
}
