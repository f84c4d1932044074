// Error grows with σ (docs/model.md §7): for each parameter, over several chip and noise seeds, the RMS
// difference between a realised chip's outputs and the ideal chip's is 0 at σ = 0 and larger, on
// average over the seeds, at a large σ than at a small one. The seeds are printed on failure.
import { describe, expect, it } from "vitest";
import { seededInputs } from "../src/cli/inputs.js";
import { attendFunctional } from "../src/functional/attention.js";
import { drawRealisation } from "../src/laws/realisation.js";
import { IDEAL_VARIATION, validateVariation, type Variation } from "../src/laws/variation.js";

const firstSeed = Number(process.env.FC_SEED ?? 1_000);
const SEEDS = 8;
const T = 64, D = 16;
const CONFIG = { windowM: 64, tile: 32, D };

// (ours) a small and a large value of each parameter in its unit; S and A run to tens of µA·pulse
const LEVELS: [keyof Variation, number, number, number?][] = [
  ["sigmaGain", 0.02, 0.2],
  ["sigmaOffset", 0.1, 1],
  ["sigmaRet", 0.2, 1.5, 0.02], // retention spread needs retention: λ = 0.02 per token
  ["pStuck", 0.01, 0.2],
  ["sigmaCpc", 1, 10],
  ["sigmaScpc", 0.5, 5],
  ["sigmaWrite", 0.01, 0.1],
  ["sigmaS", 1, 10],
  ["sigmaA", 0.5, 5],
  ["sigmaQ", 0.01, 0.1],
];

function rmsError(field: keyof Variation, sigma: number, lambda: number | undefined, s: number): number {
  const x = seededInputs(T, 1, D, s);
  const config = { ...CONFIG, ...(lambda === undefined ? {} : { lambdaPerToken: lambda }) };
  const ideal = attendFunctional(x.q, x.k, x.v, T, D, config).out;
  const v = validateVariation({ ...IDEAL_VARIATION, [field]: sigma });
  const realisation = drawRealisation(v, { heads: 1, windowM: CONFIG.windowM, D, tile: CONFIG.tile }, s);
  const out = attendFunctional(x.q, x.k, x.v, T, D, config, {}, { realisation, noise: v, noiseSeed: s }).out;
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += (out[i] - ideal[i]) ** 2;
  return Math.sqrt(sum / out.length);
}

describe("error grows with σ (over seeds)", () => {
  for (const [field, small, large, lambda] of LEVELS) {
    it(`${field}: 0 at 0, and the mean RMS error over ${SEEDS} seeds is larger at ${large} than at ${small}`, () => {
      const seeds = Array.from({ length: SEEDS }, (_, i) => firstSeed + i);
      const at = (sigma: number) => seeds.map((s) => rmsError(field, sigma, lambda, s));
      const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      const zero = at(0), lo = at(small), hi = at(large);
      const why = `seeds ${seeds[0]}..${seeds[SEEDS - 1]} (FC_SEED=${firstSeed}): RMS at 0 ${zero}, at ${small} ${lo}, at ${large} ${hi}`;
      expect(zero.every((e) => e === 0), why).toBe(true);
      expect(mean(hi), why).toBeGreaterThan(mean(lo));
      expect(mean(hi), why).toBeGreaterThan(0);
    });
  }
});
