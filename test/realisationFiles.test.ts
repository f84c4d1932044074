// Realisation files and variation presets (docs/model.md §7): a chip written and read back is the same
// chip, bytes and outputs; NumPy reads the files as the spec names and shapes them, and a chip
// edited in NumPy is read back; a failed write leaves the old files; errors name the file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { attendFunctionalHeads } from "../src/functional/attention.js";
import { drawRealisation, REALISATION_ARRAYS } from "../src/laws/realisation.js";
import { IDEAL_VARIATION, isIdealVariation, VARIATION_CHECKS, type Variation } from "../src/laws/variation.js";
import { readRealisation, realisationFile, writeRealisation } from "../src/realisationFiles.js";
import { loadVariation, presetDirectory, presetNames } from "../src/variationFile.js";
import { ConfigError } from "../src/errors.js";
import { writeNpy } from "../src/npy.js";
import { it_numpy, python } from "./support/numpy.js";

const seed = Number(process.env.FC_SEED ?? 8_675_309);
const root = mkdtempSync(join(tmpdir(), "realisation-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `chip${n++}`);

const HARSH = loadVariation("harsh").variation;
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("realisation files", () => {
  it("for all chips: written and read back, the same bytes and the same outputs", () => {
    const arb = fc.record({
      heads: fc.integer({ min: 1, max: 3 }), windowM: fc.integer({ min: 1, max: 20 }), D: fc.integer({ min: 1, max: 5 }),
      tile: fc.integer({ min: 1, max: 8 }), chipSeed: fc.nat(), T: fc.integer({ min: 1, max: 25 }),
    });
    fc.assert(
      fc.property(arb, ({ heads, windowM, D, tile, chipSeed, T }) => {
        const shape = { heads, windowM, D, tile };
        const drawn = drawRealisation(HARSH, shape, chipSeed);
        const dir = freshDir();
        writeRealisation(dir, drawn);
        const read = readRealisation(dir, shape);
        for (const [field] of REALISATION_ARRAYS) expect(bytes(read[field]).equals(bytes(drawn[field])), field).toBe(true);
        const x = Float64Array.from({ length: T * heads * D }, (_, i) => ((i * 7919) % 101) / 100);
        const cfg = { windowM, tile, lambdaPerToken: 0.01 };
        const chip = (realisation: typeof drawn) => ({ realisation, noise: HARSH, noiseSeed: chipSeed });
        const a = attendFunctionalHeads(x, x, x, T, heads, D, cfg, {}, chip(drawn));
        const b = attendFunctionalHeads(x, x, x, T, heads, D, cfg, {}, chip(read));
        expect(bytes(b.outCodes).equals(bytes(a.outCodes))).toBe(true);
        rmSync(dir, { recursive: true });
      }),
      { seed, numRuns: 40 },
    );
  });

  it_numpy("NumPy reads the spec's names and shapes, and a chip edited in NumPy (float32 too) is read back", () => {
    const shape = { heads: 2, windowM: 96, D: 4, tile: 64 };
    const dir = freshDir();
    const drawn = drawRealisation(HARSH, shape, 1);
    writeRealisation(dir, drawn);
    const seen = JSON.parse(python(`
import os
d = "${dir}"
out = {}
for f in sorted(os.listdir(d)):
    a = np.load(os.path.join(d, f))
    out[f] = [list(a.shape), str(a.dtype), bool(a.flags.c_contiguous), float(a.flat[5])]
k = np.load(os.path.join(d, "k_stuck.npy")); k[1, 70, 3] = 0.9; np.save(os.path.join(d, "k_stuck.npy"), k)
np.save(os.path.join(d, "cpc_offset.npy"), np.load(os.path.join(d, "cpc_offset.npy")).astype(np.float32))
print(json.dumps(out))
`));
    expect(Object.keys(seen)).toEqual(["cpc_offset.npy", "k_gain.npy", "k_offset.npy", "k_ret.npy", "k_stuck.npy", "scpc_offset.npy", "v_gain.npy", "v_offset.npy", "v_ret.npy", "v_stuck.npy"]);
    for (const [field, name, kind] of REALISATION_ARRAYS) {
      const dims = kind === "cells" ? [2, 96, 4] : kind === "columns" ? [2, 96] : [2, 2, 4];
      expect(seen[`${name}.npy`], name).toEqual([dims, "float64", true, drawn[field][5]]);
    }
    const read = readRealisation(dir, shape);
    expect(read.kStuck[(1 * 96 + 70) * 4 + 3]).toBe(0.9);
    expect(read.cpcOffset[5]).toBe(Math.fround(drawn.cpcOffset[5]));
  });

  it("a write that fails leaves the files already there as they were, and no partial file", () => {
    const shape = { heads: 1, windowM: 8, D: 2, tile: 4 };
    const dir = freshDir();
    writeRealisation(dir, drawRealisation(IDEAL_VARIATION, shape, 0));
    const before = readFileSync(realisationFile(dir, "k_gain"));
    rmSync(realisationFile(dir, "v_ret"));
    mkdirSync(realisationFile(dir, "v_ret")); // a folder in its place: the 7th array cannot be written
    expect(() => writeRealisation(dir, drawRealisation(HARSH, shape, 3))).toThrow(/v_ret\.npy: cannot write: it is a folder/);
    expect(readFileSync(realisationFile(dir, "k_gain")).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]); // no temporary file left
  });

  it("names the file: missing, of the wrong shape, or holding a bad value at [h, s, d]", () => {
    const shape = { heads: 1, windowM: 8, D: 2, tile: 4 };
    const dir = freshDir();
    writeRealisation(dir, drawRealisation(IDEAL_VARIATION, shape, 0));
    expect(() => readRealisation(dir, { ...shape, windowM: 16 })).toThrow(/k_gain\.npy: shape \(1, 8, 2\) does not match the configuration's \(H, M, D\) = \(1, 16, 2\)/);
    expect(() => readRealisation(dir, { ...shape, tile: 2 })).toThrow(/scpc_offset\.npy: shape \(1, 2, 2\) does not match the configuration's \(H, ⌈M\/tile⌉, D\) = \(1, 4, 2\)/);
    const bad = drawRealisation(IDEAL_VARIATION, shape, 0);
    bad.vRet[5] = -2;
    expect(() => writeRealisation(join(dir, "bad"), bad)).toThrow(/realisation\.vRet\[0, 2, 1\]: -2 is not a retention multiplier/); // nothing written
    expect(existsSync(join(dir, "bad"))).toBe(false);
    writeNpy(realisationFile(dir, "v_ret"), { shape: [1, 8, 2], data: bad.vRet }); // as a user might
    expect(() => readRealisation(dir, shape)).toThrow(/v_ret\.npy\[0, 2, 1\]: -2 is not a retention multiplier r > 0/);
    rmSync(realisationFile(dir, "v_offset"));
    expect(() => readRealisation(dir, shape)).toThrow(/v_offset\.npy: cannot read/);
  });
});

describe("variation presets (docs/model.md §7: ideal by default, the others illustrative assumptions)", () => {
  it("ships ideal, mild and harsh; ideal is every effect off", () => {
    expect(presetNames()).toEqual(["harsh", "ideal", "mild"]);
    expect(loadVariation("ideal").variation).toEqual(IDEAL_VARIATION);
    expect(isIdealVariation(loadVariation("mild").variation)).toBe(false);
  });

  it("marks every value of a non-ideal preset as an assumption, not data, in the file", () => {
    for (const name of ["mild", "harsh"]) {
      const json = JSON.parse(readFileSync(join(presetDirectory(), `${name}.json`), "utf8")) as Record<string, unknown>;
      expect(json._note, name).toMatch(/ASSUMPTIONS, NOT DATA/);
      for (const field of Object.keys(VARIATION_CHECKS) as (keyof Variation)[]) {
        expect(typeof json[field], `${name}.${field}`).toBe("number");
        expect(json[`_${field}`], `${name}._${field}`).toMatch(/^assumption, not data: /);
      }
    }
  });

  it("loads a user's file and names the file and field of a mistake", () => {
    const file = join(root, "mine.json");
    writeFileSync(file, JSON.stringify({ sigmaGain: 0.05, _note: "mine" }));
    expect(loadVariation(file)).toMatchObject({ name: file, file, variation: { ...IDEAL_VARIATION, sigmaGain: 0.05 } });
    writeFileSync(file, JSON.stringify({ sigmaGain: -0.05 }));
    expect(() => loadVariation(file)).toThrow(new RegExp(`variation\\.sigmaGain: -0\\.05 must be at least 0 .*\\(in ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\)`));
    expect(() => loadVariation("gentle")).toThrow(ConfigError);
    expect(() => loadVariation("gentle")).toThrow(/"gentle" is not a preset \(harsh, ideal, mild\) nor a \.json file/);
    expect(() => loadVariation(join(root, "absent.json"))).toThrow(/absent\.json: cannot read/);
    expect(existsSync(file)).toBe(true);
  });
});
