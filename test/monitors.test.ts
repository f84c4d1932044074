// The monitor kinds and the sampled-value functions against plain evaluations of their SVA
// definitions on random sequences; what a failure says; the failure actions; the trace window
// around a failure (a VCD GTKWave loads, from a second, identical run).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { type Timer } from "../src/engine/Process.js";
import type { Bit, Real, Vec } from "../src/engine/Signal.js";
import { Simulator } from "../src/engine/Simulator.js";
import { parseVcd } from "../src/engine/VcdReader.js";
import { Checker, MonitorError, type CheckerOptions } from "../src/verify/Checker.js";
import { runMonitored } from "../src/verify/runMonitored.js";
import { changed, count, fell, past, rose } from "../src/verify/sampledFunctions.js";
import { and, eq, not, sig, type Scalar } from "../src/verify/terms.js";
import { TermSchedule } from "../src/verify/values.js";
import { gtkwaveInspect, toolTest } from "./support/tools.js";

const it_gtkwave = toolTest(["gtkwave", "xvfb-run"]);
const PERIOD = 1000;
const FIRST_EDGE = 500; // a clock that starts low: first rising edge half a period in
const tickPs = (n: number) => FIRST_EDGE + n * PERIOD;

const dir = mkdtempSync(join(tmpdir(), "monitors-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Drives a, c (bits), x (8-bit) and y (real) from arrays, the i-th values at the i-th rising edge; and a pulse of widths[i] ps from edge i. */
class Stimulus extends Module {
  readonly clk = this.clock("clk", { periodPs: PERIOD });
  readonly a = this.bit("a");
  readonly c = this.bit("c");
  readonly x = this.vec("x", 8);
  readonly y = this.real("y", "V");
  readonly p = this.bit("p");
  readonly checker: Checker;
  private edge = 0;
  private widthPs = 0;
  private rising = false;

  constructor(s: { a?: number[]; c?: number[]; x?: number[]; y?: number[]; widths?: number[] }, options: CheckerOptions = {}) {
    super(null, "tb");
    this.always(this.clk.posedge, [this.a, this.c, this.x, this.y], () => {
      const i = this.edge++;
      this.a.set(s.a?.[i] ?? 0);
      this.c.set(s.c?.[i] ?? 0);
      this.x.set(s.x?.[i] ?? 0);
      this.y.set(s.y?.[i] ?? 0);
      this.widthPs = s.widths?.[i] ?? 0;
      if (this.widthPs > 0) {
        this.rising = true;
        pulse.after(0);
      }
    });
    const pulse: Timer = this.timer("pulse", [this.p], () => {
      this.p.set(this.rising ? 1 : 0);
      if (this.rising) pulse.after(this.widthPs);
      this.rising = false;
    });
    this.checker = new Checker(this, "chk", this.clk, { keep: Infinity, ...options });
  }
}

/** What tick n samples: the values set at the previous edge (registers), 0 at the first tick. */
const sampled = (values: number[], ticks: number) => Array.from({ length: ticks }, (_, n) => (n === 0 ? 0 : values[n - 1] ?? 0));

function run(tb: Stimulus, ticks: number): void {
  const sim = new Simulator(tb);
  sim.run(tickPs(ticks - 1));
  sim.close();
}

const bits = (n: number) => fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n });
const TICKS = 40;

describe("monitor kinds ≡ their SVA definitions on random sequences", () => {
  it("implication a |-> ##k c fails exactly at the ticks n ≥ k where a held at n − k and c does not hold", () => {
    fc.assert(fc.property(bits(TICKS), bits(TICKS), fc.integer({ min: 0, max: 4 }), (a, c, k) => {
      const tb = new Stimulus({ a, c });
      const m = tb.checker.implication("p", tb.a, tb.c, k);
      run(tb, TICKS);
      const sa = sampled(a, TICKS);
      const sc = sampled(c, TICKS);
      const expected = sa.flatMap((_, n) => (n >= k && sa[n - k] === 1 && sc[n] === 0 ? [n] : []));
      expect(tb.checker.failures.map((f) => f.tick)).toEqual(expected);
      expect(tb.checker.failures.map((f) => f.timePs)).toEqual(expected.map(tickPs));
      expect(m.attempts).toBe(sa.filter((v) => v === 1).length);
      expect(m.pending).toBe(k === 0 ? 0 : sa.slice(TICKS - k).filter((v) => v === 1).length);
    }), { numRuns: 100 });
  });

  it("eventuality a |-> ##[min:max] c: each attempt passes at the first c in its window, fails at start + max without one", () => {
    const window = fc.integer({ min: 0, max: 5 }).chain((min) => fc.tuple(fc.constant(min), fc.integer({ min, max: min + 6 })));
    fc.assert(fc.property(bits(TICKS), bits(TICKS), window, (a, c, [min, max]) => {
      const tb = new Stimulus({ a, c });
      const m = tb.checker.eventually("p", tb.a, tb.c, min, max);
      run(tb, TICKS);
      const sa = sampled(a, TICKS);
      const sc = sampled(c, TICKS);
      const fails: number[] = [];
      let pending = 0;
      sa.forEach((v, n) => {
        if (v === 0) return;
        const hit = sc.some((x, j) => x === 1 && j >= n + min && j <= n + max);
        if (hit) return;
        if (n + max < TICKS) fails.push(n + max);
        else pending++;
      });
      expect(tb.checker.failures.map((f) => f.tick)).toEqual(fails);
      expect(m.pending).toBe(pending);
      expect(m.attempts).toBe(sa.filter((v) => v === 1).length);
    }), { numRuns: 100 });
  });

  it("stability: x keeps its value between consecutive ticks where the guard holds at both", () => {
    const values = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: TICKS, maxLength: TICKS });
    fc.assert(fc.property(values, bits(TICKS), (x, w) => {
      const tb = new Stimulus({ x, a: w });
      tb.checker.stability("p", [tb.x], tb.a);
      run(tb, TICKS);
      const sx = sampled(x, TICKS);
      const sw = sampled(w, TICKS);
      const expected = sx.flatMap((v, n) => (n > 0 && sw[n] === 1 && sw[n - 1] === 1 && v !== sx[n - 1] ? [n] : []));
      expect(tb.checker.failures.map((f) => f.tick)).toEqual(expected);
    }), { numRuns: 100 });
  });

  it("bounds: lo ≤ y ≤ hi at every tick where the guard holds", () => {
    const reals = fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: TICKS, maxLength: TICKS });
    fc.assert(fc.property(reals, bits(TICKS), (y, w) => {
      const tb = new Stimulus({ y, c: w });
      tb.checker.bounds("p", tb.y, -1, 1, tb.c);
      run(tb, TICKS);
      const sy = sampled(y, TICKS);
      const sw = sampled(w, TICKS);
      expect(tb.checker.failures.map((f) => f.tick)).toEqual(sy.flatMap((v, n) => (sw[n] === 1 && (v < -1 || v > 1) ? [n] : [])));
    }), { numRuns: 100 });
  });

  it("pulse width: every pulse longer than the bound fails at its falling edge, naming its width", () => {
    const widths = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: PERIOD - 1 })), { minLength: TICKS, maxLength: TICKS });
    fc.assert(fc.property(widths, fc.integer({ min: 1, max: PERIOD }), (w, maxPs) => {
      const tb = new Stimulus({ widths: w });
      const m = tb.checker.pulseWidth("p", tb.p, maxPs);
      run(tb, TICKS);
      // the pulse of edge i rises at that edge and falls w[i] ps later; edges after the last tick are not run
      const pulses = w.slice(0, TICKS - 1).flatMap((width, i) => (width > 0 ? [[tickPs(i), width]] : []));
      const long = pulses.filter(([, width]) => width > maxPs);
      expect(tb.checker.failures.map((f) => f.timePs)).toEqual(long.map(([t, width]) => t + width));
      expect(tb.checker.failures.map((f) => f.detail)).toEqual(long.map(([t, width]) => `p was high for ${width} ps, from ${t} to ${t + width} ps`));
      expect(m.attempts).toBe(pulses.length);
    }), { numRuns: 100 });
  });
});

/** A signal stand-in for terms sampled outside a simulation. */
function fake(values: number[]): { signal: Scalar; at: (n: number) => void } {
  let v = 0;
  const signal = { name: "s", kind: 1, get: () => v } as unknown as Scalar;
  return { signal, at: (n) => (v = values[n]) };
}

describe("sampled-value functions ≡ their definitions (IEEE 1800 §16.9.3)", () => {
  it("$past(a, k), $rose, $fell, $changed and count agree with plain definitions; the first tick sees no edge", () => {
    const seq = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 });
    fc.assert(fc.property(seq, fc.integer({ min: 1, max: 4 }), (a, k) => {
      const s = fake(a);
      const x = sig(s.signal);
      const terms = { past: past(x, k), rose: rose(x), fell: fell(x), changed: changed(x), count: count(x) };
      const schedule = new TermSchedule();
      Object.values(terms).forEach((t) => schedule.add(t));
      a.forEach((v, n) => {
        s.at(n);
        schedule.sample();
        const before = n === 0 ? v : a[n - 1];
        expect(terms.past.value, `$past at ${n}`).toBe(a[Math.max(0, n - k)]);
        expect(terms.rose.value, `$rose at ${n}`).toBe(before === 0 && v !== 0 ? 1 : 0);
        expect(terms.fell.value, `$fell at ${n}`).toBe(before !== 0 && v === 0 ? 1 : 0);
        expect(terms.changed.value, `$changed at ${n}`).toBe(before !== v ? 1 : 0);
        expect(terms.count.value, `count at ${n}`).toBe(a.slice(0, n + 1).filter((y) => y !== 0).length);
      });
    }), { numRuns: 200 });
  });
});

describe("a failure", () => {
  it("names the monitor, the time, the property, the signals and their values (by name when given)", () => {
    const tb = new Stimulus({ a: [0, 1, 0], c: [0, 0, 1], x: [0, 4, 4] });
    tb.checker.nameValues(tb.x, new Map([[4, "PHASE1"]]));
    tb.checker.implication("a_means_c", and(tb.a, eq(tb.x, 4)), tb.c);
    run(tb, 4);
    expect(tb.checker.failureCount).toBe(1);
    const f = tb.checker.failures[0];
    expect(f).toMatchObject({ monitor: "tb.chk.a_means_c", kind: "implication", timePs: 2500, tick: 2, property: "a && (x == 4) |-> c" });
    expect(f.signals).toEqual([{ path: "tb.a", value: "1" }, { path: "tb.x", value: "4 (PHASE1)" }, { path: "tb.c", value: "0" }]);
    expect(f.message).toBe("tb.chk.a_means_c failed at 2500 ps: a && (x == 4) |-> c: a && (x == 4) holds but c does not; tb.a = 1, tb.x = 4 (PHASE1), tb.c = 0");
  });

  it("can throw at once (MonitorError, the simulation error names the time) or end the run after its time step", () => {
    const thrower = new Stimulus({ a: [0, 1] }, { onFailure: "throw" });
    thrower.checker.implication("never_a", 1, not(thrower.a));
    const sim = new Simulator(thrower);
    expect(() => sim.run(10_000)).toThrow(MonitorError);
    const finisher = new Stimulus({ a: [0, 1] }, { onFailure: "finish" });
    finisher.checker.implication("never_a", 1, not(finisher.a));
    const sim2 = new Simulator(finisher);
    expect(sim2.run(10_000)).toBe(false);
    expect(sim2.now).toBe(tickPs(2));
  });

  it("rejects a malformed monitor when the design is built", () => {
    const tb = new Stimulus({});
    expect(() => tb.checker.eventually("w", tb.a, tb.c, 3, 2)).toThrow(/tb\.chk\.w: ##\[3:2\] is not a window/);
    tb.checker.implication("dup", tb.a, tb.c);
    expect(() => tb.checker.implication("dup", tb.a, tb.c)).toThrow(/already has a monitor named dup/);
    expect(() => tb.checker.implication("bad name", tb.a, tb.c)).toThrow(/a monitor name is an identifier/);
  });
});

describe("the trace window around a failure", () => {
  const a = Array.from({ length: 80 }, (_, i) => (i === 49 ? 1 : 0)); // a rises once: tick 50 sees it
  const build = () => {
    const tb = new Stimulus({ a, c: a.map(() => 0) });
    tb.checker.implication("a_means_c", tb.a, tb.c);
    return { top: tb, checkers: [tb.checker] };
  };

  it("is a VCD of the ticks either side of it, from a second run that fails the same way", async () => {
    const vcd = join(dir, "window.vcd");
    const r = await runMonitored(build, { untilPs: tickPs(79), failureTrace: { vcd, gtkw: join(dir, "window.gtkw"), ticks: 10 } });
    expect(r.failures.map((f) => f.timePs)).toEqual([tickPs(50)]);
    expect(r.trace).toEqual({ fromPs: tickPs(40), toPs: tickPs(60) });
    const doc = parseVcd(readFileSync(vcd, "utf8"), vcd);
    expect([doc.startTime, doc.endTime]).toEqual([tickPs(40), tickPs(60)]);
    expect(doc.history("tb.a")).toEqual([{ time: tickPs(40), value: "0" }, { time: tickPs(49), value: "1" }, { time: tickPs(50), value: "0" }]);
    expect(readFileSync(join(dir, "window.gtkw"), "utf8")).toMatch(/^\[\*\] tb\.chk\.a_means_c failed at 50500 ps/m);
  });

  it_gtkwave("opens in GTKWave without a warning, showing the clock and the failing monitor's signals", () => {
    const report = gtkwaveInspect(join(dir, "window.gtkw"));
    expect(report.warnings).toEqual([]);
    expect(report.displayed).toEqual(["tb.clk", "tb.a", "tb.c"]);
    expect([report.minTime, report.maxTime]).toEqual([tickPs(40), tickPs(60)]);
  });

  it("is refused, naming the monitor, when the second run does not fail the same way", async () => {
    let builds = 0;
    const flaky = () => {
      const tb = new Stimulus({ a: builds++ === 0 ? a : [] });
      tb.checker.implication("a_means_c", tb.a, tb.c);
      return { top: tb, checkers: [tb.checker] };
    };
    await expect(runMonitored(flaky, { untilPs: tickPs(79), failureTrace: { vcd: join(dir, "flaky.vcd") } }))
      .rejects.toThrow(/tracing tb\.chk\.a_means_c's failure at 50500 ps: the second run did not fail/);
  });
});
