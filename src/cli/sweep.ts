// `gaincell sweep`: runs the ledger over a grid of configurations (docs/model.md §6's knobs) on the cores
// available and writes DIR/sweep.csv with charts of energy, latency, area and, with --accuracy, error.
import { availableParallelism } from "node:os";
import { ACCURACY_METRIC } from "../report/accuracy.js";
import { tokensFor } from "../report/measure.js";
import { expandGrid, parseAxis } from "../report/sweepGrid.js";
import { SWEEP_FILES, sweepRows, writeSweep } from "../report/sweepOutput.js";
import { runSweep, workersAvailable } from "../report/sweepRun.js";
import { DEFAULT_TECHNOLOGY, loadTechnology } from "../report/technology.js";
import { DEFAULT_ACCELERATOR } from "../arch/config.js";
import { OutputFolder } from "../engine/OutputFolder.js";
import { seededInputs } from "./inputs.js";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom, parseCommand, parseCount, UsageError } from "./options.js";
import { Progress } from "./progress.js";
import { checkRunFits } from "./runSize.js";

const USAGE = `usage: gaincell sweep --param NAME=v1,v2,… [--param …] --out DIR [options]

Runs the steady-state ledger of \`gaincell report\` for every point of the grid (the cartesian
product of the --param axes, over the configuration below) and writes DIR/sweep.csv, DIR/sweep.json
and the charts DIR/energy.svg, latency.svg, area.svg (and accuracy.svg with --accuracy).

  --param NAME=v1,v2,…   an axis: an option name (window, tile, dims, levels-q, levels-kv, levels-out,
                         decay, s-sat, nonlinearity, clock-ps) or a configuration field (phase1Cycles, …)
  --out DIR              where to write, all or nothing: created if missing; an earlier sweep's
                         folder is replaced whole; a folder holding other files is refused
  --accuracy             also the output error against the functional model with 256 levels and λ = 0
                         (RMS of out − out_ref over tokens and dims, in units of A/(S_sat/2))
  --tech FILE.json       technology: pJ per event and µm² per block (defaults calibrated to docs/model.md §4)
  --tokens N             tokens measured per point with the window full (4)
  --seed S               the seeded streams' seed (1)
  --jobs N               points run at once, one per worker thread (the cores available: ${availableParallelism()})
${CONFIG_HELP}`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  param: { type: "string", multiple: true },
  out: { type: "string" },
  accuracy: { type: "boolean" },
  tech: { type: "string" },
  tokens: { type: "string" },
  seed: { type: "string" },
  jobs: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `gaincell sweep`; returns the exit code. */
export async function sweepCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.param || values.param.length === 0) throw new UsageError("give at least one --param NAME=v1,v2,…", USAGE);
  if (values.out === undefined || values.out === "") throw new UsageError("give --out DIR", USAGE);
  const measured = parseCount(values.tokens ?? "4", "--tokens", USAGE, 1, 1_000_000);
  const seed = parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1);
  const jobs = parseCount(values.jobs ?? String(availableParallelism()), "--jobs", USAGE, 1, 256);
  const tech = values.tech === undefined ? DEFAULT_TECHNOLOGY : loadTechnology(values.tech);
  const base = configFrom(values, {}, USAGE);
  const known = Object.keys(DEFAULT_ACCELERATOR) as (keyof typeof DEFAULT_ACCELERATOR)[];
  const axes = values.param.map((p) => parseAxis(p, known));
  const points = expandGrid(base, axes);
  for (const p of points) {
    const where = `the sweep point ${p.label}`;
    checkRunFits({ config: p.config, builtHeads: 1, tokens: tokensFor(p.config, measured), heads: 1, scores: false, traced: false },
      { design: where, tokens: where, clock: where });
  }
  const folder = OutputFolder.open(values.out, SWEEP_FILES);
  const totalTokens = points.reduce((n, p) => n + tokensFor(p.config, measured), 0);
  const progress = new Progress(totalTokens, "tokens");
  const started = performance.now();
  let results;
  try {
    results = await runSweep(points, {
      inputsFor: (p) => seededInputs(tokensFor(p.config, measured), 1, p.config.D, seed),
      accuracy: values.accuracy === true,
      jobs,
      onProgress: (done) => progress.update(done),
    });
  } finally {
    progress.stop();
  }
  if (results.length < points.length || results.some((r) => r.interrupted)) {
    process.stderr.write("gaincell: sweep interrupted; nothing written\n");
    return 130;
  }
  const files = await writeSweep(folder, axes, sweepRows(axes, points, results, tech), tech);
  const wallS = (performance.now() - started) / 1000;
  const how = workersAvailable() && jobs > 1 && points.length > 1 ? `${Math.min(jobs, points.length)} worker threads` : "one thread";
  process.stdout.write(
    `${points.length} points, ${totalTokens.toLocaleString("en")} tokens simulated on ${how} in ${wallS.toFixed(1)} s\n` +
      (values.accuracy ? `accuracy: ${ACCURACY_METRIC}\n` : "") +
      files.map((f) => `wrote ${f}\n`).join(""),
  );
  return 0;
}
