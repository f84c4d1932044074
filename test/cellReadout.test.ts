// CellReadout (src/laws/cellReadout.ts), the per-cell read law both models use (docs/model.md §7): a
// cell worked by hand, retention spread per token as ρ^age whatever ages a column was read at, an
// ideal matrix equal to the device law itself, a column's stage-1 sum against its reads, and the
// four-columns-per-pass reads against the same reads one column at a time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CellReadout, idealCells, type CellValues } from "../src/laws/cellReadout.js";
import { gCubic, gCubicDecayed, gDecayed } from "../src/laws/deviceLaw.js";

const seed = Number(process.env.FC_SEED ?? 4_213);

/** Column j's reads, `elapsed` after its write: what accumulate adds under a unit pulse to zero sums (0 + 1·x = x). */
function readsOf(r: CellReadout, j: number, elapsed: number): Float64Array {
  const sum = new Float64Array(r.params.rows);
  r.accumulate(j, elapsed, 1, sum);
  return sum;
}

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
    const [a, b] = readsOf(r, 0, 0);
    expect(a).toBeCloseTo(1.1 * 10.312988 + 0.2, 5);
    expect(b).toBeCloseTo(-10.331541, 6);
    expect(r.storedVolts(0, 1)).toBe(0);
    const [a20, b20] = readsOf(r, 0, 20); // δ = exp(−1): the working cell decays, the stuck one does not
    expect(a20).toBe(1.1 * gCubicDecayed(0.45, Math.exp(-0.05 * 20)) + 0.2);
    expect(b20).toBe(gCubic(-0.45));
  });

  it("own rates per token: δ = ρ^age, ρ = exp(−λ·r); r = 2, λ 0.01, age 3: exp(−0.02)³, within 1e-15 of exp(−0.06)", () => {
    const r = new CellReadout({ rows: 1, cols: 1, lambdaPerToken: 0.01, nonlinearity: "linear", retention: "token", ownRates: true }, cells(1, { ret: [2] }));
    r.write(0, 0, 0.9);
    const [read] = readsOf(r, 0, 3);
    const rho = Math.exp(-0.02);
    expect(read).toBe(19.3 * (0.45 * (rho * rho * rho)));
    expect(Math.abs(read - 19.3 * 0.45 * Math.exp(-0.06))).toBeLessThan(1e-14);
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
        let steppedReads: Float64Array = new Float64Array(3);
        for (const a of ages) steppedReads = readsOf(stepped, 0, a);
        const last = ages[ages.length - 1];
        const direct = readsOf(make(), 0, last);
        expect(Array.from(steppedReads)).toEqual(Array.from(direct));
        for (let d = 0; d < 3; d++) {
          let delta = 1;
          for (let a = 0; a < last; a++) delta *= Math.exp(-(lambda * ret[d]));
          expect(direct[d]).toBe(gCubicDecayed(volts[d] - 0.45, delta));
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
        expect(readsOf(token, 0, age)[0]).toBe(gDecayed(v - 0.45, Math.exp(-1.6e-4 * age), law));
        expect(readsOf(time, 0, age * 65_000)[0]).toBe(gDecayed(v - 0.45, Math.exp(-1.6e-4 * ((age * 65_000) / 800_000)), law));
      }),
      { seed, numRuns: 200 },
    );
  });

  it("for all chips: a K column's stage-1 sum is Σ_d frac_d·read_d over its reads in row order, rows without a pulse included", () => {
    const arb = fc.record({
      gain: fc.array(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { minLength: 4, maxLength: 4 }),
      offset: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
      stuck: fc.array(fc.constantFrom(-1, -1, 0, 0.9), { minLength: 4, maxLength: 4 }),
      frac: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 4, maxLength: 4 }),
      volts: fc.array(fc.double({ min: 0, max: 0.9, noNaN: true }), { minLength: 4, maxLength: 4 }),
      age: fc.nat(500),
    });
    fc.assert(
      fc.property(arb, ({ gain, offset, stuck, frac, volts, age }) => {
        const make = () => {
          const r = new CellReadout({ rows: 4, cols: 1, lambdaPerToken: 0.01, nonlinearity: "cubic", retention: "token", ownRates: false }, cells(4, { gain, offset, stuck }));
          volts.forEach((v, d) => r.write(0, d, v));
          return r;
        };
        const reads = readsOf(make(), 0, age);
        let want = 0;
        for (let d = 0; d < 4; d++) want += frac[d] * reads[d];
        expect(make().columnSum(0, age, Float64Array.from(frac))).toBe(want);
        // a stuck cell reads γ·g(V_stuck − 0.45) + β at any age
        for (let d = 0; d < 4; d++) if (stuck[d] !== -1) expect(reads[d]).toBe(gain[d] * gCubic(stuck[d] - 0.45) + offset[d]);
      }),
      { seed, numRuns: 200 },
    );
  });

  it("for all chips and read sequences: columnSums and accumulateColumns give the numbers of columnSum and accumulate, column by column, bit for bit", () => {
    const arb = fc
      .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 4, max: 11 }) })
      .chain(({ rows, cols }) => {
        const n = rows * cols;
        const cell = (min: number, max: number) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n });
        const read = fc.record({
          kind: fc.constantFrom<"k" | "v">("k", "v"),
          // each column read once, in ascending order (as the arrays read them), `advance` tokens after
          // the last read (mostly on: the next token or a few later; sometimes back)
          columns: fc.uniqueArray(fc.nat(cols - 1), { minLength: 1, maxLength: cols }).map((c) => c.sort((a, b) => a - b)),
          advance: fc.constantFrom(1, 1, 1, 0, 2, 3, -2),
          frac: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: Math.max(rows, cols), maxLength: Math.max(rows, cols) }),
        });
        const step = fc.oneof(read, read, fc.record({ kind: fc.constant<"write">("write"), column: fc.nat(cols - 1), volts: cell(0, 0.9) }));
        return fc.record({
          rows: fc.constant(rows),
          cols: fc.constant(cols),
          gain: cell(0.5, 1.5),
          offset: cell(-1, 1),
          ret: cell(0.2, 3),
          stuck: fc.array(fc.constantFrom(-1, -1, -1, 0, 0.9), { minLength: n, maxLength: n }),
          law: fc.constantFrom<"cubic" | "linear">("cubic", "linear"),
          retention: fc.constantFrom<"token" | "time">("token", "time"),
          ownRates: fc.boolean(),
          lambda: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 0.05, noNaN: true })),
          steps: fc.array(step, { minLength: 1, maxLength: 16 }),
        });
      });
    fc.assert(
      fc.property(arb, ({ rows, cols, gain, offset, ret, stuck, law, retention, ownRates, lambda, steps }) => {
        const make = () => {
          const r = new CellReadout({ rows, cols, lambdaPerToken: lambda, nonlinearity: law, retention, ownRates }, cells(rows * cols, { gain, offset, ret, stuck }));
          for (let j = 0; j < cols; j++) for (let d = 0; d < rows; d++) r.write(j, d, 0.45);
          return r;
        };
        const together = make();
        const apart = make();
        const writtenAt = new Array<number>(cols).fill(0);
        let t = 0;
        for (const s of steps) {
          if (s.kind === "write") {
            for (let d = 0; d < rows; d++) for (const r of [together, apart]) r.write(s.column, d, s.volts[d]);
            writtenAt[s.column] = t;
            continue;
          }
          t += s.advance;
          const m = s.columns.length;
          const columns = Int32Array.from(s.columns);
          // the age in tokens, 0 at the least; in time, the ps of that many 65 ns tokens
          const age = (j: number) => Math.max(0, t - writtenAt[j]);
          const elapsed = Float64Array.from(s.columns, (j) => (retention === "token" ? age(j) : age(j) * 65_000));
          const frac = Float64Array.from(s.frac);
          if (s.kind === "k") {
            const got = new Float64Array(cols);
            const want = new Float64Array(cols);
            together.columnSums(columns, m, elapsed, frac.subarray(0, rows), got);
            for (let k = 0; k < m; k++) want[columns[k]] = apart.columnSum(columns[k], elapsed[k], frac.subarray(0, rows));
            expect(Array.from(got)).toEqual(Array.from(want));
          } else {
            const got = new Float64Array(rows).fill(0.25);
            const want = new Float64Array(rows).fill(0.25);
            together.accumulateColumns(columns, m, elapsed, frac, got);
            for (let k = 0; k < m; k++) apart.accumulate(columns[k], elapsed[k], frac[k], want);
            expect(Array.from(got)).toEqual(Array.from(want));
          }
        }
      }),
      { seed, numRuns: 300 },
    );
  });
});
