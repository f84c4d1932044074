// `gaincell attend`: runs one attention layer cycle-accurately (or the functional reference) over
// Q, K, V and writes the digital outputs, optional scores and a VCD trace.
import { runAttention, type AttentionInputs } from "../arch/runAttention.js";
import { cyclesPerToken, functionalPart } from "../arch/config.js";
import { compileGlobs } from "../arch/glob.js";
import { writeGtkwSaveFile } from "../arch/GtkwSaveFile.js";
import { attendFunctionalHeads } from "../functional/attention.js";
import { loadInputs, seededInputs } from "./inputs.js";
import { attentionView } from "./gtkw.js";
import { writeNpy } from "./npy.js";
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
${CONFIG_HELP}`;

const GTKW_COMMENT = [
  "GTKWave save file for a trace of gaincell attend, written by its --gtkw option (npm start",
  "rewrites it with traces/attention.vcd beside it). Groups: controller (state 1 LOAD .. 8",
  "ACCUMULATE), the bit lines of the K column being written, column 0's charge and its CPC's",
  "pulse, row 0's signed CPC, and the outputs (sums in signed counts; out_d = a_o x step x sum + b_o).",
  "The paths below are placeholders: GTKWave opens the trace at the same place relative to this file.",
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
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `gaincell attend`; returns the exit code. */
export async function attendCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const files = [values.q, values.k, values.v].filter((f) => f !== undefined);
  if (files.length !== 0 && files.length !== 3) throw new UsageError("give all three of --q, --k and --v, or none", USAGE);
  if (values.functional && (values.vcd || values["trace-tokens"] || values.gtkw)) {
    throw new UsageError("--functional runs no trace: drop --vcd, --gtkw and --trace-tokens", USAGE);
  }
  if (values.gtkw !== undefined && values.vcd === undefined) throw new UsageError("--gtkw needs a trace to open: add --vcd FILE.vcd", USAGE);
  const inputs: AttentionInputs = files.length === 3
    ? loadInputs(values.q!, values.k!, values.v!)
    : seededInputs(
        parseCount(values.tokens ?? "1100", "--tokens", USAGE),
        parseCount(values.heads ?? "1", "--heads", USAGE, 1, 1024),
        parseCount(values.dims ?? "64", "--dims", USAGE, 1, 4096),
        parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1),
      );
  const config = configFrom(values, { D: inputs.D, heads: inputs.H }, USAGE);
  const { T, H, D } = inputs;
  const shape3 = inputs.threeD;
  const started = performance.now();

  let out: Float64Array;
  let scores: Float64Array | undefined;
  let summary: string;
  if (values.functional) {
    const r = attendFunctionalHeads(inputs.q, inputs.k, inputs.v, T, H, D, functionalPart(config), { scores: values.scores !== undefined });
    out = r.out;
    if (values.scores !== undefined) scores = interleaveHeads(r.heads.map((h) => h.scores!), T, config.windowM);
    summary = `functional reference: ${T} tokens × ${H} head(s), D ${D}, M ${config.windowM}, ${ms(started)} wall`;
  } else {
    const tokenPs = cyclesPerToken(config) * config.clockPeriodPs;
    const traceTokens = values["trace-tokens"] === undefined ? undefined : parseCount(values["trace-tokens"], "--trace-tokens", USAGE);
    const fromPs = values.from !== undefined ? parseTimePs(values.from, "--from", USAGE)
      : traceTokens !== undefined ? Math.max(0, T - traceTokens) * tokenPs : undefined;
    const progress = new Progress(T, "tokens");
    const toPs = values.to === undefined ? undefined : parseTimePs(values.to, "--to", USAGE);
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
      });
    }
    if (r.interrupted) {
      process.stderr.write(`gaincell: interrupted after ${r.tokensDone} of ${T} tokens; the trace up to ${r.simulatedPs} ps is complete\n`);
      return 130;
    }
    out = r.out;
    scores = r.scores;
    const wallS = (performance.now() - started) / 1000;
    summary = [
      `cycle-accurate run: ${T} tokens × ${H} head(s), D ${D}, M ${config.windowM}, ${r.cycles} control cycles`,
      `simulated ${(r.simulatedPs / 1e6).toFixed(3)} µs (${(r.simulatedPs / T / 1000).toFixed(1)} ns per token) in ${wallS.toFixed(2)} s wall`,
      `${Math.round(r.cycles / wallS).toLocaleString("en")} simulated cycles/s, ${Math.round(T / wallS).toLocaleString("en")} tokens/s, ${r.evaluations.toLocaleString("en")} process evaluations`,
      values.vcd ? `trace: ${values.vcd}${values.gtkw ? `, view: gtkwave ${values.gtkw}` : ""}` : "",
    ].filter((s) => s !== "").join("\n");
  }
  const shape = shape3 ? [T, H, D] : [T, D];
  if (values.out) writeNpy(values.out, { shape, data: out });
  if (values.scores && scores) writeNpy(values.scores, { shape: shape3 ? [T, H, config.windowM] : [T, config.windowM], data: scores });
  process.stdout.write(`${summary}\n${values.out ? `wrote ${values.out} (${shape.join(" × ")})\n` : ""}`);
  return 0;
}

/** Per-head (T, M) arrays into one (T, H, M) array. */
function interleaveHeads(perHead: Float64Array[], T: number, M: number): Float64Array {
  const H = perHead.length;
  const out = new Float64Array(T * H * M);
  for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) out.set(perHead[h].subarray(t * M, (t + 1) * M), (t * H + h) * M);
  return out;
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(0)} ms`;
}
