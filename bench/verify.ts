// `npm run bench:verify`: what the protocol monitors and the coverage cost. One head (D 16, M 64,
// tile 16) over a seeded stream that wraps the window, cycle-accurate without monitors (the
// baseline) and under every protocol monitor and cover point with the check against the functional
// model, as gaincell verify runs it; medians of 3 runs after a warm-up, in one process.
import { validateAccelerator } from "../src/arch/config.js";
import { runAttention } from "../src/arch/runAttention.js";
import { seededInputs } from "../src/cli/inputs.js";
import { runVerifyCase } from "../src/verify/runCase.js";
import { attentionTable } from "./attention.js";
import { timed } from "./timing.js";

const c = validateAccelerator({ windowM: 64, tile: 16, D: 16, heads: 1 });
const x = seededInputs(200, 1, c.D, 1);
const head = `one head (D ${c.D}, M ${c.windowM}, tile ${c.tile}), ${x.T} tokens`;
const BARE = `${head}: cycle-accurate, no monitors (baseline)`;
let checks = 0;
let monitors = 0;
const bare = await timed(3, async () => {
  const r = await runAttention(c, x);
  if (r.tokensDone !== x.T) throw new Error(`the bare run finished ${r.tokensDone} of ${x.T} tokens`);
});
const watched = await timed(3, async () => {
  const r = await runVerifyCase({ config: c, inputs: x, stalls: [new Uint8Array(0)], realisation: undefined });
  if (r.problems.length > 0) throw new Error(`the monitored run found problems: ${r.problems.join("; ")}`);
  checks = r.monitors.reduce((n, m) => n + m.attempts, 0);
  monitors = r.monitors.length;
});
console.log(attentionTable([
  { title: BARE, tokensPerS: x.T / bare.wallS, run: bare },
  { title: `${head}: under the protocol monitors and coverage, checked against the functional model`, tokensPerS: x.T / watched.wallS,
    run: watched, baseline: BARE, note: `${monitors} monitors, ${checks.toLocaleString("en-US")} checks` },
]).replace("÷ reference's", "÷ the baseline's"));
