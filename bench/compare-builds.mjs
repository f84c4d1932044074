// `node bench/compare-builds.mjs DIR_A DIR_B [RUNS] [CASE]`: the same cases on two built checkouts (each with
// `npm run build` done, e.g. a baseline worktree and this one) in one process, alternating A and B run
// by run, timed in CPU time (process.cpuUsage) rather than wall time, so that other jobs on a loaded
// machine disturb the comparison less. Prints the minimum and median per case; both VCDs of the traced
// case must be byte-identical. CASE, if given, runs only the cases whose title contains it.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [dirA, dirB, runsText = "9", only] = process.argv.slice(2);
if (dirA === undefined || dirB === undefined) {
  console.error("usage: node bench/compare-builds.mjs DIR_A DIR_B [RUNS] [CASE]");
  process.exit(2);
}
const runs = Number(runsText);
const dirs = [resolve(dirA), resolve(dirB)];
const load = async (d) => ({
  designs: await import(join(d, "dist/bench/scheduler/designs.js")),
  sim: await import(join(d, "dist/src/engine/Simulator.js")),
  pwm: await import(join(d, "dist/bench/pwm64/bench.js")),
  config: await import(join(d, "dist/src/arch/config.js")),
  attention: await import(join(d, "dist/src/arch/runAttention.js")),
  inputs: await import(join(d, "dist/src/cli/inputs.js")),
  realisation: await import(join(d, "dist/src/laws/realisation.js")),
  variation: await import(join(d, "dist/src/laws/variation.js")),
  variationFile: await import(join(d, "dist/src/variationFile.js")),
});
const builds = await Promise.all(dirs.map(load));
const out = mkdtempSync(join(tmpdir(), "gaincell-compare-"));
const cpuMs = async (f) => {
  const u0 = process.cpuUsage();
  await f();
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000;
};
// A head of a realised chip (docs/model.md §7): the mild preset whole, or its per-event noise alone.
const realisedRun = (m, noiseOnly) => {
  const c = m.config.validateAccelerator({});
  const mild = m.variationFile.loadVariation("mild").variation;
  const noise = m.variation.validateVariation({ sigmaWrite: mild.sigmaWrite, sigmaS: mild.sigmaS, sigmaA: mild.sigmaA, sigmaQ: mild.sigmaQ });
  const shape = { heads: 1, windowM: c.windowM, D: c.D, tile: c.tile };
  const chip = noiseOnly ? { noise, noiseSeed: 1 } : { realisation: m.realisation.drawRealisation(mild, shape, 1), noise: mild, noiseSeed: 1 };
  return m.attention.runAttention(c, m.inputs.seededInputs(1100, 1, 64, 1), { chip });
};
const schedulerRun = (m, design, edges) => {
  const sim = new m.sim.Simulator(design);
  sim.run(design.cycleEndPs(edges));
  sim.close();
};
const cases = {
  "scheduler: register + 256 comb inverters, 2000 edges": (m) => schedulerRun(m, new m.designs.InverterChain(256), 2000),
  "scheduler: 1024 toggling registers, 2000 edges": (m) => schedulerRun(m, new m.designs.ToggleBank(1024), 2000),
  "pwm64, 100 000 cycles, no trace": (m) => m.pwm.runPwm64(100_000),
  "pwm64, 50 000 cycles, VCD of every signal": (m, k) => m.pwm.runPwm64(50_000, join(out, `pwm64-${k}.vcd`)),
  // the described model (bench/pwm64/Pwm64Described.ts); a build without it runs its closure model: before and after
  "pwm64 described, 100 000 cycles, no trace": (m) => m.pwm.runPwm64(100_000, undefined, "compiled", m.pwm.PWM64_MODELS ? "described" : undefined),
  "pwm64 described, 50 000 cycles, VCD of every signal": (m, k) =>
    m.pwm.runPwm64(50_000, join(out, `pwm64-described-${k}.vcd`), "compiled", m.pwm.PWM64_MODELS ? "described" : undefined),
  "one head (D 64, M 1024), 1100 tokens, no trace": (m) =>
    m.attention.runAttention(m.config.validateAccelerator({}), m.inputs.seededInputs(1100, 1, 64, 1), {}),
  // the last two tokens traced, as npm start traces them (builds with ramping charges trace more)
  "one head (D 64, M 1024), 1100 tokens, last 2 traced": (m, k) =>
    m.attention.runAttention(m.config.validateAccelerator({}), m.inputs.seededInputs(1100, 1, 64, 1), { vcd: join(out, `head-${k}.vcd`), fromPs: 1098 * 65_000 }),
  "12 heads (D 64, M 1024) in one design, 1024 tokens, no trace": (m) =>
    m.attention.runAttention(m.config.validateAccelerator({ heads: 12 }), m.inputs.seededInputs(1024, 12, 64, 1), {}),
  "one head, realised chip: mild's noise alone, 1100 tokens": (m) => realisedRun(m, true),
  "one head, realised chip: mild, 1100 tokens": (m) => realisedRun(m, false),
};
const chosen = Object.entries(cases).filter(([title]) => only === undefined || title.includes(only));
if (chosen.length === 0) {
  console.error(`compare-builds: no case's title contains "${only}"; the cases: ${Object.keys(cases).join("; ")}`);
  process.exit(2);
}
// the slow cases: fewer runs
const RUNS_OF = { "12 heads (D 64, M 1024) in one design, 1024 tokens, no trace": Math.min(runs, 3) };
try {
  console.log(`| case | A: min / median CPU ms | B: min / median CPU ms |\n|---|---:|---:|`);
  for (const [title, body] of chosen) {
    const times = [[], []];
    for (let i = 0; i < (RUNS_OF[title] ?? runs); i++) for (let k = 0; k < 2; k++) times[k].push(await cpuMs(() => body(builds[k], k)));
    const stat = (a) => (a.sort((x, y) => x - y), `${a[0].toFixed(0)} / ${a[Math.floor(a.length / 2)].toFixed(0)}`);
    console.log(`| ${title} | ${stat(times[0])} | ${stat(times[1])} |`);
  }
  for (const name of ["pwm64", "pwm64-described"]) {
    if (!chosen.some(([title]) => title.startsWith(`${name.replace("-", " ")}, 50 000`))) continue;
    const same = readFileSync(join(out, `${name}-0.vcd`)).equals(readFileSync(join(out, `${name}-1.vcd`)));
    console.log(`\n${name} VCDs of A and B ${same ? "are byte-identical" : "DIFFER"}`);
    if (!same) process.exitCode = 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
