// `gaincell verify`: random configurations and token streams (fast-check, seeded) through the
// cycle-accurate model under the protocol monitors, each checked against the functional model;
// prints one line per run and the merged functional coverage, writes JUnit XML and coverage JSON.
import { accessSync, constants, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import type { AcceleratorConfig } from "../arch/config.js";
import { FileFormatError } from "../errors.js";
import { arbVerifyCase, type VerifyCase } from "../verify/arbitraries.js";
import { coverageJson, coverageText, coverageTotals, mergeCoverage } from "../verify/coverageReport.js";
import { junitXml, type JunitCase } from "../verify/junit.js";
import { runVerifyCase, type CaseResult } from "../verify/runCase.js";
import { parseCommand, parseCount, UsageError } from "./options.js";
import { writeWholeFile } from "../engine/OutputFile.js";

const USAGE = `usage: gaincell verify [--runs N] [--seed S] [--junit FILE.xml] [options]

Draws random configurations and token streams (with stalls) from a seed, runs each cycle-accurately
under the accelerator's protocol monitors (phase order and lengths, one write per token, slot
pointer wrap, pulses within T_max, counts within range), checks every output against the
functional model, and reports the functional coverage of all runs merged.
  --runs N               runs (50); the same seed gives the same runs
  --seed S               seed of the runs (1)
  --case K               only run K of that seed's sequence (to reproduce a failure)
  --junit FILE.xml       JUnit XML for CI: one testcase per run, the coverage as properties
  --coverage FILE.json   the merged coverage as JSON (hits of every bin of every point and cross)
  --trace-failures DIR   for each failing run K, DIR/runK.vcd: 20 clock ticks either side of its first
                         monitor failure, and DIR/runK.gtkw showing the failing monitor's signals
  --max-window M  --max-dims D  --max-heads H     bounds of the configurations drawn (24, 6, 3)
Exit codes: 0 every run passed, 1 a run failed (or a file could not be written), 2 usage, 130 interrupted.
`;

const OPTIONS = {
  runs: { type: "string" },
  seed: { type: "string" },
  case: { type: "string" },
  junit: { type: "string" },
  coverage: { type: "string" },
  "trace-failures": { type: "string" },
  "max-window": { type: "string" },
  "max-dims": { type: "string" },
  "max-heads": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** One line describing a configuration and its stream. */
function describeCase(vc: VerifyCase<unknown>): string {
  const c: AcceleratorConfig = vc.config;
  const stalls = vc.stalls.reduce((n, s) => n + s.reduce((m, x) => m + x, 0), 0);
  return `M ${c.windowM}, tile ${c.tile}, D ${c.D}, H ${c.heads}, levels ${c.levelsQ}/${c.levelsKv}/${c.levelsOut}, λ ${c.lambdaPerToken}, ` +
    `S_sat ${c.sSat}, ${c.nonlinearity}, clock ${c.clockPeriodPs} ps; ${plural(vc.inputs.T, "token")}, ${plural(stalls, "stall")}`;
}

/** Fails now, not after the runs, when `file` cannot be written. */
function checkWritable(file: string): void {
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch (e) {
    throw new FileFormatError(file, `cannot write: ${(e as Error).message}`);
  }
}

/** Runs `gaincell verify`; returns the exit code. */
export async function verifyCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const runs = parseCount(values.runs ?? "50", "--runs", USAGE);
  const seed = parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 31 - 1);
  const only = values.case === undefined ? undefined : parseCount(values.case, "--case", USAGE);
  if (only !== undefined && values.runs !== undefined) throw new UsageError("--case picks one run of the seed's sequence: drop --runs", USAGE);
  const bounds = {
    maxWindow: parseCount(values["max-window"] ?? "24", "--max-window", USAGE, 1, 4096),
    maxDims: parseCount(values["max-dims"] ?? "6", "--max-dims", USAGE, 1, 512),
    maxHeads: parseCount(values["max-heads"] ?? "3", "--max-heads", USAGE, 1, 64),
  };
  for (const file of [values.junit, values.coverage]) if (file !== undefined) checkWritable(file);
  const traceDir = values["trace-failures"];
  if (traceDir !== undefined) {
    try {
      mkdirSync(traceDir, { recursive: true });
    } catch (e) {
      throw new FileFormatError(traceDir, `cannot make the folder: ${(e as Error).message}`);
    }
  }

  const sampled = fc.sample(arbVerifyCase(bounds), { seed, numRuns: only ?? runs });
  const numbered = only === undefined ? sampled.map((vc, i) => [i + 1, vc] as const) : [[only, sampled[only - 1]] as const];
  const started = new Date();
  const results: { k: number; vc: VerifyCase<unknown>; r: CaseResult; timeS: number }[] = [];
  for (const [k, vc] of numbered) {
    const t0 = performance.now();
    const failureTrace = traceDir === undefined ? undefined : { vcd: join(traceDir, `run${k}.vcd`), gtkw: join(traceDir, `run${k}.gtkw`) };
    const r = await runVerifyCase(vc, { failureTrace });
    const timeS = (performance.now() - t0) / 1000;
    if (r.interrupted) {
      process.stderr.write(`gaincell: interrupted in run ${k}; no report written\n`);
      return 130;
    }
    results.push({ k, vc, r, timeS });
    const checks = r.monitors.reduce((n, m) => n + m.attempts, 0);
    const verdict = r.problems.length === 0 ? "passed" : "FAILED";
    process.stdout.write(`run ${k}/${only ?? runs} (${describeCase(vc)}): ${verdict}, ${checks.toLocaleString("en")} checks, ${timeS.toFixed(2)} s\n`);
    for (const p of r.problems) process.stdout.write(`  ${p}\n`);
    if (r.trace !== undefined) process.stdout.write(`  trace: ${failureTrace!.vcd}, view: gtkwave ${failureTrace!.gtkw}\n`);
  }

  const coverage = mergeCoverage(results.map((x) => x.r.coverage));
  const totals = coverageTotals(coverage.items);
  const failed = results.filter((x) => x.r.problems.length > 0);
  const checks = results.reduce((n, x) => n + x.r.monitors.reduce((m, y) => m + y.attempts, 0), 0);
  const text = coverageText(coverage);
  const summary = `verify: ${results.length - failed.length} of ${results.length} runs passed (seed ${seed}); ${checks.toLocaleString("en")} monitor checks`;
  process.stdout.write(`${text}${summary}\n`);
  if (values.junit !== undefined) {
    const cases = results.map(({ k, vc, r, timeS }): JunitCase => ({
      classname: "gaincell.verify",
      name: `run ${k}: ${describeCase(vc)}`,
      timeS,
      failure: r.problems.length === 0 ? undefined : {
        message: r.problems[0],
        type: r.failureCount > 0 ? "MonitorFailure" : r.mismatches.length > 0 ? "ReferenceMismatch" : "Incomplete",
        text: [...r.problems, ...r.failures.slice(1, 10).map((f) => f.message),
          `reproduce: gaincell verify --seed ${seed} --case ${k}`, `configuration: ${JSON.stringify(vc.config)}`].join("\n"),
      },
    }));
    const timeS = results.reduce((n, x) => n + x.timeS, 0);
    const properties: [string, string][] = [["seed", String(seed)], ["runs", String(results.length)],
      ["coverage", `${totals.hit} of ${totals.bins} bins (${totals.percent.toFixed(1)}%)`], ["monitor checks", String(checks)]];
    writeWholeFile(values.junit, junitXml({ name: "gaincell verify", cases, timeS, timestamp: started, properties, systemOut: text }));
  }
  if (values.coverage !== undefined) writeWholeFile(values.coverage, coverageJson(coverage));
  return failed.length === 0 ? 0 : 1;
}
