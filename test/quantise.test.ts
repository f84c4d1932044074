// Quantiser of docs/model.md §1: examples at the three grids' ends and halves, properties for all grids.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, SignalValueError } from "../src/errors.js";
import {
  gridCode,
  KV_GRID,
  makeGrid,
  OUT_GRID,
  outCode,
  Q_GRID,
  quantise,
  quantiseCode,
  quantiseKv,
  quantiseOut,
  quantiseQ,
  roundHalfEven,
  type QuantGrid,
} from "../src/laws/quantise.js";
import { it_numpy, python } from "./support/numpy.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 2_409_193);
const numRuns = 1000;

describe("roundHalfEven", () => {
  it("rounds exact halves to the even neighbour, unlike Math.round", () => {
    const cases: [number, number][] = [
      [0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, 0], [-1.5, -2], [-2.5, -2], [15.5, 16], [-15.5, -16],
      [2.4999999999999996, 2], [2.5000000000000004, 3], [-7.2, -7], [7.8, 8],
    ];
    for (const [x, r] of cases) expect(roundHalfEven(x) + 0).toBe(r); // + 0 folds −0 into 0
    expect(Math.round(2.5)).toBe(3);
  });

  it("for all x: nearest integer, and even at a tie", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = roundHalfEven(x);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5);
        if (Math.abs(r - x) === 0.5) expect(Math.abs(r % 2)).toBe(0);
      }),
      { seed, numRuns },
    );
  });
});

describe("the three grids of docs/model.md §1", () => {
  it("q: [0, 1], 16 levels, step 1/15, codes 0..15", () => {
    expect(Q_GRID.step).toBe(1 / 15);
    expect([Q_GRID.codeMin, Q_GRID.codeMax]).toEqual([0, 15]);
    expect(quantiseQ(1)).toBe(1);
    expect(quantiseQ(1.7)).toBe(1);
    expect(quantiseQ(-0.2)).toBe(0);
    expect(quantiseQ(0.5)).toBe(8 / 15); // 7.5 steps: the even neighbour is 8
    expect(gridCode(Q_GRID, 0.5)).toBe(8);
  });

  it("k/v: [0, 0.9] V, 8 levels, step 0.9/7, codes 0..7; VDD/2 is 0.45/(0.9/7) = 3.4999999999999996 steps: level 3", () => {
    expect(KV_GRID.step).toBe(0.9 / 7);
    expect([KV_GRID.codeMin, KV_GRID.codeMax]).toEqual([0, 7]);
    expect(0.45 / KV_GRID.step).toBe(3.4999999999999996); // the authors' order: step first, then x/step
    expect(gridCode(KV_GRID, 0.45)).toBe(3); // 0.45 V is not itself a level
    expect(gridCode(KV_GRID, 0.9)).toBe(7);
    expect(gridCode(KV_GRID, 1.2)).toBe(7);
    expect(quantiseKv(0.1)).toBe(0.9 / 7);
  });

  it("out: [−1, 1], 32 levels, step 2/31; the ends are ±16·step = ±1.032, 0 is on the grid", () => {
    expect(OUT_GRID.step).toBe(2 / 31);
    expect([OUT_GRID.codeMin, OUT_GRID.codeMax]).toEqual([-16, 16]);
    expect(quantiseOut(1)).toBe(16 * (2 / 31));
    expect(quantiseOut(1)).toBeCloseTo(1.032, 3);
    expect(quantiseOut(-3)).toBe(-16 * (2 / 31));
    expect(quantiseOut(0) + 0).toBe(0);
    expect(outCode(0.9999999)).toBe(15);
    expect(outCode(-0.9999999)).toBe(-15);
    expect(outCode(15.5 * (2 / 31) - 1e-9)).toBe(15);
    expect(outCode(1 / 31)).toBe(0); // exactly half a step: the even neighbour is 0
    expect(outCode(3 / 31)).toBe(2); // 1.5 steps → 2
  });

  it("magnitude 16 appears only at the clamp (docs/model.md §1)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true, maxExcluded: true, minExcluded: true }), (x) => {
        expect(Math.abs(outCode(x))).toBeLessThanOrEqual(15);
      }),
      { seed, numRuns },
    );
  });
});

// docs/model.md §1: step = (hi − lo)/(levels − 1) first, then x/step, then round half to even, in
// float64. Each expected code was worked out with NumPy, whose np.round is half-to-even on float64
// like torch.round: int(np.round(np.clip(x, lo, hi) / ((hi − lo)/(levels − 1)))). The inputs are
// the authors' half-steps and their neighbours a bit away, written as the doubles they are.
describe("half-steps round as the authors' arithmetic does (docs/model.md §1 order of operations)", () => {
  const cases: [string, QuantGrid, number, number][] = [
    ["q = 12.5/15", Q_GRID, 12.5 / 15, 12], // 12.5 steps exactly: even neighbour 12
    ["q = 0.09999999999999999", Q_GRID, 0.09999999999999999, 2], // 1.5 steps (the other order: 1.4999999999999998 → 1)
    ["q = 0.1", Q_GRID, 0.1, 2],
    ["q = 0.5", Q_GRID, 0.5, 8],
    ["q = 14.5/15", Q_GRID, 14.5 / 15, 14],
    ["k = 1.5·0.9/7", KV_GRID, (1.5 * 0.9) / 7, 2],
    ["k = 0.45 (VDD/2)", KV_GRID, 0.45, 3], // 3.4999999999999996 steps (the other order: 3.5 → 4)
    ["k = 0.5·0.9/7", KV_GRID, 0.0642857142857143, 0], // 0.5 steps (the other order: 0.5000000000000001 → 1)
    ["k = 6.5·(0.9/7)", KV_GRID, 0.8357142857142859, 6], // 6.5 steps (the other order: 6.500000000000001 → 7)
    ["k = 2.5·0.9/7", KV_GRID, 0.32142857142857145, 2],
    ["A/40 = 7.5 steps", OUT_GRID, 0.48387096774193544, 8], // (the other order: 7.499999999999999 → 7)
    ["A/40 = −7.5 steps", OUT_GRID, -0.48387096774193544, -8],
    ["A/40 = 14.5 steps", OUT_GRID, 0.935483870967742, 15], // 14.500000000000002 steps
    ["A/40 = −14.5 steps", OUT_GRID, -0.935483870967742, -15],
    ["A/40 = 5.5 steps", OUT_GRID, 0.3548387096774193, 6],
    ["A/40 = 1 (the clamp)", OUT_GRID, 1, 16], // 15.5 steps exactly: ±16 only at the clamp
    ["A/40 = −1 (the clamp)", OUT_GRID, -1, -16],
    ["A/40 = −3 (clamped)", OUT_GRID, -3, -16],
  ];
  for (const [what, grid, x, code] of cases) {
    it(`${what} → code ${code}`, () => expect(gridCode(grid, x) + 0).toBe(code));
  }
});

describe("errors", () => {
  it("NaN and ±Inf are SignalValueErrors naming the input", () => {
    expect(() => quantiseKv(Number.NaN)).toThrow(SignalValueError);
    expect(() => quantiseKv(Number.NaN)).toThrow(/k\/v: NaN/);
    expect(() => quantise(Infinity, 0, 1, 16, "q[3]")).toThrow(/q\[3\]: Infinity is not a finite number/);
    expect(() => outCode(-Infinity)).toThrow(SignalValueError);
  });

  it("bad grids are ConfigErrors", () => {
    expect(() => makeGrid(0, 1, 1, "config.levelsKv")).toThrow(ConfigError);
    expect(() => makeGrid(0, 1, 1, "config.levelsKv")).toThrow(/config\.levelsKv: 1 levels/);
    expect(() => makeGrid(0, 1, 2.5)).toThrow(ConfigError);
    expect(() => makeGrid(1, 1, 4)).toThrow(/lower bound 1 must be below upper bound 1/);
    expect(() => quantise(0.3, 0, Number.NaN, 4)).toThrow(ConfigError);
  });
});

// Grids shaped like the spec's: unsigned [0, hi] or signed [−hi, hi].
const gridArb = fc.record({
  hi: fc.double({ min: 1e-3, max: 10, noNaN: true }),
  signed: fc.boolean(),
  levels: fc.integer({ min: 2, max: 256 }),
});
const valueArb = fc.double({ min: -20, max: 20, noNaN: true });

describe("quantiser properties (all grids)", () => {
  it("lands on the grid: value = step·code, code within [codeMin, codeMax]", () => {
    fc.assert(
      fc.property(gridArb, valueArb, ({ hi, signed, levels }, x) => {
        const lo = signed ? -hi : 0;
        const grid = makeGrid(lo, hi, levels);
        const code = quantiseCode(x, lo, hi, levels);
        expect(Number.isInteger(code)).toBe(true);
        expect(code).toBeGreaterThanOrEqual(grid.codeMin);
        expect(code).toBeLessThanOrEqual(grid.codeMax);
        expect(quantise(x, lo, hi, levels)).toBe(grid.step * code);
        const clamped = Math.min(Math.max(x, lo), hi);
        expect(Math.abs(grid.step * code - clamped)).toBeLessThanOrEqual(grid.step * (0.5 + 1e-9));
      }),
      { seed, numRuns },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(gridArb, valueArb, ({ hi, signed, levels }, x) => {
        const lo = signed ? -hi : 0;
        const once = quantise(x, lo, hi, levels);
        expect(quantise(once, lo, hi, levels)).toBe(once);
      }),
      { seed, numRuns },
    );
  });

  it("is monotone", () => {
    fc.assert(
      fc.property(gridArb, valueArb, valueArb, ({ hi, signed, levels }, x, y) => {
        const lo = signed ? -hi : 0;
        const [a, b] = x <= y ? [x, y] : [y, x];
        expect(quantise(a, lo, hi, levels)).toBeLessThanOrEqual(quantise(b, lo, hi, levels));
      }),
      { seed, numRuns },
    );
  });

  it("clamps at the ends", () => {
    fc.assert(
      fc.property(gridArb, fc.double({ min: 0, max: 100, noNaN: true }), ({ hi, signed, levels }, beyond) => {
        const lo = signed ? -hi : 0;
        expect(quantise(hi + beyond, lo, hi, levels)).toBe(quantise(hi, lo, hi, levels));
        expect(quantise(lo - beyond, lo, hi, levels)).toBe(quantise(lo, lo, hi, levels));
      }),
      { seed, numRuns },
    );
  });

  it("rounds exact halves to the even code", () => {
    // Step 2^-m makes (n + 1/2)·step exact in binary, so each x below is a true half.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), fc.boolean(), (m, n0, signed) => {
        const perUnit = 2 ** m;
        const lo = signed ? -1 : 0;
        const levels = (signed ? 2 : 1) * perUnit + 1; // step = (hi − lo)/(levels − 1) = 2^-m
        const n = (n0 % (perUnit * (signed ? 2 : 1))) + (signed ? -perUnit : 0);
        const x = (n + 0.5) / perUnit;
        const code = quantiseCode(x, lo, 1, levels);
        expect(Math.abs(code % 2)).toBe(0);
        expect(Math.abs(code - (n + 0.5))).toBe(0.5);
      }),
      { seed, numRuns },
    );
  });
});

describe("against NumPy (an independent implementation of the same arithmetic)", () => {
  // Random grids shaped like the spec's, and inputs on and near their half-steps made several ways
  // ((n + ½)·step, (n + ½)·span/(levels − 1), and a few ulps either side) as well as anywhere.
  it_numpy("gives np.round(np.clip(x, lo, hi)/step) for every grid and input, halves included", () => {
    const cases = fc.sample(
      fc.record({
        hi: fc.constantFrom(1, 0.9, 1.5, 2 / 3, 0.7),
        signed: fc.boolean(),
        levels: fc.integer({ min: 2, max: 256 }),
        n: fc.integer({ min: -300, max: 300 }),
        how: fc.integer({ min: 0, max: 2 }),
        ulps: fc.integer({ min: -2, max: 2 }),
        anywhere: fc.double({ min: -3, max: 3, noNaN: true }),
      }),
      { seed, numRuns: 2000 },
    ).map(({ hi, signed, levels, n, how, ulps, anywhere }) => {
      const lo = signed ? -hi : 0;
      const step = (hi - lo) / (levels - 1);
      let x = how === 0 ? (n + 0.5) * step : how === 1 ? ((n + 0.5) * (hi - lo)) / (levels - 1) : anywhere;
      for (let i = 0; i < Math.abs(ulps); i++) x = nextDouble(x, Math.sign(ulps));
      return { lo, hi, levels, x };
    });
    const expected: number[] = JSON.parse(python(`
import sys
cases = json.load(sys.stdin)
print(json.dumps([int(np.round(np.clip(np.float64(c["x"]), c["lo"], c["hi"]) / ((c["hi"] - c["lo"]) / (c["levels"] - 1)))) for c in cases]))
`, undefined, JSON.stringify(cases)));
    cases.forEach(({ lo, hi, levels, x }, i) => {
      expect(quantiseCode(x, lo, hi, levels) + 0, `quantiseCode(${x}, ${lo}, ${hi}, ${levels}), case ${i}, seed ${seed}`).toBe(expected[i]);
    });
  });
});

/** The double next to x towards +∞ (dir 1) or −∞ (dir −1). */
function nextDouble(x: number, dir: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  if (x === 0) return dir * Number.MIN_VALUE;
  b[0] += (x > 0) === dir > 0 ? 1n : -1n;
  return f[0];
}
