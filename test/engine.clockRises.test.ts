// A clock nothing can see low is simulated at its rises only on the compiled back end (api.ts,
// Observation): for all clocks and designs, every value the testbench reads equals the interpreted
// reference's; the falls are left out exactly when nothing could see them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_TIME_PS, type Backend } from "../src/engine/api.js";
import { Module } from "../src/engine/Module.js";
import { type Timer } from "../src/engine/Process.js";
import type { Bit, Vec } from "../src/engine/Signal.js";
import { Simulator } from "../src/engine/Simulator.js";

/** What may see the clock low; "none" leaves only the counters its rises wake. */
const SEERS = ["none", "trace", "observe", "negedge", "comb", "timerDeclared", "timerInClockModule", "combInClockModule", "combDeclaringReads"] as const;
/** Seers that cannot see the clock low: the falls are left out with them too. */
const BLIND: readonly Seer[] = ["none", "combDeclaringReads"];
type Seer = (typeof SEERS)[number];

interface Spec {
  periodPs: number;
  highPs: number;
  firstRisePs: number;
  counters: number;
  /** Counters that declare their reads (the others read any signal of their module). */
  declared: boolean;
  seer: Seer;
  /** Sampling interval of a timer that reads the clock's level. */
  samplePs: number;
}

const arbSpec = fc
  .record({
    periodPs: fc.integer({ min: 2, max: 40 }),
    highFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    firstRisePs: fc.integer({ min: 1, max: 30 }),
    counters: fc.integer({ min: 1, max: 4 }),
    declared: fc.boolean(),
    seer: fc.constantFrom(...SEERS),
    samplePs: fc.integer({ min: 1, max: 17 }),
  })
  .map(({ highFrac, ...s }): Spec => ({ ...s, highPs: 1 + Math.min(s.periodPs - 2, Math.floor(highFrac * (s.periodPs - 1))) }));

class Clocked extends Module {
  readonly clk: Bit;
  readonly counts: Vec[] = [];
  /** What the seer saw: falls counted, or the clock's level summed over its samples. */
  readonly seen: Vec;

  constructor(spec: Spec) {
    super(null, "top");
    this.clk = this.clock("clk", { periodPs: spec.periodPs, highPs: spec.highPs, firstRisePs: spec.firstRisePs });
    for (let i = 0; i < spec.counters; i++) {
      const m = new Module(this, `c[${i}]`);
      const q = m.vec("q", 16, "out");
      m.always(this.clk.posedge, [q], () => q.set(q.get() + 1), spec.declared ? { reads: [q] } : undefined);
      this.counts.push(q);
    }
    const probe = new Module(this, "probe");
    this.seen = probe.vec("seen", 16, "out");
    const seen = this.seen;
    const clk = this.clk;
    if (spec.seer === "negedge") probe.always(clk.negedge, [seen], () => seen.set(seen.get() + 1), { reads: [seen] });
    if (spec.seer === "comb") {
      const low = probe.bit("low");
      probe.comb([clk], [low], () => low.set(clk.get() ^ 1));
      probe.always(clk.posedge, [seen], () => seen.set(seen.get() + low.get()), { reads: [low, seen] });
    }
    if (spec.seer === "combInClockModule" || spec.seer === "combDeclaringReads") {
      // a comb of the clock's own module fed by a counter: by default it may read any signal of
      // its module, the clock included; declaring its reads says it does not
      const q = this.counts[0];
      const odd = this.bit("odd");
      this.comb([q], [odd], () => odd.set(q.get() & 1), spec.seer === "combDeclaringReads" ? { reads: [] } : "odd");
      probe.always(clk.posedge, [seen], () => seen.set(seen.get() + odd.get()), { reads: [odd, seen] });
    }
    if (spec.seer === "timerDeclared" || spec.seer === "timerInClockModule") {
      // sums the clock's level every samplePs: a clock stuck high would give a larger sum
      const owner = spec.seer === "timerDeclared" ? probe : this;
      let tick: Timer | null = null;
      const sample = () => {
        seen.set(seen.get() + clk.get());
        tick!.after(spec.samplePs);
      };
      // in the clock's own module a timer that declares no reads may read any signal of it
      tick = spec.seer === "timerDeclared" ? probe.timer("sample", [seen], sample, [clk, seen]) : this.timer("sample", [seen], sample);
      owner.onStart.push(() => tick!.after(1));
    }
  }

}

function run(spec: Spec, backend: Backend, untilPs: number) {
  const dut = new Clocked(spec);
  const sim = new Simulator(dut, { backend });
  const traced: number[] = [];
  if (spec.seer === "trace") {
    sim.attachTrace({ fromPs: 0, toPs: MAX_TIME_PS, point: () => {}, sample: (t, ids, n) => {
      for (let i = 0; i < n; i++) if (ids[i] === dut.clk.id) traced.push(t, dut.clk.get());
    }, close: () => {} }, (net) => net.id === dut.clk.id);
  }
  sim.observe(...dut.counts, dut.seen);
  if (spec.seer === "observe") sim.observe(dut.clk);
  const levels: number[] = [];
  // the testbench reads the counters (and an observed clock) at every ps
  for (let t = 0; t <= untilPs; t++) {
    sim.run(t);
    levels.push(...dut.counts.map((q) => q.get()), dut.seen.get(), spec.seer === "observe" ? dut.clk.get() : -1);
  }
  sim.close();
  return { levels, traced, steps: sim.steps, risesOnly: sim.risesOnly(dut.clk.id) };
}

describe("a clock nothing sees low (compiled back end)", () => {
  it("gives the reference's values, and leaves the falls out exactly when nothing could see them", () => {
    let left = 0;
    fc.assert(
      fc.property(arbSpec, (spec) => {
        const until = spec.firstRisePs + 6 * spec.periodPs;
        const reference = run(spec, "interpreted", until);
        const compiled = run(spec, "compiled", until);
        expect(compiled.levels).toEqual(reference.levels);
        expect(compiled.traced).toEqual(reference.traced);
        expect(reference.risesOnly).toBe(false);
        expect(compiled.risesOnly).toBe(BLIND.includes(spec.seer));
        if (BLIND.includes(spec.seer)) {
          // a time step at 0 and one per rise, against one per edge on the reference (the
          // testbench's sim.run(t) to every ps steps only where something is due)
          const rises = Math.floor((until - spec.firstRisePs) / spec.periodPs) + 1;
          const falls = Math.floor((until - spec.firstRisePs - spec.highPs) / spec.periodPs) + 1;
          expect(compiled.steps).toBe(1 + rises);
          expect(reference.steps).toBe(1 + rises + falls);
          left++;
        } else {
          expect(compiled.steps).toBe(reference.steps);
        }
      }),
      { numRuns: 200 },
    );
    expect(left, "some runs left the falls out").toBeGreaterThan(10);
  });
});
