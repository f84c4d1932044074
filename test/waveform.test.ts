// Waveforms between commits (src/engine/api.ts): a block's piecewise-linear output drawn in the trace
// through the vertices it gives, each commit without a vertex a step held up to 1 ps before it; the
// trace window; tracing never changes what the design computes; an untraced run asks for nothing.
import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ElaborationError, SimulationError } from "../src/engine/errors.js";
import { Module } from "../src/engine/Module.js";
import type { Real } from "../src/engine/Signal.js";
import { Simulator } from "../src/engine/Simulator.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { VcdTrace, type VcdOptions } from "../src/engine/VcdTrace.js";

/** One step of a script: at `atPs`, maybe a vertex, maybe a write of the output. */
interface ScriptStep {
  atPs: number;
  vertex: number | null;
  write: number | null;
}

/** Drives a piecewise-linear output `y` (fC) by a script; counts how often it asked whether y is traced. */
class Scripted extends Module {
  readonly y = this.real("y", "fC", "out");
  readonly other = this.real("other", "V", "out");
  asked = 0;
  tracedAnswers: boolean[] = [];

  constructor(script: readonly ScriptStep[], readonly windowPs: [number, number] = [0, Number.MAX_SAFE_INTEGER]) {
    super(null, "top");
    this.piecewiseLinear(this.y);
    let k = 0;
    const step = this.timer("step", [this.y, this.other], () => {
      const s = script[k];
      this.asked++;
      const traced = this.traced(this.y, ...this.windowPs);
      this.tracedAnswers.push(traced);
      if (traced && s.vertex !== null) this.tracePoint(this.y, s.vertex);
      if (s.write !== null) this.y.set(s.write);
      this.other.set(s.atPs);
      if (++k < script.length) step.after(script[k].atPs - s.atPs);
    });
    if (script.length > 0) this.onStart.push(() => step.after(script[0].atPs));
  }
}

/** A process woken by every change of `y`: the values the design sees, with their times. */
class Watcher extends Module {
  readonly values: [number, number][] = [];
  constructor(parent: Module, y: Real) {
    super(parent, "watcher");
    this.comb([y], [], () => this.values.push([this.nowPs, y.get()]), "watch");
  }
}

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "waveform-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The vertices of top.y_fC the VCD holds, in file order, as [time, value]. */
function traceOf(script: readonly ScriptStep[], untilPs: number, options: VcdOptions = {}): [number, number][] {
  const file = join(dir, "y.vcd");
  const sim = new Simulator(new Scripted(script));
  new VcdTrace(sim, file, { date: "fixed", ...options });
  sim.run(untilPs);
  sim.close();
  return parseVcd(readFileSync(file, "utf8"), file).history("top.y_fC").map(({ time, value }) => [time, value as number]);
}

/**
 * The plain model of the trace of a piecewise-linear net (api.ts): before the window, vertices and
 * changes set the value shown; the window opens with it; in the window a change without a vertex
 * at its time is a step (the shown value again 1 ps before, unless a vertex is there already), a
 * vertex is always written, a change after a vertex of the same step only when it differs.
 */
function plainTrace(script: readonly ScriptStep[], untilPs: number, fromPs: number, toPs: number): [number, number][] {
  const out: [number, number][] = [];
  let committed = 0;
  let shown = 0;
  let vertexPs = -1;
  let started = false;
  const open = (t: number) => {
    started = true;
    out.push([t, shown]);
    vertexPs = t;
  };
  for (const s of script) {
    if (s.atPs > untilPs || s.atPs > toPs) break;
    const change = s.write !== null && s.write !== committed ? s.write : null;
    if (change !== null) committed = change;
    if (s.atPs < fromPs || (!started && s.atPs === fromPs)) {
      if (s.vertex !== null) shown = s.vertex;
      if (change !== null) shown = change;
      if (s.atPs === fromPs) open(fromPs);
      continue;
    }
    if (!started) open(fromPs);
    if (change !== null && s.vertex === null && change !== shown && vertexPs < s.atPs - 1) out.push([s.atPs - 1, shown]);
    if (s.vertex !== null) {
      out.push([s.atPs, s.vertex]);
      shown = s.vertex;
      vertexPs = s.atPs;
    }
    if (change !== null && change !== shown) {
      out.push([s.atPs, change]);
      shown = change;
      vertexPs = s.atPs;
    }
  }
  if (!started) open(Math.min(untilPs, fromPs));
  return out;
}

// Steps 1 ps apart or more (1 ps puts a step's hold on the vertex before it), values from a small
// set so that vertices and writes often repeat the value shown.
const arbScript = fc.array(fc.record({
  gapPs: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 500 })),
  vertex: fc.option(fc.constantFrom(0, 1.5, -2, 7.25), { nil: null }),
  write: fc.option(fc.constantFrom(0, 1.5, -2, 7.25), { nil: null }),
}), { maxLength: 30 }).map((steps) => {
  let t = 0;
  return steps.map(({ gapPs, vertex, write }): ScriptStep => ({ atPs: (t += gapPs), vertex, write }));
});

describe("a piecewise-linear output in the VCD", () => {
  it("is drawn through its vertices, a change without a vertex a step held 1 ps before it (worked example)", () => {
    const script: ScriptStep[] = [
      { atPs: 1000, vertex: null, write: 4 }, // a step from 0: 0 held to 999 ps
      { atPs: 3000, vertex: null, write: 0 }, // a step back (a reset): 4 held to 2999 ps
      { atPs: 5000, vertex: 0, write: null }, // the ramp starts: a vertex at the value shown
      { atPs: 6000, vertex: 1, write: null },
      { atPs: 8000, vertex: 3, write: 3 }, // the ramp ends on a commit: a vertex there, no step
      { atPs: 8001, vertex: null, write: 0 }, // a step right after a vertex: no hold needed
    ];
    expect(traceOf(script, 10_000)).toEqual([[0, 0], [999, 0], [1000, 4], [2999, 4], [3000, 0], [5000, 0], [6000, 1], [8000, 3], [8001, 0]]);
  });

  it("equals the plain model of vertices, steps and holds, for any script and window", () => {
    fc.assert(fc.property(arbScript, fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 4000 }), (script, fromPs, span) => {
      const toPs = fromPs + span;
      const untilPs = 20_000;
      expect(traceOf(script, untilPs, { fromPs, toPs, signals: "top.y" })).toEqual(plainTrace(script, untilPs, fromPs, toPs));
    }), { seed: 20_260_701, numRuns: 150 });
  });

  it("never changes what the design computes: a process reading the output sees the same values traced or not", () => {
    fc.assert(fc.property(arbScript, (script) => {
      const run = (trace: boolean) => {
        const top = new Scripted(script);
        const seen = new Watcher(top, top.y);
        const sim = new Simulator(top);
        if (trace) new VcdTrace(sim, join(dir, "same.vcd"), { date: "fixed" });
        sim.run(20_000);
        sim.close();
        return seen.values;
      };
      expect(run(true)).toEqual(run(false));
    }), { seed: 20_260_702, numRuns: 40 });
  });
});

describe("Module.traced", () => {
  const script: ScriptStep[] = [{ atPs: 100, vertex: 1, write: null }, { atPs: 5000, vertex: 2, write: null }];
  const answers = (options: VcdOptions | null, windowPs?: [number, number]) => {
    const top = new Scripted(script, windowPs);
    const sim = new Simulator(top);
    sim.observe(top.y); // kept, so that the compiled back end runs the process writing it, traced or not
    if (options !== null) new VcdTrace(sim, join(dir, "asked.vcd"), { date: "fixed", ...options });
    sim.run(10_000);
    sim.close();
    return top.tracedAnswers;
  };

  it("is false in an untraced run and for a signal the trace leaves out, true for a traced one", () => {
    expect(answers(null)).toEqual([false, false]);
    expect(answers({ signals: "top.other" })).toEqual([false, false]);
    expect(answers({ signals: "top.y" })).toEqual([true, true]);
  });

  it("follows the trace's window: true only when [from, to] meets it", () => {
    expect(answers({ fromPs: 1000, toPs: 2000 }, [0, 999])).toEqual([false, false]);
    expect(answers({ fromPs: 1000, toPs: 2000 }, [0, 1000])).toEqual([true, true]);
    expect(answers({ fromPs: 1000, toPs: 2000 }, [2000, 3000])).toEqual([true, true]);
    expect(answers({ fromPs: 1000, toPs: 2000 }, [2001, 3000])).toEqual([false, false]);
  });

  it("is false before the run is bound to a simulator", () => {
    class Early extends Module {
      readonly y = this.real("y", "fC", "out");
      readonly asked: boolean;
      constructor() {
        super(null, "early");
        this.asked = this.traced(this.y);
      }
    }
    expect(new Early().asked).toBe(false);
  });
});

describe("vertices refused", () => {
  it("for a signal not declared piecewise linear, and a value that is not finite, naming the signal", () => {
    class Bad extends Module {
      readonly y = this.real("y", "fC", "out");
      readonly z = this.real("z", "fC", "out");
      constructor(what: "undeclared" | "nan") {
        super(null, "bad");
        this.piecewiseLinear(this.z);
        const t = this.timer("t", [this.y, this.z], () => (what === "undeclared" ? this.tracePoint(this.y, 1) : this.tracePoint(this.z, NaN)));
        this.onStart.push(() => t.after(10));
      }
    }
    const run = (what: "undeclared" | "nan") => () => {
      const bad = new Bad(what);
      const sim = new Simulator(bad);
      sim.observe(bad.y, bad.z); // kept: the compiled back end never arms a timer nobody observes
      sim.run(100);
    };
    expect(run("undeclared")).toThrow(SimulationError);
    expect(run("undeclared")).toThrow(/bad\.y: a vertex for a signal not declared piecewise linear by bad/);
    expect(run("nan")).toThrow(/bad\.z: vertex NaN is not a finite number of fC/);
  });

  it("a module declaring another's signal piecewise linear: an elaboration error naming both", () => {
    class Other extends Module {
      readonly y: Real = this.real("y", "fC", "out");
    }
    class Thief extends Module {
      constructor() {
        super(null, "thief");
        const other = new Other(this, "other");
        this.piecewiseLinear(other.y);
      }
    }
    expect(() => new Thief()).toThrow(ElaborationError);
    expect(() => new Thief()).toThrow(/thief: thief\.other\.y is not its own signal/);
  });
});
