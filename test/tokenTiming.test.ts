// The token timing law of src/laws/tokenTiming.ts against the real controller: a TokenSequencer fed
// by a TokenSource that holds each token back until its arrival time (as for --token-gap and
// --arrivals), its WRITE falls and PHASE 1/2 rises read from a recorded trace.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenSequencer, type PhaseCycles } from "../src/control/TokenSequencer.js";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { TokenSource } from "../src/arch/testbench/TokenSource.js";
import { arrivalsWithGap, scheduleOf, tokenTimes, type TokenSchedule } from "../src/laws/tokenTiming.js";
import { DEFAULT_ACCELERATOR } from "../src/arch/config.js";
import { ConfigError } from "../src/errors.js";
import { Recorder } from "./support/recorder.js";

const seed = Number(process.env.FC_SEED ?? 2_409_193);

/** Clock, a token source that offers token i only from its arrival on (its arrivalsPs), and the sequencer. */
class Bench extends Module {
  readonly clk: ReturnType<Module["clock"]>;
  readonly seq: TokenSequencer;
  readonly source: TokenSource;
  constructor(schedule: TokenSchedule, arrivalsPs: ArrayLike<number>) {
    super(null, "tb");
    this.clk = this.clock("clk", { periodPs: schedule.clockPeriodPs });
    const T = arrivalsPs.length;
    const codes = { T, D: 1, q: new Int32Array(T), k: new Int32Array(T), v: new Int32Array(T), qBits: 1, kvBits: 1 };
    this.source = new TokenSource(this, "source", codes, undefined, arrivalsPs);
    this.seq = new TokenSequencer(this, "seq", { qBits: 1, kBits: 1, vBits: 1 }, schedule.phaseCycles as unknown as PhaseCycles);
    this.connect(this.source.clk, this.clk);
    this.connect(this.seq.clk, this.clk);
    this.connect(this.source.ready, this.seq.ready);
    this.connect(this.seq.valid, this.source.valid);
    this.connect(this.seq.qIn, this.source.qIn);
    this.connect(this.seq.kIn, this.source.kIn);
    this.connect(this.seq.vIn, this.source.vIn);
  }
}

/** Times at which `net` went to `value`, from the recorded history. */
function edgesTo(rec: Recorder, net: string, value: string): number[] {
  return rec.history.get(net)!.filter(([t, v], i) => i > 0 && v === value && t > 0).map(([t]) => t);
}

function simulate(schedule: TokenSchedule, arrivalsPs: ArrayLike<number>) {
  const bench = new Bench(schedule, arrivalsPs);
  const sim = new Simulator(bench);
  const rec = new Recorder(sim);
  const C = schedule.phaseCycles.reduce((a, b) => a + b, 0);
  const last = arrivalsPs.length === 0 ? 0 : arrivalsPs[arrivalsPs.length - 1];
  sim.run(last + (arrivalsPs.length + 3) * C * schedule.clockPeriodPs);
  return {
    loadPs: edgesTo(rec, "tb.seq.load", "1"),
    writeEndPs: edgesTo(rec, "tb.seq.write", "0"),
    phase1Ps: edgesTo(rec, "tb.seq.phase1", "1"),
    phase2Ps: edgesTo(rec, "tb.seq.phase2", "1"),
  };
}

const SPEC = scheduleOf(DEFAULT_ACCELERATOR);

describe("token timing law (docs/model.md §3 schedule, §7 retention in time)", () => {
  it("back to back with the spec's schedule: token t loads at 1.5 + 65t ns, its WRITE ends 10 ns later, PHASE 1 2 ns and PHASE 2 19 ns after that; T tokens end at T·65 + 1.5 ns", () => {
    const times = tokenTimes(SPEC, 3);
    expect(Array.from(times.loadPs)).toEqual([1_500, 66_500, 131_500]);
    expect(Array.from(times.writeEndPs)).toEqual([11_500, 76_500, 141_500]);
    expect(Array.from(times.phase1Ps)).toEqual([13_500, 78_500, 143_500]);
    expect(Array.from(times.phase2Ps)).toEqual([30_500, 95_500, 160_500]); // 17 ns after PHASE 1
    expect(times.donePs[2]).toBe(3 * 65_000 + 1_500);
    expect(Array.from(arrivalsWithGap(SPEC, 3, 0))).toEqual([0, 65_000, 130_000]);
  });

  it("a gap of idle time: arrivals every 65 ns + gap; 735 ns of gap is the paper's 0.8 µs per token", () => {
    const times = tokenTimes(SPEC, 3, arrivalsWithGap(SPEC, 3, 735_000));
    expect(Array.from(times.loadPs)).toEqual([1_500, 801_500, 1_601_500]);
    expect(() => arrivalsWithGap(SPEC, 3, -1)).toThrow(ConfigError);
    expect(() => tokenTimes(SPEC, 2, [5_000, 4_000])).toThrow(/arrival times\[1\]: 4000 ps is before token 0's arrival/);
    expect(() => tokenTimes(SPEC, 2, [0])).toThrow(/expected one per token, 2/);
  });

  it("equals the real sequencer and token source with the spec's schedule, back to back and with stalls", () => {
    for (const arrivals of [[0, 0, 0, 0], [0, 100_000, 100_000, 500_000], [3_000, 3_001, 200_499, 200_500]]) {
      const law = tokenTimes(SPEC, arrivals.length, arrivals);
      const real = simulate(SPEC, arrivals);
      expect(real).toEqual({ loadPs: Array.from(law.loadPs), writeEndPs: Array.from(law.writeEndPs), phase1Ps: Array.from(law.phase1Ps), phase2Ps: Array.from(law.phase2Ps) });
    }
  });

  it("for all schedules, clocks and arrival times: equals the real sequencer and token source", () => {
    const arb = fc.record({
      phaseCycles: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 8, maxLength: 8 }),
      clockPeriodPs: fc.integer({ min: 2, max: 2000 }),
      steps: fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(arb, ({ phaseCycles, clockPeriodPs, steps }) => {
        const schedule: TokenSchedule = { clockPeriodPs, firstRisePs: Math.floor(clockPeriodPs / 2), phaseCycles };
        const arrivals: number[] = [];
        steps.reduce((t, dt) => (arrivals.push(t + dt), t + dt), 0);
        const law = tokenTimes(schedule, arrivals.length, arrivals);
        const real = simulate(schedule, arrivals);
        expect(real).toEqual({ loadPs: Array.from(law.loadPs), writeEndPs: Array.from(law.writeEndPs), phase1Ps: Array.from(law.phase1Ps), phase2Ps: Array.from(law.phase2Ps) });
      }),
      { seed, numRuns: 150 },
    );
  });
});
