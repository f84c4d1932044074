// A bank of CPCs (one process converts all columns, one timer raises and lowers all pulses)
// against the same CPCs each on its own processes: every width, saturated and pulse waveform is
// identical, also when phase2 rises again before the pulses have fallen.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TraceSink } from "../src/engine/api.js";
import { Module } from "../src/engine/Module.js";
import { Simulator } from "../src/engine/Simulator.js";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import { CpcBank } from "../src/analog/CpcBank.js";
import { ElaborationError } from "../src/errors.js";
import { PhaseBench } from "./support/phaseBench.js";
import { Recorder } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 77_031);

describe("CpcBank", () => {
  it("gives every column the waveforms it has on its own processes, changing in the same order", () => {
    const caseArb = fc
      .record({
        columns: fc.integer({ min: 1, max: 6 }),
        sSat: fc.double({ min: 0.5, max: 200, noNaN: true }),
        tMaxPs: fc.integer({ min: 1, max: 15_000 }),
        periodPs: fc.integer({ min: 100, max: 2000 }),
        tokens: fc.integer({ min: 1, max: 8 }),
        // short phases bring phase2 back while pulses are still high
        cycles: fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 8, maxLength: 8 }),
      })
      .chain((c) =>
        fc.record({
          c: fc.constant(c),
          // charges (fC): none, negative, saturating, equal ones (equal fall times), anything
          charges: fc.array(
            fc.array(
              fc.oneof(fc.constant(0), fc.constant(c.sSat * c.tMaxPs / 2000), fc.constant(c.sSat * c.tMaxPs), fc.double({ min: -c.sSat * c.tMaxPs / 500, max: c.sSat * c.tMaxPs / 500, noNaN: true })),
              { minLength: c.columns, maxLength: c.columns },
            ),
            { minLength: c.tokens, maxLength: c.tokens },
          ),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ c, charges }) => {
        const params = { sSat: c.sSat, tMaxPs: c.tMaxPs };
        const bench = new PhaseBench({ tokens: c.tokens, periodPs: c.periodPs, cycles: c.cycles });
        const own: ChargeToPulseConverter[] = [];
        const banked: ChargeToPulseConverter[] = [];
        const group = new Module(bench, "group");
        const inputs = [];
        for (let j = 0; j < c.columns; j++) {
          own.push(new ChargeToPulseConverter(bench, `own[${j}]`, params));
          banked.push(new ChargeToPulseConverter(group, `cpc[${j}]`, params, "bank"));
          const charge = bench.real(`charge_${j}`, "fC", "out");
          bench.connect(charge, own[j].charge);
          bench.connect(charge, banked[j].charge);
          bench.connect(bench.phase2, own[j].phase2);
          inputs.push(charge);
        }
        new CpcBank(group, "bank", banked);
        bench.connect(bench.phase2, banked[0].phase2);
        bench.stimulus(inputs, (n) => inputs.forEach((q, j) => q.set(charges[n][j])));
        const sim = new Simulator(bench);
        const rec = new Recorder(sim);
        // the order in which each group's pulses change within a time step (a VCD lists them so)
        const order = { own: [] as string[], bank: [] as string[] };
        const ownPulse = new Map(own.map((x, j) => [x.pulse.id, j]));
        const bankPulse = new Map(banked.map((x, j) => [x.pulse.id, j]));
        const orderSink: TraceSink = {
          sample(timePs, changed, n) {
            for (let i = 0; i < n; i++) {
              const id = changed[i];
              if (ownPulse.has(id)) order.own.push(`${timePs}:${ownPulse.get(id)}`);
              if (bankPulse.has(id)) order.bank.push(`${timePs}:${bankPulse.get(id)}`);
            }
          },
          close() {},
        };
        const both: TraceSink = {
          sample: (t, changed, n) => (rec.sample(t, changed, n), orderSink.sample(t, changed, n)),
          close: (t) => rec.close(t),
        };
        sim.attachTrace(both, () => true);
        sim.run(bench.endPs + c.tMaxPs + c.periodPs);
        sim.close();
        expect(order.bank).toEqual(order.own);
        const h = (path: string) => rec.history.get(path);
        for (let j = 0; j < c.columns; j++) {
          for (const name of ["width", "saturated", "pulse"]) {
            expect(h(`tb.group.cpc[${j}].${name}`), `column ${j} ${name}`).toEqual(h(`tb.own[${j}].${name}`));
          }
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it("takes only CPCs made for a bank", () => {
    const tb = new Module(null, "tb");
    const own = new ChargeToPulseConverter(tb, "a");
    expect(() => new CpcBank(tb, "bank0", [own])).toThrow(ElaborationError);
    expect(() => new CpcBank(tb, "bank1", [own])).toThrow(/tb\.a: has its own processes/);
    expect(() => new CpcBank(tb, "bank2", [])).toThrow(/tb\.bank2: a bank needs at least one CPC/);
  });
});
