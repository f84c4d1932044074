// `npm run build && node dist/bench/draws.js`: what one per-event normal of docs/model.md §7 costs
// (normalAt: Philox-4x32-10 and Box–Muller), against its floor in the same process: Box–Muller's
// log, sqrt, cos and sin alone on the same kind of uniforms, which a bit-identical draw cannot avoid;
// and Philox alone, the JavaScript reference a call per pair against the WebAssembly version in
// normalAt's blocks of 16 pairs.
// Each figure is the minimum CPU time per normal over 12 rounds of 10^6 normals, after 3 warm-up rounds.
import { normalAt, philox4x32, uniformAt } from "../src/laws/philox.js";
import { STREAM } from "../src/laws/draws.js";
import { philoxBlock, philoxWords } from "../src/laws/philoxWasm.js";

const N = 1_000_000;
const ROUNDS = 15;
const WARM_UP = 3;
const cpuNs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};

// Uniforms as normalAt makes them, u1 in (0, 1] and the angle in [0, 2π), drawn once outside the timing.
const u1 = new Float64Array(N / 2);
const angle = new Float64Array(N / 2);
for (let i = 0; i < N / 2; i++) {
  u1[i] = 1 - uniformAt(1, 0, 0, 0, 2 * i);
  angle[i] = 2 * Math.PI * uniformAt(1, 0, 0, 0, 2 * i + 1);
}
const words = new Uint32Array(4);

/** The cases, each a loop over N normals returning a sum so that nothing is optimised away. */
const cases: [string, () => number][] = [
  ["normalAt, indices in order (a draw per pair)", () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += normalAt(2_409_193, STREAM.readS, 3, 7, i);
    return s;
  }],
  ["Philox-4x32-10 alone, one call per pair", () => {
    let s = 0;
    for (let i = 0; i < N / 2; i++) {
      philox4x32(i, 7, 3, STREAM.readS, 2_409_193, 0, words);
      s += words[0];
    }
    return s;
  }],
  ["Philox-4x32-10 alone in WebAssembly, a call per 16 pairs", () => {
    let s = 0;
    for (let i = 0; i < N / 2; i += 16) {
      philoxBlock(i, 16, 7, 3, STREAM.readS, 2_409_193, 0);
      for (let p = 0; p < 16; p++) s += philoxWords[4 * p];
    }
    return s;
  }],
  ["Box–Muller alone: log, sqrt, cos, sin per pair (the floor)", () => {
    let s = 0;
    for (let i = 0; i < N / 2; i++) {
      const r = Math.sqrt(-2 * Math.log(u1[i]));
      s += r * Math.cos(angle[i]) + r * Math.sin(angle[i]);
    }
    return s;
  }],
];

const best = cases.map(() => Infinity);
let sink = 0;
for (let round = 0; round < ROUNDS; round++) {
  cases.forEach(([, run], i) => {
    const t0 = cpuNs();
    sink += run();
    if (round >= WARM_UP) best[i] = Math.min(best[i], (cpuNs() - t0) / N);
  });
}
console.log(`per-event normals (docs/model.md §7), ns per normal, minimum CPU time of ${ROUNDS - WARM_UP} rounds of ${N} (checksum ${sink.toFixed(0)})`);
cases.forEach(([title], i) => console.log(`${title.padEnd(60)} ${best[i].toFixed(1).padStart(6)} ns  ${(best[i] / best[3]).toFixed(2)}× the floor`));
