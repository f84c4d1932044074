// `npm run bench [-- --quick] [-- --anchors] [-- --pwm64] [-- --layer] [-- --attention] [-- --realised] [-- --stack]`:
// pwm64 cycles per second with and without a trace (its processes as closures, and described:
// compiled into the schedule), and the bare scheduler's events per second, on
// the compiled back end and the interpreted reference, each also as a ratio to a plain-TypeScript
// baseline run in this process; with --anchors, Icarus and Verilator on pwm64.v and ratios to
// Icarus. Then one attention head's tokens per second, cycle-accurate on both back ends and with a
// trace, against the functional reference; --layer adds 12 heads over 1,024 tokens on one thread
// (slow); --attention runs the attention cases only. Last, a realised chip's cost per token against
// the ideal chip's (docs/model.md §7); --realised runs those cases only. --stack runs only GPT-2
// small's 144 heads; --pwm64 runs only the pwm64 and scheduler cases (with --anchors, and the anchors).
import { benchmark, FORMAT_DEFAULT, type BenchmarkResult } from "@thi.ng/bench";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ATTENTION_FULL, ATTENTION_QUICK, attentionTable, attentionTargets, headFigures, layerFigures } from "./attention.js";
import { STACK_FULL, STACK_QUICK, stackFigures, stackReport } from "./stack.js";
import type { Backend } from "../src/engine/api.js";
import { REALISED_FULL, REALISED_QUICK, realisedFigures, realisedTable, realisedTarget } from "./realised.js";
import { checked, runPwm64 } from "./pwm64/bench.js";
import { plainPwm64 } from "./pwm64/plain.js";
import { InverterChain, plainToggleBank, ToggleBank } from "./scheduler/designs.js";
import { Simulator } from "../src/engine/Simulator.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// The anchors' cycle counts (bench/RESULTS.md): our figures use the same, so per-run costs weigh alike.
const FULL = { cycles: 200_000, tracedCycles: 50_000, iter: 5, registers: 1024, stages: 256, edges: 2000 };
const QUICK = { cycles: 20_000, tracedCycles: 5_000, iter: 2, registers: 256, stages: 64, edges: 200 };

/** One measured figure: a rate, its unit, and the baseline it is compared with (itself if none). */
interface Figure {
  title: string;
  rate: number;
  unit: string;
  baseline?: string;
}

// Each call builds a new design: the second one in a process compiles the generated schedule again
// (bench/RESULTS.md run 14), so two warm-up calls, and the rate of the median call, as the attention
// cases time theirs (a long simulation pays the warm-up once).
const WARM_UP_CALLS = 2;

function measure(title: string, unit: string, perCall: number, iter: number, fn: () => void, baseline?: string): Figure {
  const result: BenchmarkResult = benchmark(fn, { title, iter, warmup: WARM_UP_CALLS, size: 1, extSize: perCall, format: FORMAT_DEFAULT });
  return { title, rate: (perCall * 1000) / result.median, unit, baseline };
}

/** Targets of issue 14: pwm64 without a trace at 20× Icarus's rate, with a trace of every signal at 8×. */
const DESCRIBED = "pwm64 described (compiled into the schedule), no trace";
const DESCRIBED_TRACED = "pwm64 described (compiled into the schedule), VCD trace of every signal";
const ICARUS_TARGET = { noTrace: 20, trace: 8 };

/** Runs a scheduler design for `edges` clock cycles and returns the events it counted. */
function schedulerRun(design: ToggleBank | InverterChain, edges: number, backend: Backend = "compiled"): number {
  const sim = new Simulator(design, { backend });
  sim.run(design.cycleEndPs(edges));
  sim.close();
  return design.events;
}

function suite(size: typeof FULL, traceDir: string): Figure[] {
  const { cycles, tracedCycles, iter } = size;
  const vcd = join(traceDir, "pwm64.vcd");
  const bankEvents = schedulerRun(new ToggleBank(size.registers), size.edges);
  const chainEvents = schedulerRun(new InverterChain(size.stages), size.edges);
  const plainEvents = plainToggleBank(size.registers, size.edges);
  if (plainEvents !== bankEvents) throw new Error(`toggle bank: ${bankEvents} events on the engine, ${plainEvents} in the plain loop`);
  const PLAIN = "pwm64, plain TypeScript loop (baseline)";
  const PLAIN_BANK = "toggle bank, plain two-phase loop (baseline)";
  return [
    measure(PLAIN, "cycles/s", cycles, 5 * iter, checked("plain", cycles, () => plainPwm64(cycles))),
    measure("pwm64 on the engine, no trace", "cycles/s", cycles, iter, checked("engine", cycles, () => runPwm64(cycles)), PLAIN),
    measure("pwm64 on the engine, VCD trace of every signal", "cycles/s", tracedCycles, iter,
      checked("traced", tracedCycles, () => runPwm64(tracedCycles, vcd)), PLAIN),
    measure(DESCRIBED, "cycles/s", cycles, iter, checked("described", cycles, () => runPwm64(cycles, undefined, "compiled", "described")), PLAIN),
    measure(DESCRIBED_TRACED, "cycles/s", tracedCycles, iter,
      checked("described traced", tracedCycles, () => runPwm64(tracedCycles, vcd, "compiled", "described")), PLAIN),
    measure(PLAIN_BANK, "events/s", plainEvents, 5 * iter, () => void plainToggleBank(size.registers, size.edges)),
    measure(`scheduler: ${size.registers} toggling registers`, "events/s", bankEvents, iter,
      () => void schedulerRun(new ToggleBank(size.registers), size.edges), PLAIN_BANK),
    measure(`scheduler: register + ${size.stages} comb inverters (deltas)`, "events/s", chainEvents, iter,
      () => void schedulerRun(new InverterChain(size.stages), size.edges), PLAIN_BANK),
    // the interpreted reference back end, for the compiled one's gain
    measure("pwm64 on the interpreted back end, no trace", "cycles/s", cycles, iter,
      checked("interpreted", cycles, () => runPwm64(cycles, undefined, "interpreted")), PLAIN),
    measure("pwm64 on the interpreted back end, VCD trace of every signal", "cycles/s", tracedCycles, iter,
      checked("interpreted traced", tracedCycles, () => runPwm64(tracedCycles, vcd, "interpreted")), PLAIN),
    measure("pwm64 described, on the interpreted back end, no trace", "cycles/s", cycles, iter,
      checked("described interpreted", cycles, () => runPwm64(cycles, undefined, "interpreted", "described")), PLAIN),
    measure(`scheduler on the interpreted back end: ${size.registers} toggling registers`, "events/s", bankEvents, iter,
      () => void schedulerRun(new ToggleBank(size.registers), size.edges, "interpreted"), PLAIN_BANK),
    measure(`scheduler on the interpreted back end: register + ${size.stages} comb inverters (deltas)`, "events/s", chainEvents, iter,
      () => void schedulerRun(new InverterChain(size.stages), size.edges, "interpreted"), PLAIN_BANK),
  ];
}

/** Icarus and Verilator on pwm64.v (bench/pwm64/run-anchors.sh), and our CLI timed the same way. */
function anchors(cycles: number, dump: 0 | 1, traceDir: string): Figure[] {
  const script = spawnSync("bash", [join(ROOT, "bench/pwm64/run-anchors.sh"), String(cycles), String(dump)], { encoding: "utf8" });
  if (script.status !== 0) throw new Error(`run-anchors.sh ${cycles} ${dump} failed:\n${script.stderr}`);
  const figures: Figure[] = [];
  const expected = `checksum=${plainPwm64(cycles)}`;
  for (const line of script.stdout.trim().split("\n")) {
    const [name] = line.split(" ");
    const rate = Number(/cycles_per_s=(\d+)/.exec(line)?.[1]);
    if (!line.endsWith(expected)) throw new Error(`${name}: "${line}" does not end with ${expected}`);
    figures.push({ title: `${name}, ${dump ? "dump" : "no dump"} (process wall time)`, rate, unit: "cycles/s" });
  }
  const args = [join(ROOT, "dist/bench/pwm64/main.js"), "--cycles", String(cycles)];
  if (dump) args.push("--vcd", join(traceDir, "cli.vcd"));
  const t0 = performance.now();
  const cli = spawnSync("node", args, { encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (cli.stdout.trim() !== `cycles=${cycles} ${expected}`) throw new Error(`our CLI printed "${cli.stdout.trim()}"`);
  figures.push({ title: `gaincell CLI, ${dump ? "VCD trace" : "no trace"} (process wall time)`, rate: cycles / seconds, unit: "cycles/s" });
  return figures;
}

function table(figures: Figure[], ratioTo: (f: Figure) => Figure | undefined, ratioLabel: string): string {
  const rows = figures.map((f) => {
    const base = ratioTo(f);
    const ratio = base === undefined ? "" : `${(f.rate / base.rate).toFixed(3)}×`;
    return `| ${f.title} | ${Math.round(f.rate).toLocaleString("en-US")} ${f.unit} | ${ratio} |`;
  });
  return [`| case | rate | ${ratioLabel} |`, "|---|---:|---:|", ...rows].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: "boolean" }, anchors: { type: "boolean" }, pwm64: { type: "boolean" }, layer: { type: "boolean" }, attention: { type: "boolean" }, stack: { type: "boolean" }, realised: { type: "boolean" } },
  });
  const size = values.quick ? QUICK : FULL;
  const traceDir = mkdtempSync(join(tmpdir(), "gaincell-bench-"));
  try {
    console.log(`gaincell bench, ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"})\n`);
    if (values.stack) {
      console.log(stackReport(await stackFigures(values.quick ? STACK_QUICK : STACK_FULL)));
      return;
    }
    if (!values.attention && !values.realised) engineSuites(size, values.anchors === true, traceDir);
    if (values.pwm64) return;
    if (!values.realised) {
      const attentionSize = values.quick ? ATTENTION_QUICK : ATTENTION_FULL;
      const attention = await headFigures(attentionSize, traceDir);
      if (values.layer) attention.push(...(await layerFigures(attentionSize)));
      console.log(`\n${attentionTable(attention)}\n\n${attentionTargets(attention).join("\n")}`);
    }
    if (!values.attention) {
      const realised = await realisedFigures(values.quick ? REALISED_QUICK : REALISED_FULL);
      console.log(`\n${realisedTable(realised)}\n\n${realisedTarget(realised)}`);
    }
  } finally {
    rmSync(traceDir, { recursive: true, force: true });
  }
}

/** pwm64 and the scheduler designs, and with `anchors` Icarus and Verilator. */
function engineSuites(size: typeof FULL, withAnchors: boolean, traceDir: string): void {
  const figures = suite(size, traceDir);
  const byTitle = new Map(figures.map((f) => [f.title, f]));
  console.log(`\n${table(figures, (f) => byTitle.get(f.baseline ?? f.title), "× baseline (same process)")}`);
  if (!withAnchors) return;
  const noDump = anchors(size.cycles, 0, traceDir);
  const dump = anchors(size.tracedCycles, 1, traceDir);
  const icarus = (list: Figure[]) => list.find((f) => f.title.startsWith("icarus"));
  const described = byTitle.get(DESCRIBED)!;
  const describedTraced = byTitle.get(DESCRIBED_TRACED)!;
  const inProcess = (f: Figure, n: number) => ({ ...f, title: `${f.title} (in process, ${n} cycles)` });
  const untraced = [inProcess(figures[1], size.cycles), inProcess(described, size.cycles), ...noDump];
  const ours = [...untraced, inProcess(figures[2], size.tracedCycles), inProcess(describedTraced, size.tracedCycles), ...dump];
  const vsIcarus = (f: Figure) => icarus(ours.indexOf(f) < untraced.length ? noDump : dump);
  console.log(`\n${table(ours, vsIcarus, "× Icarus")}`);
  const verdict = (f: Figure, list: Figure[], target: number) => {
    const r = f.rate / icarus(list)!.rate;
    return `${r.toFixed(1)}× Icarus (target ≥ ${target}×): ${r >= target ? "met" : "MISSED"}`;
  };
  console.log(`\npwm64 without a trace, in process: ${verdict(figures[1], noDump, ICARUS_TARGET.noTrace)}`);
  console.log(`pwm64 with a trace of every signal, in process: ${verdict(figures[2], dump, ICARUS_TARGET.trace)}`);
  console.log(`pwm64 described without a trace, in process: ${verdict(described, noDump, ICARUS_TARGET.noTrace)}`);
  console.log(`pwm64 described with a trace of every signal, in process: ${verdict(describedTraced, dump, ICARUS_TARGET.trace)}`);
}

await main();
