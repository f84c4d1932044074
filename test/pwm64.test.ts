// The pwm64 kernel benchmark against its Verilog in Icarus: the CLI's last line, every traced
// signal's history, and our trace in GTKWave and through the FST converters.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseVcd, type VcdDocument } from "../src/engine/VcdReader.js";
import { buildPwm64Cli, ROOT } from "./support/build.js";
import { fstRoundTrip, gtkwaveInspect, PWM64_VERILOG, simulateIcarus, toolTest } from "./support/tools.js";

const it_icarus = toolTest(["iverilog", "vvp"]);
const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);
const it_fst = toolTest(["vcd2fst", "fst2vcd"]);

// Cycles around the 16-cycle load period (a code is loaded at cycle 1, the first LFSR codes at 17) and longer runs.
const CHECKSUM_CYCLES = [1, 2, 15, 16, 17, 40, 1000];
const HISTORY_CYCLES = [40, 300];
const PERIOD_PS = 1000;
const FIRST_RISE_PS = 500;
/** The Verilog's testbench variables, which the model keeps in plain TypeScript instead. */
const VERILOG_ONLY = ["pwm64.k", "pwm64.n", "pwm64.sum"];
/** The signals the issue lists: top level, then each channel's `u`. */
const TOP_SIGNALS = ["clk", "load", "phase", "lfsr", "codes", "pulses"].map((s) => `pwm64.${s}`);
const CHANNEL_SIGNALS = ["code", "count", "pulse", "acc"];

let dir = "";
let cli = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pwm64-test-"));
  cli = buildPwm64Cli(join(dir, "build")); // a private build: other test files may be writing dist/
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs our CLI; returns its stdout lines. */
function runOurs(args: string[]): string[] {
  const result = spawnSync("node", [cli, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`pwm64 ${args.join(" ")} exited with ${result.status}:\n${result.stderr}`);
  return result.stdout.trimEnd().split("\n");
}

/** Runs our CLI with a trace of `cycles` cycles; returns the parsed VCD and its path. */
function traceOurs(cycles: number, extra: string[] = []): { doc: VcdDocument; path: string } {
  const path = join(dir, `pwm64-${cycles}-${extra.join("_").replace(/[^\w]/g, "")}.vcd`);
  runOurs(["--cycles", String(cycles), "--vcd", path, ...extra]);
  return { doc: parseVcd(readFileSync(path, "utf8"), path), path };
}

function listedSignals(): string[] {
  const channels = Array.from({ length: 64 }, (_, i) => CHANNEL_SIGNALS.map((s) => `pwm64.ch[${i}].u.${s}`));
  return [...TOP_SIGNALS, ...channels.flat()];
}

describe("npm run pwm64", () => {
  it_icarus("prints as its last line exactly what the Verilog prints, for every cycle count", () => {
    for (const cycles of CHECKSUM_CYCLES) {
      const icarus = simulateIcarus(PWM64_VERILOG, "pwm64.vcd", { "pwm64.CYCLES": cycles, "pwm64.DUMP": 1 });
      try {
        const theirs = icarus.stdout.trimEnd().split("\n").at(-1);
        expect(theirs).toMatch(/^cycles=\d+ checksum=\d+$/);
        expect(runOurs(["--cycles", String(cycles)]).at(-1), `${cycles} cycles`).toBe(theirs);
      } finally {
        icarus.dispose();
      }
    }
  });

  it("rejects a bad cycle count or window with a usage error (exit 2) naming the option", () => {
    const cases: [string[], RegExp][] = [
      [["--cycles", "0"], /--cycles: "0" is not a whole number ≥ 1/],
      [["--cycles", "5", "--from", "abc"], /--from: "abc" is not a whole number of picoseconds ≥ 0/],
      [["--cycles", "5", "--from", "5000", "--to", "2000"], /--to 2000 is before --from 5000/],
    ];
    for (const [args, message] of cases) {
      const result = spawnSync("node", [cli, ...args], { encoding: "utf8" });
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe.each(HISTORY_CYCLES)("the trace of %i cycles", (cycles) => {
  let ours: VcdDocument;
  let oursPath = "";
  beforeAll(() => {
    ({ doc: ours, path: oursPath } = traceOurs(cycles));
  });

  it_icarus("has Icarus's hierarchy and every signal changes at the same times to the same values", () => {
    const icarus = simulateIcarus(PWM64_VERILOG, "pwm64.vcd", { "pwm64.CYCLES": cycles, "pwm64.DUMP": 1 });
    try {
      const theirs = parseVcd(readFileSync(icarus.vcdPath, "utf8"), icarus.vcdPath);
      const ourPaths = new Set(ours.paths());
      for (const path of listedSignals()) expect(ourPaths.has(path), `our trace declares ${path}`).toBe(true);
      expect(theirs.paths().filter((p) => !ourPaths.has(p)).sort()).toEqual(VERILOG_ONLY);
      for (const path of theirs.paths()) {
        if (VERILOG_ONLY.includes(path)) continue;
        expect(ours.history(path), path).toEqual(theirs.history(path));
      }
      expect([ours.startTime, ours.endTime]).toEqual([theirs.startTime, theirs.endTime]);
    } finally {
      icarus.dispose();
    }
  });

  it("declares the Verilog's widths and a 1 ps timescale; clk rises first at 500 ps, every 1000 ps", () => {
    expect(ours.timescale).toBe("1ps");
    const width = (path: string) => ours.vars.find((v) => v.path === path)?.width;
    expect(TOP_SIGNALS.map(width)).toEqual([1, 1, 4, 32, 256, 64]);
    expect(CHANNEL_SIGNALS.map((s) => width(`pwm64.ch[63].u.${s}`))).toEqual([4, 4, 1, 16]);
    const rises = ours.history("pwm64.clk").filter((c) => c.value === "1").map((c) => c.time);
    expect(rises).toEqual(Array.from({ length: cycles }, (_, i) => FIRST_RISE_PS + i * PERIOD_PS));
  });

  it_gtkwave("GTKWave loads it without a warning and sees every declared signal and the full time range", () => {
    const report = gtkwaveInspect(oursPath);
    expect(report.warnings).toEqual([]);
    expect(report.signals.map((f) => f.replace(/\[\d+:\d+\]$/, "")).sort()).toEqual(ours.paths().sort());
    expect([report.minTime, report.maxTime]).toEqual([0, FIRST_RISE_PS + (cycles - 1) * PERIOD_PS]);
  });

  it_fst("vcd2fst then fst2vcd gives back the same value changes by signal name", () => {
    const back = parseVcd(fstRoundTrip(oursPath), "fst2vcd output");
    expect(back.paths().sort()).toEqual(ours.paths().sort());
    expect([back.startTime, back.endTime]).toEqual([ours.startTime, ours.endTime]);
    for (const path of ours.paths()) expect(back.history(path), path).toEqual(ours.history(path));
  });
});

describe("the CLI's trace options", () => {
  it("--signals, --from and --to keep exactly the matching signals inside the window", () => {
    const full = traceOurs(40).doc;
    const cut = traceOurs(40, ["--signals", "pwm64.ch[1]*,*.clk", "--from", "10200", "--to", "20500"]).doc;
    const kept = full.paths().filter((p) => p.startsWith("pwm64.ch[1].") || p.endsWith(".clk"));
    expect(cut.paths()).toEqual(kept);
    for (const path of kept) {
      const history = full.history(path);
      const before = history.filter((c) => c.time <= 10200).at(-1)!;
      const inside = history.filter((c) => c.time > 10200 && c.time <= 20500);
      expect(cut.history(path), path).toEqual([{ time: 10200, value: before.value }, ...inside]);
    }
    expect([cut.startTime, cut.endTime]).toEqual([10200, 20500]);
  });
});

describe("traces/pwm64.gtkw", () => {
  it_gtkwave("opens pwm64.vcd beside it in GTKWave without a warning, showing the two groups of signals", () => {
    const traces = join(dir, "clone", "traces"); // as in a fresh clone: the save file, and the trace made beside it
    mkdirSync(traces, { recursive: true });
    const saveFile = join(traces, "pwm64.gtkw");
    copyFileSync(join(ROOT, "traces/pwm64.gtkw"), saveFile);
    runOurs(["--cycles", "200", "--vcd", join(traces, "pwm64.vcd")]);
    const report = gtkwaveInspect(saveFile);
    expect(report.warnings).toEqual([]);
    expect([report.minTime, report.maxTime]).toEqual([0, FIRST_RISE_PS + 199 * PERIOD_PS]);
    const u = "pwm64.ch[0].u";
    expect(report.displayed).toEqual([
      "pwm64.clk", "pwm64.load", "pwm64.phase[3:0]", "pwm64.codes[255:0]", "pwm64.pulses[63:0]",
      `${u}.code[3:0]`, `${u}.count[3:0]`, `${u}.pulse`, `${u}.acc[15:0]`,
    ]);
    const GROUP_BEGIN = 0x800000;
    const GROUP_END = 0x1000000;
    const groups = report.traces.filter((t) => t.flags & (GROUP_BEGIN | GROUP_END)).map((t) => [t.flags & GROUP_BEGIN ? "begin" : "end", t.name]);
    expect(groups).toEqual([["begin", "pwm64"], ["end", "pwm64"], ["begin", "ch[0].u"], ["end", "ch[0].u"]]);
    expect(readFileSync(saveFile, "utf8")).toBe(readFileSync(join(ROOT, "traces/pwm64.gtkw"), "utf8")); // GTKWave left it as it was
  });
});
