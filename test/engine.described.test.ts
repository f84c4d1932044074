// Described processes (api.ts): random statement trees on both back ends against each other, bit
// for bit, and against a plain BigInt evaluator of the same trees; then examples of the semantics
// (width wrap, part-selects, blocking locals, ranking among closures, the single-driver check) and
// of the compiled back end putting the code in its schedule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { observe } from "../src/engine/observation.js";
import { scheduleSource } from "../src/engine/scheduleSource.js";
import { Simulator } from "../src/engine/Simulator.js";
import { DriverConflict, ElaborationError } from "../src/errors.js";
import { BACKENDS } from "./support/backends.js";
import { arbDescribed, DescribedDesign, plainRun } from "./support/randomDescribed.js";
import { Recorder } from "./support/recorder.js";

const UNTIL_PS = 150;
const value = (h: DescribedDesign["handles"][number]) => ("getBig" in h ? h.getBig() : BigInt(h.get())).toString();

describe("described processes: random designs", () => {
  it("the compiled and the interpreted back end give the same history of every signal, bit for bit, running each process as often", () => {
    fc.assert(
      fc.property(arbDescribed(), fc.option(fc.nat(), { nil: undefined }), (spec, shuffleSeed) => {
        const history = (backend: "compiled" | "interpreted") => {
          const sim = new Simulator(new DescribedDesign(spec), { backend, shuffleSeed });
          const rec = new Recorder(sim);
          sim.run(UNTIL_PS);
          sim.close();
          return { history: rec.history, evaluations: sim.evaluations };
        };
        expect(history("compiled")).toEqual(history("interpreted"));
      }),
      { numRuns: 200 },
    );
  });

  it.each(BACKENDS)("every signal after every edge equals the plain BigInt evaluator's (%s back end)", (backend) => {
    fc.assert(
      fc.property(arbDescribed(), (spec) => {
        const expected = plainRun(spec, UNTIL_PS);
        const dut = new DescribedDesign(spec);
        const sim = new Simulator(dut, { backend });
        sim.observe(...dut.handles); // the testbench reads every signal (api.ts: observation)
        for (const [t, vals] of expected) {
          sim.run(t);
          expect(dut.handles.map(value), `after the edges at ${t} ps`).toEqual(vals);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** A module with one clock, built by `body`; runs `edges` rising edges on `backend`. */
function clocked(backend: "compiled" | "interpreted", edges: number, body: (m: Module, clk: ReturnType<Module["clock"]>) => void): Simulator {
  const m = new Module(null, "top");
  const clk = m.clock("clk", { periodPs: 10, firstRisePs: 5 });
  body(m, clk);
  const sim = new Simulator(m, { backend });
  for (const s of m.signals) sim.observe(s);
  sim.run(5 + 10 * (edges - 1));
  return sim;
}

describe.each(BACKENDS)("described processes: examples (%s back end)", (backend) => {
  it("an assignment wraps to the target's width, as set() does: a Vec(4) 3 + 15 → 2, a Bit 6 → 0, 0 − 1 → 2^32 − 1", () => {
    const sim = clocked(backend, 1, (m, clk) => {
      const v = m.vec("v", 4, "internal", 3);
      const b = m.bit("b", "internal", 1);
      const w = m.vec("w", 32);
      m.described(clk.posedge, (r) => {
        r.assign(v, r.add(v, 15));
        r.assign(b, 6);
        r.assign(w, r.sub(0, 1));
      });
    });
    const [, v, b, w] = sim.design.top.signals as [unknown, { get(): number }, { get(): number }, { get(): number }];
    expect([v.get(), b.get(), w.get()]).toEqual([2, 0, 0xffffffff]);
  });

  it("a part-select write across a word boundary keeps the other bits; a read of it gives the field", () => {
    let wide: import("../src/engine/Signal.js").WideVec;
    let field: import("../src/engine/Signal.js").Vec;
    clocked(backend, 1, (m, clk) => {
      wide = m.wide("x", 70, "internal", (1n << 70n) - 1n);
      field = m.vec("f", 12);
      m.described(clk.posedge, (r) => {
        r.assign(r.bits(wide, 28, 8), 0x5a);
        r.assign(field, r.bits(wide, 26, 12));
      });
    });
    expect(wide!.getBig()).toBe(((1n << 70n) - 1n) & ~(0xffn << 28n) | (0x5an << 28n));
    expect(field!.get()).toBe(0xfff); // read before the edge's write lands (non-blocking)
  });

  it("a local is blocking: seen at once by the statements after it, unlike a signal's assignment", () => {
    let x: import("../src/engine/Signal.js").Vec, y: typeof x, z: typeof x;
    clocked(backend, 1, (m, clk) => {
      x = m.vec("x", 8, "internal", 10);
      y = m.vec("y", 8);
      z = m.vec("z", 8);
      m.described(clk.posedge, (r) => {
        const l = r.local(x);
        r.assign(l, r.add(l, 1));
        r.assign(x, r.add(x, 1));
        r.assign(y, r.add(l, 1)); // 12: the local moved on
        r.assign(z, r.add(x, 1)); // 11: x still reads 10 until the edge's writes land
      });
    });
    expect([x!.get(), y!.get(), z!.get()]).toEqual([11, 12, 11]);
  });

  it("a described comb process reading a closure comb's output is ranked after it and settles in one step", () => {
    const m = new Module(null, "top");
    const a = m.vec("a", 8);
    const b = m.vec("b", 8);
    const c = m.vec("c", 8);
    const described = m.describedComb((r) => r.assign(c, r.shl(b, 1)), "double");
    const closure = m.comb([a], [b], () => b.set(a.get() + 1), "increment");
    expect(described.sensitivity).toEqual([b]);
    expect(described.writes).toEqual([c]);
    const sim = new Simulator(m, { backend });
    sim.observe(c);
    expect(sim.design.rank[described.id]).toBeGreaterThan(sim.design.rank[closure.id]);
    sim.poke(a, 20);
    sim.run(1);
    expect(c.get()).toBe(42);
  });

  it("a description writing a signal another process drives is refused in one line naming it and both processes", () => {
    const m = new Module(null, "bad");
    const clk = m.clock("clk", { periodPs: 10 });
    const x = m.vec("x", 4);
    m.always(clk.posedge, [x], () => x.set(1), "first");
    m.described(clk.posedge, (r) => r.assign(x, 2), "second");
    expect(() => new Simulator(m, { backend })).toThrow(DriverConflict);
    expect(() => new Simulator(m, { backend })).toThrow(/^bad\.x has two drivers: bad\.first and bad\.second; a net has exactly one$/);
  });

  it("refuses a field outside its signal, a constant that is no uint32, and a comb description reading nothing", () => {
    const m = new Module(null, "top");
    const clk = m.clock("clk", { periodPs: 10 });
    const w = m.wide("w", 40);
    const v = m.vec("v", 4);
    expect(() => m.described(clk.posedge, (r) => r.assign(v, r.bits(w, 30, 12)))).toThrow(/^top\.always@posedge\(clk\): bits 30\+12 of top\.w: expected 1\.\.32 bits inside its 40$/);
    expect(() => m.described(clk.posedge, (r) => r.assign(v, -1), "neg")).toThrow(/^top\.neg: constant -1 is not an integer in 0\.\.4294967295$/);
    expect(() => m.describedComb((r) => r.assign(v, 3))).toThrow(ElaborationError);
  });
});

describe("described processes: the compiled schedule", () => {
  it("holds their code inline, reading cur and writing next by net id, and calls no closure for them", () => {
    const m = new Module(null, "top");
    const clk = m.clock("clk", { periodPs: 10 });
    const regs = Array.from({ length: 3 }, (_, i) => m.vec(`r${i}`, 8));
    const procs = regs.map((q, i) => m.described(clk.posedge, (r) => r.assign(q, r.add(regs[(i + 1) % 3], 1)), `p${i}`));
    const sim = new Simulator(m);
    const d = sim.design;
    const all = new Uint8Array(d.nets.length).fill(1);
    const src = scheduleSource(d, observe(d, all), all).body;
    for (const p of procs) expect(src).not.toContain(`P[${p.id}]()`);
    expect(src).toContain(`next[${regs[0].id}] = ((cur[${regs[1].id}] + 1) >>> 0) & 0xff; // top.r0`);
  });

  it("fuses the comb readers of one clock edge's registers: the edge's commit marks them, one follower runs them", () => {
    const m = new Module(null, "top");
    const clk = m.clock("clk", { periodPs: 10 });
    const regs = Array.from({ length: 3 }, (_, i) => m.vec(`r${i}`, 4));
    const flags = regs.map((_, i) => m.bit(`f${i}`));
    regs.forEach((q, i) => m.described(clk.posedge, (r) => r.assign(q, r.add(q, i + 1)), `count${i}`));
    const readers = regs.map((q, i) => m.describedComb((r) => r.assign(flags[i], r.ne(q, 0)), `flag${i}`));
    const both = m.describedComb((r) => r.assign(m.bit("any"), r.or(flags[0], regs[1])), "two_inputs");
    const d = new Simulator(m).design;
    const all = new Uint8Array(d.nets.length).fill(1);
    const src = scheduleSource(d, observe(d, all), all);
    // r1 wakes two_inputs too, so flag1 keeps its wake; two_inputs is woken by two nets
    expect(readers.map((p) => src.fused[p.id])).toEqual([1, 0, 1]);
    expect(src.fused[both.id]).toBe(0);
    for (const p of [readers[0], readers[2]]) expect(src.body).toContain(`if (dirty[${p.id}] === 1) { dirty[${p.id}] = 0; ran++;`);
  });
});
