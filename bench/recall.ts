// `npm run bench:recall [-- --runs N]`: how long a default `gaincell recall` takes (one head, D 64, M 1024,
// the default distances, 32 queries each, 32 probes: 2,496 tokens), on the functional model and cycle by
// cycle, on the ideal chip and a mild one; CPU time of the whole measurement (stream, run, decoding), each case's
// median over the runs, as a ratio to the functional model's in this process. Checks on the way
// that both models give the same curve.
import { validateAccelerator } from "../src/arch/config.js";
import { IDEAL_CHIP, type ChipSpec } from "../src/chipSpec.js";
import type { RecallSetting } from "../src/recall/api.js";
import { defaultDistances } from "../src/recall/encoding.js";
import { measureRecall } from "../src/recall/measure.js";
import { recallTokens } from "../src/recall/stream.js";
import { loadVariation } from "../src/variationFile.js";

const runsAt = process.argv.indexOf("--runs");
const RUNS = runsAt < 0 ? 3 : Number(process.argv[runsAt + 1]);
const config = validateAccelerator({ heads: 1 });
const plan = { distances: defaultDistances(config.windowM), queriesPerDistance: 32, probes: 32, keyWeight: null, maxOverlap: null, valueLevels: 2, threshold: 0.99, seed: 1 };
const mild: ChipSpec = { ...IDEAL_CHIP, variation: loadVariation("mild").variation, variationName: "mild", variationSeed: 1 };
const setting = (chip: ChipSpec, cycleAccurate: boolean): RecallSetting => ({ config, plan, chip, chips: 1, cycleAccurate });
const cases: [string, RecallSetting][] = [
  ["functional, ideal chip (the baseline)", setting(IDEAL_CHIP, false)],
  ["cycle-accurate, ideal chip", setting(IDEAL_CHIP, true)],
  ["functional, mild chip", setting(mild, false)],
  ["cycle-accurate, mild chip", setting(mild, true)],
];

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times = cases.map(() => [] as number[]);
const curves: string[] = [];
for (let run = 0; run < RUNS; run++) {
  for (const [i, [, s]] of cases.entries()) {
    const t0 = cpuMs();
    const r = (await measureRecall(s))!;
    times[i].push(cpuMs() - t0);
    if (run === 0) curves.push(JSON.stringify(r.chips[0].curve));
  }
}
if (curves[0] !== curves[1] || curves[2] !== curves[3]) throw new Error("a cycle-accurate curve differs from the functional one");
const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const base = median(times[0]);
const T = recallTokens(config, plan);
console.log(`gaincell recall, one head (D ${config.D}, M ${config.windowM}), ${T} tokens, CPU time, median of ${RUNS} runs`);
cases.forEach(([title], i) => {
  const ms = median(times[i]);
  console.log(`${title.padEnd(40)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${((T / ms) * 1000).toFixed(0).padStart(6)} tokens/s  ${(ms / base).toFixed(2)}× the functional model's`);
});
