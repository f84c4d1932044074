// `gaincell report` on the command line: its three formats, --out, and the exit codes and one-line
// messages for bad options, configuration and technology files (docs/architecture.md, CLI contract).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { writeNpy } from "../src/npy.js";
import { captured } from "./support/capture.js";

const dir = mkdtempSync(join(tmpdir(), "report-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs the CLI in this process and captures what it writes. */
const cli = (...argv: string[]) => captured(() => main(argv));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SMALL = ["--window", "16", "--tokens", "2"];

describe("gaincell report", () => {
  it("prints the JSON ledger with the fields the issue asks for", async () => {
    const r = await cli("report", ...SMALL, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.latencyNsPerToken).toBe(65);
    expect(Object.keys(j.energyPjPerTokenPerHead)).toEqual(["stage1", "stage2", "write", "control", "total", "parts"]);
    // 16 columns of V lines (∝ M) and one sub-tile of 64 signed CPCs (∝ ⌈M/tile⌉·D): of the default's 10.617 pJ and 689.383 pJ
    expect(j.energyPjPerTokenPerHead.stage2).toBeCloseTo((16 / 1024) * 10.616832 + (64 / 1024) * (700 - 10.616832), 4);
    expect(j.energyPjPerTokenPerHead.control).toBe(4000);
    expect(j.powerMwPerHead).toBeCloseTo(j.energyPjPerTokenPerHead.total / 65, 3);
    expect(j.throughput.tokensPerSecondPerLayer).toBe(15384600); // 1/65 ns to 6 significant digits
    expect(j.provenance).toMatchObject({ tool: "gaincell 0.1.0", command: "gaincell report --window 16 --tokens 2 --format json" });
    expect(j.provenance.configHash).toMatch(/^[0-9a-f]{16}$/);
    expect(j.accuracy[0]).toMatchObject({ name: "ideal chip", tokens: 2, fromToken: 16 });
    expect(j.technology.provenance.vddV.kind).toBe("paper");
    expect(typeof j.areaMm2PerHead).toBe("number");
    expect([j.heads, j.layers]).toEqual([12, 12]);
    expect(j.platforms.map((p: { name: string }) => p.name)).toEqual(["NVIDIA RTX 4090", "NVIDIA Jetson Nano", "NVIDIA H100"]);
    for (const p of j.platforms) for (const k of ["latencyUs", "energyMj", "speedup", "energyGain"]) expect(typeof p[k]).toBe("number");
    expect(j.eventsPerTokenPerHead).toEqual({ cellsWritten: 128, stage1Columns: 16, stage2Columns: 16, controlCycles: 65, pwmPulses: 64, signedConversions: 64, tokenNs: 65 });
  });

  it("with --variation: the head simulated is the realised chip, and the accuracy gains its figure beside the ideal chip's (docs/model.md §7)", async () => {
    const ideal = JSON.parse((await cli("report", ...SMALL, "--tokens", "6", "--format", "json")).stdout);
    const r = await cli("report", ...SMALL, "--tokens", "6", "--format", "json", "--variation", "harsh", "--variation-seed", "4");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.accuracy.map((a: { name: string }) => a.name)).toEqual(["ideal chip", "realised chip (preset harsh, seed 4, retention per token)"]);
    // the ideal chip's figure is the one without --variation (the functional model's output = the cycle-accurate ideal chip's)
    expect(j.accuracy[0]).toEqual(ideal.accuracy[0]);
    const d = j.accuracy[1].againstIdeal;
    expect(d.changedFraction).toBeGreaterThan(0);
    expect(d.changedFraction).toBeLessThanOrEqual(1);
    expect(d.maxChange).toBeGreaterThanOrEqual(1);
    expect(d.rmsError).toBeGreaterThan(0);
    expect(j.accuracy[1].rmsError).not.toBe(j.accuracy[0].rmsError);
    // the chip is part of what the figures depend on
    expect(j.provenance.configHash).not.toBe(ideal.provenance.configHash);
    const md = await cli("report", ...SMALL, "--variation", "harsh", "--variation-seed", "4");
    expect(md.stdout).toContain("| output | tokens | RMS error | relative RMS error | counts changed vs the ideal chip | largest change |");
    expect(md.stdout).toMatch(/\nrealised chip \(preset harsh, seed 4, retention per token\): RMS over .* Against the ideal chip's outputs over the same tokens: RMS difference [\d.]+, [\d.]+ % of the output counts changed, the largest by \d+/);
    const csv = await cli("report", ...SMALL, "--variation", "harsh", "--format", "csv");
    // the name holds commas: the field is quoted
    expect(csv.stdout).toMatch(/\n"accuracy\.realised chip \(preset harsh, seed 1, retention per token\)\.againstIdeal\.changedFraction",[\d.e-]+,of the output counts\n/);
  });

  it("prints Markdown by default and CSV on request; --heads and --layers scale the layer and model", async () => {
    const md = await cli("report", ...SMALL, "--heads", "25", "--layers", "48");
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# gaincell ledger/);
    expect(md.stdout).toContain("| **total** |");
    expect(md.stdout).toContain("| layer (25 heads in parallel) |");
    expect(md.stdout).toContain("| model (48 layers in sequence) |");
    const csv = await cli("report", ...SMALL, "--format", "csv");
    expect(csv.stdout.split("\n")[0]).toBe("quantity,value,unit");
    expect(csv.stdout).toContain("\nlatencyNsPerToken,65,ns\n");
    expect(csv.stdout).toContain("\nevents.controlCycles,65,per token per head\n");
  });

  it("writes --out and takes a window smaller than the tile", async () => {
    const out = join(dir, "ledger.md");
    const r = await cli("report", "--window", "8", "--tokens", "1", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, "utf8")).toContain("window M 8, tile 8");
  });

  it("reads --q/--k/--v files and refuses ones too short to fill the window", async () => {
    const T = 20;
    const data = (x: number) => ({ shape: [T, 4], data: Float64Array.from({ length: T * 4 }, (_, i) => ((i * 7 + x) % 10) / 11) });
    const [q, k, v] = ["q", "k", "v"].map((n, i) => {
      const path = join(dir, `${n}.npy`);
      writeNpy(path, data(i));
      return path;
    });
    const ok = await cli("report", "--q", q, "--k", k, "--v", v, "--window", "16", "--format", "json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).eventsPerTokenPerHead.cellsWritten).toBe(8); // 2 · D with D = 4 from the files
    const short = await cli("report", "--q", q, "--k", k, "--v", v);
    expect(short.code).toBe(1);
    expect(short.stderr).toBe(`gaincell: ${q}: 20 tokens cannot show a full window of 1024: give at least 1026\n`);
  });

  it.each([
    [["--format", "xml"], 2, /--format: "xml" is not one of md, json, csv/],
    [["--q", "q.npy"], 2, /give all three of --q, --k and --v/],
    [["--heads", "0"], 2, /--heads: "0" is not a whole number in 1..4096/],
    [["--tokens", "many"], 2, /--tokens: "many" is not a whole number/],
    [["--window", "0"], 1, /^gaincell: config.windowM: 0 is not a positive integer \(in the command line\)\n$/],
  ])("%j exits %i with a message naming the option or field", async (args, code, message) => {
    const r = await cli("report", ...(args as string[]));
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it("names the field of a bad configuration file and of a bad technology file", async () => {
    const config = file("config.json", '{"phase1Cycles": 10}');
    const c = await cli("report", "--config", config);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/^gaincell: config\.phase1Cycles: 10 cycles × 1000 ps is shorter than T_max = 15000 ps/);
    expect(c.stderr).toContain(config);
    const tech = file("tech.json", '{"controlPfPerCycle": -4}');
    const t = await cli("report", ...SMALL, "--tech", tech);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe(`gaincell: tech.controlPfPerCycle: -4 must be at least 0 pF (in ${tech})\n`);
  });

  it("prices with a technology file, marking what it gave", async () => {
    // only clocked control logic: 1 pF per cycle at 1 V is 1 pJ a cycle, 65 pJ a token
    const zero = ["writeBitLineFfPerCell", "readBitLineFfPerCell", "wordLineFfPerCell", "flipFlopFf", "chargeActivity", "dacUnitFf", "cpcBiasUa", "signedCpcBiasUa", "controlLeakageMa"];
    const tech = file("tech-ok.json", JSON.stringify({ description: "test", vddV: 1, controlPfPerCycle: 1, ...Object.fromEntries(zero.map((k) => [k, 0])) }));
    const r = await cli("report", ...SMALL, "--tech", tech, "--format", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.energyPjPerTokenPerHead.total).toBe(65);
    expect(j.technology.provenance.controlPfPerCycle).toEqual({ kind: "given", note: `given in ${tech}` });
    expect(j.technology.provenance.cellUm2.kind).toBe("derived");
  });

  it("rounds JSON and CSV numbers to 6 significant digits and honours SOURCE_DATE_EPOCH", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    try {
      const json = await cli("report", ...SMALL, "--format", "json");
      expect(JSON.parse(json.stdout).provenance.date).toBe("2023-11-14T22:13:20.000Z");
      // the significant digits of a number as written: no sign, exponent, point, leading or trailing zeros
      const digits = (n: string) => n.replace(/^-/, "").replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length;
      const numbers = (text: string) => text.match(/(?<![\w.])-?\d+\.\d+(e[-+]?\d+)?(?![\w.])/gi) ?? [];
      expect(numbers(json.stdout).length).toBeGreaterThan(50);
      for (const n of numbers(json.stdout)) expect(digits(n), n).toBeLessThanOrEqual(6);
      const csv = await cli("report", ...SMALL, "--format", "csv");
      for (const n of numbers(csv.stdout)) expect(digits(n), n).toBeLessThanOrEqual(6);
      expect(csv.stdout).toContain("\nprovenance.date,2023-11-14T22:13:20.000Z,\n");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
