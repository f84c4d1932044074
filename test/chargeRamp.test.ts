// The integrators' charges ramp in the trace (docs/model.md §1 read current, §3 PHASE 1/2): a vertex
// at each input pulse's fall, checked against the partial sums computed plainly from what the trace
// itself shows (writes, bit lines, widths); the charges published and the outputs are those of an
// untraced run, bit for bit; real GTKWave draws the ramps interpolated, with no warning.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateAccelerator } from "../src/arch/config.js";
import { runAttention, type AttentionRunResult } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { writeGtkwSaveFile } from "../src/engine/GtkwSaveFile.js";
import { parseVcd, type VcdChange, type VcdDocument } from "../src/engine/VcdReader.js";
import { gDecayed, retention, ZERO_POINT_V } from "../src/laws/deviceLaw.js";
import { arbChip } from "../src/verify/arbitraries.js";
import { gtkwaveInspect, toolTest } from "./support/tools.js";

const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);

const dir = mkdtempSync(join(tmpdir(), "gaincell-ramp-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 11 tokens in a window of 8: the slot pointer wraps, so columns are overwritten and read at ages 0..7
const c = validateAccelerator({ windowM: 8, tile: 4, D: 4, lambdaPerToken: 0.05 });
const x = seededInputs(11, 1, 4, 7);
const vcdFile = join(dir, "ramp.vcd");
let traced: AttentionRunResult;
let untraced: AttentionRunResult;
let doc: VcdDocument;

beforeAll(async () => {
  traced = await runAttention(c, x, { vcd: vcdFile, date: "test", scores: true });
  untraced = await runAttention(c, x, { scores: true });
  doc = parseVcd(readFileSync(vcdFile, "utf8"), vcdFile);
});

/** The value `path` shows at `timePs`, after that time step settled. */
function at(path: string, timePs: number): VcdChange["value"] {
  let v: VcdChange["value"] | undefined;
  for (const ch of doc.history(path)) if (ch.time <= timePs) v = ch.value;
  if (v === undefined) throw new Error(`${path} has no value at ${timePs} ps`);
  return v;
}
const num = (path: string, timePs: number) => {
  const v = at(path, timePs);
  return typeof v === "number" ? v : parseInt(v, 2);
};
const edges = (path: string, rising: boolean) =>
  doc.history(path).filter((ch, i, h) => i > 0 && ch.value === (rising ? "1" : "0") && h[i - 1].value !== ch.value).map((ch) => ch.time);

interface Written {
  token: number;
  /** Stored voltages, one per cell along the column (D rows). */
  volts: number[];
}

/** What array `a` (of sub-tile `b`) holds just before `timePs`: per column, its last write, from the trace. */
function columnsAt(a: string, b: number, bitLine: "blk" | "blv", timePs: number): (Written | undefined)[] {
  const cols: (Written | undefined)[] = Array.from({ length: c.tile }, () => undefined);
  for (const tw of edges(`${a}.write`, false)) {
    if (tw >= timePs || num(`${a}.subTile`, tw) !== b) continue;
    const j = num(`${a}.column`, tw);
    cols[j] = { token: num(`${a}.token`, tw), volts: Array.from({ length: c.D }, (_, d) => num(`${a}.${bitLine}_${d}_V`, tw)) };
  }
  return cols;
}

/** An input of width `w` ps has given this much of its pulse `tau` ps after the phase rose: all of it once it fell, on the ps grid. */
const given = (w: number, tau: number) => (Math.round(w) <= tau ? w : tau);
const read = (volts: number, age: number) => gDecayed(volts - ZERO_POINT_V, retention(c.lambdaPerToken, age), c.nonlinearity);
const publishPs = Math.ceil(c.tMaxPs);

/** The vertex times of a phase rising at `rise` with these widths: its rise, each distinct fall before publication, the publication. */
function vertexTimes(rise: number, widths: number[]): number[] {
  const falls = widths.map((w) => Math.round(w)).filter((e) => e > 0 && e < publishPs);
  return [0, ...new Set(falls), publishPs].sort((p, q) => p - q).map((tau) => rise + tau);
}

/** The charge's changes in [from, to] ps, as the trace has them. */
const within = (path: string, from: number, to: number) => doc.history(path).filter((ch) => ch.time >= from && ch.time <= to);

function expectClose(got: VcdChange[], want: { time: number; value: number }[], what: string): void {
  expect(got.map((ch) => ch.time), what).toEqual(want.map((w) => w.time));
  got.forEach((ch, i) => expect(Math.abs((ch.value as number) - want[i].value), `${what} at ${ch.time} ps`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[i].value))));
}

describe("an integrator's charge in the trace", () => {
  it("stage 1: each K column's charge has a vertex at each q pulse's fall, the plain partial sum Σ_d given_d(τ)·g(y·δ) there", () => {
    let phases = 0;
    let ramps = 0;
    for (let b = 0; b < c.windowM / c.tile; b++) {
      const a = `layer.head[0].sub[${b}].karray`;
      for (const rise of edges(`${a}.phase1`, true)) {
        const t = num(`${a}.token`, rise);
        const widths = Array.from({ length: c.D }, (_, d) => num(`${a}.rwl_width_${d}_ps`, rise));
        const cols = columnsAt(a, b, "blk", rise);
        const times = vertexTimes(rise, widths);
        ramps += times.length > 3 ? 1 : 0;
        for (let j = 0; j < c.tile; j++) {
          const col = cols[j];
          const want = times.map((time) => {
            let s = 0;
            if (col !== undefined) for (let d = 0; d < c.D; d++) s += (given(widths[d], time - rise) / 1000) * read(col.volts[d], t - col.token);
            return { time, value: s };
          });
          expectClose(within(`${a}.charge_${j}_fC`, rise, rise + publishPs), want, `token ${t} ${a}.charge_${j}_fC`);
        }
        phases++;
      }
    }
    expect(phases).toBe(11 * 2);
    expect(ramps, "phases with at least two q pulses ending at different times").toBeGreaterThan(10);
  });

  it("stage 2: each V row's charge has a vertex at each φ pulse's fall (own ps), the plain partial sum Σ_j given_j(τ)·g(v·δ) there", () => {
    let vertices = 0;
    for (let b = 0; b < c.windowM / c.tile; b++) {
      const a = `layer.head[0].sub[${b}].varray`;
      for (const rise of edges(`${a}.phase2`, true)) {
        const t = num(`${a}.token`, rise);
        const cols = columnsAt(a, b, "blv", rise);
        // a column never written has no pulse that counts (docs/model.md §1: disabled)
        const widths = Array.from({ length: c.tile }, (_, j) => (cols[j] === undefined ? 0 : num(`${a}.phi_width_${j}_ps`, rise)));
        const times = vertexTimes(rise, widths);
        vertices += times.length;
        for (let d = 0; d < c.D; d++) {
          const want = times.map((time) => {
            let s = 0;
            for (let j = 0; j < c.tile; j++) if (cols[j] !== undefined && widths[j] !== 0) s += (given(widths[j], time - rise) / 1000) * read(cols[j]!.volts[d], t - cols[j]!.token);
            return { time, value: s };
          });
          expectClose(within(`${a}.charge_${d}_fC`, rise, rise + publishPs), want, `token ${t} ${a}.charge_${d}_fC`);
        }
      }
    }
    // φ pulses end at their own ps, not on the clock's ns
    expect(vertices).toBeGreaterThan(22 * 3);
    const falls = doc.history("layer.head[0].sub[0].varray.charge_0_fC").map((ch) => ch.time % 1000);
    expect(falls.some((ps) => ps !== 0 && ps !== 500 && ps !== 999)).toBe(true);
  });

  it("ends each phase on the charges an untraced run publishes, bit for bit: the same stage-1 sums S and outputs", () => {
    expect(Buffer.from(traced.scores!.buffer).equals(Buffer.from(untraced.scores!.buffer))).toBe(true);
    expect(traced.outCodes).toEqual(untraced.outCodes);
    // the trace's charge at publication is the number the CPC took (String(v) round-trips a double)
    const a = "layer.head[0].sub[0].karray";
    const M = c.windowM;
    edges(`${a}.phase1`, true).forEach((rise, t) => {
      for (let j = 0; j < c.tile; j++) expect(num(`${a}.charge_${j}_fC`, rise + publishPs) / (c.tMaxPs / 1000), `t ${t} j ${j}`).toBe(untraced.scores![t * M + j]);
    });
  });

  it("for all realised chips (spreads, stuck cells, own retention rates, noise; per token or in time): traced or not, the same S bit for bit and outputs", async () => {
    const small = validateAccelerator({ windowM: 6, tile: 4, D: 3, lambdaPerToken: 0.05 });
    const stream = seededInputs(9, 1, 3, 11);
    await fc.assert(
      fc.asyncProperty(arbChip(small), fc.constantFrom<"token" | "time">("token", "time"), async (chip, retention) => {
        const realised = { ...chip, retention };
        const file = join(dir, "realised.vcd");
        const t = await runAttention(small, stream, { chip: realised, scores: true, vcd: file, date: "test" });
        const u = await runAttention(small, stream, { chip: realised, scores: true });
        expect(Buffer.from(t.scores!.buffer).equals(Buffer.from(u.scores!.buffer))).toBe(true);
        expect(t.outCodes).toEqual(u.outCodes);
        // and the trace did ramp: more vertices on a K charge than one per commit
        const k = parseVcd(readFileSync(file, "utf8"), file).history("layer.head[0].sub[0].karray.charge_0_fC");
        expect(k.length).toBeGreaterThan(3 * 9);
      }),
      { seed: 20_261_129, numRuns: 15 },
    );
  });

  it("only a traced window ramps: outside it the trace keeps its steps, and the window's ramps are the same", async () => {
    const tokenPs = 65_000;
    const window = join(dir, "window.vcd");
    await runAttention(c, x, { vcd: window, date: "test", fromPs: 5 * tokenPs, toPs: 7 * tokenPs });
    const part = parseVcd(readFileSync(window, "utf8"), window);
    const path = "layer.head[0].sub[0].karray.charge_0_fC";
    const inWindow = (ch: VcdChange) => ch.time > 5 * tokenPs && ch.time <= 7 * tokenPs;
    expect(part.history(path).filter(inWindow)).toEqual(doc.history(path).filter(inWindow));
  });
});

describe("a trace of steps (waveforms \"steps\")", () => {
  it("draws every charge as one step at reset and one at publication, on the ramped trace's values there, and computes the same", async () => {
    const file = join(dir, "steps.vcd");
    const stepped = await runAttention(c, x, { vcd: file, date: "test", scores: true, waveforms: "steps" });
    expect(Buffer.from(stepped.scores!.buffer).equals(Buffer.from(untraced.scores!.buffer))).toBe(true);
    expect(stepped.outCodes).toEqual(untraced.outCodes);
    // the arrays did no ramp work: they woke once per phase, not at every pulse's fall
    expect(stepped.evaluations).toBeLessThan(traced.evaluations);
    const steps = parseVcd(readFileSync(file, "utf8"), file);
    for (const a of ["karray", "varray"]) {
      const path = `layer.head[0].sub[0].${a}.charge_0_fC`;
      const stage = a === "karray" ? 1 : 2;
      const rises = edges(`layer.head[0].sub[0].${a}.phase${stage}`, true);
      const resets = edges(`layer.head[0].sub[0].${a}.precharge${stage}`, true);
      // changes only at a reset (precharge) or a publication (T_max after the phase's rise): no vertex between
      const allowed = new Set([0, ...resets, ...rises.map((r) => r + publishPs)]);
      for (const ch of steps.history(path)) expect(allowed.has(ch.time), `${path} changes at ${ch.time} ps`).toBe(true);
      // and what is published is the ramped trace's value there
      const shown = (t: number) => steps.history(path).filter((ch) => ch.time <= t).at(-1)!.value;
      for (const r of rises) expect(shown(r + publishPs), `${path} at ${r + publishPs} ps`).toBe(at(path, r + publishPs));
      expect(steps.history(path).length, path).toBeLessThan(doc.history(path).length);
    }
  });
});

describe("the ramps in GTKWave", () => {
  it_gtkwave("load without a warning, drawn interpolated, with the trace's values at the vertices", () => {
    const save = join(dir, "ramp.gtkw");
    const sub = traced.layer.heads[0].subTiles[0];
    const k = sub.kArray.charges[0];
    const v = sub.vArray.charges[0];
    writeGtkwSaveFile([{ name: "ramps", traces: [{ signal: k, format: "analog" }, { signal: v, format: "analog" }] }], {
      dumpFile: vcdFile, saveFile: save, startPs: doc.startTime, endPs: doc.endTime,
    });
    const kPath = "layer.head[0].sub[0].karray.charge_0_fC";
    const vertices = doc.history(kPath).filter((ch) => ch.time > 0 && ch.time < 200_000);
    const report = gtkwaveInspect(save, vertices.map((ch) => ({ name: kPath, timePs: ch.time })));
    expect(report.warnings).toEqual([]);
    const INTERPOLATED = 0x10000;
    const STEP = 0x8000;
    const rows = report.traces.filter((r) => r.name === "charge_0_fC");
    expect(rows.map((r) => r.flags & (INTERPOLATED | STEP))).toEqual([INTERPOLATED, INTERPOLATED]);
    expect(report.values.map(Number)).toEqual(vertices.map((ch) => expect.closeTo(ch.value as number, 9)));
  });
});
