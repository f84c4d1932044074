// The counter-based generator of docs/model.md §7 (src/laws/philox.ts): Random123's known answers, a
// plain Python implementation of Philox-4x32-10 on random counters and keys, the normal and
// uniform draws it makes, and the same numbers in any order and on a worker thread.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mulHi32, normalAt, philox4x32, uniformAt } from "../src/laws/philox.js";
import { PHILOX_BLOCK, PHILOX_WASM, philoxBlock, philoxWords } from "../src/laws/philoxWasm.js";
import { addEventNoise, eventNoise, STREAM } from "../src/laws/draws.js";
import { it_numpy, python } from "./support/numpy.js";
import { transpileSources } from "./support/transpiled.js";

const seed = Number(process.env.FC_SEED ?? 2_409_193);

function words(c: number[], k: number[]): number[] {
  const out = new Uint32Array(4);
  philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
  return Array.from(out);
}

describe("Philox-4x32-10", () => {
  it("gives Random123's known answers (its kat_vectors)", () => {
    expect(words([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(words([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    expect(words([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  // Exact 64-bit arithmetic in BigInt, the round written out from Salmon et al.: runs without Python.
  const M = [0xd2511f53n, 0xcd9e8d57n];
  const W = [0x9e3779b9n, 0xbb67ae85n];
  const MASK = 0xffffffffn;
  function philoxBig(c: number[], k: number[]): number[] {
    let x = c.map(BigInt);
    let key = k.map(BigInt);
    for (let r = 0; r < 10; r++) {
      if (r > 0) key = [(key[0] + W[0]) & MASK, (key[1] + W[1]) & MASK];
      const p0 = M[0] * x[0], p1 = M[1] * x[2];
      x = [(p1 >> 32n) ^ x[1] ^ key[0], p1 & MASK, (p0 >> 32n) ^ x[3] ^ key[1], p0 & MASK];
    }
    return x.map(Number);
  }
  const u32 = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff));

  it("for all uint32 a, b: mulHi32 is the high word of the BigInt product a·b", () => {
    fc.assert(
      fc.property(u32, u32, (a, b) => {
        expect(mulHi32(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
      }),
      { seed, numRuns: 2000 },
    );
  });

  it("for all counters and keys: equals a BigInt Philox-4x32-10", () => {
    fc.assert(
      fc.property(fc.tuple(u32, u32, u32, u32), fc.tuple(u32, u32), (c, k) => {
        expect(words(c, k)).toEqual(philoxBig(c, k));
      }),
      { seed, numRuns: 500 },
    );
  });

  it("for all seeds below 2^53: a draw is keyed by the seed's low and high words", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), u32, u32, (s, c0, c1) => {
        const [k0, k1] = [Number(BigInt(s) & MASK), Number(BigInt(s) >> 32n)];
        const w = philoxBig([c0 & 0x7fffffff, c1, 3, 13], [k0, k1]);
        expect(uniformAt(s, 13, 3, c1, c0 & 0x7fffffff)).toBe(((w[0] >>> 5) * 2 ** 26 + (w[1] >>> 6)) / 2 ** 53);
      }),
      { seed, numRuns: 500 },
    );
  });

  // An independent implementation: Python integers, the round written out from Salmon et al.
  it_numpy("equals a plain Python Philox-4x32-10 on random counters and keys, and its uniforms and normals", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    // every other key below 2^53, a seed the draws take (k0 + 2^32·k1), and c0 below 2^31, to check
    // uniformAt (counter = index) and normalAt (counter = ⌊index/2⌋) too
    const cases = fc.sample(fc.tuple(u32, u32, u32, u32, u32, u32), { seed, numRuns: 300 })
      .map(([c0, c1, c2, c3, k0, k1], i) => (i % 2 === 0 ? [c0 & 0x7fffffff, c1, c2, c3, k0, k1 & 0x1fffff] : [c0, c1, c2, c3, k0, k1]));
    const seen = JSON.parse(python(`
import sys, math
M0, M1, W0, W1, MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF
def philox(c, k):
    c, k = list(c), list(k)
    for r in range(10):
        if r: k = [(k[0] + W0) & MASK, (k[1] + W1) & MASK]
        p0, p1 = M0 * c[0], M1 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & MASK, (p0 >> 32) ^ c[3] ^ k[1], p0 & MASK]
    return c
out = []
for c0, c1, c2, c3, k0, k1 in json.load(sys.stdin):
    w = philox((c0, c1, c2, c3), (k0, k1))
    u1 = ((w[0] >> 5) * 2**26 + (w[1] >> 6) + 1) / 2**53
    u2 = ((w[2] >> 5) * 2**26 + (w[3] >> 6)) / 2**53
    radius = math.sqrt(-2 * math.log(u1))
    out.append([w, ((w[0] >> 5) * 2**26 + (w[1] >> 6)) / 2**53, radius * math.cos(2 * math.pi * u2), radius * math.sin(2 * math.pi * u2)])
print(json.dumps(out))
`, undefined, JSON.stringify(cases)));
    cases.forEach(([c0, c1, c2, c3, k0, k1], i) => {
      const [w, u, zCos, zSin] = seen[i];
      const at = `case ${i} (seed ${seed})`;
      expect(words([c0, c1, c2, c3], [k0, k1]), at).toEqual(w);
      // key (k0, k1) is the seed k0 + 2^32·k1; the counter is (index, token, head, stream)
      const s = k0 + 0x1_0000_0000 * k1;
      if (i % 2 === 0) {
        expect(uniformAt(s, c3, c2, c1, c0), at).toBe(u);
        // Box–Muller's pair: index 2·c0 the cosine, 2·c0 + 1 the sine (libm may differ from V8 in the last bit)
        expect(normalAt(s, c3, c2, c1, 2 * c0), at).toBeCloseTo(zCos, 12);
        expect(normalAt(s, c3, c2, c1, 2 * c0 + 1), at).toBeCloseTo(zSin, 12);
        expect(normalAt(s, c3, c2, c1, 2 * c0), at).toBeCloseTo(zCos, 12); // the pair's memo does not leak
      }
    });
  });
});

describe("Philox-4x32-10 in WebAssembly (src/laws/philoxWasm.ts)", () => {
  it("is a valid module", () => {
    expect(WebAssembly.validate(PHILOX_WASM)).toBe(true);
  });

  it("for all counters, keys and block lengths: the JavaScript reference's words, counter by counter", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    // the first counter anywhere, or near 2^32 − 1, where first + p is still below 2^32
    const block = fc.integer({ min: 1, max: PHILOX_BLOCK }).chain((n) =>
      fc.tuple(fc.constant(n), fc.oneof(fc.integer({ min: 0, max: 0x1_0000_0000 - n }), fc.constant(0x1_0000_0000 - n)), u32, u32, u32, u32, u32));
    fc.assert(
      fc.property(block, ([n, first, c1, c2, c3, k0, k1]) => {
        philoxBlock(first, n, c1, c2, c3, k0, k1);
        const got = Array.from(philoxWords.subarray(0, 4 * n));
        const want: number[] = [];
        for (let p = 0; p < n; p++) want.push(...words([first + p, c1, c2, c3], [k0, k1]));
        expect(got).toEqual(want);
      }),
      { seed, numRuns: 300 },
    );
    // Random123's known answers through it too
    philoxBlock(0xffffffff, 1, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);
    expect(Array.from(philoxWords.subarray(0, 4))).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
  });

  it("for all keys and orders of calls: normalAt is Box–Muller of the reference's words, bit for bit", () => {
    // Box–Muller written out from the JavaScript Philox, a pair at a time
    const reference = (s: number, stream: number, head: number, token: number, index: number): number => {
      const w = words([index >>> 1, token, head, stream], [s % 0x1_0000_0000, Math.floor(s / 0x1_0000_0000)]);
      const u1 = ((w[0] >>> 5) * 2 ** 26 + (w[1] >>> 6) + 1) / 2 ** 53;
      const u2 = ((w[2] >>> 5) * 2 ** 26 + (w[3] >>> 6)) / 2 ** 53;
      const r = Math.sqrt(-2 * Math.log(u1));
      return index % 2 === 0 ? r * Math.cos(2 * Math.PI * u2) : r * Math.sin(2 * Math.PI * u2);
    };
    const call = fc.record({
      s: fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32, 2 ** 53 - 1)),
      stream: fc.integer({ min: 1, max: 15 }),
      head: fc.nat(3),
      token: fc.nat(3),
      // in order from some index for a while (the usual case), or anywhere below 2^32
      from: fc.oneof(fc.nat(100), fc.constant(0xffffffff - 40), fc.nat({ max: 0xffffffff })),
      length: fc.integer({ min: 1, max: 40 }),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 6 }), (calls) => {
        for (const { s, stream, head, token, from, length } of calls) {
          for (let i = from; i < Math.min(from + length, 0x1_0000_0000); i++) expect(normalAt(s, stream, head, token, i)).toBe(reference(s, stream, head, token, i));
        }
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe("draws keyed by (seed, stream, head, token, index)", () => {
  it("uniforms lie in [0, 1) and normals have mean 0 and variance 1 (100 000 draws, 5σ bounds)", () => {
    const n = 100_000;
    let sum = 0, sumSq = 0, uSum = 0, outside = 0;
    for (let i = 0; i < n; i++) {
      const u = uniformAt(seed, STREAM.readS, 3, 7, i);
      if (!(u >= 0 && u < 1)) outside++;
      uSum += u;
      const z = normalAt(seed, STREAM.readS, 3, 7, i);
      sum += z;
      sumSq += z * z;
    }
    expect(outside).toBe(0);
    // standard errors: mean of N(0,1) 1/√n, variance √(2/n), mean of U(0,1) √(1/12n)
    expect(Math.abs(sum / n), `seed ${seed}`).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sumSq / n - 1), `seed ${seed}`).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(uSum / n - 0.5), `seed ${seed}`).toBeLessThan(5 * Math.sqrt(1 / (12 * n)));
  });

  it("changing any one of seed, stream, head, token or index changes the draw", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 4 }), (key, which) => {
        const [s, st, h, t, i] = key;
        const other = [...key];
        other[which] = (other[which] + 1) % 0x1_0000_0000;
        expect(uniformAt(other[0], other[1], other[2], other[3], other[4])).not.toBe(uniformAt(s, st, h, t, i));
      }),
      { seed, numRuns: 500 },
    );
  });

  it("for all orders of evaluation: the same numbers (a shuffled order against the natural one)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.shuffledSubarray(Array.from({ length: 64 }, (_, i) => i), { minLength: 64 }), (s, order) => {
        const natural = Array.from({ length: 64 }, (_, i) => eventNoise(0.3, s, STREAM.writeK, i % 4, i >> 2, i));
        const shuffled = new Array<number>(64);
        for (const i of order) shuffled[i] = eventNoise(0.3, s, STREAM.writeK, i % 4, i >> 2, i);
        expect(shuffled).toEqual(natural);
      }),
      { seed, numRuns: 100 },
    );
  });

  it("σ = 0 adds exactly 0 without drawing", () => {
    expect(Object.is(eventNoise(0, seed, STREAM.readA, 0, 0, 0), 0)).toBe(true);
    expect(eventNoise(0.5, seed, STREAM.readA, 0, 0, 0)).toBe(0.5 * normalAt(seed, STREAM.readA, 0, 0, 0));
  });

  it("a row's noise added in one call (addEventNoise) is eventNoise index by index, for any indices; σ = 0 leaves the row as it is", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 64 }), fc.boolean(), fc.double({ min: 0, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 20 }), fc.float64Array({ minLength: 64, maxLength: 64, noNaN: true, noDefaultInfinity: true }),
        (cols, all, sigma, token, base, start) => {
          const at = all ? null : Int32Array.from(cols.sort((a, b) => a - b));
          const n = at === null ? 64 : at.length;
          const row = start.slice();
          addEventNoise(row, at, n, sigma, seed, STREAM.readS, 1, token, base);
          // σ = 0 draws nothing and adds nothing (not even +0, which would turn a −0 into +0)
          const plain = start.slice();
          for (let k = 0; k < n && sigma !== 0; k++) {
            const j = at === null ? k : at[k];
            plain[j] += eventNoise(sigma, seed, STREAM.readS, 1, token, base + j);
          }
          expect(Buffer.from(row.buffer).equals(Buffer.from(plain.buffer))).toBe(true);
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it("a worker thread draws the same bytes as this thread", async () => {
    const src = transpileSources();
    try {
      const url = pathToFileURL(join(src.dir, "laws", "philox.js")).href;
      const script = `
import { parentPort, workerData } from "node:worker_threads";
const { normalAt } = await import(workerData.url);
const a = new Float64Array(4096);
for (let i = 0; i < a.length; i++) a[i] = normalAt(workerData.seed, 13, i % 3, i >> 4, i);
parentPort.postMessage(a);`;
      const fromWorker = await new Promise<Float64Array>((resolve, reject) => {
        const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(script)}`), { workerData: { url, seed } });
        w.once("message", resolve);
        w.once("error", reject);
      });
      const here = new Float64Array(4096);
      for (let i = 0; i < here.length; i++) here[i] = normalAt(seed, 13, i % 3, i >> 4, i);
      expect(Buffer.from(fromWorker.buffer).equals(Buffer.from(here.buffer)), `seed ${seed}`).toBe(true);
    } finally {
      src.dispose();
    }
  });
});
