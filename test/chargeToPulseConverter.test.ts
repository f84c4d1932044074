// The CPC row of a sub-tile (ChargeToPulseConverter) against a plain model of its columns' waveforms:
// widths, saturation and pulse edges of every column, also when phase2 rises again before the
// pulses have fallen.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulator } from "../src/engine/Simulator.js";
import { ChargeToPulseConverter } from "../src/analog/ChargeToPulseConverter.js";
import { ElaborationError } from "../src/errors.js";
import { PhaseBench } from "./support/phaseBench.js";
import { record, Recorder, type History } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 77_031);

/** One column plainly: width and saturation at each phase edge; the pulse high for round(width) ps or until the next edge. */
function plainColumn(charges: number[], edges: number[], sSat: number, tMaxPs: number) {
  const width: History = [[0, "0"]];
  const saturated: History = [[0, "0"]];
  const pulse: History = [[0, "0"]];
  edges.forEach((t, n) => {
    const s = charges[n] / (tMaxPs / 1000);
    const w = Math.min(Math.max(s / sSat, 0), 1) * tMaxPs;
    record(width, t, w);
    record(saturated, t, s >= sSat ? 1 : 0);
    const edgePs = Math.round(w);
    record(pulse, t, edgePs > 0 ? 1 : 0);
    if (edgePs > 0 && !(t + edgePs >= (edges[n + 1] ?? Infinity))) record(pulse, t + edgePs, 0);
  });
  return { width, saturated, pulse };
}

describe("ChargeToPulseConverter (the CPC row)", () => {
  it("gives every column the plain model's width, saturation and pulse, phase edges cutting pulses short", () => {
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
        const bench = new PhaseBench({ tokens: c.tokens, periodPs: c.periodPs, cycles: c.cycles });
        const row = new ChargeToPulseConverter(bench, "cpc", c.columns, { sSat: c.sSat, tMaxPs: c.tMaxPs });
        const inputs = row.columns.map((col, j) => {
          const charge = bench.real(`charge_${j}`, "fC", "out");
          bench.connect(charge, col.charge);
          return charge;
        });
        bench.connect(bench.phase2, row.columns[0].phase2);
        bench.stimulus(inputs, (n) => inputs.forEach((q, j) => q.set(charges[n][j])));
        const sim = new Simulator(bench);
        const rec = new Recorder(sim);
        sim.run(bench.endPs + c.tMaxPs + c.periodPs);
        sim.close();
        const edges = charges.map((_, n) => bench.startOf(n, "phase2"));
        for (let j = 0; j < c.columns; j++) {
          const plain = plainColumn(charges.map((q) => q[j]), edges, c.sSat, c.tMaxPs);
          for (const name of ["width", "saturated", "pulse"] as const) {
            expect(rec.history.get(`tb.cpc[${j}].${name}`), `column ${j} ${name}`).toEqual(plain[name]);
          }
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it("declares its columns' ports beside it, named <row>[j], and refuses a row of no columns", () => {
    const tb = new PhaseBench({ tokens: 1 });
    const row = new ChargeToPulseConverter(tb, "cpc", 3);
    expect(row.columns.map((c) => c.charge.path)).toEqual(["tb.cpc[0].charge", "tb.cpc[1].charge", "tb.cpc[2].charge"]);
    expect(row.signals).toEqual([]);
    expect(() => new ChargeToPulseConverter(tb, "none", 0)).toThrow(ElaborationError);
    expect(() => new ChargeToPulseConverter(tb, "half", 1.5)).toThrow(/^tb\.half: 1\.5 columns; a row has a whole number ≥ 1$/);
  });
});
