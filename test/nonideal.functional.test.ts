// The functional model of a realised chip (docs/model.md §7) against a plain transcription of the §7
// equations with nested loops (retention spread per token as ρ^age, the law of src/laws/cellReadout.ts), drawing its numbers straight from Philox with the stream numbers
// written out; every σ and p at 0 gives the ideal model bit for bit; heads in any order give the
// same bytes; a hand-worked one-cell chip; and stalls decaying more in time mode.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gDecayed, ZERO_POINT_V, type Nonlinearity } from "../src/laws/deviceLaw.js";
import { normalAt } from "../src/laws/philox.js";
import { quantise, quantiseCode } from "../src/laws/quantise.js";
import { drawRealisation, type Realisation } from "../src/laws/realisation.js";
import { arrivalsWithGap, tokenTimes, type TokenTimes } from "../src/laws/tokenTiming.js";
import { IDEAL_VARIATION, type Variation } from "../src/laws/variation.js";
import { validateConfig, type ChipOptions, type FunctionalConfig } from "../src/functional/api.js";
import { attendFunctional, attendFunctionalHeads } from "../src/functional/attention.js";
import { ConfigError } from "../src/errors.js";
import { arbVariation } from "../src/verify/arbitraries.js";

const seed = Number(process.env.FC_SEED ?? 7_190_315);

/** docs/model.md §7 written out for head h: stored voltages per token, per-cell reads, offsets, noise. */
function naive(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, T: number, D: number, cfg: FunctionalConfig,
  r: Realisation, h: number, noise: Variation, noiseSeed: number, mode: "token" | "time", times?: TokenTimes) {
  const M = cfg.windowM;
  const nSub = Math.ceil(M / cfg.tile);
  const cell = (s: number, d: number) => (h * M + s) * D + d;
  const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
  // the voltage token τ leaves in its slot's cells: stuck, or the DAC level + write noise, clamped
  const stored = (which: "k" | "v", tau: number, d: number) => {
    const stuck = (which === "k" ? r.kStuck : r.vStuck)[cell(tau % M, d)];
    if (stuck !== -1) return stuck;
    const level = quantise((which === "k" ? k : v)[tau * D + d], 0, 0.9, cfg.levelsKv);
    if (noise.sigmaWrite === 0) return level;
    return clamp(level + noise.sigmaWrite * normalAt(noiseSeed, which === "k" ? 11 : 12, h, tau, d), 0, 0.9);
  };
  const read = (which: "k" | "v", s: number, d: number, tau: number, t: number) => {
    const i = cell(s, d);
    const [gain, offset, ret, stuck] = which === "k" ? [r.kGain, r.kOffset, r.kRet, r.kStuck] : [r.vGain, r.vOffset, r.vRet, r.vStuck];
    const rate = cfg.lambdaPerToken * ret[i];
    const elapsed = mode === "token" ? t - tau : (which === "k" ? times!.phase1Ps[t] : times!.phase2Ps[t]) - times!.writeEndPs[tau];
    // per token with own rates (some r ≠ 1 in the head's matrix): ρ^age, ρ = exp(−λ·r), by successive multiplications
    const ownRates = ret.subarray(h * M * D, (h + 1) * M * D).some((x) => x !== 1);
    let perToken = 1;
    if (mode === "token") for (let a = 0; a < elapsed; a++) perToken *= Math.exp(-rate);
    const delta = stuck[i] !== -1 ? 1 : mode === "time" ? Math.exp(-rate * (elapsed / 800_000)) : ownRates ? perToken : Math.exp(-rate * elapsed);
    return gain[i] * gDecayed(stored(which, tau, d) - ZERO_POINT_V, delta, cfg.nonlinearity) + offset[i];
  };
  const scores = new Float64Array(T * M);
  const phi = new Float64Array(T * M);
  const codes = new Int32Array(T * nSub * D);
  for (let t = 0; t < T; t++) {
    const holder = new Array<number>(M).fill(-1);
    for (let tau = Math.max(0, t - M + 1); tau <= t; tau++) holder[tau % M] = tau;
    const pulse = Array.from({ length: D }, (_, d) => {
      const x = quantise(q[t * D + d], 0, 1, cfg.levelsQ);
      return noise.sigmaQ === 0 ? x : clamp(x + noise.sigmaQ * normalAt(noiseSeed, 15, h, t, d), 0, 1);
    });
    for (let s = 0; s < M; s++) {
      const tau = holder[s];
      if (tau < 0) continue;
      let S = 0;
      for (let d = 0; d < D; d++) S += pulse[d] * read("k", s, d, tau, t);
      if (noise.sigmaS !== 0) S += noise.sigmaS * normalAt(noiseSeed, 13, h, t, s);
      scores[t * M + s] = S;
      phi[t * M + s] = clamp((S - r.cpcOffset[h * M + s]) / cfg.sSat, 0, 1);
    }
    for (let b = 0; b < nSub; b++) {
      for (let d = 0; d < D; d++) {
        let A = 0;
        for (let s = b * cfg.tile; s < Math.min(M, (b + 1) * cfg.tile); s++) {
          if (holder[s] < 0 || phi[t * M + s] === 0) continue;
          A += phi[t * M + s] * read("v", s, d, holder[s], t);
        }
        if (noise.sigmaA !== 0) A += noise.sigmaA * normalAt(noiseSeed, 14, h, t, b * D + d);
        codes[(t * nSub + b) * D + d] = quantiseCode((A - r.scpcOffset[(h * nSub + b) * D + d]) / (cfg.sSat / 2), -1, 1, cfg.levelsOut);
      }
    }
  }
  return { scores, phi, codes };
}


const caseArb = fc.record({
  T: fc.integer({ min: 1, max: 24 }),
  D: fc.integer({ min: 1, max: 5 }),
  H: fc.integer({ min: 1, max: 3 }),
  windowM: fc.integer({ min: 1, max: 12 }),
  tile: fc.integer({ min: 1, max: 6 }),
  lambdaPerToken: fc.constantFrom(0, 1.6e-4, 0.05),
  sSat: fc.constantFrom(5, 20, 80),
  nonlinearity: fc.constantFrom<Nonlinearity>("cubic", "linear"),
  levelsKv: fc.constantFrom(2, 8),
  variation: arbVariation(), // each σ and p off half the time
  chipSeed: fc.nat(),
  noiseSeed: fc.nat(),
  mode: fc.constantFrom<"token" | "time">("token", "time"),
  gapPs: fc.constantFrom(0, 1_000, 735_000, 40_000_000),
  inputSeed: fc.nat(),
});

function inputs(T: number, H: number, D: number, s: number) {
  const n = T * H * D;
  const x = fc.sample(fc.double({ min: -0.1, max: 1.1, noNaN: true }), { seed: s, numRuns: 3 * n });
  return { q: Float64Array.from(x.slice(0, n)), k: Float64Array.from(x.slice(n, 2 * n), (y) => 0.9 * y), v: Float64Array.from(x.slice(2 * n), (y) => 0.9 * y) };
}

const SPEC_SCHEDULE = { clockPeriodPs: 1000, firstRisePs: 500, phaseCycles: [2, 8, 2, 15, 2, 15, 16, 5] };
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("functional model of a realised chip (docs/model.md §7)", () => {
  it("for all chips, noise seeds and retention modes: equals the plain transcription of §7 (S, φ and counts exactly)", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const cfg = validateConfig({ windowM: c.windowM, tile: c.tile, D: c.D, lambdaPerToken: c.lambdaPerToken, sSat: c.sSat, nonlinearity: c.nonlinearity, levelsKv: c.levelsKv });
        const r = drawRealisation(c.variation, { heads: c.H, windowM: c.windowM, D: c.D, tile: c.tile }, c.chipSeed);
        const times = tokenTimes(SPEC_SCHEDULE, c.T, arrivalsWithGap(SPEC_SCHEDULE, c.T, c.gapPs));
        const x = inputs(c.T, c.H, c.D, c.inputSeed);
        const chip: ChipOptions = { realisation: r, noise: c.variation, noiseSeed: c.noiseSeed, retention: c.mode, times };
        const model = attendFunctionalHeads(x.q, x.k, x.v, c.T, c.H, c.D, cfg, { scores: true, phi: true, subTileCodes: true }, chip);
        for (let h = 0; h < c.H; h++) {
          const pick = (a: Float64Array) => Float64Array.from({ length: c.T * c.D }, (_, i) => a[(Math.floor(i / c.D) * c.H + h) * c.D + (i % c.D)]);
          const ref = naive(pick(x.q), pick(x.k), pick(x.v), c.T, c.D, cfg, r, h, c.variation, c.noiseSeed, c.mode, times);
          const got = model.heads[h];
          expect(Array.from(got.scores!), `S of head ${h}`).toEqual(Array.from(ref.scores));
          expect(Array.from(got.phi!), `φ of head ${h}`).toEqual(Array.from(ref.phi));
          expect(Array.from(got.subTileCodes!), `counts of head ${h}`).toEqual(Array.from(ref.codes));
        }
      }),
      { seed, numRuns: 150 },
    );
  });

  it("for all configurations: every σ and p at 0 gives the ideal outputs bit for bit (through the per-cell path)", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const cfg = validateConfig({ windowM: c.windowM, tile: c.tile, D: c.D, lambdaPerToken: c.lambdaPerToken, sSat: c.sSat, nonlinearity: c.nonlinearity, levelsKv: c.levelsKv });
        const x = inputs(c.T, c.H, c.D, c.inputSeed);
        const wants = { scores: true, phi: true, subTileCodes: true, stage2: true };
        const ideal = attendFunctionalHeads(x.q, x.k, x.v, c.T, c.H, c.D, cfg, wants);
        // an explicit realisation sends every head through CellReads, however ideal its values
        const realisation = drawRealisation(IDEAL_VARIATION, { heads: c.H, windowM: c.windowM, D: c.D, tile: c.tile }, c.chipSeed);
        const chip = attendFunctionalHeads(x.q, x.k, x.v, c.T, c.H, c.D, cfg, wants, { realisation, noise: IDEAL_VARIATION, noiseSeed: c.noiseSeed });
        expect(bytes(chip.out).equals(bytes(ideal.out))).toBe(true);
        expect(bytes(chip.outCodes).equals(bytes(ideal.outCodes))).toBe(true);
        for (let h = 0; h < c.H; h++) {
          for (const field of ["scores", "phi", "subTileCodes", "stage2"] as const) {
            expect(bytes(chip.heads[h][field]!).equals(bytes(ideal.heads[h][field]!)), `${field} of head ${h}`).toBe(true);
          }
        }
      }),
      { seed, numRuns: 100 },
    );
  });

  it("for all orders of the heads: the same bytes (each head alone, last first, equals the layer run)", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const cfg = validateConfig({ windowM: c.windowM, tile: c.tile, D: c.D, lambdaPerToken: c.lambdaPerToken });
        const r = drawRealisation(c.variation, { heads: c.H, windowM: c.windowM, D: c.D, tile: c.tile }, c.chipSeed);
        const chip: ChipOptions = { realisation: r, noise: c.variation, noiseSeed: c.noiseSeed };
        const x = inputs(c.T, c.H, c.D, c.inputSeed);
        const layer = attendFunctionalHeads(x.q, x.k, x.v, c.T, c.H, c.D, cfg, {}, chip);
        for (let h = c.H - 1; h >= 0; h--) {
          const pick = (a: Float64Array) => Float64Array.from({ length: c.T * c.D }, (_, i) => a[(Math.floor(i / c.D) * c.H + h) * c.D + (i % c.D)]);
          const alone = attendFunctional(pick(x.q), pick(x.k), pick(x.v), c.T, c.D, cfg, {}, chip, h);
          expect(bytes(alone.outCodes).equals(bytes(layer.heads[h].outCodes))).toBe(true);
        }
      }),
      { seed, numRuns: 60 },
    );
  });

  // One head, one slot, one row, worked by hand with the six-decimal g values of docs/model.md §1:
  // g(0.9 V) = 10.312988, g(0 V) = −10.331541 µA.
  it("a one-cell chip, by hand: K cell γ 2, β 1; CPC offset 1.625976; V cell β 0.331541; signed-CPC offset 0.5", () => {
    const cfg = { windowM: 1, tile: 1, lambdaPerToken: 0 };
    const r = drawRealisation(IDEAL_VARIATION, { heads: 1, windowM: 1, D: 1, tile: 1 }, 0);
    r.kGain[0] = 2;
    r.kOffset[0] = 1;
    r.cpcOffset[0] = 1.625976;
    r.vOffset[0] = 0.331541;
    r.scpcOffset[0] = 0.5;
    const got = attendFunctional([1], [0.9], [0], 1, 1, cfg, { scores: true, phi: true, stage2: true }, { realisation: r });
    // S = q·(γ·g(0.45) + β) = 1·(2·10.312988 + 1) = 21.625976; φ = (21.625976 − 1.625976)/80 = 0.25
    expect(got.scores![0]).toBeCloseTo(21.625976, 5);
    expect(got.phi![0]).toBeCloseTo(0.25, 7);
    // A = φ·(g(−0.45) + β) = 0.25·(−10.331541 + 0.331541) = −2.5; (A − 0.5)/40 = −0.075 = −1.1625 steps of 2/31 → −1
    expect(got.stage2![0]).toBeCloseTo(-0.075, 7);
    expect(got.outCodes[0]).toBe(-1);
  });

  it("a stuck cell holds its voltage whatever is written and does not decay", () => {
    const cfg = { windowM: 4, tile: 4, lambdaPerToken: 0.2 };
    const r = drawRealisation(IDEAL_VARIATION, { heads: 1, windowM: 4, D: 1, tile: 4 }, 0);
    r.kStuck[0] = 0.9; // slot 0's K cell stuck at 0.9 V
    // token 0 writes k = 0 into slot 0; token 3 reads it at age 3 with q = 1
    const got = attendFunctional([1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], 4, 1, cfg, { scores: true }, { realisation: r });
    expect(got.scores![3 * 4 + 0]).toBeCloseTo(10.312988, 6); // g(+0.45) undecayed, not g(−0.45·δ)
    expect(got.scores![3 * 4 + 1]).toBeCloseTo(gDecayed(-0.45, Math.exp(-0.2 * 2), "cubic"), 12); // a working cell decays
  });

  it("time retention: a stall decays more; at the paper's 0.8 µs per token it is token retention to within Δt's 2 ns", () => {
    const T = 3, D = 4;
    const x = inputs(T, 1, D, 5);
    const cfg = { windowM: 4, tile: 4, lambdaPerToken: 0.01 };
    const wants = { scores: true };
    const byToken = attendFunctional(x.q, x.k, x.v, T, D, cfg, wants);
    const paced = attendFunctional(x.q, x.k, x.v, T, D, cfg, wants, { retention: "time", times: tokenTimes(SPEC_SCHEDULE, T, arrivalsWithGap(SPEC_SCHEDULE, T, 735_000)) });
    const stalled = tokenTimes(SPEC_SCHEDULE, T, [0, 0, 80_000_000]); // token 2 arrives 80 µs late: 100 tokens' worth
    const late = attendFunctional(x.q, x.k, x.v, T, D, cfg, wants, { retention: "time", times: stalled });
    // token 2 reads token 0 in slot 0: Δt = PHASE 1 start of token 2 − WRITE end of token 0
    const dtPs = stalled.phase1Ps[2] - stalled.writeEndPs[0];
    expect(dtPs).toBe(80_001_500 + 12_000 - 11_500);
    let expected = 0;
    for (let d = 0; d < D; d++) {
      expected += quantise(x.q[2 * D + d], 0, 1, 16) * gDecayed(quantise(x.k[d], 0, 0.9, 8) - ZERO_POINT_V, Math.exp(-0.01 * (dtPs / 800_000)), "cubic");
    }
    expect(late.scores![2 * 4 + 0]).toBe(expected);
    expect(Math.abs(late.scores![2 * 4] - byToken.scores![2 * 4])).toBeGreaterThan(10 * Math.abs(paced.scores![2 * 4] - byToken.scores![2 * 4]));
    // δ differs by exp(−λ·2 ns/0.8 µs) ≈ 1 − 2.5e-5 per power of y: S to about 1e-4 relative
    for (let i = 0; i < T * 4; i++) expect(Math.abs(paced.scores![i] - byToken.scores![i])).toBeLessThanOrEqual(1e-4 * (Math.abs(byToken.scores![i]) + 1));
  });

  it("names the field of a chip that does not fit", () => {
    const r = drawRealisation(IDEAL_VARIATION, { heads: 2, windowM: 8, D: 2, tile: 4 }, 0);
    const x = new Float64Array(2 * 2);
    expect(() => attendFunctional(x, x, x, 2, 2, { windowM: 16, tile: 4 }, {}, { realisation: r })).toThrow(/chip\.realisation\.shape\.windowM: 8 does not match the configuration's 16/);
    expect(() => attendFunctional(x, x, x, 2, 2, { windowM: 8, tile: 4 }, {}, { realisation: r }, 2)).toThrow(/chip\.realisation\.shape\.heads: 2 heads; head 2/);
    expect(() => attendFunctional(x, x, x, 2, 2, { windowM: 8, tile: 4 }, {}, { retention: "time" })).toThrow(/chip\.times: time retention needs/);
    expect(() => attendFunctional(x, x, x, 2, 2, {}, {}, { noise: { ...IDEAL_VARIATION, sigmaS: -1 } })).toThrow(ConfigError);
    const y = new Float64Array(2);
    expect(() => attendFunctionalHeads(y, y, y, 1, 1, 2, { windowM: 8, tile: 4 }, {}, { realisation: r })).toThrow(/chip\.realisation\.shape\.heads: 2 does not match the inputs' H = 1/);
  });
});
