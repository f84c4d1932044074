// CellReadout (src/laws/cellReadout.ts), the per-cell read law both models use (docs/model.md §7): a
// cell worked by hand, retention spread per token as ρ^age whatever ages a column was read at, and
// an ideal matrix equal to the device law itself.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CellReadout, idealCells, type CellValues } from "../src/laws/cellReadout.js";
import { gCubic, gCubicDecayed, gDecayed } from "../src/laws/deviceLaw.js";

const seed = Number(process.env.FC_SEED ?? 4_213);

function cells(n: number, f: Partial<Record<keyof CellValues, number[]>>): CellValues {
  const c = idealCells(n);
  for (const [k, v] of Object.entries(f)) c[k as keyof CellValues].set(v);
  return c;
}

describe("CellReadout: a realised cell's read (docs/model.md §7)", () => {
  it("by hand: 0.9 V, γ 1.1, β 0.2 µA at age 0 reads 1.1·10.312988 + 0.2 µA; stuck at 0 V it reads g(−0.45) whatever is written and however old", () => {
    const r = new CellReadout(
      { rows: 2, cols: 1, lambdaPerToken: 0.05, nonlinearity: "cubic", retention: "token", ownRates: false },
      cells(2, { gain: [1.1, 1], offset: [0.2, 0], stuck: [-1, 0] }),
    );
    r.write(0, 0, 0.9);
    r.write(0, 1, 0.9);
    r.fill(0, 0);
    expect(r.reads[0]).toBeCloseTo(1.1 * 10.312988 + 0.2, 5);
    expect(r.reads[1]).toBeCloseTo(-10.331541, 6);
    expect(r.storedVolts(0, 1)).toBe(0);
    r.fill(0, 20); // δ = exp(−1): the working cell decays, the stuck one does not
    expect(r.reads[0]).toBe(1.1 * gCubicDecayed(0.45, Math.exp(-0.05 * 20)) + 0.2);
    expect(r.reads[1]).toBe(gCubic(-0.45));
  });

  it("own rates per token: δ = ρ^age, ρ = exp(−λ·r); r = 2, λ 0.01, age 3: exp(−0.02)³, within 1e-15 of exp(−0.06)", () => {
    const r = new CellReadout({ rows: 1, cols: 1, lambdaPerToken: 0.01, nonlinearity: "linear", retention: "token", ownRates: true }, cells(1, { ret: [2] }));
    r.write(0, 0, 0.9);
    r.fill(0, 3);
    const rho = Math.exp(-0.02);
    expect(r.reads[0]).toBe(19.3 * (0.45 * (rho * rho * rho)));
    expect(Math.abs(r.reads[0] - 19.3 * 0.45 * Math.exp(-0.06))).toBeLessThan(1e-14);
  });

  it("for all read sequences: own-rate reads depend only on the age (ρ^age), not on the ages a column was read at before", () => {
    const arb = fc.record({
      ret: fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
      ages: fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 }).map((a) => a.sort((x, y) => x - y)),
      lambda: fc.double({ min: 0, max: 0.05, noNaN: true }),
      volts: fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: 3, maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, ({ ret, ages, lambda, volts }) => {
        const make = () => {
          const r = new CellReadout({ rows: 3, cols: 1, lambdaPerToken: lambda, nonlinearity: "cubic", retention: "token", ownRates: true }, cells(3, { ret }));
          volts.forEach((v, d) => r.write(0, d, v));
          return r;
        };
        const stepped = make();
        for (const a of ages) stepped.fill(0, a);
        const direct = make();
        const last = ages[ages.length - 1];
        direct.fill(0, last);
        expect(Array.from(stepped.reads)).toEqual(Array.from(direct.reads));
        for (let d = 0; d < 3; d++) {
          let delta = 1;
          for (let a = 0; a < last; a++) delta *= Math.exp(-(lambda * ret[d]));
          expect(direct.reads[d]).toBe(gCubicDecayed(volts[d] - 0.45, delta));
        }
      }),
      { seed, numRuns: 200 },
    );
  });

  it("for all voltages, ages and times: an ideal matrix reads g((V − 0.45)·δ) exactly, by age or in time", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.9, noNaN: true }), fc.nat(2000), fc.constantFrom<"cubic" | "linear">("cubic", "linear"), (v, age, law) => {
        const token = new CellReadout({ rows: 1, cols: 1, lambdaPerToken: 1.6e-4, nonlinearity: law, retention: "token", ownRates: false }, idealCells(1));
        const time = new CellReadout({ rows: 1, cols: 1, lambdaPerToken: 1.6e-4, nonlinearity: law, retention: "time", ownRates: true }, idealCells(1));
        token.write(0, 0, v);
        time.write(0, 0, v);
        token.fill(0, age);
        time.fill(0, age * 65_000);
        expect(token.reads[0]).toBe(gDecayed(v - 0.45, Math.exp(-1.6e-4 * age), law));
        expect(time.reads[0]).toBe(gDecayed(v - 0.45, Math.exp(-1.6e-4 * ((age * 65_000) / 800_000)), law));
      }),
      { seed, numRuns: 200 },
    );
  });
});
