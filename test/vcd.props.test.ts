// Property tests of the VCD trace: read back with our reader it gives exactly the value history a
// Recorder sees; the window and the signal filter drop exactly what they should; it is deterministic.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import type { Real } from "../src/engine/Signal.js";
import { Simulator } from "../src/engine/Simulator.js";
import { traceName, VcdTrace, type VcdOptions } from "../src/engine/VcdTrace.js";
import { parseVcd, type VcdDocument } from "../src/engine/VcdReader.js";
import { arbDesign, RandomDesign, type DesignSpec } from "./support/randomDesign.js";
import { Recorder } from "./support/recorder.js";
import { gtkwaveInspect, toolTest } from "./support/tools.js";
import type { Backend } from "../src/engine/api.js";
import { BACKENDS } from "./support/backends.js";

const RUNS = { numRuns: 60 };
const UNTIL_PS = 200;
const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);

type History = [number, string][];

/** Real nodes x0..x(n−1) [V], rewritten by a timer at chosen intervals (0: again in the same time step). */
class RealNodes extends Module {
  readonly nodes: Real[];
  constructor(inits: number[], steps: { dtPs: number; values: number[] }[]) {
    super(null, "ana");
    this.nodes = inits.map((v, i) => this.real(`x${i}`, "V", "internal", v));
    let k = 0;
    const drive = this.timer("drive", this.nodes, () => {
      this.nodes.forEach((node, i) => node.set(steps[k].values[i % steps[k].values.length]));
      if (++k < steps.length) drive.after(steps[k].dtPs);
    });
    this.onStart.push(() => drive.after(steps[0].dtPs));
  }
}

// Any finite double, weighted towards the ones whose text is hardest to get right.
const EXTREMES = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE,
  Number.EPSILON, 0.1, -1 / 3, 1e21, 1e-7, 123456789.12345679, -(2 ** 53) - 2];
const arbReal = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...EXTREMES));
const arbReals = fc.record({
  inits: fc.array(arbReal, { minLength: 1, maxLength: 4 }),
  steps: fc.array(fc.record({ dtPs: fc.integer({ min: 0, max: 40 }), values: fc.array(arbReal, { minLength: 1, maxLength: 4 }) }),
    { minLength: 1, maxLength: 30 }),
});

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vcd-props-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a fresh model to `UNTIL_PS` with a Recorder on the reference back end; returns each net's history by its VCD path, and the end time. */
function recorded(make: () => Module): { history: Map<string, History>; endPs: number } {
  const sim = new Simulator(make(), { backend: "interpreted" });
  const rec = new Recorder(sim);
  sim.run(UNTIL_PS);
  sim.close();
  const history = new Map<string, History>();
  for (const net of sim.design.nets) {
    for (const h of net.handles) history.set(`${h.owner.path}.${traceName(h)}`, rec.history.get(sim.netName(net.id))!);
  }
  return { history, endPs: rec.closedAt };
}

/** Runs a fresh model to `UNTIL_PS` with a VCD trace; returns the file's bytes. */
function traced(make: () => Module, options: VcdOptions = {}, backend: Backend = "compiled"): Buffer {
  const file = join(dir, "trace.vcd");
  const sim = new Simulator(make(), { backend });
  new VcdTrace(sim, file, { date: "fixed", ...options });
  sim.run(UNTIL_PS);
  sim.close();
  return readFileSync(file);
}

/** A var's history as the Recorder writes it: integers in decimal, reals as JavaScript prints them. */
function historyOf(doc: VcdDocument, path: string): History {
  return doc.history(path).map(({ time, value }) =>
    [time, typeof value === "number" ? String(value) : BigInt(`0b${value}`).toString()]);
}

/** What a window [fromPs, toPs] keeps of a full history: the value at its start, then the changes inside. */
function windowed(full: History, fromPs: number, toPs: number, endPs: number): History {
  const start = Math.min(fromPs, endPs);
  const before = full.filter(([t]) => t <= start).at(-1)!;
  return [[start, before[1]], ...full.filter(([t]) => t > start && t <= Math.min(toPs, endPs))];
}

/** Glob match written independently of src/arch/glob.ts: `*` any run, `?` one character. */
function globMatches(glob: string, path: string): boolean {
  let reach = [true, ...Array<boolean>(path.length).fill(false)]; // reach[j]: the glob so far matches path[0, j)
  for (const g of glob) {
    const next = Array<boolean>(path.length + 1).fill(false);
    for (let j = 0; j <= path.length; j++) {
      if (g === "*") next[j] = reach[j] || (j > 0 && next[j - 1]);
      else if (j > 0) next[j] = reach[j - 1] && (g === "?" || g === path[j - 1]);
    }
    reach = next;
  }
  return reach[path.length];
}

/** Globs made from a design's own paths: whole, with a `?`, or cut to a prefix* or *suffix. */
function arbGlobs(paths: string[]): fc.Arbitrary<string[]> {
  const one = fc.tuple(fc.constantFrom(...paths), fc.constantFrom("whole", "?", "prefix", "suffix"), fc.nat()).map(([p, how, k]) => {
    const i = k % p.length;
    return how === "whole" ? p : how === "?" ? `${p.slice(0, i)}?${p.slice(i + 1)}` : how === "prefix" ? `${p.slice(0, i)}*` : `*${p.slice(i)}`;
  });
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

describe.each(BACKENDS)("VCD round trip through our reader (%s back end)", (backend) => {
  it("gives back exactly the Recorder's history of every net of a random design, and its end time", () => {
    fc.assert(
      fc.property(arbDesign(), (spec) => {
        const make = () => new RandomDesign(spec);
        const truth = recorded(make);
        const doc = parseVcd(traced(make, {}, backend).toString("latin1"));
        expect(doc.paths().sort()).toEqual([...truth.history.keys()].sort());
        for (const [path, history] of truth.history) expect(historyOf(doc, path), path).toEqual(history);
        expect([doc.startTime, doc.endTime]).toEqual([0, truth.endPs]);
      }),
      RUNS,
    );
  });

  it("gives back every real exactly: tiny, huge, negative, several writes in one time step", () => {
    fc.assert(
      fc.property(arbReals, ({ inits, steps }) => {
        const make = () => new RealNodes(inits, steps);
        const truth = recorded(make);
        const doc = parseVcd(traced(make, {}, backend).toString("latin1"));
        expect(doc.vars.map((v) => [v.path, v.type, v.width])).toEqual(inits.map((_, i) => [`ana.x${i}_V`, "real", 64]));
        for (const [path, history] of truth.history) expect(historyOf(doc, path), path).toEqual(history);
      }),
      { numRuns: 200 },
    );
  });

  it_gtkwave("GTKWave loads extreme reals without a warning", () => {
    const steps = EXTREMES.map((v) => ({ dtPs: 10, values: [v, -v, v / 3] }));
    const file = join(dir, "reals.vcd");
    const sim = new Simulator(new RealNodes([1, 2, 3], steps), { backend });
    new VcdTrace(sim, file);
    sim.run(UNTIL_PS);
    sim.close();
    const report = gtkwaveInspect(file);
    expect(report.warnings).toEqual([]);
    expect(report.signals).toEqual(["ana.x0_V", "ana.x1_V", "ana.x2_V"]);
    expect([report.minTime, report.maxTime]).toEqual([0, UNTIL_PS]);
  });
});

describe.each(BACKENDS)("VCD options (%s back end)", (backend) => {
  it("a time window keeps the values at its start, then exactly the changes inside it", () => {
    const bound = fc.integer({ min: 0, max: UNTIL_PS + 20 });
    fc.assert(
      fc.property(arbDesign(), bound, bound, (spec, a, b) => {
        const [fromPs, toPs] = a <= b ? [a, b] : [b, a];
        const make = () => new RandomDesign(spec);
        const truth = recorded(make);
        const doc = parseVcd(traced(make, { fromPs, toPs }, backend).toString("latin1"));
        for (const [path, history] of truth.history) {
          expect(historyOf(doc, path), `${path} in [${fromPs}, ${toPs}]`).toEqual(windowed(history, fromPs, toPs, truth.endPs));
        }
        const start = Math.min(fromPs, truth.endPs);
        expect([doc.startTime, doc.endTime]).toEqual([start, Math.max(start, Math.min(toPs, truth.endPs))]);
      }),
      RUNS,
    );
  });

  it("a signal filter declares exactly the matching signals, with their full histories", () => {
    fc.assert(
      fc.property(arbDesign().chain((spec) => fc.tuple(fc.constant(spec), arbGlobs(specPaths(spec)))), ([spec, globs]) => {
        const make = () => new RandomDesign(spec);
        const truth = recorded(make);
        const full = parseVcd(traced(make, {}, backend).toString("latin1"));
        const doc = parseVcd(traced(make, { signals: globs.join(",") }, backend).toString("latin1"));
        const expected = full.paths().filter((p) => globs.some((g) => globMatches(g, p)));
        expect(expected.length).toBeGreaterThan(0); // each glob comes from a path, so it matches at least that one
        expect(doc.paths(), globs.join(",")).toEqual(expected);
        for (const path of expected) expect(historyOf(doc, path), path).toEqual(truth.history.get(path));
        expect(doc.endTime).toBe(truth.endPs);
      }),
      RUNS,
    );
  });

  it("is deterministic: the same model and inputs give a byte-identical file, on either back end", () => {
    fc.assert(
      fc.property(arbDesign(), arbReals, (spec, { inits, steps }) => {
        const other: Backend = backend === "compiled" ? "interpreted" : "compiled";
        expect(traced(() => new RandomDesign(spec), {}, backend).equals(traced(() => new RandomDesign(spec), {}, other))).toBe(true);
        expect(traced(() => new RandomDesign(spec), {}, backend).equals(traced(() => new RandomDesign(spec), {}, backend))).toBe(true);
        expect(traced(() => new RealNodes(inits, steps), {}, backend).equals(traced(() => new RealNodes(inits, steps), {}, backend))).toBe(true);
      }),
      RUNS,
    );
  });
});

/** Every traced path of a random design, in declaration order. */
function specPaths(spec: DesignSpec): string[] {
  return ["dut.clk0", "dut.clk1", ...spec.nodes.map((_, i) => `dut.n[${i}].q`)];
}
