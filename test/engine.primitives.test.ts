// Property tests of the engine's primitives (api.ts): re-armable timers against a plain model of one
// pending wake-up, either-edge processes, and the ranking of combinational processes with loops
// refused at elaboration, checked against a plain depth-first search.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { type Timer } from "../src/engine/Process.js";
import { Simulator } from "../src/engine/Simulator.js";
import { BACKENDS } from "./support/backends.js";
import type { Vec } from "../src/engine/Signal.js";
import { ElaborationError } from "../src/errors.js";

const RUNS = { numRuns: 200 };

/** One step of a timer script: what is done to the target's timer, then the time to the next step. */
interface ScriptStep {
  actions: ({ after: number } | "cancel")[];
  dtPs: number;
}

const arbScript = fc.array(
  fc.record({
    actions: fc.array(fc.oneof(fc.record({ after: fc.integer({ min: 0, max: 30 }) }), fc.constant("cancel" as const)), { minLength: 1, maxLength: 3 }),
    dtPs: fc.integer({ min: 1, max: 20 }),
  }),
  { minLength: 1, maxLength: 25 },
);

/** A script process that arms and cancels a passive target timer, which records when it runs. */
class TimerScript extends Module {
  readonly fired: number[] = [];

  constructor(script: ScriptStep[], firstPs: number) {
    super(null, "tb");
    const target: Timer = this.timer("target", [], () => this.fired.push(this.nowPs));
    let k = 0;
    const driver: Timer = this.timer("script", [], () => {
      for (const a of script[k].actions) {
        if (a === "cancel") target.cancel();
        else target.after(a.after);
      }
      driver.after(script[k].dtPs);
      if (++k === script.length) driver.cancel();
    });
    this.onStart.push(() => driver.after(firstPs));
  }
}

/** The same, plainly: one pending time or none; a wake-up due with a script step fires before it acts. */
function plainTimer(script: ScriptStep[], firstPs: number, untilPs: number): number[] {
  const fired: number[] = [];
  let pending: number | null = null;
  let t = firstPs;
  for (const step of script) {
    if (pending !== null && pending <= t) {
      fired.push(pending);
      pending = null;
    }
    for (const a of step.actions) pending = a === "cancel" ? null : t + a.after;
    if (pending === t) {
      fired.push(t); // armed with 0 ps: the next delta of this step
      pending = null;
    }
    t += step.dtPs;
  }
  if (pending !== null && pending <= untilPs) fired.push(pending);
  return fired;
}

describe.each(BACKENDS)("re-armable timers (%s back end)", (backend) => {
  it("arming again replaces the pending wake-up, cancel drops it: the target runs exactly when a plain model says", () => {
    fc.assert(
      fc.property(arbScript, fc.integer({ min: 0, max: 10 }), fc.option(fc.nat(), { nil: undefined }), (script, firstPs, shuffleSeed) => {
        const until = firstPs + script.reduce((n, s) => n + s.dtPs, 0) + 40;
        const tb = new TimerScript(script, firstPs);
        const sim = new Simulator(tb, { shuffleSeed, backend });
        sim.run(until);
        expect(tb.fired).toEqual(plainTimer(script, firstPs, until));
      }),
      RUNS,
    );
  });
});

describe.each(BACKENDS)("either-edge processes (%s back end)", (backend) => {
  it("run once per change of the bit, never at the start, and see the new value; posedge + negedge runs = anyedge runs", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 60 }), fc.option(fc.nat(), { nil: undefined }), (bits, shuffleSeed) => {
        const tb = new Module(null, "tb");
        const x = tb.bit("x", "in");
        const seen: number[] = [];
        let rises = 0;
        let falls = 0;
        tb.always(x.anyedge, [], () => seen.push(x.get()));
        tb.always(x.posedge, [], () => rises++);
        tb.always(x.negedge, [], () => falls++);
        const sim = new Simulator(tb, { shuffleSeed, backend });
        const expected: number[] = [];
        let last = 0;
        bits.forEach((b, k) => {
          sim.run(k);
          sim.poke(x, b);
          if (b !== last) expected.push(b);
          last = b;
        });
        sim.run(bits.length);
        expect(seen).toEqual(expected);
        expect(rises + falls).toBe(expected.length);
      }),
      RUNS,
    );
  });

  it("name themselves always@anyedge(signal)", () => {
    const tb = new Module(null, "tb");
    const x = tb.bit("x");
    expect(tb.always(x.anyedge, [], () => {}).path).toBe("tb.always@anyedge(x)");
  });
});

/** A graph of combinational processes: node i writes y_i from the primary input and the nodes it reads. */
const arbCombGraph = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.array(fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }));

function combDesign(reads: number[][]): { top: Module; ys: Vec[] } {
  const top = new Module(null, "g");
  const input = top.vec("x", 8, "in");
  const nodes = reads.map((_, i) => new Module(top, `n[${i}]`));
  const ys = nodes.map((m) => m.vec("y", 8, "out"));
  reads.forEach((from, i) => {
    const srcs = from.map((j) => ys[j]);
    nodes[i].comb([input, ...srcs], [ys[i]], () => ys[i].set(srcs.reduce((v, s) => v + s.get(), input.get() + i)), "f");
  });
  return { top, ys };
}

/** Plain depth-first search: does the graph (edge j → i when i reads j) have a cycle? */
function hasCycle(reads: number[][]): boolean {
  const state = reads.map(() => 0); // 0 new, 1 on the stack, 2 done
  const visit = (i: number): boolean => {
    if (state[i] === 1) return true;
    if (state[i] === 2) return false;
    state[i] = 1;
    const cyclic = reads[i].some(visit);
    state[i] = 2;
    return cyclic;
  };
  return reads.some((_, i) => visit(i));
}

describe.each(BACKENDS)("ranked combinational processes (%s back end)", (backend) => {
  it("a loop-free graph is ranked (every process after the ones it reads) and settles to the plain values; a loop is an elaboration error naming a real cycle", () => {
    fc.assert(
      fc.property(arbCombGraph, fc.integer({ min: 0, max: 255 }), (reads, x) => {
        const { top, ys } = combDesign(reads);
        if (hasCycle(reads)) {
          let message = "";
          expect(() => new Simulator(top, { backend })).toThrow(ElaborationError);
          try { new Simulator(top, { backend }); } catch (e) { message = (e as Error).message; }
          // "g.n[a].f writes g.n[a].y, read by g.n[b].f; …": each named reader reads the named writer, and the steps close
          const steps = [...message.matchAll(/g\.n\[(\d+)\]\.f writes g\.n\[(\d+)\]\.y, read by g\.n\[(\d+)\]\.f/g)]
            .map((m) => [Number(m[1]), Number(m[3])]);
          expect(steps.length).toBeGreaterThan(0);
          steps.forEach(([w, r], k) => {
            expect(reads[r]).toContain(w);
            expect(steps[(k + 1) % steps.length][0]).toBe(r);
          });
          return;
        }
        const sim = new Simulator(top, { backend });
        const { combOrder, rank } = sim.design;
        const procOf = (i: number) => sim.design.processes.findIndex((p) => p.path === `g.n[${i}].f`);
        expect(combOrder.length).toBe(reads.length);
        reads.forEach((from, i) => from.forEach((j) => expect(rank[procOf(j)]).toBeLessThan(rank[procOf(i)])));
        expect([...combOrder].map((p) => rank[p])).toEqual([...combOrder].map((p) => rank[p]).sort((a, b) => a - b));
        sim.poke(top.signals[0] as Vec, x);
        sim.run(0);
        const plain: number[] = [];
        const value = (i: number): number => (plain[i] ??= (reads[i].reduce((v, j) => v + value(j), x + i)) & 0xff);
        expect(ys.map((y) => y.get())).toEqual(reads.map((_, i) => value(i)));
      }),
      RUNS,
    );
  });

  it("reports a three-process loop in signal order, leaving out the process that only feeds it", () => {
    const top = new Module(null, "top");
    const x = top.bit("x", "in");
    const [a, b, c, feed] = ["a", "b", "c", "feed"].map((n) => top.bit(n));
    top.comb([x], [feed], () => feed.set(x.get()), "feeder");
    top.comb([feed, c], [a], () => a.set(feed.get() & c.get()), "p");
    top.comb([a], [b], () => b.set(a.get()), "q");
    top.comb([b], [c], () => c.set(b.get()), "r");
    expect(() => new Simulator(top, { backend })).toThrow(
      /^combinational loop: top\.p writes top\.a, read by top\.q; top\.q writes top\.b, read by top\.r; top\.r writes top\.c, read by top\.p; a combinational process cannot depend on its own output/,
    );
  });
});
