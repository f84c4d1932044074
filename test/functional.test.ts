// Functional model of docs/model.md §1 against a naive transcription of the spec's equations, examples
// pinned to the spec, and configuration errors.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellRead, gCubic, retention, ZERO_POINT_V, type Nonlinearity } from "../src/laws/deviceLaw.js";
import { quantise, quantiseCode } from "../src/laws/quantise.js";
import { DEFAULT_CONFIG, validateConfig, type FunctionalConfig } from "../src/functional/api.js";
import { attendFunctional, attendFunctionalHeads } from "../src/functional/attention.js";
import { ConfigError, SignalValueError } from "../src/errors.js";

// fast-check prints the seed of a failing run; set FC_SEED to replay or vary it.
const seed = Number(process.env.FC_SEED ?? 3_110_765);

// Spec §1 written out with nested loops and nothing precomputed. It shares the device law and
// the quantiser with the model (one definition of each, docs/architecture.md; both are pinned to the
// spec's numbers in their own tests), and keeps the model's floating-point order: sums over d
// and over slots ascending, φ kept as a fraction of T_max. So S, φ and every count must match
// exactly. out differs only in how Σ_b o_{b,d} is formed (floats here, step·Σ counts in the
// model): at most one rounding per sub-tile of values ≤ 17, hence the 1e-12 tolerance.
function naive(q: Float64Array, k: Float64Array, v: Float64Array, T: number, D: number, cfg: FunctionalConfig) {
  const M = cfg.windowM;
  const nSub = Math.ceil(M / cfg.tile);
  const scores = new Float64Array(T * M);
  const phi = new Float64Array(T * M);
  const codes = new Int16Array(T * nSub * D);
  const out = new Float64Array(T * D);
  const qv = (x: number) => quantise(x, 0, 1, cfg.levelsQ);
  const kvv = (x: number) => quantise(x, 0, 0.9, cfg.levelsKv);
  for (let t = 0; t < T; t++) {
    // Which token each physical slot holds at query t: the newest τ ≤ t in the window with τ mod M = j.
    const holder = new Array<number>(M).fill(-1);
    for (let tau = Math.max(0, t - M + 1); tau <= t; tau++) holder[tau % M] = tau;
    for (let j = 0; j < M; j++) {
      const tau = holder[j];
      if (tau < 0) continue; // never written: S = 0, φ = 0
      const delta = retention(cfg.lambdaPerToken, t - tau);
      let s = 0;
      for (let d = 0; d < D; d++) s += cellRead(qv(q[t * D + d]), kvv(k[tau * D + d]) - ZERO_POINT_V, delta, cfg.nonlinearity);
      scores[t * M + j] = s;
      phi[t * M + j] = Math.min(Math.max(s / cfg.sSat, 0), 1);
    }
    for (let b = 0; b < nSub; b++) {
      for (let d = 0; d < D; d++) {
        let a = 0;
        for (let j = b * cfg.tile; j < Math.min(M, (b + 1) * cfg.tile); j++) {
          const tau = holder[j];
          if (tau < 0) continue;
          const delta = retention(cfg.lambdaPerToken, t - tau);
          a += cellRead(phi[t * M + j], kvv(v[tau * D + d]) - ZERO_POINT_V, delta, cfg.nonlinearity);
        }
        codes[(t * nSub + b) * D + d] = quantiseCode(a / (cfg.sSat / 2), -1, 1, cfg.levelsOut);
        out[t * D + d] += quantise(a / (cfg.sSat / 2), -1, 1, cfg.levelsOut);
      }
    }
  }
  return { scores, phi, codes, out };
}

const caseArb = fc
  .record({
    T: fc.integer({ min: 1, max: 40 }),
    D: fc.integer({ min: 1, max: 6 }),
    windowM: fc.integer({ min: 1, max: 20 }),
    tile: fc.integer({ min: 1, max: 8 }),
    levelsQ: fc.integer({ min: 2, max: 16 }),
    levelsKv: fc.integer({ min: 2, max: 16 }),
    levelsOut: fc.integer({ min: 2, max: 40 }),
    lambdaPerToken: fc.oneof(fc.constant(0), fc.double({ min: 1e-4, max: 0.2, noNaN: true })),
    sSat: fc.double({ min: 0.5, max: 80, noNaN: true }),
    nonlinearity: fc.constantFrom<Nonlinearity>("cubic", "linear"),
  })
  .chain(({ T, D, ...cfg }) => {
    // Slightly beyond the ranges, so the input clamps are exercised too.
    const values = (lo: number, hi: number) =>
      fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: T * D, maxLength: T * D });
    return fc.record({
      T: fc.constant(T),
      D: fc.constant(D),
      cfg: fc.constant(cfg),
      q: values(-0.2, 1.2),
      k: values(-0.1, 1.0),
      v: values(-0.1, 1.0),
    });
  });

describe("functional model = naive transcription of docs/model.md §1", () => {
  it("matches S, φ, every count and out, for random small configurations", () => {
    fc.assert(
      fc.property(caseArb, ({ T, D, cfg, q, k, v }) => {
        const [qa, ka, va] = [Float64Array.from(q), Float64Array.from(k), Float64Array.from(v)];
        const got = attendFunctional(qa, ka, va, T, D, cfg, { scores: true, phi: true, subTileCodes: true });
        const want = naive(qa, ka, va, T, D, validateConfig({ ...cfg, D }));
        expect(got.scores).toEqual(want.scores);
        expect(got.phi).toEqual(want.phi);
        expect(got.subTileCodes).toEqual(want.codes);
        for (let i = 0; i < T * D; i++) expect(Math.abs(got.out[i] - want.out[i])).toBeLessThan(1e-12);
      }),
      { seed, numRuns: 300 },
    );
  });

  it("covers the cases the brief asks for: M % tile ≠ 0, T > M, λ > 0, both nonlinearities", () => {
    const cases: Partial<FunctionalConfig>[] = [
      { windowM: 10, tile: 4, lambdaPerToken: 0.05, nonlinearity: "cubic", sSat: 8 },
      { windowM: 12, tile: 4, lambdaPerToken: 0, nonlinearity: "linear", sSat: 8 },
    ];
    const T = 31;
    const D = 5;
    const data = (i: number, scale: number) => Float64Array.from({ length: T * D }, (_, n) => scale * (((n * 7919 + i * 104729) % 1000) / 999));
    for (const cfg of cases) {
      const [q, k, v] = [data(1, 1), data(2, 0.9), data(3, 0.9)];
      const got = attendFunctional(q, k, v, T, D, cfg, { subTileCodes: true });
      const want = naive(q, k, v, T, D, validateConfig({ ...cfg, D }));
      expect(got.subTileCodes).toEqual(want.codes);
      expect(got.subTileCodes!.some((c) => c !== 0)).toBe(true); // the comparison is not vacuous
    }
  });
});

describe("examples pinned to docs/model.md §1", () => {
  it("default configuration: M = 1024, 16 sub-tiles of 64, λ = 1.6e-4, S_sat = 80, T_max = 15 ns", () => {
    expect(DEFAULT_CONFIG).toMatchObject({ windowM: 1024, tile: 64, D: 64, levelsQ: 16, levelsKv: 8, levelsOut: 32 });
    expect(DEFAULT_CONFIG).toMatchObject({ lambdaPerToken: 1.6e-4, sSat: 80, nonlinearity: "cubic", tMaxPs: 15_000 });
    const r = attendFunctional(new Float64Array(64), new Float64Array(64), new Float64Array(64), 1, 64);
    expect(r.nSubTiles).toBe(16);
  });

  it("one token attends to itself: S = Σ q·g(k), φ clamps at S_sat, o = quantise(A/40)", () => {
    const D = 8;
    const ones = new Float64Array(D).fill(1);
    const top = new Float64Array(D).fill(0.9);
    const r = attendFunctional(ones, top, top, 1, D, {}, { scores: true, phi: true, subTileCodes: true });
    const g7 = gCubic(0.9 - ZERO_POINT_V); // ≈ 10.312988 µA, the top K/V level
    expect(r.scores![0]).toBeCloseTo(8 * 10.312988, 5); // 82.5 > S_sat = 80
    expect(r.phi![0]).toBe(1);
    expect(r.scores!.slice(1).every((s) => s === 0)).toBe(true); // unwritten slots
    // A = 1·g7 ≈ 10.313; /40 = 0.2578 = 3.996 steps of 2/31 → count 4 in sub-tile 0, 0 elsewhere.
    expect(g7 / 40 / (2 / 31)).toBeCloseTo(3.996, 3);
    expect(Array.from(r.subTileCodes!.slice(0, D))).toEqual(new Array(D).fill(4));
    expect(r.outCodes[0]).toBe(4);
    expect(r.out[0]).toBe(4 * (2 / 31));
  });

  it("token t writes slot t mod M and query t sees only the last M tokens", () => {
    const D = 2;
    const T = 7;
    const q = new Float64Array(T * D).fill(1);
    const k = new Float64Array(T * D).fill(0.9);
    const r = attendFunctional(q, k, k, T, D, { windowM: 4, tile: 2, lambdaPerToken: 0.1 }, { scores: true });
    // t = 6: slot 2 holds token 6 (age 0), slots 3, 0, 1 hold tokens 3, 4, 5 (ages 3, 2, 1).
    const ageOf = [2, 1, 0, 3];
    const yTop = (0.9 / 7) * 7 - ZERO_POINT_V; // k = 0.9 V quantises to level 7
    for (let s = 0; s < 4; s++) {
      // S = Σ_d q_d·g(y·δ^age) with q = 1 on both rows
      const expected = 2 * cellRead(1, yTop, retention(0.1, ageOf[s]), "cubic");
      expect(r.scores![6 * 4 + s]).toBeCloseTo(expected, 12);
    }
    expect(r.scores![6 * 4 + 2]).toBeCloseTo(2 * 10.312988, 5); // age 0: no decay
    // t = 1: only slots 0 and 1 written.
    expect(Array.from(r.scores!.slice(4, 8)).map((s) => s !== 0)).toEqual([true, true, false, false]);
  });

  it("H heads in (T, H, D) layout equal H separate calls", () => {
    const [T, H, D] = [9, 3, 4];
    const data = (i: number) => Float64Array.from({ length: T * H * D }, (_, n) => ((n * 31 + i * 17) % 23) / 22);
    const [q, k, v] = [data(0), data(1), data(2)];
    const cfg = { windowM: 5, tile: 2, sSat: 4 };
    const all = attendFunctionalHeads(q, k, v, T, H, D, cfg);
    for (let h = 0; h < H; h++) {
      const pick = (x: Float64Array) => Float64Array.from({ length: T * D }, (_, i) => x[(Math.floor(i / D) * H + h) * D + (i % D)]);
      const one = attendFunctional(pick(q), pick(k), pick(v), T, D, cfg);
      for (let i = 0; i < T * D; i++) expect(all.out[(Math.floor(i / D) * H + h) * D + (i % D)]).toBe(one.out[i]);
    }
  });
});

describe("errors name what was bad", () => {
  it("bad configuration fields", () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ levelsKv: 1 }, /^config\.levelsKv: 1 is too few: a DAC needs at least 2 levels \(the spec's default is 8\)$/],
      [{ levelsQ: 3.5 }, /^config\.levelsQ: 3\.5 is not an integer/],
      [{ levelsOut: Number.NaN }, /^config\.levelsOut: NaN/],
      [{ windowM: 0 }, /^config\.windowM: 0 is not a positive integer/],
      [{ tile: -64 }, /^config\.tile: -64/],
      [{ lambdaPerToken: -1e-4 }, /^config\.lambdaPerToken: -0\.0001 must be at least 0/],
      [{ lambdaPerToken: Infinity }, /^config\.lambdaPerToken: Infinity is not a finite number/],
      [{ sSat: 0 }, /^config\.sSat: 0 must be above 0/],
      [{ tMaxPs: Number.NaN }, /^config\.tMaxPs: NaN/],
      [{ nonlinearity: "tanh" }, /^config\.nonlinearity: "tanh" is not "cubic" or "linear"/],
      [{ window: 512 }, /^config\.window: is not a known field/],
    ];
    for (const [partial, message] of bad) {
      expect(() => validateConfig(partial)).toThrow(ConfigError);
      expect(() => validateConfig(partial)).toThrow(message);
    }
    expect(() => validateConfig({ sSat: -1 }, "run.json")).toThrow(/\(in run\.json\)$/);
    expect(validateConfig({ windowM: 256 }).windowM).toBe(256);
  });

  it("NaN and ±Inf inputs name the array, token and dim; shapes are checked", () => {
    const x = new Float64Array(12).fill(0.5);
    const k = Float64Array.from(x);
    k[2 * 4 + 3] = Number.NaN;
    expect(() => attendFunctional(x, k, x, 3, 4, { windowM: 8, tile: 4 })).toThrow(SignalValueError);
    expect(() => attendFunctional(x, k, x, 3, 4, { windowM: 8, tile: 4 })).toThrow(/^k\[t=2, d=3\]: NaN/);
    expect(() => attendFunctionalHeads(x, x, k, 3, 2, 2)).toThrow(/^v\[t=2, h=1, d=1\]: NaN/);
    expect(() => attendFunctional(x, x, x, 4, 4)).toThrow(/^q: has 12 values; expected T×D = 4×4 = 16/);
    expect(() => attendFunctional(x, x, x, 3, 4, { D: 64 })).toThrow(/^config\.D: 64 does not match/);
  });
});
