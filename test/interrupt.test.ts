// A trace stays a complete, valid VCD however the run ends: Ctrl-C on the CLI, or an error in a process.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { runInterruptible } from "../src/engine/runInterruptible.js";
import { Simulator } from "../src/engine/Simulator.js";
import { VcdTrace } from "../src/engine/VcdTrace.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { SimulationError } from "../src/errors.js";
import { buildPwm64Cli, ROOT } from "./support/build.js";
import { gtkwaveInspect, requireTool } from "./support/tools.js";

const INTERRUPT_AFTER_MS = 1000;
const EXIT_INTERRUPTED = 130; // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "interrupt-test-"));
  buildPwm64Cli(); // dist/, as `npm run pwm64` uses it
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GTKWave loads `file` without a warning, to its end; skipped without GTKWave, failed under CI (see tools.ts). */
function expectGtkwaveLoads(file: string, endPs: number): void {
  if (!requireTool("gtkwave") || !requireTool("xvfb-run")) return;
  const report = gtkwaveInspect(file);
  expect(report.warnings).toEqual([]);
  expect(report.maxTime).toBe(endPs);
}

/** Bytes of the trace being written: its temporary file beside `file` (renamed into place at the end). */
function bytesBeing(file: string): number {
  const prefix = `.${basename(file)}.`;
  const temp = readdirSync(dirname(file)).find((f) => f.startsWith(prefix) && f.endsWith(".tmp"));
  return temp === undefined ? 0 : statSync(join(dirname(file), temp)).size;
}

/**
 * Runs the CLI with `args` tracing to `file`, and sends `signal` once `afterMs` have passed and the
 * trace has its first flush on disk (so the run, and its signal handler, have started).
 */
function runAndSignal(args: string[], file: string, signal: NodeJS.Signals, afterMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["dist/bench/pwm64/main.js", ...args, "--vcd", file], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const started = Date.now();
    const poll = setInterval(() => {
      const flushed = bytesBeing(file) > 0;
      if (flushed && Date.now() - started >= afterMs) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("Ctrl-C", () => {
  it("a pwm64 trace interrupted by SIGINT exits 130 and leaves a complete VCD up to where it stopped", async () => {
    const file = join(dir, "tmp.vcd");
    const run = await runAndSignal(["--cycles", "100000000"], file, "SIGINT", INTERRUPT_AFTER_MS);
    expect(run.code, run.stderr).toBe(EXIT_INTERRUPTED);
    expect(run.stdout).toBe(""); // no checksum: the run did not reach its last cycle
    const stoppedAt = Number(/interrupted at (\d+) ps/.exec(run.stderr)?.[1]);
    const doc = parseVcd(readFileSync(file, "latin1"), file);
    expect(doc.endTime).toBeGreaterThan(0);
    expect(doc.endTime).toBe(stoppedAt);
    expect(doc.history("pwm64.clk").at(-1)!.time).toBeLessThanOrEqual(doc.endTime);
    expectGtkwaveLoads(file, doc.endTime);
  });

  it("SIGTERM stops it the same way", async () => {
    const file = join(dir, "term.vcd");
    const run = await runAndSignal(["--cycles", "100000000", "--signals", "pwm64.clk,pwm64.ch[0].*"], file, "SIGTERM", 500);
    expect(run.code, run.stderr).toBe(EXIT_INTERRUPTED);
    const doc = parseVcd(readFileSync(file, "latin1"), file);
    expect(doc.endTime).toBe(Number(/interrupted at (\d+) ps/.exec(run.stderr)?.[1]));
    expect(doc.paths()).toEqual(["pwm64.clk", ...["clk", "load", "code", "pulse", "acc", "count"].map((s) => `pwm64.ch[0].u.${s}`)]);
  });
});

/** A counter whose process throws at a chosen cycle, as a model with a bug would. */
class FailsAt extends Module {
  readonly clk = this.clock("clk", { periodPs: 10, firstRisePs: 5 });
  readonly count = this.vec("count", 8);
  readonly level = this.real("level", "V");
  constructor(failAtCount: number) {
    super(null, "top");
    this.always(this.clk.posedge, [this.count], () => this.count.set(this.count.get() + 1));
    this.comb([this.count], [this.level], () => {
      if (this.count.get() === failAtCount) throw new Error("model bug");
      this.level.set(this.count.get() * 0.25);
    });
  }
}

describe("an error mid-run", () => {
  it("propagates, naming the process and time, and leaves a valid VCD ending at that time", async () => {
    const file = join(dir, "error.vcd");
    const sim = new Simulator(new FailsAt(7));
    new VcdTrace(sim, file, { date: "fixed" });
    const failPs = 5 + 6 * 10; // the 7th rising edge
    await expect(runInterruptible(sim, 1_000_000)).rejects.toThrow(
      new SimulationError(`at ${failPs} ps in top.comb(level): model bug`),
    );
    const doc = parseVcd(readFileSync(file, "latin1"), file);
    expect(doc.endTime).toBe(failPs);
    // count reached 7 at the failing edge (committed before the comb process ran); level kept 6 × 0.25
    expect(doc.history("top.count").at(-1)).toEqual({ time: failPs, value: "111" });
    expect(doc.history("top.level_V").at(-1)).toEqual({ time: failPs - 10, value: 1.5 });
    expectGtkwaveLoads(file, failPs);
  });
});
