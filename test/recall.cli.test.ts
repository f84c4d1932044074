// `gaincell recall` and `gaincell sweep --metric recall` on the command line: the files written and what
// they hold, the one-line errors (exit 2 for the command line, 1 naming the file or field), the
// realisation written, and the same bytes on one thread or several worker threads.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { buildPwm64Cli, ROOT } from "./support/build.js";
import { captured } from "./support/capture.js";

const dir = mkdtempSync(join(tmpdir(), "recall-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

/** Runs the CLI in this process and captures what it writes. */
const cli = (...argv: string[]) => captured(() => main(argv));

// a small head: window 64 in two sub-tiles of 32, the default D = 64
const SMALL = ["--window", "64", "--tile", "32", "--queries", "4", "--probes", "4"];

describe("gaincell recall", () => {
  it("prints the curve and the capacity, and writes recall.json, recall.csv and recall.svg", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const out = join(dir, "ideal");
    const r = await cli("recall", ...SMALL, "--out", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^recall: functional model, ideal chip, retention per token, tokens back to back; window 64, D 64, λ 0\.00016; 168 tokens per chip, seed 1; [\d.]+ s wall on one thread$/);
    expect(r.stdout).toContain("values: 2 levels (0.000 V, 0.900 V) read as counts -4, 4");
    // distances 1, 2, 4, 8, 16, 32, 63, 64, 128: 64 is overwritten
    expect(r.stdout).toMatch(/\n {7}63 +4\.097 +1\.0000 +1\.000\n {7}64 +4\.162 +0\.5000 +0\.000\n/);
    expect(r.stdout).toContain("capacity (bit accuracy ≥ 0.99), ideal: 63 tokens (4.097 µs)");
    const json = JSON.parse(readFileSync(join(out, "recall.json"), "utf8"));
    expect(json.provenance.date).toBe("2023-11-14T22:13:20.000Z");
    expect(json.provenance.command).toBe(`gaincell recall ${SMALL.join(" ")}`); // not where it was written
    expect(json.model).toBe("functional");
    expect(json.plan.distances).toEqual([1, 2, 4, 8, 16, 32, 63, 64, 128]);
    expect(json.encoding).toMatchObject({ keyWeight: 8, maxOverlap: 4, codebook: [-4, 4] });
    expect(json.chips[0].capacity).toEqual({ tokens: 63, elapsedUs: 4.097, censored: false });
    const csv = readFileSync(join(out, "recall.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("chip,distance,queries,elapsedUs,bitAccuracy,queryAccuracy,capacityTokens,capacityUs,capacityCensored");
    expect(csv).toHaveLength(10);
    expect(csv[7]).toBe("ideal,63,4,4.097,1,1,63,4.097,false");
    const svg = readFileSync(join(out, "recall.svg"), "utf8");
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("Recall against distance (functional, window 64)");
    expect(existsSync(join(out, "recall-time.svg"))).toBe(false);
  });

  it("runs realised chips, writes their realisations, and charts time when retention follows it", async () => {
    const out = join(dir, "mild");
    const r = await cli("recall", ...SMALL, "--variation", "mild", "--variation-seed", "4", "--chips", "2", "--retention", "time",
      "--token-gap", "735ns", "--realisation-out", join(dir, "chips"), "--distances", "1,10-12,63", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("capacity (bit accuracy ≥ 0.99), mild, seed 4:");
    expect(r.stdout).toContain("capacity (bit accuracy ≥ 0.99), all 2 chips:");
    expect(r.stdout).toContain(`wrote the chip's realisation to ${join(dir, "chips", "seed-5")}`);
    expect(existsSync(join(dir, "chips", "seed-4", "k_gain.npy"))).toBe(true);
    const csv = readFileSync(join(out, "recall.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(1 + 3 * 5); // two chips and both pooled, 5 distances each
    // 800 ns per token: the pair 10 tokens back was written 8.002 µs before the read
    expect(csv[2]).toMatch(/^"mild, seed 4",10,4,8\.002,/);
    expect(readFileSync(join(out, "recall-time.svg"), "utf8")).toContain("Recall against time since the write");
    // the chip read back from its files recalls as the drawn one did (its noise still from mild, seed 4)
    const again = await cli("recall", ...SMALL, "--realisation", join(dir, "chips", "seed-4"), "--variation", "mild", "--variation-seed", "4",
      "--retention", "time", "--token-gap", "735ns", "--distances", "1,10-12,63", "--out", join(dir, "read"));
    expect(again.code).toBe(0);
    const curve = (file: string, chip: string) => readFileSync(file, "utf8").split("\n").filter((l) => l.startsWith(chip)).map((l) => l.split(",").slice(2).join(","));
    expect(curve(join(dir, "read", "recall.csv"), `"${join(dir, "chips", "seed-4")}`)).toEqual(curve(join(out, "recall.csv"), '"mild, seed 4"'));
  });

  it.each([
    [["--retention", "tide"], '--retention: "tide" is not token or time'],
    [["--arrivals", "a.npy"], "--arrivals: a recall stream's length is set by its distances and queries; pace it with --token-gap"],
    [["--chips", "3"], "--chips: the ideal chip has no variation, so every chip would be the same"],
    [["--distances", "1,0"], '--distances: "0" is not a distance in 1..1000000'],
    [["--distances", "9-3"], '--distances: "9-3" is not a distance'],
    [["--threshold", "1.5"], '--threshold: "1.5" is not a fraction in (0, 1]'],
    [["--token-gap", "soon"], '--token-gap: "soon" is not a time such as 2000, 65ns or 1.5us'],
    [["--value-levels", "1"], '--value-levels: "1" is not a whole number in 2..256'],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--out", ""], "--out: the value is empty"],
  ])("refuses %j with one line and exit 2", async (args, message) => {
    const r = await cli("recall", ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const [line, help] = r.stderr.trimEnd().split("\n");
    expect(line).toContain(`gaincell: ${message}`);
    expect(help).toBe("see gaincell recall --help");
  });

  it.each([
    [["--variation", join(dir, "missing.json")], `${join(dir, "missing.json")}: cannot read`],
    [["--variation", "lukewarm"], 'variation: "lukewarm" is not a preset (harsh, ideal, mild) nor a .json file'],
    [["--key-weight", "70"], "recall.keyWeight: 70 ones per key is not in 1..D = 64"],
    [["--value-levels", "9"], "recall.valueLevels: 9 is not in 2..8"],
    [["--dims", "16"], "recall: no key of 8 ones in D = 16 dimensions shares at most 4 with every key"],
    [["--realisation", join(dir, "nowhere")], `${join(dir, "nowhere", "k_gain.npy")}`],
  ])("names the file or field at fault with %j, exit 1", async (args, message) => {
    const r = await cli("recall", ...SMALL, ...args);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toContain(`gaincell: ${message}`);
  });

  it("checks where it writes before it runs, and leaves an older file as it was", async () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "in the way");
    const r = await cli("recall", ...SMALL, "--out", join(blocker, "sub"));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(""); // no run: its summary would come first
    expect(r.stderr).toBe(`gaincell: ${join(blocker, "sub", "recall.json")}: cannot write: not a directory\n`);
    expect(readFileSync(blocker, "utf8")).toBe("in the way");
  });

  it("names the field of a bad variation file", async () => {
    const file = join(dir, "chip.json");
    writeFileSync(file, JSON.stringify({ sigmaOffset: -1 }));
    const r = await cli("recall", ...SMALL, "--variation", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gaincell: variation.sigmaOffset: -1 must be at least 0 µA (in ${file})\n`);
  });

  it("gives the functional numbers cycle by cycle, on a realised chip with retention in time", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const args = ["--window", "16", "--tile", "8", "--dims", "32", "--queries", "3", "--probes", "2", "--decay", "0.02",
      "--variation", "harsh", "--retention", "time", "--token-gap", "100ns"];
    expect((await cli("recall", ...args, "--out", join(dir, "f"))).code).toBe(0);
    expect((await cli("recall", ...args, "--cycle-accurate", "--out", join(dir, "c"))).code).toBe(0);
    expect(readFileSync(join(dir, "c", "recall.csv"), "utf8")).toBe(readFileSync(join(dir, "f", "recall.csv"), "utf8"));
    const [f, c] = ["f", "c"].map((x) => JSON.parse(readFileSync(join(dir, x, "recall.json"), "utf8")));
    expect(c.model).toBe("cycle-accurate");
    expect(c.chips).toEqual(f.chips);
  });
});

describe("gaincell sweep --metric recall", () => {
  it("writes each point's capacity and curve, and charts them", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const out = join(dir, "sweep");
    const r = await cli("sweep", "--metric", "recall", "--param", "window=16,32", "--param", "tau=20us,1ms", "--tile", "16",
      "--queries", "4", "--probes", "2", "--out", out);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^4 points \(0 done before\), [\d,]+ tokens simulated on one thread/);
    const csv = readFileSync(join(out, "sweep.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("point,window,tau,error,capacityTokens,capacityUs,capacityCensored,breakEvenTokens,breakEvenUs,keyWeight,maxOverlap,chips,tokensPerChip");
    // τ = 1 ms is λ = 8e-4 per token: the break-even is far past either window, so recall reaches its last slot
    expect(csv[2]).toMatch(/^window=16 tau=1ms,16,1ms,,15,0\.977,false,/);
    expect(csv[4]).toMatch(/^window=32 tau=1ms,32,1ms,,31,2\.017,false,/);
    // τ = 20 µs (λ = 0.04): 0 V values stop at ln(1/0.5028)/0.04 = 17.2 tokens, inside the 32-slot window
    const [, , , , capacity, , , breakEven] = csv[3].split(",");
    expect(Number(breakEven)).toBeCloseTo(17.19, 1);
    expect(Number(capacity)).toBeLessThan(31);
    const recall = readFileSync(join(out, "recall.csv"), "utf8").split("\n");
    expect(recall[0]).toBe("point,distance,queries,elapsedUs,bitAccuracy,queryAccuracy,capacityTokens,capacityUs,capacityCensored");
    for (const f of ["recall.svg", "capacity.svg"]) expect(readFileSync(join(out, f), "utf8")).toMatch(/<\/svg>\s*$/);
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).definition.recall.plan.distances).toBeNull();
  });

  it("sweeps the chip's variation, and a realised chip's point gives what gaincell recall gives", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const shape = ["--window", "32", "--tile", "16", "--queries", "4", "--probes", "4"];
    const r = await cli("sweep", "--metric", "recall", "--param", "sigmaScpc=0,6", ...shape, "--variation", "mild", "--variation-seed", "2", "--out", join(dir, "sigma"));
    expect(r.code).toBe(0);
    const points = readFileSync(join(dir, "sigma", "recall.csv"), "utf8").trim().split("\n");
    const file = join(dir, "scpc6.json");
    const mild = JSON.parse(readFileSync(join(ROOT, "presets", "variation", "mild.json"), "utf8"));
    writeFileSync(file, JSON.stringify({ ...mild, sigmaScpc: 6 }));
    const one = await cli("recall", ...shape, "--variation", file, "--variation-seed", "2", "--out", join(dir, "scpc6"));
    expect(one.code).toBe(0);
    const rows = (text: string, series: string) => text.trim().split("\n").filter((l) => l.startsWith(series)).map((l) => l.slice(series.length));
    expect(rows(points.join("\n"), "sigmaScpc=6")).toEqual(rows(readFileSync(join(dir, "scpc6", "recall.csv"), "utf8"), `"${file}, seed 2"`));
  });

  it("merges shards into the bytes of one run, and resumes", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const args = ["sweep", "--metric", "recall", "--param", "window=16,32", "--param", "sigmaA=0,2", "--tile", "16", "--queries", "4", "--probes", "2"];
    expect((await cli(...args, "--out", join(dir, "whole"))).code).toBe(0);
    for (const i of [0, 1]) expect((await cli(...args, "--shard", `${i}/2`, "--out", join(dir, "part", String(i)))).code).toBe(0);
    expect((await cli("sweep", "merge", join(dir, "part", "0"), join(dir, "part", "1"), "--out", join(dir, "merged"))).code).toBe(0);
    const files = ["sweep.csv", "recall.csv", "sweep.json", "recall.svg", "capacity.svg"];
    for (const f of files) expect(readFileSync(join(dir, "merged", f)), f).toEqual(readFileSync(join(dir, "whole", f)));
    rmSync(join(dir, "whole", "points", "000003.json"));
    const again = await cli(...args, "--out", join(dir, "whole"));
    expect(again.stdout).toMatch(/^4 points \(3 done before\)/);
    for (const f of files) expect(readFileSync(join(dir, "whole", f)), f).toEqual(readFileSync(join(dir, "merged", f)));
  });

  it.each([
    [["--param", "window=8", "--metric", "energy"], '--metric: "energy" is not ledger or recall'],
    [["--param", "token-gap=0,1us"], "--param token-gap paces a recall stream: add --metric recall"],
    [["--param", "window=8", "--token-gap", "1us"], "--token-gap belongs to --metric recall"],
    [["--param", "window=8", "--queries", "4"], "--queries belongs to --metric recall"],
    [["--param", "window=8", "--metric", "recall", "--accuracy"], "--accuracy belongs to the ledger"],
    [["--param", "window=8", "--metric", "recall", "--realisation", "x"], "Unknown option '--realisation'"],
  ])("refuses %j with exit 2", async (args, message) => {
    const r = await cli("sweep", ...args, "--out", join(dir, "never"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gaincell: ${message}`);
  });

  it("names a bad axis value", async () => {
    const r = await cli("sweep", "--metric", "recall", "--param", "token-gap=1ns,later", "--out", join(dir, "never"));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('gaincell: --param token-gap: "later" is not a time such as 735ns or 5ms\n');
  });
});

describe("threads", () => {
  it("writes the same bytes on one thread and on worker threads", () => {
    buildPwm64Cli(); // tsc into dist/, where the worker's compiled file lives
    const env = { ...process.env, SOURCE_DATE_EPOCH: "1700000000" };
    const run = (jobs: number, out: string, ...extra: string[]) => {
      const r = spawnSync("node", ["bin/gaincell.js", ...extra, "--out", join(dir, out), "--jobs", String(jobs)], { cwd: ROOT, encoding: "utf8", env });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      return r.stdout;
    };
    const recall = ["recall", ...SMALL, "--variation", "mild", "--chips", "3"];
    expect(run(1, "one", ...recall)).toMatch(/on one thread\n/);
    expect(run(3, "three", ...recall)).toMatch(/on 3 worker threads\n/);
    for (const f of ["recall.json", "recall.csv", "recall.svg"]) expect(readFileSync(join(dir, "three", f)), f).toEqual(readFileSync(join(dir, "one", f)));
    const sweep = ["sweep", "--metric", "recall", "--param", "window=16,32", "--param", "sigmaA=0,1", "--tile", "16", "--queries", "4", "--probes", "2"];
    expect(run(1, "sweep-one", ...sweep)).toMatch(/on one thread/);
    expect(run(2, "sweep-two", ...sweep)).toMatch(/on 2 worker threads/);
    for (const f of ["sweep.csv", "recall.csv", "sweep.json", "recall.svg", "capacity.svg"]) {
      expect(readFileSync(join(dir, "sweep-two", f)), f).toEqual(readFileSync(join(dir, "sweep-one", f)));
    }
  }, 240_000);
});
