// `npm run build && node dist/bench/realisedFunctional.js [tokens]`: the functional model's cost per
// token on a realised chip (docs/model.md §7) against the ideal chip, one head at the spec's size
// (D 64, M 1024), in one process; each case's median of 3 runs, as a ratio to the ideal case's.
import { validateAccelerator } from "../src/arch/config.js";
import { seededInputs } from "../src/cli/inputs.js";
import type { ChipOptions } from "../src/functional/api.js";
import { attendFunctional } from "../src/functional/attention.js";
import { drawRealisation } from "../src/laws/realisation.js";
import { scheduleOf, tokenTimes } from "../src/laws/tokenTiming.js";
import { IDEAL_VARIATION, validateVariation } from "../src/laws/variation.js";
import { loadVariation } from "../src/variationFile.js";

const T = Number(process.argv[2] ?? 1100);
const D = 64;
const config = validateAccelerator({});
const shape = { heads: 1, windowM: config.windowM, D, tile: config.tile };
const mild = loadVariation("mild").variation;
const mildNoRetention = { ...mild, sigmaRet: 0 };
const noiseOnly = validateVariation({ sigmaS: mild.sigmaS, sigmaA: mild.sigmaA, sigmaQ: mild.sigmaQ });

const cases: [string, ChipOptions][] = [
  ["ideal chip (the baseline)", {}],
  ["noise only: mild's σ_S, σ_A, σ_q", { noise: noiseOnly, noiseSeed: 1 }],
  ["a realisation at σ = 0 (per-cell reads)", { realisation: drawRealisation(IDEAL_VARIATION, shape, 1) }],
  ["ideal chip, time retention", { retention: "time", times: tokenTimes(scheduleOf(config), T) }],
  ["mild without retention spread", { realisation: drawRealisation(mildNoRetention, shape, 1), noise: mildNoRetention, noiseSeed: 1 }],
  ["mild", { realisation: drawRealisation(mild, shape, 1), noise: mild, noiseSeed: 1 }],
];

const x = seededInputs(T, 1, D, 1);
const times = cases.map(() => [] as number[]);
for (let run = 0; run < 4; run++) {
  cases.forEach(([, chip], i) => {
    const t0 = performance.now();
    attendFunctional(x.q, x.k, x.v, T, D, {}, {}, chip);
    if (run > 0) times[i].push(performance.now() - t0); // run 0 warms up
  });
}
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const base = median(times[0]);
console.log(`functional model, one head (D ${D}, M ${config.windowM}), ${T} tokens, median of 3 runs`);
cases.forEach(([title], i) => {
  const ms = median(times[i]);
  console.log(`${title.padEnd(42)} ${((T / ms) * 1000).toFixed(0).padStart(6)} tokens/s  ${(ms / base).toFixed(2)}× the ideal chip's time`);
});
