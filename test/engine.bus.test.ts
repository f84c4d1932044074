// Buses (api.ts "Buses", src/engine/Bus.ts): a bus reads and drives its signals exactly as their own
// get() and set() do, on both back ends, and refuses what set() refuses, naming the signal.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RealBus, VecBus } from "../src/engine/Bus.js";
import { Module } from "../src/engine/Module.js";
import { type Timer } from "../src/engine/Process.js";
import type { Bit, Real, Vec } from "../src/engine/Signal.js";
import { Simulator } from "../src/engine/Simulator.js";
import { ElaborationError, SignalValueError, SimulationError } from "../src/errors.js";
import { BACKENDS } from "./support/backends.js";

const SEED = Number(process.env.FC_SEED ?? 20261129);

/**
 * A driver writes script[k] at time 10·(k+1) ps, through a bus or node by node; a reader copies the
 * nodes at the same times (so it sees the values before the writes) and once after the last, through
 * a bus and node by node, so the two ways can be compared.
 */
class BusPair extends Module {
  readonly nodes: Real[] = [];
  readonly viaBus: number[][] = [];
  readonly viaGet: number[][] = [];
  readonly out: RealBus;
  private readonly inBus: RealBus;

  constructor(width: number, script: Float64Array[], useBus: boolean, n = width) {
    super(null, "tb");
    for (let i = 0; i < width; i++) this.nodes.push(this.real(`x_${i}`, "fC"));
    this.out = this.busOf(this.nodes);
    this.inBus = this.busOf(this.nodes); // a second bus over the same nodes, for the reader
    let k = 0;
    const driver = this.timer("drive", this.nodes, () => {
      if (useBus) this.out.write(script[k], n);
      else for (let i = 0; i < n; i++) this.nodes[i].set(script[k][i]);
      if (++k < script.length) driver.after(10);
    });
    this.onStart.push(() => driver.after(10));
    const into = new Float64Array(width);
    const sampler = this.timer("sample", [], () => {
      this.inBus.read(into);
      this.viaBus.push(Array.from(into));
      this.viaGet.push(this.nodes.map((x) => x.get()));
      if (this.viaGet.length <= script.length) sampler.after(10);
    }, this.nodes);
    // in the same evaluate phase as the driver: both ways must read the values before its writes
    this.onStart.push(() => sampler.after(10));
  }
}

const arbScript = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }),
);

describe.each(BACKENDS)("real buses (%s back end)", (backend) => {
  it("read what get() reads, and a bus write commits what set() commits, at the same times", () => {
    fc.assert(
      fc.property(arbScript, (rows) => {
        const script = rows.map((r) => Float64Array.from(r));
        const runs = [true, false].map((useBus) => {
          const tb = new BusPair(rows[0].length, script, useBus);
          const sim = new Simulator(tb, { backend });
          sim.run(10 * (script.length + 2));
          return tb;
        });
        for (const tb of runs) expect(tb.viaBus).toEqual(tb.viaGet);
        expect(runs[0].viaBus).toEqual(runs[1].viaBus);
        expect(runs[0].viaBus.at(-1)).toEqual(Array.from(script.at(-1)!));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("drives only the first n nodes when given n", () => {
    const tb = new BusPair(3, [Float64Array.of(1, 2, 3)], true, 2);
    new Simulator(tb, { backend }).run(30);
    expect(tb.viaBus.at(-1)).toEqual([1, 2, 0]);
    expect(tb.out.width).toBe(3);
  });

  it("refuses a value that is not finite, naming the node and its unit, as set() does", () => {
    const tb = new BusPair(3, [Float64Array.of(1, NaN, 3)], true);
    const sim = new Simulator(tb, { backend });
    expect(() => sim.run(30)).toThrow(SignalValueError);
    expect(() => new Simulator(new BusPair(3, [Float64Array.of(1, Infinity, 3)], true), { backend }).run(30)).toThrow(/tb\.x_1: cannot take Infinity: expected a finite number of fC/);
  });

  it("refuses more values than nodes", () => {
    const sim = new Simulator(new BusPair(2, [Float64Array.of(1, 2, 3)], true, 3), { backend });
    expect(() => sim.run(30)).toThrow(/tb\.x_0: 3 values for a bus of 2 nodes/);
  });
});

describe("a bus before the run", () => {
  it("cannot be written: it is bound when the simulator is built", () => {
    const tb = new BusPair(2, [Float64Array.of(1, 2)], true);
    expect(() => tb.out.write(Float64Array.of(1, 2))).toThrow(SimulationError);
  });
});

describe("the interpreted back end", () => {
  it("checks a bus write against each node's driver, as it checks set()", () => {
    class Intruder extends Module {
      constructor() {
        super(null, "tb");
        const x = this.real("x", "V");
        const y = this.real("y", "V");
        const both = this.busOf([x, y]);
        const t = this.timer("drive", [x], () => both.write(Float64Array.of(1, 2)));
        this.onStart.push(() => t.after(1));
      }
    }
    expect(() => new Simulator(new Intruder(), { backend: "interpreted" }).run(5)).toThrow(/tb\.y: written by process tb\.drive, but its only driver is the testbench/);
  });
});

/** Vectors of one width driven by set() or by a bus's set(i, v) with the same integers, at 10 ps apart. */
class VecPair extends Module {
  readonly vecs: Vec[] = [];
  readonly seen: number[][] = [];
  // samples the vectors 1 ps after each write, when they are committed
  private readonly sampler: Timer;

  constructor(width: number, script: number[][], useBus: boolean) {
    super(null, "tb");
    const n = script[0].length;
    for (let i = 0; i < n; i++) this.vecs.push(this.vec(`v_${i}`, width));
    const bus: VecBus = this.busOf(this.vecs);
    let k = 0;
    const driver = this.timer("drive", this.vecs, () => {
      for (let i = 0; i < n; i++) {
        if (useBus) bus.set(i, script[k][i]);
        else this.vecs[i].set(script[k][i]);
      }
      if (++k < script.length) driver.after(10);
      this.sampler.after(1);
    });
    this.onStart.push(() => driver.after(10));
    const into = new Float64Array(n);
    this.sampler = this.timer("sample", [], () => {
      bus.read(into);
      this.seen.push(Array.from(into));
    }, this.vecs);
  }
}

describe.each(BACKENDS)("vector buses (%s back end)", (backend) => {
  it("set(i, v) wraps to the width and commits what Vec.set commits, for any integers", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 4 })).chain(([width, n]) =>
      fc.tuple(fc.constant(width), fc.array(fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 5 })),
    );
    fc.assert(
      fc.property(arb, ([width, script]) => {
        const [viaBus, viaSet] = [true, false].map((useBus) => {
          const tb = new VecPair(width, script, useBus);
          new Simulator(tb, { backend }).run(10 * (script.length + 2));
          return tb.seen;
        });
        expect(viaBus).toEqual(viaSet);
        expect(viaBus.at(-1)).toEqual(script.at(-1)!.map((v) => Number(BigInt.asUintN(width, BigInt(v)))));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("refuses a value that is not an integer, naming the signal", () => {
    expect(() => new Simulator(new VecPair(4, [[1, 2.5]], true), { backend }).run(30)).toThrow(/tb\.v_1: cannot take 2\.5: expected an integer/);
  });
});

describe("making a bus", () => {
  class Maker extends Module {
    readonly a: Vec = this.vec("a", 4);
    readonly b: Vec = this.vec("b", 5);
    readonly c: Bit = this.bit("c");
    readonly x: Real = this.real("x", "V");

    constructor() {
      super(null, "tb");
    }

    make(signals: (Bit | Vec | Real)[]): void {
      this.busOf(signals as Real[]);
    }
  }

  it("refuses, when the simulator is built, a bus over a signal outside the design, naming it", () => {
    const elsewhere = new Maker();
    class Borrower extends Module {
      constructor() {
        super(null, "top");
        this.busOf([this.real("mine", "V"), elsewhere.x]);
      }
    }
    expect(() => new Simulator(new Borrower())).toThrow(/tb\.x: on a bus, but not inside the simulated design/);
  });

  it("refuses signals of two widths, reals with bits, an empty list, naming the odd signal", () => {
    const m = new Maker();
    expect(() => m.make([m.a, m.b])).toThrow(/tb\.b: 5 bits on a bus of 4-bit signals \(tb\.a\)/);
    expect(() => m.make([m.x, m.c])).toThrow(/tb\.c: a bus holds real nodes only, or bits and vectors/);
    expect(() => m.make([])).toThrow(ElaborationError);
    expect(() => m.make([m.c, m.c])).not.toThrow();
  });
});
