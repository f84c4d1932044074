// Property tests of the engine: semantics against a plain reference, determinism, order
// independence, vector wrap-around, two-phase registers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { BACKENDS } from "./support/backends.js";
import { arbDesign, RandomDesign, referenceRun } from "./support/randomDesign.js";
import { Recorder } from "./support/recorder.js";

const RUNS = { numRuns: 60 };

describe.each(BACKENDS)("engine properties (%s back end)", (backend) => {
  it("a random design on the engine equals the plain cycle-by-cycle reference, in any evaluation order", () => {
    fc.assert(
      fc.property(arbDesign(), fc.option(fc.nat(), { nil: undefined }), (spec, shuffleSeed) => {
        spec.clocks.forEach((c) => (c.firstRisePs = Math.max(1, c.firstRisePs))); // no edge racing the time-0 settle
        const until = 200;
        const expected = referenceRun(spec, until);
        const dut = new RandomDesign(spec);
        const sim = new Simulator(dut, { shuffleSeed, backend });
        sim.observe(...dut.outs); // the testbench reads every node (api.ts: observation)
        for (const [t, vals] of expected) {
          sim.run(t);
          const got = dut.outs.map((h) => ("getBig" in h ? h.getBig() : BigInt(h.get())).toString());
          expect(got, `after the edges at ${t} ps`).toEqual(vals);
        }
      }),
      RUNS,
    );
  });

  it("is deterministic: the same design gives the same history, whatever the shuffle seed", () => {
    fc.assert(
      fc.property(arbDesign(), fc.nat(), fc.nat(), (spec, s1, s2) => {
        const history = (seed: number | undefined) => {
          const sim = new Simulator(new RandomDesign(spec), { shuffleSeed: seed, backend });
          const rec = new Recorder(sim);
          sim.run(150);
          sim.close();
          return [...rec.history];
        };
        const plain = history(undefined);
        expect(history(undefined)).toEqual(plain);
        expect(history(s1)).toEqual(plain);
        expect(history(s2)).toEqual(plain);
      }),
      RUNS,
    );
  });

  it("a shift register of any length shifts by exactly one stage per edge", () => {
    class Shift extends Module {
      readonly clk = this.clock("clk", { periodPs: 10, firstRisePs: 5 });
      readonly din = this.vec("din", 8, "in");
      readonly stages: ReturnType<Module["vec"]>[] = [];
      constructor(length: number) {
        super(null, "sr");
        for (let i = 0; i < length; i++) {
          const stage = new Module(this, `s[${i}]`).vec("q", 8, "out");
          const src = i === 0 ? this.din : this.stages[i - 1];
          this.children[i].always(this.clk.posedge, [stage], () => stage.set(src.get()));
          this.stages.push(stage);
        }
      }
    }
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 60 }), fc.option(fc.nat(), { nil: undefined }), (length, inputs, seed) => {
        const sr = new Shift(length);
        const sim = new Simulator(sr, { shuffleSeed: seed, backend });
        inputs.forEach((x, k) => {
          sim.run(k * 10);
          sim.poke(sr.din, x);
          sim.run(k * 10 + 5); // edge k: stage 0 takes inputs[k]
          sr.stages.forEach((s, i) => expect(s.get()).toBe(k - i >= 0 ? inputs[k - i] : 0));
        });
      }),
      RUNS,
    );
  });

  it("vectors of any width wrap and mask like Verilog (modulo 2^width)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 256 }), fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }), (width, x) => {
        const top = new Module(null, "top");
        const v = width > 32 ? top.wide("v", width) : top.vec("v", width);
        const sim = new Simulator(top, { backend });
        const small = width <= 32 ? BigInt.asIntN(53, x) : x; // a number holds 53-bit integers exactly
        sim.poke(v, width <= 32 ? Number(small) : small);
        sim.run(0);
        const got = "getBig" in v ? v.getBig() : BigInt(v.get());
        expect(got).toBe(BigInt.asUintN(width, small));
      }),
      { numRuns: 300 },
    );
  });

  it("wide part-selects read and write exactly the bits they name", () => {
    fc.assert(
      fc.property(fc.integer({ min: 33, max: 256 }), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.nat(), fc.integer({ min: 1, max: 32 }), fc.nat({ max: 0xffffffff }), (width, init, loRaw, bits, value) => {
        const lo = loRaw % (width - bits + 1);
        const top = new Module(null, "top");
        const v = top.wide("v", width, "internal", init);
        const sim = new Simulator(top, { backend });
        const start = BigInt.asUintN(width, init);
        expect(v.getBits(lo, bits)).toBe(Number((start >> BigInt(lo)) & ((1n << BigInt(bits)) - 1n)));
        v.setBits(lo, bits, value);
        sim.run(0);
        const mask = ((1n << BigInt(bits)) - 1n) << BigInt(lo);
        expect(v.getBig()).toBe((start & ~mask) | ((BigInt(value) << BigInt(lo)) & mask));
      }),
      { numRuns: 300 },
    );
  });
});
