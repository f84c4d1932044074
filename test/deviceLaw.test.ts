// Device law of docs/model.md §1: coefficients, g at the K/V levels, retention; examples pinned to the
// spec's numbers and properties of the decayed read.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  C_IJ,
  CUBIC_COEFFS_UA,
  cellRead,
  g,
  gCubic,
  gCubicDecayed,
  gDecayed,
  gLinear,
  retention,
  ZERO_POINT_V,
} from "../src/laws/deviceLaw.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 1_940_319);
const numRuns = 500;

describe("device law coefficients (docs/model.md §1)", () => {
  it("derives a_i = Σ_j C_ij·0.9^j ≈ 0.521364, 13.612261, −2.620446, 46.054838", () => {
    expect(C_IJ).toHaveLength(10);
    expect(CUBIC_COEFFS_UA[0]).toBeCloseTo(0.521364, 6);
    expect(CUBIC_COEFFS_UA[1]).toBeCloseTo(13.612261, 6);
    expect(CUBIC_COEFFS_UA[2]).toBeCloseTo(-2.620446, 6);
    expect(CUBIC_COEFFS_UA[3]).toBeCloseTo(46.054838, 6);
  });

  it("has zero point 0.45 V = VDD/2 and g(0) = a0 ≠ 0 for the cubic", () => {
    expect(ZERO_POINT_V).toBe(0.45);
    expect(gCubic(0)).toBe(CUBIC_COEFFS_UA[0]);
    expect(gLinear(0)).toBe(0);
  });
});

describe("g at the eight K/V levels (docs/model.md §1)", () => {
  // docs/model.md §1: these six-decimal values are the reference; any rounded copy yields to them
  const specUa = ["-10.331541", "-5.654167", "-2.531679", "-0.376775", "1.397844", "3.379477", "6.155425", "10.312988"];
  specUa.forEach((expected, level) => {
    it(`level ${level} (${((level * 0.9) / 7).toFixed(4)} V): g = ${expected} µA`, () => {
      const y = level * (0.9 / 7) - ZERO_POINT_V;
      expect(gCubic(y).toFixed(6)).toBe(expected);
      expect(gCubic(y)).toBeCloseTo(Number(expected), 5);
      expect(g(y, "cubic")).toBe(gCubic(y));
    });
  });

  it("linear variant is 19.3·y", () => {
    expect(gLinear(0.45)).toBeCloseTo(8.685, 12);
    expect(g(-0.45, "linear")).toBeCloseTo(-8.685, 12);
  });
});

describe("retention (docs/model.md §1)", () => {
  it("δ(1023) at λ = 1.6e-4 is exp(−0.16368) ≈ 0.849014", () => {
    expect(retention(1.6e-4, 1023)).toBeCloseTo(Math.exp(-0.16368), 12);
    expect(retention(1.6e-4, 1023)).toBeCloseTo(0.849014, 6);
  });

  it("age 0 and λ = 0 give δ = 1 exactly", () => {
    expect(retention(1.6e-4, 0)).toBe(1);
    expect(retention(0, 1023)).toBe(1);
  });

  it("decays y → y·δ: power i carries δ^i, the constant does not decay", () => {
    const [a0, a1, a2, a3] = CUBIC_COEFFS_UA;
    const y = 0.3;
    const delta = 0.5;
    const expanded = a0 + a1 * (y * delta) + a2 * (y * delta) ** 2 + a3 * (y * delta) ** 3;
    expect(gCubicDecayed(y, delta)).toBeCloseTo(expanded, 12);
    expect(gCubicDecayed(y, 0)).toBe(a0);
    expect(gDecayed(y, delta, "linear")).toBeCloseTo(19.3 * 0.15, 12);
    expect(cellRead(0.5, y, delta, "cubic")).toBe(0.5 * gCubicDecayed(y, delta));
  });
});

describe("retention properties", () => {
  const offset = fc.double({ min: -0.45, max: 0.45, noNaN: true });
  const lambda = fc.double({ min: 0, max: 1e-2, noNaN: true });
  const age = fc.integer({ min: 0, max: 100_000 });

  it("never increases |y·δ|, and δ does not grow with age", () => {
    fc.assert(
      fc.property(offset, lambda, age, (y, lam, a) => {
        const delta = retention(lam, a);
        expect(delta).toBeGreaterThanOrEqual(0); // exp underflows to 0 for very old cells
        expect(delta).toBeLessThanOrEqual(1);
        expect(Math.abs(y * delta)).toBeLessThanOrEqual(Math.abs(y));
        expect(retention(lam, a + 1)).toBeLessThanOrEqual(delta);
      }),
      { seed, numRuns },
    );
  });

  it("is the identity at λ = 0, bit for bit, for both nonlinearities", () => {
    fc.assert(
      fc.property(offset, age, fc.constantFrom("cubic" as const, "linear" as const), (y, a, nl) => {
        expect(gDecayed(y, retention(0, a), nl)).toBe(g(y, nl));
      }),
      { seed, numRuns },
    );
  });

  it("decayed cubic equals the expanded a0 + Σ a_i (yδ)^i", () => {
    const [a0, a1, a2, a3] = CUBIC_COEFFS_UA;
    fc.assert(
      fc.property(offset, fc.double({ min: 0, max: 1, noNaN: true }), (y, delta) => {
        const u = y * delta;
        expect(gCubicDecayed(y, delta)).toBeCloseTo(a0 + a1 * u + a2 * u * u + a3 * u * u * u, 12);
      }),
      { seed, numRuns },
    );
  });
});
