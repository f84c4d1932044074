// The signed-CPC row of a sub-tile (SignedChargeToPulseConverter) against a plain model of its
// counters: sign, count and discharging of every V row, also when convert comes back before a
// count has finished and when the counter clock is not the strobes'.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulator } from "../src/engine/Simulator.js";
import { SignedChargeToPulseConverter } from "../src/analog/SignedChargeToPulseConverter.js";
import { quantiseCode } from "../src/laws/quantise.js";
import { ElaborationError } from "../src/errors.js";
import { PhaseBench } from "./support/phaseBench.js";
import { record, Recorder, type History } from "./support/recorder.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 20_240_917);

interface RowCase {
  levelsOut: number;
  sSat: number;
  tMaxPs: number;
  counterPs: number;
}

/** One counter plainly: at each convert edge the sign, then 0, 1, …, |o| one period apart, cut by the next edge. */
function plainCounter(charges: number[], edges: number[], c: RowCase) {
  const sign: History = [[0, "0"]];
  const count: History = [[0, "0"]];
  const discharging: History = [[0, "0"]];
  edges.forEach((t, n) => {
    const code = quantiseCode(charges[n] / (c.tMaxPs / 1000) / (c.sSat / 2), -1, 1, c.levelsOut);
    const m = Math.abs(code);
    const next = edges[n + 1] ?? Infinity;
    record(sign, t, code < 0 ? 1 : 0);
    record(count, t, 0);
    record(discharging, t, m > 0 ? 1 : 0);
    for (let k = 1; k <= m && t + k * c.counterPs < next; k++) record(count, t + k * c.counterPs, k);
    if (m > 0 && t + m * c.counterPs < next) record(discharging, t + m * c.counterPs, 0);
  });
  return { sign, count, discharging };
}

describe("SignedChargeToPulseConverter (the signed-CPC row)", () => {
  it("gives every row the plain model's sign, count and discharging", () => {
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
        const counterPs = c.counterPs || c.periodPs;
        const params = { levelsOut: c.levelsOut, sSat: c.sSat, tMaxPs: c.tMaxPs, clockPeriodPs: counterPs };
        const bench = new PhaseBench({ tokens: c.tokens, periodPs: c.periodPs, cycles: c.cycles });
        const row = new SignedChargeToPulseConverter(bench, "scpc", c.rows, params);
        const inputs = row.columns.map((col, r) => {
          const charge = bench.real(`charge_${r}`, "fC", "out");
          bench.connect(charge, col.charge);
          return charge;
        });
        bench.connect(bench.convert, row.columns[0].convert);
        bench.stimulus(inputs, (n) => inputs.forEach((q, r) => q.set(charges[n][r])));
        const sim = new Simulator(bench);
        const rec = new Recorder(sim);
        sim.run(bench.endPs + 70 * Math.max(c.periodPs, counterPs));
        sim.close();
        const edges = charges.map((_, n) => bench.startOf(n, "convert"));
        for (let r = 0; r < c.rows; r++) {
          const plain = plainCounter(charges.map((q) => q[r]), edges, { ...c, counterPs });
          for (const name of ["sign", "count", "discharging"] as const) {
            expect(rec.history.get(`tb.scpc[${r}].${name}`), `row ${r} ${name}`).toEqual(plain[name]);
          }
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it("declares its rows' ports beside it, named <row>[d], with counts wide enough for |o|, and refuses a row of none", () => {
    const tb = new PhaseBench({ tokens: 1 });
    const row = new SignedChargeToPulseConverter(tb, "scpc", 2, { levelsOut: 32 });
    expect(row.columns.map((c) => c.count.path)).toEqual(["tb.scpc[0].count", "tb.scpc[1].count"]);
    expect(row.columns.map((c) => c.count.width)).toEqual([5, 5]);
    expect(row.signals).toEqual([]);
    expect(() => new SignedChargeToPulseConverter(tb, "none", 0)).toThrow(ElaborationError);
    expect(() => new SignedChargeToPulseConverter(tb, "neg", -1)).toThrow(/^tb\.neg: -1 columns; a row has a whole number ≥ 1$/);
  });
});
