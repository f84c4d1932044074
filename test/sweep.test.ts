// `gaincell sweep`: the grid (the clock axis keeps timed phases in ns), the points' figures (energy
// follows the window, error follows the levels), failing points recorded, the CSV and charts written,
// resuming, shards merged byte for byte, the Slurm script, and the CLI on worker threads giving the
// in-thread results.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_ACCELERATOR, validateAccelerator } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import { ConfigError } from "../src/errors.js";
import { tokensFor } from "../src/report/measure.js";
import { main } from "../src/cli/main.js";
import { definingArgs } from "../src/cli/sweep.js";
import { expandGrid, parseAxis, type SweepAxis, type SweepPoint } from "../src/report/sweepGrid.js";
import { sweepCsv, sweepRows, writeSweep, type SweepRow } from "../src/report/sweepOutput.js";
import { runSweep, type RunnablePoint } from "../src/report/sweepRun.js";
import type { PointMeasurement, PointWork } from "../src/report/sweepPoint.js";
import type { AttentionInputs } from "../src/arch/runAttention.js";
import { sbatchScript } from "../src/report/sweepSlurm.js";
import { collectRecords, parseShard, SweepStore, type SweepDefinition } from "../src/report/sweepStore.js";
import { DEFAULT_TECHNOLOGY } from "../src/report/technology.js";
import { buildPwm64Cli, ROOT } from "./support/build.js";

const FIELDS = Object.keys(DEFAULT_ACCELERATOR) as (keyof typeof DEFAULT_ACCELERATOR)[];
const dir = mkdtempSync(join(tmpdir(), "sweep-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = validateAccelerator({ D: 8, tile: 8 });
const inputsFor = (p: RunnablePoint) => seededInputs(tokensFor(p.config, 2), 1, p.config.D, 3);
const ledgerWork = (inputs: (p: RunnablePoint) => AttentionInputs, accuracy: boolean) => (p: RunnablePoint): PointWork => ({ kind: "ledger", config: p.config, inputs: inputs(p), accuracy });
const runnable = (points: SweepPoint[]) => points.map((p) => ({ index: p.index, config: p.config! }));
const definition = (axes: SweepAxis[], accuracy = true): SweepDefinition => ({ command: "test", base, axes, technology: DEFAULT_TECHNOLOGY, tokens: 2, seed: 3, accuracy });

/** Runs `points` in this thread into a fresh store; returns the store and the records in grid order. */
async function runInto(name: string, d: SweepDefinition, points: SweepPoint[]) {
  const store = SweepStore.create(join(dir, name), d);
  for (const p of points) if (p.config === null) store.record(p.index, p.label, { error: p.error! });
  await runSweep(runnable(points.filter((p) => p.config !== null)), {
    workFor: ledgerWork(inputsFor, d.accuracy), jobs: 1, onOutcome: (p, o) => store.record(p.index, points[p.index].label, o),
  });
  return { store, records: collectRecords([store], points.map((p) => p.label)) };
}

/** Runs the CLI in this process and captures what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((x) => ((stdout += String(x)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((x) => ((stderr += String(x)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
afterEach(() => vi.unstubAllEnvs());

describe("the grid", () => {
  it("takes option names and field names", () => {
    expect(parseAxis("window=64,128", FIELDS)).toEqual({ name: "window", field: "windowM", values: [64, 128] });
    expect(parseAxis(" phase1Cycles = 15, 30 ", FIELDS)).toEqual({ name: "phase1Cycles", field: "phase1Cycles", values: [15, 30] });
    expect(parseAxis("nonlinearity=cubic,linear", FIELDS).values).toEqual(["cubic", "linear"]);
  });

  it.each([
    ["window", /"window" is not NAME=v1,v2/],
    ["windw=64", /--param windw: is not a configuration option or field, nor a variation field; use one of window, tile.*, sigmaGain, /],
    ["window=64,big", /--param window: "64,big" holds a value that is not a number/],
    ["window=64,,128", /--param window: "64,,128" has an empty value/],
    ["window=64,64", /--param window: "64,64" repeats a value/],
    ["heads=1,12", /--param heads: one head is simulated and heads are identical/],
  ])("rejects %s", (text, message) => {
    expect(() => parseAxis(text, FIELDS)).toThrow(ConfigError);
    expect(() => parseAxis(text, FIELDS)).toThrow(message);
  });

  it("is the cartesian product, first axis slowest, each point validated and labelled", () => {
    const axes = [parseAxis("window=4,16", FIELDS), parseAxis("levels-kv=2,8,16", FIELDS)];
    const points = expandGrid(base, axes);
    expect(points.map((p) => p.label)).toEqual([
      "window=4 levels-kv=2", "window=4 levels-kv=8", "window=4 levels-kv=16",
      "window=16 levels-kv=2", "window=16 levels-kv=8", "window=16 levels-kv=16",
    ]);
    expect(points[4].config).toMatchObject({ windowM: 16, levelsKv: 8, D: 8, tile: 8 });
    expect(points[0].config!.tile).toBe(4); // a window narrower than the tile is one sub-tile of M slots
  });

  it("clock-ps keeps WRITE, PRECHARGE and PHASE 1/2 in ns (rounded up) and LOAD, CONVERT, ACCUMULATE in cycles", () => {
    const points = expandGrid(base, [parseAxis("clock-ps=250,500,700,1000,2000", FIELDS)]);
    expect(points.map((p) => p.error)).toEqual([null, null, null, null, null]); // every clock makes a valid schedule
    const phases = (i: number) => {
      const c = points[i].config!;
      return [c.loadCycles, c.writeCycles, c.precharge1Cycles, c.phase1Cycles, c.precharge2Cycles, c.phase2Cycles, c.convertCycles, c.accumulateCycles];
    };
    expect(phases(1)).toEqual([2, 16, 4, 30, 4, 30, 16, 5]); // 500 ps: 8 ns = 16 cycles, 15 ns = 30; 53.5 ns in all
    expect(phases(2)).toEqual([2, 12, 3, 22, 3, 22, 16, 5]); // 700 ps: ⌈8000/700⌉ = 12, ⌈15000/700⌉ = 22
    expect(phases(4)).toEqual([2, 4, 1, 8, 1, 8, 16, 5]); // 2 ns: PHASE 1 is 16 ns ≥ T_max
    // the field itself keeps every phase's cycles: a 500 ps clock cannot fit T_max in 15 cycles
    const [raw] = expandGrid(base, [parseAxis("clockPeriodPs=500", FIELDS)]);
    expect(raw.error).toMatch(/^config\.phase1Cycles: 15 cycles × 500 ps is shorter than T_max = 15000 ps/);
  });

  it("keeps an invalid point with its error naming the point and the field, and refuses a field swept twice", () => {
    const [good, bad] = expandGrid(base, [parseAxis("levels-kv=8,1", FIELDS)]);
    expect(good.error).toBeNull();
    expect(bad.config).toBeNull();
    expect(bad.error).toBe("config.levelsKv: 1 is too few: a DAC needs at least 2 levels (the spec's default is 8) (in the sweep point levels-kv=1)");
    expect(() => expandGrid(base, [parseAxis("window=8", FIELDS), parseAxis("windowM=16", FIELDS)])).toThrow(/--param windowM: is swept twice/);
  });
});

describe("a sweep", () => {
  let axes: SweepAxis[];
  let points: SweepPoint[];
  let rows: SweepRow[];
  beforeAll(async () => {
    axes = [parseAxis("window=8,16", FIELDS), parseAxis("levels-kv=2,8", FIELDS)];
    points = expandGrid(base, axes);
    const { records } = await runInto("grid", definition(axes), points);
    rows = sweepRows(definition(axes), points, records);
  });

  it("prices each point from its own events and configuration: doubling the window doubles stage 2 and the columns", () => {
    const at = (w: number, kv: number) => rows.find((r) => r.window === w && r["levels-kv"] === kv)!;
    // window 8 and 16 with tile 8: one and two sub-tiles, so columns and signed CPCs both double
    expect(at(16, 8)["energyPj.stage2"]).toBeCloseTo(2 * (at(8, 8)["energyPj.stage2"] as number), 9);
    expect(at(16, 8)["energyPj.stage1"] as number).toBeGreaterThan(at(8, 8)["energyPj.stage1"] as number);
    expect(at(16, 8)["energyPj.write"] as number).toBeGreaterThan(at(8, 8)["energyPj.write"] as number); // longer write bit lines
    expect(at(16, 2)["energyPj.write"] as number).toBeLessThan(at(16, 8)["energyPj.write"] as number); // a 1-bit DAC
    expect(at(16, 2)["latencyNsPerToken"]).toBe(65);
    expect(at(16, 2)["powerMwPerHead"]).toBeCloseTo((at(16, 2)["energyPj.total"] as number) / 65, 9);
    expect(at(16, 2)["events.stage1Columns"]).toBe(16);
    expect(at(16, 2).error).toBe("");
  });

  it("measures a smaller error with finer K/V levels, and none at the reference itself", async () => {
    for (const w of [8, 16]) {
      const coarse = rows.find((r) => r.window === w && r["levels-kv"] === 2)!;
      const fine = rows.find((r) => r.window === w && r["levels-kv"] === 8)!;
      expect(fine.rmsError as number).toBeLessThan(coarse.rmsError as number);
    }
    const reference = expandGrid(validateAccelerator({ ...base, levelsQ: 256, levelsKv: 256, levelsOut: 256, convertCycles: 128, lambdaPerToken: 0 }), [parseAxis("window=8", FIELDS)]);
    const { records } = await runInto("reference", definition([parseAxis("window=8", FIELDS)]), reference);
    expect((records[0].outcome.result as PointMeasurement).accuracy).toEqual({ rmsError: 0, relativeRmsError: 0 });
  });

  it("records a failing point with its error and goes on with the others", async () => {
    const grid = expandGrid(base, [parseAxis("window=8,16", FIELDS)]);
    const store = SweepStore.create(join(dir, "failing"), definition([parseAxis("window=8,16", FIELDS)]));
    // point 0's stream is too short to fill its window: measuring it throws, point 1 still runs
    const short = (p: RunnablePoint) => (p.index === 0 ? seededInputs(3, 1, 8, 3) : inputsFor(p));
    await runSweep(runnable(grid), { workFor: ledgerWork(short, false), jobs: 1, onOutcome: (p, o) => store.record(p.index, grid[p.index].label, o) });
    const [failed, measured] = collectRecords([store], grid.map((p) => p.label));
    expect(failed.outcome.error).toBe("tokens: 3 tokens cannot show a full window of 8: at least 10 are needed (M to fill it, one measured, one after)");
    expect((measured.outcome.result as PointMeasurement).perToken.stage1Columns).toBe(16);
  });

  it("writes sweep.csv, sweep.json and the SVG charts", async () => {
    const out = join(dir, "in-thread");
    const { records } = await runInto("written", definition(axes), points);
    const provenance = { tool: "gaincell test", command: "test", configHash: "0", date: "then" };
    const files = await writeSweep(out, definition(axes), points, records, provenance);
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(["sweep.csv", "sweep.json", "energy.svg", "latency.svg", "area.svg", "accuracy.svg"]);
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^point,window,levels-kv,error,latencyNsPerToken,powerMwPerHead,.*,energyPj\.stage1,.*,energyPj\.stage1\.pwmDrivers,.*,rmsError,relativeRmsError,rmsErrorVsIdeal,changedFraction,maxChange$/);
    expect(csv[1]).toMatch(/^window=8 levels-kv=2,8,2,,65,/);
    const json = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    expect(json.accuracyMetric).toMatch(/^RMS over tokens and dims/);
    expect(json.provenance).toEqual(provenance);
    expect(json.definition).toMatchObject({ tokens: 2, seed: 3, accuracy: true });
    for (const [name, title] of [["energy", "Energy per token, one head, by component"], ["latency", "Latency per token"], ["area", "Area of one head"], ["accuracy", "Output error"]]) {
      const svg = readFileSync(join(out, `${name}.svg`), "utf8");
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trimEnd()).toMatch(/<\/svg>$/);
      expect(svg).toContain(title);
    }
    expect(readFileSync(join(out, "energy.svg"), "utf8")).toContain("levels-kv=8"); // the second axis as facets
  });

  it("takes the σ and p of docs/model.md §7 as axes: a realised chip at every point, its error against the ideal chip charted against σ", async () => {
    const out = join(dir, "sigma");
    const r = await cli("sweep", "--param", "sigmaGain=0,0.05,0.3", "--param", "window=8,16", "--variation", "ideal", "--variation-seed", "6",
      "--seed", "3", "--tokens", "3", "--jobs", "1", "--out", out);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain("wrote " + join(out, "variation.svg"));
    const json = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    expect(json.definition).toMatchObject({ accuracy: true, chip: { seed: 6, retention: "token", variation: { sigmaGain: 0, sigmaS: 0 } } });
    const rows: SweepRow[] = json.rows;
    expect(rows.map((row) => row.point)).toEqual(["sigmaGain=0 window=8", "sigmaGain=0 window=16", "sigmaGain=0.05 window=8", "sigmaGain=0.05 window=16", "sigmaGain=0.3 window=8", "sigmaGain=0.3 window=16"]);
    for (const row of rows) {
      expect(row.error).toBe("");
      // σ = 0 is the ideal chip bit for bit; a gain spread of 30 % moves outputs
      if (row.sigmaGain === 0) expect([row.rmsErrorVsIdeal, row.changedFraction, row.maxChange]).toEqual([0, 0, 0]);
    }
    for (const w of [8, 16]) {
      const at = (sigma: number) => rows.find((row) => row.sigmaGain === sigma && row.window === w)!;
      expect(at(0.3).rmsErrorVsIdeal as number).toBeGreaterThan(0);
      expect(at(0.3).changedFraction as number).toBeGreaterThan(0);
      // the same chip stretched: the error against the fine reference moves from the ideal chip's
      expect(at(0.3).rmsError).not.toBe(at(0).rmsError);
    }
    const svg = readFileSync(join(out, "variation.svg"), "utf8");
    expect(svg).toContain("Output error of the realised chip vs the ideal chip");
    expect(svg).toContain("sigmaGain");
    // a bad σ fails its point only, naming the field
    const bad = await cli("sweep", "--param", "sigmaQ=0.01,-1", "--window", "8", "--tokens", "2", "--jobs", "1", "--out", join(dir, "bad-sigma"));
    expect(bad.code).toBe(0);
    const badRows: SweepRow[] = JSON.parse(readFileSync(join(dir, "bad-sigma", "sweep.json"), "utf8")).rows;
    expect(badRows[1].error).toBe("variation.sigmaQ: -1 must be at least 0 of T_max (in the sweep point sigmaQ=-1)");
    expect(badRows[0].error).toBe("");
  });

  it("quotes CSV fields that need it", () => {
    expect(sweepCsv([], [{ point: 'a,"b"', error: "" }]).split("\n")[1]).toMatch(/^"a,""b""",,/);
  });

  it("runs on worker threads from the built CLI, with the in-thread figures", () => {
    buildPwm64Cli(); // tsc into dist/, where the worker's compiled file lives
    const out = join(dir, "workers");
    const r = spawnSync("node", ["bin/gaincell.js", "sweep", "--param", "window=8,16", "--param", "levels-kv=2,8", "--dims", "8"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2); // --dims is not a sweep option: D comes from --config or --param dims=…
    const config = join(dir, "d8.json");
    writeFileSync(config, JSON.stringify({ D: 8, tile: 8 }));
    const run = spawnSync("node", ["bin/gaincell.js", "sweep", "--config", config, "--param", "window=8,16", "--param", "levels-kv=2,8",
      "--accuracy", "--seed", "3", "--tokens", "2", "--jobs", "2", "--out", out], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^4 points \(0 done before\), 60 tokens simulated on 2 worker threads in [\d.]+ s\naccuracy: RMS/);
    expect(readFileSync(join(out, "sweep.csv"), "utf8")).toBe(sweepCsv(axes, rows));
    expect(existsSync(join(out, "accuracy.svg"))).toBe(true);
  });
});

describe("shards, resuming and merging", () => {
  const args = (config: string) => ["sweep", "--config", config, "--param", "window=8,16", "--param", "levels-out=32,64", "--param", "clock-ps=500,1000",
    "--accuracy", "--tokens", "2", "--seed", "3"];
  const files = ["sweep.csv", "sweep.json", "energy.svg", "latency.svg", "area.svg", "accuracy.svg"];
  let config: string;
  beforeAll(() => {
    config = join(dir, "d8-shards.json");
    writeFileSync(config, JSON.stringify({ D: 8, tile: 8 }));
  });

  it("merges three shards into the bytes of one run, failed points included", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const one = await cli(...args(config), "--out", join(dir, "one"));
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^8 points \(0 done before\), .*; 4 failed \(their error is in the CSV\)\n/);
    for (let i = 0; i < 3; i++) {
      const shard = await cli(...args(config), "--shard", `${i}/3`, "--out", join(dir, "sharded", String(i)));
      expect(shard.code).toBe(0);
      expect(shard.stdout).toMatch(new RegExp(`^shard ${i}/3: ${i < 2 ? 3 : 2} points \\(0 done before\\)`));
      expect(existsSync(join(dir, "sharded", String(i), "sweep.csv"))).toBe(false);
    }
    const merged = await cli("sweep", "merge", ...[0, 1, 2].map((i) => join(dir, "sharded", String(i))), "--out", join(dir, "merged"));
    expect(merged.code).toBe(0);
    for (const f of files) expect(readFileSync(join(dir, "merged", f)), f).toEqual(readFileSync(join(dir, "one", f)));
    const json = JSON.parse(readFileSync(join(dir, "merged", "sweep.json"), "utf8"));
    expect(json.provenance.date).toBe("2023-11-14T22:13:20.000Z");
    expect(json.provenance.command).toBe(`gaincell ${args(config).join(" ")}`);
    expect(json.rows.filter((r: SweepRow) => r.error !== "")).toHaveLength(4); // levels-out=64 needs 32 CONVERT cycles
    const csv = readFileSync(join(dir, "merged", "sweep.csv"), "utf8");
    expect(csv).toContain("window=8 levels-out=32 clock-ps=500,8,32,500,,53.5,");
  });

  it("names the points missing from a merge, and a shard of another sweep", async () => {
    const partial = await cli("sweep", "merge", join(dir, "sharded", "0"), join(dir, "sharded", "2"), "--out", join(dir, "partial"));
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/^gaincell: 3 of 8 points have no record in .*: 1 \(window=8 levels-out=32 clock-ps=1000\), 4 \(.*\), 7 \(.*\); run the shards that hold them/);
    const other = await cli("sweep", "--config", config, "--param", "window=8", "--tokens", "2", "--out", join(dir, "sharded", "0"));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/sweep-definition\.json: holds the points of another sweep \(gaincell sweep --config .* --param window=8,16 .*\): give another --out or remove the folder\n$/);
  });

  it("resumes: a rerun runs only the points without a record and writes the same bytes", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const out = join(dir, "resumed");
    expect((await cli(...args(config), "--out", out)).code).toBe(0);
    const before = readFileSync(join(out, "sweep.csv"));
    rmSync(join(out, "points", "000002.json"));
    rmSync(join(out, "points", "000005.json"));
    rmSync(join(out, "sweep.csv"));
    const again = await cli(...args(config), "--out", out);
    // point 5 (window 16) simulates 16 + 2 + 1 tokens; point 2 (levels-out 64) fails again at once, simulating none
    expect(again.stdout).toMatch(/^8 points \(6 done before\), 19 tokens simulated .*; 4 failed/);
    expect(readFileSync(join(out, "sweep.csv"))).toEqual(before);
  });

  it("takes I and N from Slurm's or Kubernetes' variables only when asked (--shard auto)", () => {
    expect(parseShard("2/5", {})).toEqual({ index: 2, count: 5 });
    expect(parseShard("auto", { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4" })).toEqual({ index: 3, count: 4 });
    expect(parseShard("auto", { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "8" })).toEqual({ index: 4, count: 8 });
    expect(parseShard("auto/6", { JOB_COMPLETION_INDEX: "5" })).toEqual({ index: 5, count: 6 });
    expect(() => parseShard("auto", {})).toThrow(/--shard: auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set/);
    expect(() => parseShard("auto", { JOB_COMPLETION_INDEX: "1" })).toThrow(/SLURM_ARRAY_TASK_COUNT is not set; give N/);
    expect(() => parseShard("4/4", {})).toThrow(/--shard: 4\/4: I must be in 0..N−1/);
    expect(() => parseShard("1of4", {})).toThrow(/--shard: I "1of4" is not a whole number/);
  });

  it("writes a Slurm job array with absolute paths and the placement options left out", () => {
    expect(definingArgs(["--param", "window=8", "--out", "x", "--shard=1/2", "--jobs", "3", "--slurm", "--shards", "4", "--accuracy"])).toEqual(["--param", "window=8", "--accuracy"]);
    const text = sbatchScript({ dir: "/data/my sweep", shards: 4, args: ["--param", "window=8,16"], cwd: "/home/u", node: "/usr/bin/node", cli: "/opt/g/bin/gaincell.js" });
    expect(text.split("\n")).toEqual(expect.arrayContaining([
      "#!/bin/bash",
      "#SBATCH --array=0-3",
      "#SBATCH --output=/data/my sweep/logs/shard-%a.out",
      "cd /home/u",
      `exec /usr/bin/node /opt/g/bin/gaincell.js sweep --param window=8,16 --shard auto --jobs 1 --out '/data/my sweep/shards'/"$SLURM_ARRAY_TASK_ID"`,
    ]));
  });
});
