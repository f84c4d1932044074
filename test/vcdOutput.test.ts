// The VCD trace as an output: declarations of any size streamed (several heads, wide heads, long
// windows), a full disk mid-run (old trace untouched, one line naming the file), the date from
// SOURCE_DATE_EPOCH, and globs that match no signal; a 12-head layer loads in GTKWave.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { Pwm64 } from "../bench/pwm64/Pwm64.js";
import { attendCommand } from "../src/cli/attend.js";
import { FileFormatError, GaincellError, SignalSelectionError } from "../src/errors.js";
import { runInterruptible } from "../src/engine/runInterruptible.js";
import { Simulator } from "../src/engine/Simulator.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { VcdTrace } from "../src/engine/VcdTrace.js";
import { captured } from "./support/capture.js";
import { gtkwaveInspect, toolTest } from "./support/tools.js";
import { tmpfsTest } from "./support/tmpfs.js";

const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);
const dir = mkdtempSync(join(tmpdir(), "vcd-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Runs `gaincell attend <args>` in this process; returns the exit code and what it printed. */
const attend = (...args: string[]) => captured(() => attendCommand(args));

/** A pwm64 simulator of `cycles` cycles traced to `file`. */
function pwm64Traced(file: string, cycles: number, signals?: string): Simulator {
  const sim = new Simulator(new Pwm64("pwm64", cycles));
  new VcdTrace(sim, file, { signals, date: "fixed" });
  return sim;
}

describe("declarations of any size", () => {
  // each was one line longer than the writer's buffer: "one VCD line of 1382632 bytes is longer than the buffer"
  it.each([
    [["--heads", "2", "--tokens", "3"], "layer.head[1].sub[15].scpc[63].count"],
    [["--dims", "128", "--tokens", "2"], "layer.head[0].sub[15].scpc[127].count"],
    [["--window", "4096", "--tokens", "2"], "layer.head[0].sub[63].cpc[63].pulse"],
  ])("attend %j writes a trace that declares every signal", async (args, deepest) => {
    const file = join(dir, `decl-${args.join("")}.vcd`);
    const r = await attend(...args, "--vcd", file);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const text = readFileSync(file, "latin1");
    const declarations = text.slice(0, text.indexOf("$enddefinitions"));
    expect(declarations.length).toBeGreaterThan(1 << 20); // more than the writer's buffer
    const doc = parseVcd(text, file);
    expect(doc.paths()).toContain(deepest);
    expect(doc.endTime).toBeGreaterThan(0);
  }, 120_000);
});

describe("write errors", () => {
  it("/dev/full: the run stops with one line naming the file and the cause, and /dev/full stays a device", async () => {
    const sim = pwm64Traced("/dev/full", 20_000);
    await expect(runInterruptible(sim, 1e9)).rejects.toThrow(new FileFormatError("/dev/full", "cannot write: no space left on device"));
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  tmpfsTest("a disk that fills up mid-run: the older trace is untouched, no temporary file is left", 64, async ({ dir: fs }) => {
    const file = join(fs, "t.vcd");
    writeFileSync(file, "the older trace");
    const sim = pwm64Traced(file, 20_000);
    await expect(runInterruptible(sim, 1e9)).rejects.toThrow(/t\.vcd: cannot write: no space left on device$/);
    expect(readdirSync(fs)).toEqual(["t.vcd"]);
    expect(readFileSync(file, "utf8")).toBe("the older trace");
  });
});

describe("$date", () => {
  it("is SOURCE_DATE_EPOCH's when set, so two identical runs give identical bytes", async () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "1700000000");
    const files = [join(dir, "r1.vcd"), join(dir, "r2.vcd")];
    for (const file of files) {
      const top = new Pwm64("pwm64", 30);
      const sim = new Simulator(top);
      new VcdTrace(sim, file);
      await runInterruptible(sim, top.lastEdgePs);
    }
    const [a, b] = files.map((f) => readFileSync(f));
    expect(a.toString("latin1")).toMatch(/^\$date\n\t2023-11-14T22:13:20\.000Z\n\$end\n/);
    expect(a.equals(b)).toBe(true);
  });

  it("a malformed SOURCE_DATE_EPOCH is an error naming it, before any file is written", () => {
    vi.stubEnv("SOURCE_DATE_EPOCH", "yesterday");
    const file = join(dir, "never.vcd");
    expect(() => new VcdTrace(new Simulator(new Pwm64("pwm64", 3)), file)).toThrow(GaincellError);
    expect(() => new VcdTrace(new Simulator(new Pwm64("pwm64", 3)), file)).toThrow(/^SOURCE_DATE_EPOCH: "yesterday" is not a whole number of seconds/);
    expect(existsSync(file)).toBe(false);
  });
});

describe("signal selection", () => {
  it("a glob that matches no signal names a few close names, and no file is written", () => {
    const file = join(dir, "none.vcd");
    let error: unknown;
    try {
      pwm64Traced(file, 3, "pwm64.clk,pwm64.ch[0].u.cuont");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SignalSelectionError);
    expect((error as Error).message).toBe('"pwm64.ch[0].u.cuont" matches no signal; close names: pwm64.ch[0].u.count, pwm64.ch[0].u.code, pwm64.ch[1].u.count, pwm64.ch[2].u.count, pwm64.ch[3].u.count');
    expect(existsSync(file)).toBe(false);
  });

  it("selects a real by its traced name, with its unit, as GTKWave shows it", async () => {
    const file = join(dir, "unit.vcd");
    const r = await attend("--tokens", "2", "--window", "4", "--dims", "2", "--vcd", file, "--signals", "layer.head[0].sub[0].cpc[0].charge_fC,*.seq.load");
    expect(r.code).toBe(0);
    expect(parseVcd(readFileSync(file, "latin1"), file).paths()).toEqual(["layer.head[0].seq.load", "layer.head[0].sub[0].cpc[0].charge_fC"]);
  });
});

describe("a 12-head GPT-2 layer", () => {
  it_gtkwave("traced whole, with its save file, loads in GTKWave without a warning", async () => {
    const vcd = join(dir, "layer12.vcd");
    const gtkw = join(dir, "layer12.gtkw");
    const r = await attend("--heads", "12", "--tokens", "2", "--vcd", vcd, "--gtkw", gtkw);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = parseVcd(readFileSync(vcd, "latin1"), vcd);
    expect(doc.paths()).toContain("layer.head[11].acc.outValid");
    const report = gtkwaveInspect(gtkw);
    expect(report.warnings).toEqual([]);
    expect(report.signals.length).toBe(doc.paths().length);
    expect(report.maxTime).toBe(doc.endTime);
    expect(report.displayed.length).toBeGreaterThan(20);
  }, 300_000);
});
