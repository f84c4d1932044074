// `gaincell recall`: associative recall through the chip (docs/recall.md). Streams of key → value pairs
// with queries at chosen distances run through the functional model (or cycle by cycle), on the ideal
// chip or realised ones; prints accuracy against distance and the capacity, and writes them as JSON,
// CSV and a chart.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { chipRealisation, chipSeed } from "../chipSpec.js";
import { drawRealisation, type Realisation } from "../laws/realisation.js";
import { openRealisation, writeRealisationTo } from "../realisationFiles.js";
import { OutputFile } from "../engine/OutputFile.js";
import { OutputSet } from "../engine/OutputSet.js";
import { GaincellError } from "../errors.js";
import type { ChipRecall, RecallResult, RecallSetting } from "../recall/api.js";
import { defaultDistances } from "../recall/encoding.js";
import { recallResult, recallWorkload } from "../recall/measure.js";
import { recallTokens } from "../recall/stream.js";
import { capacityText, encodingLines, recallChartSpec, recallCsv, recallJson, resultSeries } from "../report/recallOutput.js";
import { renderSvg } from "../report/charts.js";
import { runProvenance } from "../report/provenance.js";
import { isRecall } from "../report/sweepPoint.js";
import { runSweep, workersAvailable } from "../report/sweepRun.js";
import { CHIP_HELP, CHIP_OPTIONS } from "./chipOptions.js";
import { checkNotEmpty, CONFIG_HELP, CONFIG_OPTIONS, configFrom, fieldSource, parseCommand, parseCount } from "./options.js";
import { settleSignals } from "./processEnds.js";
import { Progress } from "./progress.js";
import { RECALL_HELP, RECALL_OPTIONS, recallChipFrom, recallFrom } from "./recallOptions.js";
import { checkRunFits } from "./runSize.js";
import { definingArgs } from "./sweep.js";

const USAGE = `usage: gaincell recall [--out DIR] [options]

Associative recall through the chip (docs/recall.md): every token stores a key → value pair, and
queries read a pair back from a chosen number of tokens earlier, with distractor pairs in between.
Prints the fraction of value bits and of whole values recalled at each distance and the capacity
(the longest distance recalled at the threshold); with --out writes DIR/recall.json, recall.csv and
recall.svg (accuracy against distance; recall-time.svg too with --retention time).

  --out DIR              where to write (created if missing)
  --dims D               head dimension (64)
  --seed S               seed of the keys, values and query order (1)
  --jobs N               chips run at once, one worker thread each (the cores available: ${availableParallelism()})
${RECALL_HELP}${CHIP_HELP}  (a recall stream's length is its workload's: it takes --token-gap, not --arrivals)
${CONFIG_HELP}`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  ...CHIP_OPTIONS,
  ...RECALL_OPTIONS,
  out: { type: "string" },
  dims: { type: "string" },
  seed: { type: "string" },
  jobs: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `gaincell recall`; returns the exit code. */
export async function recallCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, OPTIONS, USAGE);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  checkNotEmpty(values, ["out", "config", "variation", "realisation", "realisation-out", "arrivals"], USAGE);
  const dims = values.dims === undefined ? {} : { D: parseCount(values.dims, "--dims", USAGE, 1, 4096) };
  const config = configFrom(values, { heads: 1, ...dims }, USAGE);
  const seed = parseCount(values.seed ?? "1", "--seed", USAGE, 0, 2 ** 32 - 1);
  const jobs = parseCount(values.jobs ?? String(availableParallelism()), "--jobs", USAGE, 1, 256);
  const chip = recallChipFrom(values, USAGE);
  const recall = recallFrom(values, chip, seed, USAGE);
  const setting: RecallSetting = { ...recall, config, plan: { ...recall.plan, distances: recall.plan.distances ?? defaultDistances(config.windowM) } };
  checkRunFits({ config, builtHeads: setting.cycleAccurate ? 1 : 0, tokens: recallTokens(config, setting.plan), heads: 1, scores: false, traced: false },
    { design: fieldSource(values, "windowM"), tokens: "--distances and --queries", clock: fieldSource(values, "clockPeriodPs") });
  // what cannot work fails here, before any run: the encoding, the keys, a realisation's files
  const { stream } = recallWorkload(setting);
  if (chip.realisationDir !== undefined) chipRealisation(chip, config, 1, 0);
  // the output files are checked, and their temporary files made, before the runs
  const outputs = new OutputSet();
  try {
    const files = values.out === undefined ? undefined : openRecallFiles(outputs, values.out, setting);
    const realisations = values["realisation-out"] === undefined ? [] : openChipRealisations(outputs, values["realisation-out"], setting);
    const result = await runChips(setting, jobs, stream.T);
    if (result === null) {
      process.stderr.write("gaincell: recall interrupted; nothing written\n");
      return 130;
    }
    const written = files === undefined ? [] : await writeRecall(files, argv, setting, result.result);
    realisations.forEach(({ files: chipFiles }, i) => writeRealisationTo(chipFiles, realisationOf(setting, i)));
    await settleSignals();
    outputs.commit();
    process.stdout.write(summary(setting, result.result, result.how) +
      realisations.map(({ dir }) => `wrote the chip's realisation to ${dir}\n`).join("") + written.map((f) => `wrote ${f}\n`).join(""));
    return 0;
  } finally {
    outputs.abort();
  }
}

/**
 * The files of each chip's realisation under --realisation-out DIR, opened in `set`: DIR itself for
 * one chip, DIR/seed-S for each of several.
 */
function openChipRealisations(set: OutputSet, dir: string, s: RecallSetting): { dir: string; files: OutputFile[] }[] {
  return Array.from({ length: s.chips }, (_, i) => {
    const chipDir = s.chips === 1 ? dir : join(dir, `seed-${chipSeed(s.chip, i)}`);
    return { dir: chipDir, files: openRealisation(chipDir, (file) => set.open(file, { createFolders: true })) };
  });
}

/** Chip i's static values as the run used them: read, drawn, or the ideal chip's when the variation has none. */
function realisationOf(s: RecallSetting, i: number): Realisation {
  const { config: c } = s;
  return chipRealisation(s.chip, c, 1, i) ?? drawRealisation(s.chip.variation, { heads: 1, windowM: c.windowM, D: c.D, tile: c.tile }, chipSeed(s.chip, i));
}

/** Runs the chips of `s` (on worker threads when several and --jobs allows); null when interrupted. */
async function runChips(setting: RecallSetting, jobs: number, T: number): Promise<{ result: RecallResult; how: string } | null> {

  const started = performance.now();
  const progress = new Progress(setting.chips * T, "tokens");
  const chips: ChipRecall[] = [];
  const failures: string[] = [];
  let complete: boolean;
  try {
    complete = await runSweep(Array.from({ length: setting.chips }, (_, index) => ({ index, config: setting.config })), {
      workFor: (p) => ({ kind: "recall", setting, chips: [p.index] }),
      jobs,
      onProgress: (n) => progress.update(n),
      onOutcome: (p, outcome) => {
        if (outcome.error !== undefined) failures.push(`chip ${p.index}: ${outcome.error}`);
        else if (isRecall(outcome.result)) chips[p.index] = outcome.result.recall[0];
      },
    });
  } finally {
    progress.stop();
  }
  if (!complete) return null;
  if (failures.length > 0) throw new GaincellError(failures.sort()[0]);
  const wallS = (performance.now() - started) / 1000;
  const how = workersAvailable() && jobs > 1 && setting.chips > 1 ? `${Math.min(jobs, setting.chips)} worker threads` : "one thread";
  return { result: recallResult(setting, chips), how: `${wallS.toFixed(1)} s wall on ${how}` };
}

/** The files a run writes into `dir`, opened in `set`: recall.json, recall.csv, recall.svg and, with time retention, recall-time.svg. */
function openRecallFiles(set: OutputSet, dir: string, s: RecallSetting): Map<string, OutputFile> {
  const names = ["recall.json", "recall.csv", "recall.svg", ...(s.chip.retention === "time" ? ["recall-time.svg"] : [])];
  return new Map(names.map((name) => [name, set.open(join(dir, name), { createFolders: true })]));
}

/** Writes the run's JSON, CSV and charts into the files opened for them; returns their paths. */
async function writeRecall(files: Map<string, OutputFile>, argv: readonly string[], s: RecallSetting, r: RecallResult): Promise<string[]> {
  // where the files go and how many threads made them are not part of what they say
  const provenance = runProvenance(["recall", ...definingArgs(argv)], { config: s.config, plan: s.plan, chip: s.chip, chips: s.chips, cycleAccurate: s.cycleAccurate });
  const series = resultSeries(r);
  const model = s.cycleAccurate ? "cycle-accurate" : "functional";
  const texts: Record<string, string> = {
    "recall.json": recallJson(provenance, s, r),
    "recall.csv": recallCsv(series),
    "recall.svg": await renderSvg(recallChartSpec(`Recall against distance (${model}, window ${s.config.windowM})`, series, "distance", s.plan.threshold, r.encoding.chance)),
  };
  if (s.chip.retention === "time") {
    texts["recall-time.svg"] = await renderSvg(recallChartSpec(`Recall against time since the write (${model})`, series, "elapsedUs", s.plan.threshold, r.encoding.chance));
  }
  return [...files].map(([name, file]) => {
    file.writeText(texts[name]);
    return file.file;
  });
}

/** What the terminal shows: the setting, the encoding, the pooled curve and each chip's capacity. */
function summary(s: RecallSetting, r: RecallResult, how: string): string {
  const chip = r.chips[0].chip === "ideal" ? "ideal chip" : `${s.chips} chip(s) of ${s.chip.variationName}`;
  const pace = s.chip.tokenGapPs === 0 ? "tokens back to back" : `${s.chip.tokenGapPs / 1000} ns between tokens`;
  const lines = [
    `recall: ${s.cycleAccurate ? "cycle-accurate" : "functional"} model, ${chip}, retention ${s.chip.retention === "token" ? "per token" : "in time"}, ${pace}; ` +
      `window ${s.config.windowM}, D ${s.config.D}, λ ${s.config.lambdaPerToken}; ${r.tokens} tokens per chip, seed ${s.plan.seed}; ${how}`,
    ...encodingLines(r.encoding),
    `zero point (mean output of ${s.plan.probes} queries matching nothing): ${r.chips.map((c) => c.zeroPointMean.toFixed(3)).join(", ")} counts`,
    "",
    `${"distance".padStart(9)} ${"µs".padStart(10)} ${"bits right".padStart(11)} ${"fully right".padStart(12)}`,
    ...r.pooled.curve.map((p) => `${String(p.distance).padStart(9)} ${p.elapsedUs.toFixed(3).padStart(10)} ${p.bitAccuracy.toFixed(4).padStart(11)} ${p.queryAccuracy.toFixed(3).padStart(12)}`),
    "",
    ...resultSeries(r).map((x) => `capacity (bit accuracy ≥ ${s.plan.threshold}), ${x.series}: ${capacityText(x.capacity)}`),
  ];
  return lines.join("\n") + "\n";
}
