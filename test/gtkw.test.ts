// GTKWave save files: the writer's format (names as GTKWave gives them, groups, display flags,
// paths found beside the save file, translate filter files for state names), the committed
// traces/attention.gtkw, and GTKWave itself loading `gaincell attend`'s trace with its save file
// and showing the sequencer's states by name.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gtkwName, gtkwSaveFileText, translateFilters, type GtkwGroup } from "../src/engine/GtkwSaveFile.js";
import { Module } from "../src/engine/Module.js";
import { parseVcd, type VcdDocument } from "../src/engine/VcdReader.js";
import { attendCommand } from "../src/cli/attend.js";
import { ROOT } from "./support/build.js";
import { fstRoundTrip, gtkwaveInspect, toolTest } from "./support/tools.js";

const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);
const it_fst = toolTest(["vcd2fst", "fst2vcd"]);

// GTKWave's trace flags (analyzer.h)
const TR_DEC = 0x4;
const TR_BIN = 0x8;
const TR_SIGNED = 0x400;
const TR_COLLAPSED = 0x1000;
const TR_FTRANSLATED = 0x2000;
const TR_ANALOG_STEP = 0x8000;
const TR_ANALOG_INTERPOLATED = 0x10000;
const TR_ANALOG_BLANK_STRETCH = 0x20000;
const TR_CLOSED = 0x400000;
const TR_GRP_BEGIN = 0x800000;
const TR_GRP_END = 0x1000000;

const TOKEN_PS = 65_000; // docs/model.md §3: 65 cycles of 1 ns
const FIRST_EDGE_PS = 1_500; // the first token is handed over at the second rising edge

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gtkw-test-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `gaincell attend <args>` in this process with its stdout silenced; returns the exit code. */
async function attend(...args: string[]): Promise<number> {
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return await attendCommand(args);
  } finally {
    write.mockRestore();
  }
}

class Probe extends Module {
  readonly clk = this.bit("clk", "in");
  readonly state = this.vec("state", 4, "out");
  readonly bus = this.wide("bus", 96, "out");
  readonly v = this.real("charge", "fC", "out");
  readonly y = this.real("out_0", "", "out");
}

describe("the save file writer", () => {
  const top = new Probe(null, "top");

  it("names signals as GTKWave does: vectors with their range, reals with their unit suffix", () => {
    expect([top.clk, top.state, top.bus, top.v, top.y].map(gtkwName)).toEqual([
      "top.clk", "top.state[3:0]", "top.bus[95:0]", "top.charge_fC", "top.out_0",
    ]);
  });

  const groups: GtkwGroup[] = [
    { name: "ctl", traces: [{ signal: top.clk, format: "binary" }, { signal: top.state, format: "decimal" }] },
    { name: "empty", traces: [] },
    { name: "analog", traces: [{ signal: top.v, format: "analog" }, { signal: top.y, format: "value" }] },
  ];

  it("writes groups with their flags, analog traces with extra rows, and skips empty groups", () => {
    const text = gtkwSaveFileText(groups, { dumpFile: "/x/traces/t.vcd", saveFile: "/x/traces/t.gtkw", startPs: 0, endPs: 1000, analogRows: 2 });
    const rows = text.slice(text.indexOf("[sst_vpaned_height]")).split("\n").slice(1, -3);
    expect(rows).toEqual([
      "@800200", "-ctl", "@28", "top.clk", "@24", "top.state[3:0]", "@1000200", "-ctl",
      "@800200", "-analog", "@8028", "top.charge_fC", "@20000", "-", "-", "@28", "top.out_0", "@1000200", "-analog",
    ]);
  });

  it("draws a real through its vertices (Analog/Interpolated) as \"ramp\", or as \"analog\" when it is its module's piecewise-linear output", () => {
    class Integrator extends Module {
      readonly q = this.real("q", "fC", "out");
      constructor() {
        super(null, "int");
        this.piecewiseLinear(this.q);
      }
    }
    const int = new Integrator();
    const text = gtkwSaveFileText([{ name: "r", traces: [{ signal: int.q, format: "analog" }, { signal: top.v, format: "ramp" }] }],
      { dumpFile: "/x/t.vcd", saveFile: "/x/t.gtkw", startPs: 0, endPs: 1000, analogRows: 1 });
    const rows = text.slice(text.indexOf("[sst_vpaned_height]")).split("\n").slice(1, -3);
    expect(rows).toEqual(["@800200", "-r", "@10028", "int.q_fC", "@20000", "-", "@10028", "top.charge_fC", "@20000", "-", "@1000200", "-r"]);
    // a trace of steps only (VcdOptions.waveforms "steps") has no vertices to draw through: both stepped
    const stepped = gtkwSaveFileText([{ name: "r", traces: [{ signal: int.q, format: "analog" }, { signal: top.v, format: "ramp" }] }],
      { dumpFile: "/x/t.vcd", saveFile: "/x/t.gtkw", startPs: 0, endPs: 1000, analogRows: 1, steps: true });
    expect(stepped.slice(stepped.indexOf("[sst_vpaned_height]")).split("\n").slice(1, -3))
      .toEqual(["@800200", "-r", "@8028", "int.q_fC", "@20000", "-", "@8028", "top.charge_fC", "@20000", "-", "@1000200", "-r"]);
  });

  it("shows an encoded signal by name through a translate filter file beside the save file, referenced by a placeholder path", () => {
    const names = new Map([[0, "IDLE"], [4, "PHASE1"]]);
    const named: GtkwGroup[] = [{ name: "ctl", traces: [{ signal: top.state, format: "decimal", names }, { signal: top.clk, format: "binary" }] }];
    const text = gtkwSaveFileText(named, { dumpFile: "/x/traces/t.vcd", saveFile: "/x/traces/t.gtkw", startPs: 0, endPs: 1000, treeOpen: ["top"] });
    const rows = text.slice(text.indexOf("[sst_vpaned_height]")).split("\n").slice(1, -3);
    expect(rows).toEqual(["@800200", "-ctl", `@${(TR_FTRANSLATED | 0x24).toString(16)}`, "^1 /gaincell/traces/t.state-names.txt", "top.state[3:0]", "@28", "top.clk", "@1000200", "-ctl"]);
    expect(text).toMatch(/^\[treeopen\] top\.$/m);
    expect(translateFilters(named, "/x/traces/t.gtkw")).toEqual([{
      file: "/x/traces/t.state-names.txt",
      index: 1,
      names,
      text: "# top.state: values as GTKWave shows them in decimal, then their names\n0 IDLE\n4 PHASE1\n",
    }]);
  });

  it("points at the trace by a placeholder path at the same place relative to the save file", () => {
    const at = (dumpFile: string, saveFile: string) => {
      const text = gtkwSaveFileText([], { dumpFile, saveFile, startPs: 0, endPs: 1 });
      return [/\[dumpfile\] "(.*)"/.exec(text)![1], /\[savefile\] "(.*)"/.exec(text)![1]];
    };
    expect(at("/home/me/gaincell/traces/a.vcd", "/home/me/gaincell/traces/a.gtkw")).toEqual(["/gaincell/traces/a.vcd", "/gaincell/traces/a.gtkw"]);
    expect(at("/home/me/w/vcd/a.vcd", "/home/me/w/views/sub/a.gtkw")).toEqual(["/gaincell/vcd/a.vcd", "/gaincell/views/sub/a.gtkw"]);
  });

  it("starts the view at the trace's first time, zoomed so that the whole range fits", () => {
    const text = gtkwSaveFileText([], { dumpFile: "a.vcd", saveFile: "a.gtkw", startPs: 71_370_000, endPs: 71_501_500 });
    expect(text).toMatch(/^\[timestart\] 71370000$/m);
    const zoom = Number(/^\*(-?[\d.]+) /m.exec(text)![1]);
    // 2^−zoom ps per 200-pixel frame: the range takes most of the 1400-pixel window's wave pane
    const pixels = (131_500 * 200) / 2 ** -zoom;
    expect(pixels).toBeGreaterThan(600);
    expect(pixels).toBeLessThan(800);
  });
});

describe("npm start's trace and traces/attention.gtkw", () => {
  const T = 1100;
  let traces = "";
  let vcd = "";
  let gtkw = "";
  let doc: VcdDocument;
  beforeAll(async () => {
    traces = join(dir, "clone", "traces"); // the save file and the trace beside it, as in any clone
    mkdirSync(traces, { recursive: true });
    vcd = join(traces, "attention.vcd");
    gtkw = join(traces, "attention.gtkw");
    expect(await attend("--vcd", vcd, "--gtkw", gtkw, "--trace-tokens", "2")).toBe(0);
    doc = parseVcd(readFileSync(vcd, "utf8"), vcd);
  });

  it("traces the last two tokens of 1100 (the window wraps at 1024), every signal, in a small file", () => {
    expect([doc.startTime, doc.endTime]).toEqual([(T - 2) * TOKEN_PS, T * TOKEN_PS + FIRST_EDGE_PS]);
    expect(doc.paths()).toContain("layer.head[0].sub[15].scpc[63].count");
    expect(statSync(vcd).size).toBeLessThan(4 << 20);
  });

  it("is the committed traces/attention.gtkw and its state filter, byte for byte (regenerate them with npm start)", () => {
    expect(readFileSync(gtkw, "utf8")).toBe(readFileSync(join(ROOT, "traces/attention.gtkw"), "utf8"));
    expect(readFileSync(join(traces, "attention.state-names.txt"), "utf8")).toBe(readFileSync(join(ROOT, "traces/attention.state-names.txt"), "utf8"));
  });

  it("names only signals of the trace", () => {
    const declared = new Set(doc.vars.map((v) => (v.width > 1 && v.type !== "real" ? `${v.path}[${v.width - 1}:0]` : v.path)));
    const named = readFileSync(gtkw, "utf8").split("\n").filter((l) => l.startsWith("layer."));
    expect(named.length).toBeGreaterThan(30);
    for (const name of named) expect(declared.has(name), name).toBe(true);
  });

  it_gtkwave("GTKWave loads them without a warning: every declared signal, the full time range, the groups (open) and formats", () => {
    const report = gtkwaveInspect(gtkw);
    expect(report.warnings).toEqual([]);
    expect(report.signals.map((f) => f.replace(/\[\d+:\d+\]$/, "")).sort()).toEqual(doc.paths().sort());
    expect([report.minTime, report.maxTime]).toEqual([doc.startTime, doc.endTime]);
    const h = "layer.head[0]";
    const dims = [0, 1, 2, 3];
    expect(report.displayed).toEqual([
      "layer.clk", `${h}.seq.state[3:0]`,
      ...["load", "write", "precharge1", "phase1", "precharge2", "phase2", "convert", "accumulate"].map((s) => `${h}.seq.${s}`),
      `${h}.ptr.token[31:0]`, `${h}.ptr.slot[15:0]`,
      ...dims.map((d) => `${h}.pwm[${d}].rwl`),
      ...dims.map((d) => `${h}.wdrv.blk_${d}_V`),
      `${h}.sub[0].karray.charge_0_fC`, ...["charge_fC", "width_ps", "pulse", "saturated"].map((s) => `${h}.sub[0].cpc[0].${s}`),
      `${h}.sub[0].varray.charge_0_fC`, ...["charge_fC", "convert", "sign", "count[4:0]", "discharging"].map((s) => `${h}.sub[0].scpc[0].${s}`),
      `${h}.acc.outValid`, ...dims.map((d) => `${h}.acc.sum_${d}[9:0]`), ...dims.map((d) => `${h}.acc.out_${d}`),
    ]);
    const rows = report.traces;
    const groups = rows.filter((t) => t.flags & TR_GRP_BEGIN).map((t) => t.name);
    expect(groups).toEqual(["controller", "q word lines (PHASE 1)", "K column written (bit lines, V)", "sub[0] column 0: charge to pulse", "sub[0] row 0: signed CPC", "outputs"]);
    expect(rows.filter((t) => t.flags & TR_GRP_END).map((t) => t.name)).toEqual(groups);
    for (const group of rows.filter((t) => t.flags & TR_GRP_BEGIN)) expect(group.flags & (TR_CLOSED | TR_COLLAPSED), `${group.name} is open`).toBe(0);
    const flagsOf = (name: string) => rows.find((t) => t.name === name)!.flags;
    expect(flagsOf("state[3:0]") & (TR_DEC | TR_SIGNED | TR_BIN | TR_FTRANSLATED)).toBe(TR_DEC | TR_FTRANSLATED);
    expect(flagsOf("sum_0[9:0]") & (TR_DEC | TR_SIGNED | TR_BIN)).toBe(TR_SIGNED);
    for (const real of ["blk_0_V", "width_ps"]) expect(flagsOf(real) & (TR_ANALOG_STEP | TR_ANALOG_INTERPOLATED), real).toBe(TR_ANALOG_STEP);
    // the arrays' charges ramp (piecewise linear), at the arrays and at the converters' inputs: drawn through their vertices
    const ramps = rows.filter((t) => t.name === "charge_0_fC" || t.name === "charge_fC");
    expect(ramps).toHaveLength(4);
    for (const ramp of ramps) expect(ramp.flags & (TR_ANALOG_STEP | TR_ANALOG_INTERPOLATED)).toBe(TR_ANALOG_INTERPOLATED);
    // each analog trace is four rows tall: three height extensions follow it
    const blk0 = rows.findIndex((t) => t.name === "blk_0_V");
    expect(rows.slice(blk0 + 1, blk0 + 4).map((t) => t.flags)).toEqual([TR_ANALOG_BLANK_STRETCH, TR_ANALOG_BLANK_STRETCH, TR_ANALOG_BLANK_STRETCH]);
  });
});

describe("the sequencer's states in GTKWave", () => {
  it_gtkwave("show by name in the wave window (through the filter beside the save file), and as numbers without it", async () => {
    const where = join(dir, "names", "traces");
    mkdirSync(where, { recursive: true });
    const save = join(where, "t.gtkw");
    expect(await attend("--tokens", "2", "--window", "4", "--dims", "2", "--vcd", join(where, "t.vcd"), "--gtkw", save)).toBe(0);
    // docs/model.md §3: the first token is handed over at the edge at 1.5 ns, then LOAD 2, WRITE 8, PRECHARGE 1 2, PHASE 1 15 … cycles
    const state = "layer.head[0].seq.state[3:0]";
    const at = [0, 2_000, 5_000, 12_000, 20_000, 29_000, 35_000, 50_000, 62_000, 67_000].map((timePs) => ({ name: state, timePs }));
    const shown = gtkwaveInspect(save, at);
    expect(shown.warnings).toEqual([]);
    expect(shown.values).toEqual(["IDLE", "LOAD", "WRITE", "PRECHARGE1", "PHASE1", "PRECHARGE2", "PHASE2", "CONVERT", "ACCUMULATE", "LOAD"]);
    rmSync(join(where, "t.state-names.txt"));
    const bare = gtkwaveInspect(save, at);
    expect(bare.values).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "1"]);
    expect(bare.warnings).toContain("GTKWAVE | Could not open filter file!");
  });
});

describe("a small attend run's trace", () => {
  let vcd = "";
  let doc: VcdDocument;
  beforeAll(async () => {
    vcd = join(dir, "small.vcd");
    expect(await attend("--tokens", "20", "--window", "16", "--dims", "4", "--vcd", vcd, "--gtkw", join(dir, "small.gtkw"))).toBe(0);
    doc = parseVcd(readFileSync(vcd, "utf8"), vcd);
  });

  it_fst("vcd2fst then fst2vcd gives back the same value changes by signal name (reals as fst2vcd prints them)", () => {
    const back = parseVcd(fstRoundTrip(vcd), "fst2vcd output");
    expect(back.paths().sort()).toEqual(doc.paths().sort());
    expect([back.startTime, back.endTime]).toEqual([doc.startTime, doc.endTime]);
    // FST keeps the doubles, but fst2vcd prints them with %.16g: our shortest round-trip form
    // (up to 17 digits) comes back rounded to 16 significant digits
    const sixteenDigits = (v: string | number) => (typeof v === "number" ? Number(v.toPrecision(16)) : v);
    for (const path of doc.paths()) {
      const ours = doc.history(path).map(({ time, value }) => ({ time, value: sixteenDigits(value) }));
      expect(back.history(path), path).toEqual(ours);
    }
  });

  it_gtkwave("GTKWave loads it with its save file without a warning, over the whole run", () => {
    const report = gtkwaveInspect(join(dir, "small.gtkw"));
    expect(report.warnings).toEqual([]);
    expect([report.minTime, report.maxTime]).toEqual([0, 20 * TOKEN_PS + FIRST_EDGE_PS]);
    expect(report.displayed).toContain("layer.head[0].acc.sum_3[5:0]");
  });

  it_gtkwave("with --signals, the save file shows only what the trace holds, and GTKWave finds all of it", async () => {
    const cut = join(dir, "cut.vcd");
    const save = join(dir, "cut.gtkw");
    expect(await attend("--tokens", "20", "--window", "16", "--dims", "2", "--vcd", cut, "--gtkw", save, "--signals", "*.seq.*,*.acc.sum_*")).toBe(0);
    const report = gtkwaveInspect(save);
    expect(report.warnings).toEqual([]);
    expect(report.displayed).toEqual([
      ...["state[3:0]", "load", "write", "precharge1", "phase1", "precharge2", "phase2", "convert", "accumulate"].map((s) => `layer.head[0].seq.${s}`),
      "layer.head[0].acc.sum_0[5:0]", "layer.head[0].acc.sum_1[5:0]",
    ]);
  });
});
