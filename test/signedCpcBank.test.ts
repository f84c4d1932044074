// A bank of signed CPCs (one process samples all rows, one timer steps all counters) against the
// same rows each on its own processes: every sign, count and discharging waveform is identical,
// also when convert comes back before a count has finished.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { SignedChargeToPulseConverter } from "../src/analog/SignedChargeToPulseConverter.js";
import { SignedCpcBank } from "../src/analog/SignedCpcBank.js";
import { ElaborationError } from "../src/errors.js";
import { PhaseBench } from "./support/phaseBench.js";
import { Recorder } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 20_240_917);

describe("SignedCpcBank", () => {
  it("gives every row the waveforms it has on its own processes", () => {
    const caseArb = fc
      .record({
        rows: fc.integer({ min: 1, max: 5 }),
        levelsOut: fc.integer({ min: 2, max: 64 }),
        sSat: fc.double({ min: 0.5, max: 200, noNaN: true }),
        tMaxPs: fc.integer({ min: 1000, max: 15_000 }),
        periodPs: fc.integer({ min: 100, max: 2000 }),
        // the counters' clock need not be the strobes': steps then fall between convert edges
        counterPs: fc.oneof(fc.constant(0), fc.integer({ min: 100, max: 2000 })),
        tokens: fc.integer({ min: 1, max: 8 }),
        // short phases bring convert back while counts still run
        cycles: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 8, maxLength: 8 }),
      })
      .chain((c) =>
        fc.record({
          c: fc.constant(c),
          charges: fc.array(
            fc.array(fc.oneof(fc.constant(0), fc.double({ min: -c.sSat * 20, max: c.sSat * 20, noNaN: true })), { minLength: c.rows, maxLength: c.rows }),
            { minLength: c.tokens, maxLength: c.tokens },
          ),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ c, charges }) => {
        const params = { levelsOut: c.levelsOut, sSat: c.sSat, tMaxPs: c.tMaxPs, clockPeriodPs: c.counterPs || c.periodPs };
        const bench = new PhaseBench({ tokens: c.tokens, periodPs: c.periodPs, cycles: c.cycles });
        const own: SignedChargeToPulseConverter[] = [];
        const banked: SignedChargeToPulseConverter[] = [];
        const group = new Module(bench, "group");
        const inputs = [];
        for (let r = 0; r < c.rows; r++) {
          own.push(new SignedChargeToPulseConverter(bench, `own[${r}]`, params));
          banked.push(new SignedChargeToPulseConverter(group, `scpc[${r}]`, params, "bank"));
          const charge = bench.real(`charge_${r}`, "fC", "out");
          bench.connect(charge, own[r].charge);
          bench.connect(charge, banked[r].charge);
          bench.connect(bench.convert, own[r].convert);
          inputs.push(charge);
        }
        new SignedCpcBank(group, "bank", banked);
        bench.connect(bench.convert, banked[0].convert);
        bench.stimulus(inputs, (n) => inputs.forEach((q, r) => q.set(charges[n][r])));
        const sim = new Simulator(bench);
        const rec = new Recorder(sim);
        sim.run(bench.endPs + 70 * Math.max(c.periodPs, params.clockPeriodPs));
        sim.close();
        const h = (path: string) => rec.history.get(path);
        for (let r = 0; r < c.rows; r++) {
          for (const name of ["sign", "count", "discharging"]) {
            expect(h(`tb.group.scpc[${r}].${name}`), `row ${r} ${name}`).toEqual(h(`tb.own[${r}].${name}`));
          }
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it("takes only rows made for a bank, on one clock period", () => {
    const tb = new Module(null, "tb");
    const own = new SignedChargeToPulseConverter(tb, "a");
    expect(() => new SignedCpcBank(tb, "bank0", [own])).toThrow(ElaborationError);
    expect(() => new SignedCpcBank(tb, "bank1", [own])).toThrow(/tb\.a: has its own processes/);
    const b = new SignedChargeToPulseConverter(tb, "b", { clockPeriodPs: 1000 }, "bank");
    const d = new SignedChargeToPulseConverter(tb, "d", { clockPeriodPs: 500 }, "bank");
    expect(() => new SignedCpcBank(tb, "bank2", [b, d])).toThrow(/tb\.d: clock period 500 ps differs from tb\.b's 1000 ps/);
    expect(() => new SignedCpcBank(tb, "bank3", [])).toThrow(/tb\.bank3: a bank needs at least one signed CPC/);
  });
});
