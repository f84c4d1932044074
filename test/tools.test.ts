// The external references themselves: GTKWave and the FST converters read Icarus's pwm64 dump as
// our VCD reader does, and the GTKWave harness reports a broken file (so it can fail a test).
import { afterAll, beforeAll, describe, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseVcd, type VcdDocument } from "../src/engine/VcdReader.js";
import { fstRoundTrip, gtkwaveInspect, hasTool, PWM64_VERILOG, simulateIcarus, toolTest, type IcarusRun } from "./support/tools.js";

const it_gtkwave = toolTest(["iverilog", "vvp", "gtkwave", "xvfb-run"]);
const it_fst = toolTest(["iverilog", "vvp", "vcd2fst", "fst2vcd"]);
const it_gtkwave_alone = toolTest(["gtkwave", "xvfb-run"]);

/** GTKWave appends a vector's range to its facility name (`count[3:0]`); our paths leave it out. */
function withoutRange(facility: string): string {
  return facility.replace(/\[\d+:\d+\]$/, "");
}

describe("Icarus's pwm64 dump in the reference tools", () => {
  let icarus: IcarusRun | undefined;
  let vcdPath = "";
  let doc: VcdDocument;
  beforeAll(() => {
    if (!hasTool("iverilog") || !hasTool("vvp")) return; // the tests skip or fail with the install hint
    icarus = simulateIcarus(PWM64_VERILOG, "pwm64.vcd", { "pwm64.CYCLES": 40, "pwm64.DUMP": 1 });
    vcdPath = icarus.vcdPath;
    doc = parseVcd(readFileSync(vcdPath, "utf8"), vcdPath);
  });
  afterAll(() => icarus?.dispose());

  it_gtkwave("GTKWave loads it cleanly and sees every declared signal and the full time range", () => {
    const report = gtkwaveInspect(vcdPath);
    expect(report.warnings).toEqual([]);
    expect(report.signals.map(withoutRange).sort()).toEqual(doc.paths().sort());
    expect(report.signals).toContain("pwm64.ch[0].u.count[3:0]");
    expect(report.signals).toContain("pwm64.k"); // integers carry no range
    expect([report.minTime, report.maxTime]).toEqual([doc.startTime, doc.endTime]);
  });

  it_fst("vcd2fst then fst2vcd gives back the same history for every signal path", () => {
    const back = parseVcd(fstRoundTrip(vcdPath), "fst2vcd output");
    expect(back.paths().sort()).toEqual(doc.paths().sort());
    expect([back.startTime, back.endTime]).toEqual([doc.startTime, doc.endTime]);
    for (const path of doc.paths()) expect(back.history(path), path).toEqual(doc.history(path));
  });
});

describe("the GTKWave harness", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gtkwave-cases-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, ...lines: string[]): string {
    const path = join(dir, name);
    writeFileSync(path, lines.join("\n") + "\n");
    return path;
  }
  const header = (realWidth: number) => [
    "$timescale 1ps $end",
    "$scope module top $end",
    "$var wire 1 ! a $end",
    `$var real ${realWidth} " phi $end`,
    "$upscope $end",
    "$enddefinitions $end",
    "#0",
    "$dumpvars",
    "0!",
    'r0 "',
    "$end",
  ];

  it_gtkwave_alone("loads a real declared 64 or 1 bits wide without a warning", () => {
    for (const width of [64, 1]) {
      const report = gtkwaveInspect(write(`real${width}.vcd`, ...header(width), "#10", "1!", 'r1.5e-3 "', "#20"));
      expect(report.warnings, `$var real ${width}`).toEqual([]);
      expect(report.signals).toEqual(["top.a", "top.phi"]);
      expect([report.minTime, report.maxTime]).toEqual([0, 20]);
    }
  });

  it_gtkwave_alone("reports an undeclared code, time going backwards and an empty file", () => {
    const undeclared = gtkwaveInspect(write("undeclared.vcd", ...header(64), "#10", "1%", "#20"));
    expect(undeclared.warnings.join("\n")).toMatch(/Unknown VCD identifier: '%'/);
    const backwards = gtkwaveInspect(write("backwards.vcd", ...header(64), "#10", "1!", "#5", "0!"));
    expect(backwards.warnings.join("\n")).toMatch(/Time backtracking detected/);
    const empty = gtkwaveInspect(write("empty.vcd"));
    expect(empty.warnings.join("\n")).toMatch(/No symbols in VCD file/);
    expect(empty.warnings.join("\n")).toMatch(/exited with status 255/);
    expect(empty.signals).toEqual([]);
  });
});
