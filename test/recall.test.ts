// Associative recall (docs/recall.md) against first principles: the encoding's numbers worked from the
// device law of docs/model.md §1; the stream's keys and queries; on the ideal chip, back to back, recall
// inside the window is exact and past it no information comes back; the break-even distance of
// retention from the law, in tokens and in time; the zero point; and the cycle-accurate model
// giving the functional model's numbers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { functionalPart, validateAccelerator, type AcceleratorConfig } from "../src/arch/config.js";
import { chipOptionsFor, IDEAL_CHIP, type ChipSpec } from "../src/chipSpec.js";
import { ConfigError } from "../src/errors.js";
import { attendFunctional } from "../src/functional/attention.js";
import { IDEAL_VARIATION } from "../src/laws/variation.js";
import type { RecallPlan, RecallSetting } from "../src/recall/api.js";
import { capacityOf, decodeQueries } from "../src/recall/decode.js";
import { defaultDistances, nearestLevels, recallEncoding } from "../src/recall/encoding.js";
import { measureRecall, recallWorkload } from "../src/recall/measure.js";
import { recallStream, recallTokens } from "../src/recall/stream.js";

const seed = Number(process.env.FC_SEED ?? 15_2024);

const PLAN: RecallPlan = { distances: [1, 2, 4], queriesPerDistance: 4, probes: 4, keyWeight: null, maxOverlap: null, valueLevels: 2, threshold: 0.99, seed: 1 };
const setting = (config: Partial<AcceleratorConfig>, plan: Partial<RecallPlan> = {}, chip: ChipSpec = IDEAL_CHIP): RecallSetting =>
  ({ config: validateAccelerator({ heads: 1, ...config }), plan: { ...PLAN, ...plan }, chip, chips: 1, cycleAccurate: false });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Each query dimension's score and the value level it held, by distance: what the per-level tests read. */
function scoresByLevel(s: RecallSetting) {
  const { encoding, stream } = recallWorkload(s);
  const out = attendFunctional(stream.q, stream.k, stream.v, stream.T, stream.D, functionalPart(s.config), {}, chipOptionsFor(s.chip, s.config, stream.T, 0)).outCodes;
  const decoded = decodeQueries(out, stream, encoding);
  const D = stream.D;
  /** Per distance and level: [dimensions decoded right alone, dimensions]. */
  const tally = new Map<number, number[][]>();
  decoded.queries.forEach((e, i) => {
    const t = tally.get(e.distance) ?? encoding.codebook.map(() => [0, 0]);
    for (let d = 0; d < D; d++) {
      const level = stream.valueLevels[(e.token - e.distance) * D + d];
      t[level][0] += decoded.scores[i * D + d] === 1 ? 1 : 0;
      t[level][1]++;
    }
    tally.set(e.distance, t);
  });
  return { encoding, stream, decoded, out, tally };
}

/** The last distance at which every dimension holding `level` decodes right, the first at which one does not. */
function transition(tally: Map<number, number[][]>, level: number): { lastRight: number; firstWrong: number } {
  const distances = [...tally.keys()].sort((a, b) => a - b);
  const firstWrong = distances.find((d) => tally.get(d)![level][0] < tally.get(d)![level][1])!;
  const lastRight = [...distances].reverse().find((d) => tally.get(d)![level][0] === tally.get(d)![level][1])!;
  return { lastRight, firstWrong };
}

describe("the encoding, from the device law", () => {
  it("keys at 0.9 V and 0 V, the fewest ones that saturate a match, the most overlap that keeps a mismatch silent", () => {
    const e = recallEncoding(validateAccelerator({}), { ...PLAN, distances: [] }, IDEAL_CHIP);
    // docs/model.md §1's reference currents at the ends of the K/V range
    expect(e.gHighUa).toBeCloseTo(10.312988, 6);
    expect(e.gLowUa).toBeCloseTo(-10.331541, 6);
    // 7 ones give 72.19 < S_sat = 80, 8 give 82.50 ≥ 80: φ = T_max
    expect(e.keyWeight).toBe(8);
    expect(e.matchScore).toBeCloseTo(8 * 10.312988, 5);
    expect(e.matchFraction).toBe(1);
    // sharing 4 of 8: 4·10.312988 − 4·10.331541 = −0.074 ≤ 0 (no pulse); sharing 5: +20.57
    expect(e.maxOverlap).toBe(4);
    expect(e.crossScore).toBeCloseTo(4 * (10.312988 - 10.331541), 5);
    // a saturated pulse reads ±10.3 µA: /40 = ±0.258, /(2/31) = 3.996 and −4.003 steps: counts −4 and +4
    expect(e.codebook).toEqual([-4, 4]);
    expect(e.valueCodes).toEqual([0, 7]);
    expect(e.chance).toBe(0.5);
  });

  it("follows S_sat and the linear law", () => {
    const half = recallEncoding(validateAccelerator({ sSat: 40 }), { ...PLAN, distances: [] }, IDEAL_CHIP);
    expect([half.keyWeight, half.maxOverlap]).toEqual([4, 2]); // 4 · 10.31 = 41.3 ≥ 40
    expect(half.codebook).toEqual([-8, 8]); // ±10.3/20 = ±0.516: 7.99 and −8.007 steps
    const linear = recallEncoding(validateAccelerator({ nonlinearity: "linear" }), { ...PLAN, distances: [] }, IDEAL_CHIP);
    // g = ±19.3 · 0.45 = ±8.685 µA: ⌈80/8.685⌉ = 10 ones. Sharing 5 gives S = 0 on paper but +4e-15 in
    // float64 (the 0.9 V level less 0.45 V is a hair above 0.45), so the strict S ≤ 0 keeps 4
    expect([linear.keyWeight, linear.maxOverlap]).toEqual([10, 4]);
  });

  it("reads multi-level values through a codebook and names the levels the output grid cannot tell apart", () => {
    const four = recallEncoding(validateAccelerator({}), { ...PLAN, valueLevels: 4 }, IDEAL_CHIP);
    // DAC codes 0, 2, 5, 7: g = −10.33, −2.53, 3.38, 10.31 µA, i.e. −4.00, −0.98, 1.31, 4.00 steps
    expect(four.valueCodes).toEqual([0, 2, 5, 7]);
    expect(four.codebook).toEqual([-4, -1, 1, 4]);
    expect(four.indistinguishable).toEqual([]);
    const eight = recallEncoding(validateAccelerator({}), { ...PLAN, valueLevels: 8 }, IDEAL_CHIP);
    // levels 4 and 5 (1.398 and 3.379 µA: 0.54 and 1.31 steps) both count 1
    expect(eight.codebook).toEqual([-4, -2, -1, 0, 1, 1, 2, 4]);
    expect(eight.indistinguishable).toEqual([[4, 5]]);
  });

  it("refuses what cannot work, naming the field", () => {
    expect(() => recallEncoding(validateAccelerator({ D: 16 }), { ...PLAN, keyWeight: 17 }, IDEAL_CHIP)).toThrow(/^recall\.keyWeight: 17 ones per key is not in 1\.\.D = 16$/);
    expect(() => recallEncoding(validateAccelerator({}), { ...PLAN, maxOverlap: 8 }, IDEAL_CHIP)).toThrow(ConfigError);
    expect(() => recallEncoding(validateAccelerator({ levelsKv: 4 }), { ...PLAN, valueLevels: 5 }, IDEAL_CHIP)).toThrow(/^recall\.valueLevels: 5 is not in 2\.\.4/);
  });

  it("derives the break-even of retention as a plain transcription of the law does", () => {
    // docs/model.md §1 with its rounded coefficients, bisected on δ: |φ(δ)·g(±0.45δ)|/40 = half a step of 2/31
    const g = (y: number) => 0.521364 + 13.612261 * y - 2.620446 * y ** 2 + 46.054838 * y ** 3;
    const count = (delta: number, y: number) => (Math.min(1, Math.max(0, (8 * g(0.45 * delta)) / 80)) * g(y * delta)) / 40 / (2 / 31);
    const solve = (y: number) => {
      let [lo, hi] = [0.01, 1];
      for (let i = 0; i < 100; i++) {
        const mid = (lo + hi) / 2;
        if (Math.abs(count(mid, y)) > 0.5) hi = mid;
        else lo = mid;
      }
      return hi;
    };
    const lambda = 1.6e-4;
    const e = recallEncoding(validateAccelerator({}), PLAN, IDEAL_CHIP);
    const [low, high] = e.breakEven;
    expect(low.tokens! / (-Math.log(solve(-0.45)) / lambda)).toBeCloseTo(1, 5); // ≈ 4298 tokens
    expect(high.tokens! / (-Math.log(solve(0.45)) / lambda)).toBeCloseTo(1, 5); // ≈ 4925 tokens
    expect(low.tokens!).toBeGreaterThan(4290);
    // back to back, a token every 65 ns: the read comes 2 ns after the write's end
    expect(low.timeUs!).toBeCloseTo((low.tokens! * 65 + 2) / 1000, 6);
    expect(recallEncoding(validateAccelerator({ lambdaPerToken: 0 }), PLAN, IDEAL_CHIP).breakEven.map((b) => b.tokens)).toEqual([null, null]);
  });
});

describe("decoding", () => {
  it("takes the nearest codebook count, every level of a tie", () => {
    expect(nearestLevels(3, [-4, 4])).toEqual([1]);
    expect(nearestLevels(0, [-4, 4])).toEqual([0, 1]);
    expect(nearestLevels(0.4, [-4, -1, 1, 4])).toEqual([2]);
    expect(nearestLevels(1, [-4, -2, -1, 0, 1, 1, 2, 4])).toEqual([4, 5]);
  });

  it("gives the capacity as the last distance of an unbroken run at the threshold", () => {
    const p = (distance: number, bitAccuracy: number) => ({ distance, queries: 1, bitAccuracy, queryAccuracy: 0, elapsedUs: distance / 10 });
    expect(capacityOf([p(1, 1), p(2, 0.995), p(4, 0.5), p(8, 1)], 0.99)).toEqual({ tokens: 2, elapsedUs: 0.2, censored: false });
    expect(capacityOf([p(1, 0.9), p(2, 1)], 0.99)).toEqual({ tokens: 0, elapsedUs: 0, censored: false });
    expect(capacityOf([p(1, 1), p(2, 1)], 0.99)).toEqual({ tokens: 2, elapsedUs: 0.2, censored: true });
  });
});

describe("the stream", () => {
  it("stores a key of the set weight each token, queries the key stored `distance` before, and keeps near keys apart", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(32, 48, 64), fc.integer({ min: 4, max: 40 }), (workloadSeed, D, M) => {
      const config = validateAccelerator({ D, windowM: M, tile: M });
      const plan = { ...PLAN, distances: [1, 3, M - 1, M + 2].filter((n) => n >= 1), queriesPerDistance: 3, probes: 3, seed: workloadSeed };
      const enc = recallEncoding(config, plan, IDEAL_CHIP);
      const s = recallStream(config, plan, enc);
      expect(s.T).toBe(recallTokens(config, plan));
      const key = (t: number) => range(0, D - 1).filter((d) => s.k[t * D + d] !== 0);
      const query = (t: number) => range(0, D - 1).filter((d) => s.q[t * D + d] !== 0);
      const shared = (a: number[], b: number[]) => a.filter((d) => b.includes(d)).length;
      for (let t = 0; t < s.T; t++) {
        expect(key(t)).toHaveLength(enc.keyWeight);
        expect(range(0, D - 1).every((d) => s.k[t * D + d] === 0 || s.k[t * D + d] === 0.9000000000000001 || s.k[t * D + d] === 0.9)).toBe(true);
      }
      for (const e of s.events) {
        const window = range(Math.max(0, e.token - M + 1), e.token);
        if (e.distance > 0) {
          expect(query(e.token)).toEqual(key(e.token - e.distance));
          for (const w of window) if (w !== e.token - e.distance) expect(shared(query(e.token), key(w))).toBeLessThanOrEqual(enc.maxOverlap);
        } else {
          for (const w of window) expect(shared(query(e.token), key(w))).toBeLessThanOrEqual(enc.maxOverlap);
        }
      }
      expect(s.events.filter((e) => e.distance === 0)).toHaveLength(3);
      expect(recallStream(config, plan, enc).k).toEqual(s.k); // the seed decides it
    }), { seed, numRuns: 25 });
  });

  it("says which knob to turn when keys cannot be packed", () => {
    const s = setting({ D: 16, windowM: 64 }, { distances: [1, 63] });
    expect(() => recallWorkload(s)).toThrow(/^recall: no key of 8 ones in D = 16 dimensions shares at most 4 with every key in the window at token \d+ \(20000 draws\): lower --key-weight, raise --max-overlap/);
  });
});

describe("on the ideal chip, back to back", () => {
  it("recalls every value exactly within the window, and past it reads the zero point: no information", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(48, 64), fc.integer({ min: 2, max: 48 }), fc.constantFrom(8, 16, 64),
      fc.constantFrom(0, 1.6e-4), fc.constantFrom(16, 32, 64), fc.constantFrom(2, 4),
      (workloadSeed, D, M, tile, lambdaPerToken, levelsOut, valueLevels) => {
        const distances = [...new Set([1, Math.ceil(M / 2), M - 1, M, M + 1, 2 * M])].filter((n) => n >= 1);
        // CONVERT counts up to the largest magnitude: 32 at 64 output levels
        const s = setting({ D, windowM: M, tile: Math.min(tile, M), lambdaPerToken, levelsOut, convertCycles: Math.max(16, levelsOut / 2) }, { distances, queriesPerDistance: 3, probes: 2, seed: workloadSeed, valueLevels });
        const { encoding, decoded, out } = scoresByLevel(s);
        expect(encoding.indistinguishable).toEqual([]);
        // nothing matches a probe: every φ is 0, so A = 0 and every count 0
        expect([...decoded.zeroPoint]).toEqual(new Array(D).fill(0));
        decoded.queries.forEach((e, i) => {
          const scores = [...decoded.scores.subarray(i * D, (i + 1) * D)];
          const counts = [...out.subarray(e.token * D, (e.token + 1) * D)];
          if (e.distance < M) expect(scores, `distance ${e.distance}`).toEqual(new Array(D).fill(1));
          // the pair is overwritten: the output is the zero point whatever the value was
          else expect(counts, `distance ${e.distance}`).toEqual(new Array(D).fill(0));
        });
      },
    ), { seed, numRuns: 25 });
  });

  it("has the default run's capacity at the window: 1023 tokens, 66.497 µs from write to read", async () => {
    const s = setting({}, { distances: defaultDistances(1024), queriesPerDistance: 8, probes: 8 });
    const r = (await measureRecall(s))!;
    // token 1023 before the query is read 1023 · 65 ns + PRECHARGE 1's 2 ns after its WRITE ends
    expect(r.chips[0].capacity).toEqual({ tokens: 1023, elapsedUs: (1023 * 65_000 + 2000) / 1e6, censored: false });
    expect(r.chips[0].curve.map((p) => p.bitAccuracy)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.5]);
  }, 60_000);

  it("is at chance past the window when noise randomises the zero point (statistical)", async () => {
    // σ_A = 3 units of A is about 1.2 output steps of noise per sub-tile: past the window each dimension
    // reads noise around the zero point, and the decoded bits are coin flips
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 1000 }), async (workloadSeed, chipSeed) => {
      const noisy: ChipSpec = { ...IDEAL_CHIP, variation: { ...IDEAL_VARIATION, sigmaA: 3 }, variationName: "σ_A 3", variationSeed: chipSeed };
      const s = setting({ windowM: 32, tile: 16 }, { distances: [32, 40, 64], queriesPerDistance: 32, probes: 16, seed: workloadSeed }, noisy);
      const r = (await measureRecall(s))!;
      const bits = 3 * 32 * 64;
      const right = r.chips[0].curve.reduce((n, p) => n + p.bitAccuracy * p.queries * 64, 0);
      // 4.5 standard deviations of a fair coin's count: a false alarm once in 150 000 runs
      expect(Math.abs(right / bits - 0.5)).toBeLessThan((4.5 * Math.sqrt(bits * 0.25)) / bits);
    }), { seed, numRuns: 6 });
  }, 60_000);
});

describe("retention: the break-even distance from the law", () => {
  // (ours) max overlap 3, not 4: with any decay a key sharing half the query's ones pulses
  // (S = 8·(a0 + a2·(0.45δ)²) > 0 for δ < 0.991) and its value adds crosstalk; with 3 shared ones S
  // stays ≤ 0 down to δ ≈ 0.29, past both break-evens (δ ≈ 0.50 and 0.45). Each window is chosen so
  // that no key in it decays below δ ≈ 0.35: then only the matched column pulses, and the law's count
  // is the chip's. Margin: distances are whole tokens, so the last distance decoded right should be
  // ⌊n*⌋ and the first wrong ⌊n*⌋ + 1; we allow one token either side.
  const MARGIN = 1;

  it("per token: each value level stops at its break-even distance", () => {
    // the oldest key of a 100-slot window: δ = e^(−0.01·99) = 0.37
    const s = setting({ windowM: 100, lambdaPerToken: 0.01 }, { distances: range(1, 99), queriesPerDistance: 4, probes: 8, maxOverlap: 3 });
    const { encoding, tally } = scoresByLevel(s);
    // 0 V values: δ* = 0.5028 → ln(1/δ*)/0.01 = 68.77 tokens; 0.9 V values: δ* = 0.4548 → 78.79
    expect(encoding.breakEven[0].tokens).toBeCloseTo(68.77, 1);
    expect(encoding.breakEven[1].tokens).toBeCloseTo(78.79, 1);
    for (const b of encoding.breakEven) {
      const { lastRight, firstWrong } = transition(tally, b.level);
      expect(Math.abs(lastRight - Math.floor(b.tokens!)), `level ${b.level}: last right ${lastRight}, law ${b.tokens}`).toBeLessThanOrEqual(MARGIN);
      expect(Math.abs(firstWrong - (Math.floor(b.tokens!) + 1)), `level ${b.level}: first wrong ${firstWrong}, law ${b.tokens}`).toBeLessThanOrEqual(MARGIN);
    }
  });

  it("in time: the same time since the write, whatever the pace of the tokens", () => {
    // λ = 0.1 per 0.8 µs: τ = 8 µs. δ* = 0.5028 is reached 5.50 µs after the write: 84.6 tokens of 65 ns,
    // 42.3 tokens of 130 ns (a 65 ns gap after each)
    const timed = (gapPs: number): ChipSpec => ({ ...IDEAL_CHIP, retention: "time", tokenGapPs: gapPs });
    const times: number[] = [];
    // the oldest key: δ = e^(−0.1·127·65/800) = 0.36 in a 128-slot window at 65 ns, e^(−0.1·63·130/800) = 0.36 in 64 slots at 130 ns
    for (const [periodPs, M] of [[65_000, 128], [130_000, 64]]) {
      const s = setting({ windowM: M, lambdaPerToken: 0.1 }, { distances: range(1, M - 1), queriesPerDistance: 3, probes: 4, maxOverlap: 3 }, timed(periodPs - 65_000));
      const { encoding, tally } = scoresByLevel(s);
      const low = encoding.breakEven[0];
      // −ln δ*·0.8 µs/λ = 0.6877·8 µs = 5.502 µs; the V cells are read 17 ns later than the K cells and
      // decay that much more (e^(−17 ns/8 µs) = 0.9979), which brings the count's fall 10 ns forward
      expect(Math.abs(low.timeUs! - 5.502)).toBeLessThan(0.02);
      // the K read comes 2 ns after the write's end
      expect(low.tokens!).toBeCloseTo((low.timeUs! * 1e6 - 2000) / periodPs, 9);
      const { lastRight, firstWrong } = transition(tally, 0);
      const where = `period ${periodPs} ps: last right ${lastRight}, first wrong ${firstWrong}, law ${low.tokens}`;
      expect(Math.abs(lastRight - Math.floor(low.tokens!)), where).toBeLessThanOrEqual(MARGIN);
      expect(Math.abs(firstWrong - (Math.floor(low.tokens!) + 1)), where).toBeLessThanOrEqual(MARGIN);
      times.push(low.timeUs!);
    }
    expect(times[0]).toBeCloseTo(times[1], 9);
  }, 60_000);
});

describe("the zero point", () => {
  it("is measured on a chip whose signed CPCs are offset, and decoding against it recovers what decoding against 0 loses", async () => {
    // only the signed CPCs are off (σ_scpc = 4 units of A, about 1.5 output steps per sub-tile): a
    // static shift of each dimension's count, which the probes measure
    const offset: ChipSpec = { ...IDEAL_CHIP, variation: { ...IDEAL_VARIATION, sigmaScpc: 4 }, variationName: "σ_scpc 4", variationSeed: 5 };
    const plan = { distances: [1, 8, 31], queriesPerDistance: 16, probes: 16 };
    const measured = (await measureRecall(setting({ windowM: 128, tile: 32 }, plan, offset)))!;
    const against0 = (await measureRecall(setting({ windowM: 128, tile: 32 }, { ...plan, probes: 0 }, offset)))!;
    expect(measured.chips[0].zeroPointMaxAbs).toBeGreaterThan(1);
    expect(against0.chips[0].zeroPointMaxAbs).toBe(0);
    expect(measured.chips[0].curve.map((p) => p.bitAccuracy)).toEqual([1, 1, 1]);
    for (const p of against0.chips[0].curve) expect(p.bitAccuracy).toBeLessThan(0.99);
  });
});

describe("the cycle-accurate model", () => {
  it("gives the functional model's numbers on the same streams", async () => {
    const s = setting({ D: 32, windowM: 24, tile: 8, lambdaPerToken: 0.02 }, { distances: [1, 5, 12, 23, 24, 30], queriesPerDistance: 3, probes: 3 });
    const functional = await measureRecall(s);
    const cycleAccurate = await measureRecall({ ...s, cycleAccurate: true });
    expect(cycleAccurate).toEqual(functional);
    expect(functional!.chips[0].curve.map((p) => p.bitAccuracy).slice(0, 3)).toEqual([1, 1, 1]);
  }, 120_000);

  it("gives the functional model's numbers on a realised chip, retention in time, tokens paced with a gap", async () => {
    // the mild preset's kinds of effect, stronger, so that the curve is not all ones
    const variation = { ...IDEAL_VARIATION, sigmaGain: 0.05, sigmaOffset: 0.1, sigmaRet: 0.3, pStuck: 0.002, sigmaCpc: 1, sigmaScpc: 1, sigmaWrite: 0.01, sigmaS: 0.5, sigmaA: 0.5, sigmaQ: 0.005 };
    const chip: ChipSpec = { ...IDEAL_CHIP, variation, variationName: "test", variationSeed: 11, retention: "time", tokenGapPs: 35_000 };
    const s = setting({ D: 32, windowM: 24, tile: 8, lambdaPerToken: 0.1 }, { distances: [1, 5, 12, 23, 24, 30], queriesPerDistance: 3, probes: 3 }, chip);
    const functional = await measureRecall(s);
    const cycleAccurate = await measureRecall({ ...s, cycleAccurate: true });
    expect(cycleAccurate).toEqual(functional);
    expect(functional!.chips[0].curve.some((p) => p.distance < 24 && p.bitAccuracy < 1)).toBe(true); // the chip does lose bits
  }, 120_000);
});
