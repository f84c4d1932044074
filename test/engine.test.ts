// Example tests of the engine's contract: errors that name things, clocks, finish, stimulus, edges.
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { BACKENDS } from "./support/backends.js";
import { DriverConflict, ElaborationError, SignalValueError, SimulationError } from "../src/errors.js";
import { Recorder } from "./support/recorder.js";

class Counter extends Module {
  readonly clk = this.bit("clk", "in");
  readonly count = this.vec("count", 4, "out");
  constructor(parent: Module | null, name: string) {
    super(parent, name);
    this.always(this.clk.posedge, [this.count], () => this.count.set(this.count.get() + 1));
  }
}

class ClockedTop extends Module {
  readonly clk = this.clock("clk", { periodPs: 1000, firstRisePs: 500 });
  readonly counter = new Counter(this, "u");
  constructor() {
    super(null, "top");
    this.connect(this.counter.clk, this.clk);
  }
}

describe.each(BACKENDS)("scheduler (%s back end)", (backend) => {
  it("clocks a counter: one increment per rising edge, wrapping at 2^width", () => {
    const top = new ClockedTop();
    const sim = new Simulator(top, { backend });
    sim.run(500 + 17 * 1000);
    expect(top.counter.count.get()).toBe(18 % 16);
    expect(sim.now).toBe(17_500);
  });

  it("names the edge times in the trace: rise at firstRisePs, then every period", () => {
    const top = new ClockedTop();
    const sim = new Simulator(top, { backend });
    const rec = new Recorder(sim);
    sim.run(3000);
    sim.close();
    expect(rec.history.get("top.clk")).toEqual([[0, "0"], [500, "1"], [1000, "0"], [1500, "1"], [2000, "0"], [2500, "1"], [3000, "0"]]);
    expect(rec.closedAt).toBe(3000);
  });

  it("supports several clocks with their own periods, phases and duty cycles", () => {
    class Two extends Module {
      readonly a = this.clock("a", { periodPs: 300, firstRisePs: 0, highPs: 100 });
      readonly b = this.clock("b", { periodPs: 700, firstRisePs: 250 });
      constructor() {
        super(null, "two");
      }
    }
    const sim = new Simulator(new Two(), { backend });
    const rec = new Recorder(sim);
    sim.run(1000);
    sim.close();
    expect(rec.history.get("two.a")).toEqual([[0, "1"], [100, "0"], [300, "1"], [400, "0"], [600, "1"], [700, "0"], [900, "1"], [1000, "0"]]);
    expect(rec.history.get("two.b")).toEqual([[0, "0"], [250, "1"], [600, "0"], [950, "1"]]);
  });

  it("finish() lets its time step settle, then ends the run, as Icarus and Verilator do at $finish", () => {
    class Stop extends Module {
      readonly clk = this.clock("clk", { periodPs: 10, firstRisePs: 5 });
      readonly q = this.vec("q", 8);
      constructor() {
        super(null, "top");
        this.always(this.clk.posedge, [this.q], () => this.q.set(this.q.get() + 1));
        this.always(this.clk.posedge, [], () => {
          if (this.q.get() === 2) this.finish();
        }, "stop");
      }
    }
    const top = new Stop();
    const sim = new Simulator(top, { backend });
    expect(sim.run(1000)).toBe(false);
    expect(sim.now).toBe(25);
    expect(top.q.get()).toBe(3);
    expect(() => sim.run(2000)).toThrow(/finished/);
  });

  it("applies stimulus at the current time, seen by an edge at the same time", () => {
    class Sampler extends Module {
      readonly clk = this.bit("clk", "in");
      readonly d = this.vec("d", 8, "in");
      readonly q = this.vec("q", 8, "out");
      constructor() {
        super(null, "ff");
        this.always(this.clk.posedge, [this.q], () => this.q.set(this.d.get()));
      }
    }
    const ff = new Sampler();
    const sim = new Simulator(ff, { backend });
    sim.run(0);
    sim.poke(ff.d, 42);
    sim.poke(ff.clk, 1);
    sim.run(0);
    expect(ff.q.get()).toBe(42);
  });
});

describe.each(BACKENDS)("errors name what is wrong (%s back end)", (backend) => {
  it("a second driver is a DriverConflict naming both processes", () => {
    class Bad extends Module {
      readonly x = this.bit("x");
      readonly y = this.bit("y", "in");
      constructor() {
        super(null, "bad");
        this.comb([this.y], [this.x], () => this.x.set(1), "first");
        this.comb([this.y], [this.x], () => this.x.set(0), "second");
      }
    }
    expect(() => new Simulator(new Bad(), { backend })).toThrow(DriverConflict);
    expect(() => new Simulator(new Bad(), { backend })).toThrow(/bad\.x has two drivers: bad\.first and bad\.second/);
  });

  // the compiled back end does not check writes at run time (api.ts): drivers are proven at elaboration
  it.runIf(backend === "interpreted")("writing an undeclared signal names the signal and the process", () => {
    class Sneaky extends Module {
      readonly a = this.bit("a", "in");
      readonly b = this.bit("b");
      constructor() {
        super(null, "m");
        this.comb([this.a], [], () => this.b.set(this.a.get()), "sneak");
      }
    }
    const m = new Sneaky();
    const sim = new Simulator(m, { backend });
    sim.poke(m.a, 1);
    expect(() => sim.run(0)).toThrow(/m\.b: written by process m\.sneak/);
  });

  it("connecting ports of different widths or kinds fails at connection", () => {
    const top = new Module(null, "top");
    const a = top.vec("a", 4);
    const b = top.vec("b", 5);
    const r = top.real("r", "V");
    expect(() => top.connect(a, b)).toThrow(/cannot connect top\.a .*4 bit.* to top\.b .*5 bit/);
    expect(() => top.connect(a, r)).toThrow(ElaborationError);
  });

  it("values of the wrong kind are refused at write time", () => {
    const top = new Module(null, "top");
    const v = top.vec("v", 8);
    const r = top.real("r", "V");
    const w = top.wide("w", 100);
    const sim = new Simulator(top, { backend });
    expect(() => sim.poke(v, 2.5)).toThrow(SignalValueError);
    expect(() => sim.poke(v, NaN)).toThrow(/top\.v: cannot take NaN: expected an integer/);
    expect(() => sim.poke(r, Infinity)).toThrow(/top\.r: cannot take Infinity: expected a finite number of V/);
    sim.poke(w, (1n << 100n) + 5n);
    sim.run(0);
    expect(w.getBig()).toBe(5n);
  });

  it("a combinational loop is an elaboration error naming the process on it", () => {
    class Ring extends Module {
      readonly a = this.bit("a");
      readonly go = this.bit("go", "in");
      constructor() {
        super(null, "ring");
        this.comb([this.a, this.go], [this.a], () => this.a.set(this.go.get() & (1 - this.a.get())), "inverter");
      }
    }
    expect(() => new Simulator(new Ring(), { backend })).toThrow(ElaborationError);
    expect(() => new Simulator(new Ring(), { backend })).toThrow(/^combinational loop: ring\.inverter writes ring\.a, read by ring\.inverter;/);
  });

  it("feedback through a clocked process that never settles names the signals and stops at the delta limit", () => {
    class Ring extends Module {
      readonly a = this.bit("a");
      readonly b = this.bit("b");
      readonly go = this.bit("go", "in");
      constructor() {
        super(null, "ring");
        // b follows every edge of a; a = go & !b: once go is high, a and b chase each other forever
        this.always(this.a.anyedge, [this.b], () => this.b.set(this.a.get()), "follower");
        this.comb([this.b, this.go], [this.a], () => this.a.set(this.go.get() & (1 - this.b.get())), "inverter");
      }
    }
    const r = new Ring();
    const sim = new Simulator(r, { deltaLimit: 50, backend });
    sim.run(0);
    sim.poke(r.go, 1);
    expect(() => sim.run(10)).toThrow(SimulationError);
    const sim2 = new Simulator(new Ring(), { deltaLimit: 50, backend });
    sim2.run(0);
    sim2.poke((sim2.design.top as Ring).go, 1);
    expect(() => sim2.run(10)).toThrow(/^no settling after 50 delta cycles at 0 ps \(feedback through clocked or timed processes\); still changing: ring\.(a|b); woken: none$/);
  });

  it("time past 2^53 − 1 ps is reported, not wrapped", () => {
    const top = new Module(null, "top");
    const t = top.timer("late", [], () => {});
    const sim = new Simulator(top, { backend });
    sim.run(10);
    expect(() => t.after(Number.MAX_SAFE_INTEGER)).toThrow(/past the largest exact time/);
    expect(() => sim.run(2 ** 60)).toThrow(/not an integer number of ps up to 2\^53/);
  });

  it("bad names and widths are refused at declaration", () => {
    const top = new Module(null, "top");
    expect(() => top.vec("v", 33)).toThrow(/width 33 is not 1\.\.32; use wide\(\)/);
    expect(() => top.wide("w", 0)).toThrow(/width 0 is not a whole number ≥ 1/);
    expect(() => top.bit("a.b")).toThrow(/identifier/);
    expect(() => top.real("x", "µV")).toThrow(/unit/);
    expect(() => new Module(top, "bad name")).toThrow(/identifier/);
  });
});
