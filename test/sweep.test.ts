// `gaincell sweep`: the grid, the points' figures (energy follows the window, error follows the
// levels), the CSV and charts written, and the CLI on worker threads giving the in-thread results.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ACCELERATOR, validateAccelerator } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import { ConfigError } from "../src/errors.js";
import { tokensFor } from "../src/report/measure.js";
import { expandGrid, parseAxis, type SweepAxis, type SweepPoint } from "../src/report/sweepGrid.js";
import { sweepCsv, sweepRows, writeSweep, type SweepRow } from "../src/report/sweepOutput.js";
import { runSweep } from "../src/report/sweepRun.js";
import { DEFAULT_TECHNOLOGY } from "../src/report/technology.js";
import { buildPwm64Cli, ROOT } from "./support/build.js";

const FIELDS = Object.keys(DEFAULT_ACCELERATOR) as (keyof typeof DEFAULT_ACCELERATOR)[];
const dir = mkdtempSync(join(tmpdir(), "sweep-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = validateAccelerator({ D: 8, tile: 8 });
const inputsFor = (p: SweepPoint) => seededInputs(tokensFor(p.config, 2), 1, p.config.D, 3);

describe("the grid", () => {
  it("takes option names and field names", () => {
    expect(parseAxis("window=64,128", FIELDS)).toEqual({ name: "window", field: "windowM", values: [64, 128] });
    expect(parseAxis(" phase1Cycles = 15, 30 ", FIELDS)).toEqual({ name: "phase1Cycles", field: "phase1Cycles", values: [15, 30] });
    expect(parseAxis("nonlinearity=cubic,linear", FIELDS).values).toEqual(["cubic", "linear"]);
  });

  it.each([
    ["window", /"window" is not NAME=v1,v2/],
    ["windw=64", /--param windw: is not a configuration option or field; use one of window, tile/],
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
    expect(points[0].config.tile).toBe(4); // a window narrower than the tile is one sub-tile of M slots
  });

  it("names the point and the field of an invalid value, and a field swept twice", () => {
    expect(() => expandGrid(base, [parseAxis("levels-kv=8,1", FIELDS)])).toThrow(
      "config.levelsKv: 1 is too few: a DAC needs at least 2 levels (the spec's default is 8) (in the sweep point levels-kv=1)",
    );
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
    let progress = 0;
    const results = await runSweep(points, { inputsFor, accuracy: true, jobs: 1, onProgress: (n) => (progress = n) });
    expect(progress).toBe(points.reduce((n, p) => n + tokensFor(p.config, 2), 0));
    rows = sweepRows(axes, points, results, DEFAULT_TECHNOLOGY);
  });

  it("prices each point from its own events and configuration: doubling the window doubles stage 2 and the columns", () => {
    const at = (w: number, kv: number) => rows.find((r) => r.window === w && r["levels-kv"] === kv)!;
    // window 8 and 16 with tile 8: one and two sub-tiles, so columns and signed CPCs both double
    expect(at(16, 8)["energyPj.stage2"]).toBeCloseTo(2 * (at(8, 8)["energyPj.stage2"] as number), 9);
    expect(at(16, 8)["energyPj.stage1"] as number).toBeGreaterThan(at(8, 8)["energyPj.stage1"] as number);
    expect(at(16, 8)["energyPj.write"] as number).toBeGreaterThan(at(8, 8)["energyPj.write"] as number); // longer write bit lines
    expect(at(16, 2)["energyPj.write"] as number).toBeLessThan(at(16, 8)["energyPj.write"] as number); // a 1-bit DAC
    expect(at(16, 2)["latencyNsPerToken"]).toBe(65);
    expect(at(16, 2)["events.stage1Columns"]).toBe(16);
  });

  it("measures a smaller error with finer K/V levels, and none at the reference itself", async () => {
    for (const w of [8, 16]) {
      const coarse = rows.find((r) => r.window === w && r["levels-kv"] === 2)!;
      const fine = rows.find((r) => r.window === w && r["levels-kv"] === 8)!;
      expect(fine.rmsError as number).toBeLessThan(coarse.rmsError as number);
    }
    const reference = expandGrid(validateAccelerator({ ...base, levelsQ: 256, levelsKv: 256, levelsOut: 256, convertCycles: 128, lambdaPerToken: 0 }), [parseAxis("window=8", FIELDS)]);
    const [r] = await runSweep(reference, { inputsFor, accuracy: true, jobs: 1 });
    expect(r.accuracy).toEqual({ rmsError: 0, relativeRmsError: 0 });
  });

  it("writes sweep.csv, sweep.json and the SVG charts", async () => {
    const out = join(dir, "in-thread");
    const files = await writeSweep(out, axes, rows, DEFAULT_TECHNOLOGY);
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(["sweep.csv", "sweep.json", "energy.svg", "latency.svg", "area.svg", "accuracy.svg"]);
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^point,window,levels-kv,latencyNsPerToken,energyPj\.stage1,.*,rmsError,relativeRmsError$/);
    expect(csv[1]).toMatch(/^window=8 levels-kv=2,8,2,65,/);
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).accuracyMetric).toMatch(/^RMS over tokens and dims/);
    for (const [name, title] of [["energy", "Energy per token, one head, by component"], ["latency", "Latency per token"], ["area", "Area of one head"], ["accuracy", "Output error"]]) {
      const svg = readFileSync(join(out, `${name}.svg`), "utf8");
      expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg.trimEnd()).toMatch(/<\/svg>$/);
      expect(svg).toContain(title);
    }
    expect(readFileSync(join(out, "energy.svg"), "utf8")).toContain("levels-kv=8"); // the second axis as facets
  });

  it("quotes CSV fields that need it", () => {
    expect(sweepCsv([{ point: 'a,"b"', x: 1 }])).toBe('point,x\n"a,""b""",1\n');
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
    expect(run.stdout).toMatch(/^4 points, 60 tokens simulated on 2 worker threads in [\d.]+ s\naccuracy: RMS/);
    expect(readFileSync(join(out, "sweep.csv"), "utf8")).toBe(sweepCsv(rows));
    expect(existsSync(join(out, "accuracy.svg"))).toBe(true);
  });
});
