// Drawing a realisation (docs/model.md §7): ideal values exactly at σ = 0, each value keyed by its own
// counter (any order, a worker thread: the same bytes), the distributions the spec names, and
// checks that name the array and index of a bad value.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalAt, uniformAt } from "../src/laws/philox.js";
import { arrayShape, checkRealisation, drawRealisation, REALISATION_ARRAYS, type ChipShape } from "../src/laws/realisation.js";
import { IDEAL_VARIATION, validateVariation } from "../src/laws/variation.js";
import { ConfigError } from "../src/errors.js";
import { transpileSources } from "./support/transpiled.js";

const seed = Number(process.env.FC_SEED ?? 5_318_008);
const SHAPE: ChipShape = { heads: 2, windowM: 96, D: 8, tile: 64 }; // two sub-tiles, the last partial

describe("drawRealisation", () => {
  it("at σ = 0 and p = 0: γ = 1, β = 0, r = 1, no stuck cell, offsets 0, exactly; shapes as the spec's files", () => {
    const r = drawRealisation(IDEAL_VARIATION, SHAPE, seed);
    for (const [field, , kind] of REALISATION_ARRAYS) {
      const n = arrayShape(SHAPE, kind).reduce((a, b) => a * b, 1);
      expect(r[field].length, field).toBe(n);
      const expected = field.endsWith("Gain") || field.endsWith("Ret") ? 1 : field.endsWith("Stuck") ? -1 : 0;
      expect(r[field].every((x) => Object.is(x, expected)), field).toBe(true);
    }
    expect(arrayShape(SHAPE, "cells")).toEqual([2, 96, 8]);
    expect(arrayShape(SHAPE, "columns")).toEqual([2, 96]);
    expect(arrayShape(SHAPE, "signedCpcs")).toEqual([2, 2, 8]);
  });

  it("for all cells in any order: value [h, s, d] is its own draw, counter (index s·D + d, token 0, head h, the quantity's stream)", () => {
    const v = validateVariation({ sigmaGain: 0.1, sigmaOffset: 0.5, sigmaRet: 0.3, pStuck: 0.2, sigmaCpc: 2, sigmaScpc: 1 });
    const r = drawRealisation(v, SHAPE, seed);
    const { windowM: M, D } = SHAPE;
    fc.assert(
      fc.property(fc.nat(SHAPE.heads - 1), fc.nat(M - 1), fc.nat(D - 1), (h, s, d) => {
        const i = (h * M + s) * D + d;
        expect(r.kGain[i]).toBe(1 + 0.1 * normalAt(seed, 1, h, 0, s * D + d));
        expect(r.vOffset[i]).toBe(0.5 * normalAt(seed, 6, h, 0, s * D + d));
        expect(r.kRet[i]).toBe(Math.exp(0.3 * normalAt(seed, 3, h, 0, s * D + d)));
        const u = uniformAt(seed, 8, h, 0, s * D + d);
        expect(r.vStuck[i]).toBe(u < 0.2 ? (u < 0.1 ? 0 : 0.9) : -1);
        expect(r.cpcOffset[h * M + s]).toBe(2 * normalAt(seed, 9, h, 0, s));
        const b = Math.floor(s / SHAPE.tile) % 2;
        expect(r.scpcOffset[(h * 2 + b) * D + d]).toBe(1 * normalAt(seed, 10, h, 0, b * D + d));
      }),
      { seed, numRuns: 300 },
    );
  });

  it("has the spread the spec names: γ ~ N(1, σ), ln r ~ N(0, σ_ret), a fraction p of stuck cells, half at 0 V (65 536 cells, 5σ bounds)", () => {
    const shape = { heads: 1, windowM: 1024, D: 64, tile: 64 };
    const r = drawRealisation(validateVariation({ sigmaGain: 0.1, sigmaRet: 0.5, pStuck: 0.2 }), shape, seed);
    const n = 1024 * 64;
    const mean = (a: ArrayLike<number>, f: (x: number) => number) => Array.from(a).reduce((s, x) => s + f(x), 0) / a.length;
    expect(Math.abs(mean(r.kGain, (x) => x) - 1), `seed ${seed}`).toBeLessThan(5 * 0.1 / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(mean(r.kGain, (x) => (x - 1) ** 2)) - 0.1), `seed ${seed}`).toBeLessThan(5 * 0.1 / Math.sqrt(2 * n));
    expect(Math.abs(mean(r.vRet, Math.log)), `seed ${seed}`).toBeLessThan(5 * 0.5 / Math.sqrt(n));
    const stuck = mean(r.kStuck, (x) => (x !== -1 ? 1 : 0));
    expect(Math.abs(stuck - 0.2), `seed ${seed}`).toBeLessThan(5 * Math.sqrt(0.2 * 0.8 / n));
    const atZero = mean(r.kStuck, (x) => (x === 0 ? 1 : 0));
    expect(Math.abs(atZero / stuck - 0.5), `seed ${seed}`).toBeLessThan(5 * Math.sqrt(0.25 / (stuck * n)));
    expect(r.kStuck.every((x) => x === -1 || x === 0 || x === 0.9)).toBe(true);
  });

  it("raising a σ scales the same normals: the chip at 2σ is the chip at σ stretched about its mean", () => {
    const a = drawRealisation(validateVariation({ sigmaOffset: 0.1 }), SHAPE, seed);
    const b = drawRealisation(validateVariation({ sigmaOffset: 0.2 }), SHAPE, seed);
    for (let i = 0; i < a.kOffset.length; i++) expect(b.kOffset[i]).toBeCloseTo(2 * a.kOffset[i], 14);
  });

  it("a worker thread draws the same bytes", async () => {
    const src = transpileSources();
    try {
      const url = pathToFileURL(join(src.dir, "laws", "realisation.js")).href;
      const v = validateVariation({ sigmaGain: 0.1, sigmaOffset: 0.5, sigmaRet: 0.3, pStuck: 0.2, sigmaCpc: 2, sigmaScpc: 1 });
      const script = `
import { parentPort, workerData } from "node:worker_threads";
const { drawRealisation } = await import(workerData.url);
const r = drawRealisation(workerData.v, workerData.shape, workerData.seed);
parentPort.postMessage(r);`;
      const fromWorker = await new Promise<Record<string, Float64Array>>((resolve, reject) => {
        const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(script)}`), { workerData: { url, v, shape: SHAPE, seed } });
        w.once("message", resolve);
        w.once("error", reject);
      });
      const here = drawRealisation(v, SHAPE, seed);
      for (const [field] of REALISATION_ARRAYS) {
        expect(Buffer.from(fromWorker[field].buffer).equals(Buffer.from(here[field].buffer)), `${field}, seed ${seed}`).toBe(true);
      }
    } finally {
      src.dispose();
    }
  });

  it("names the array and the index [h, s, d] of a bad value, and a bad shape", () => {
    const r = drawRealisation(IDEAL_VARIATION, SHAPE, 0);
    r.kRet[(1 * 96 + 5) * 8 + 3] = 0;
    expect(() => checkRealisation(r)).toThrow(/^realisation\.kRet\[1, 5, 3\]: 0 is not a retention multiplier r > 0$/);
    r.kRet.fill(1);
    r.vStuck[7] = 0.95;
    expect(() => checkRealisation(r, (f) => `dir/${f}.npy`)).toThrow(/^dir\/vStuck\.npy\[0, 0, 7\]: 0\.95 is neither −1 \(a working cell\) nor a stuck voltage in \[0, 0\.9\] V$/);
    r.vStuck.fill(-1);
    r.scpcOffset[3] = Number.NaN;
    expect(() => checkRealisation(r)).toThrow(/realisation\.scpcOffset\[0, 0, 3\]: NaN is not a finite number/);
    expect(() => drawRealisation(IDEAL_VARIATION, { ...SHAPE, D: 0 }, 0)).toThrow(ConfigError);
    expect(() => drawRealisation(IDEAL_VARIATION, { ...SHAPE, windowM: 2 ** 27, D: 64 }, 0)).toThrow(/exceeds the generator's 2\^32 draws per head/);
  });
});
