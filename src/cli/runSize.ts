// What a run needs, checked before it starts: its memory (estimated from the size of the design and
// of the per-token arrays) against what this machine and process hold, and its simulated time
// against the engine's exact range (docs/architecture.md: every check that can be done early is).
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";
import { cyclesPerToken, DEFAULT_ACCELERATOR, type AcceleratorConfig } from "../arch/config.js";
import { MAX_TIME_PS } from "../engine/api.js";
import { ConfigError } from "../errors.js";

// Memory per net of the built design, measured with process.memoryUsage() after a forced GC over
// nine single-head designs (D 1–256, M 8–2048, tile 8–128): JavaScript heap 940 B per net (fit
// within 13 %), typed arrays 71 B per net and 23 B per gain cell (within 2 %), rounded up. A trace
// adds its identifier codes and last values, about 150 B per net, and a 1 MiB buffer.
const HEAP_BYTES_PER_NET = 1100;
const ARRAY_BYTES_PER_NET = 80;
const ARRAY_BYTES_PER_CELL = 32;
// A realised chip (docs/model.md §7): its realisation (γ, β, r, stuck of a K and a V cell: 64 B per
// cell pair) and each array's CellReadout (y, γ, β, and with own rates δ, and per token ρ: at most
// 40 B per cell, K and V).
const REALISED_BYTES_PER_CELL = 144;
const TRACE_BYTES_PER_NET = 200;
// Per element of the (T, H, D) token arrays: q, k, v as float64 (24), their codes as int32 (12),
// the collected sums (4), A and its counts (12), with room for the functional model's per-head copies.
const BYTES_PER_TOKEN_VALUE = 56;
// Per score of (T, H, M): the collectors' and the returned arrays, float64 each.
const BYTES_PER_SCORE = 16;
// Share of the heap limit the design may take: elaboration's working arrays and the run need the rest.
const HEAP_SHARE = 0.75;
// Share of the machine's memory a run may take.
const MEMORY_SHARE = 0.9;
// A typed array holds at most 2^32 elements in Node 20.
const MAX_ARRAY_ELEMENTS = 2 ** 32;

/** The sizes of a run. */
export interface RunShape {
  config: AcceleratorConfig;
  /** Heads built cycle-accurately (0 for the functional model). */
  builtHeads: number;
  /** Tokens and heads of the token arrays, (T, H, D). */
  tokens: number;
  heads: number;
  scores: boolean;
  traced: boolean;
  /** A realised chip: its cells' values and state (docs/model.md §7). */
  realised?: boolean;
  /** The last token's arrival time, ps (0: back to back). */
  lastArrivalPs?: number;
}

/** How the user set each size, named in a refusal: e.g. "--heads 1024", "q.npy (shape (2, 2000, 1))". */
export interface SizeSources {
  /** What sets the design's size (heads, or the window and dims for one head). */
  design: string;
  /** What sets the number of tokens. */
  tokens: string;
  /** What sets the clock period (named when the run's time does not fit). */
  clock: string;
}

function heads(n: number): string {
  return n === 1 ? "1 head" : `${n} heads`;
}

/** Nets of one head of the design in src/arch (checked against built layers in test/runSize.test.ts). */
export function netsPerHead(c: Pick<AcceleratorConfig, "D" | "windowM" | "tile">): number {
  const subTiles = Math.ceil(c.windowM / c.tile);
  return 28 + 7 * c.D + 4 * c.windowM + 4 * subTiles * c.D;
}

/** Bytes as people read them: "512 B", "3.2 GiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) {
    bytes /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(bytes)} B` : `${bytes.toPrecision(3)} ${units[i]}`;
}

/** The estimate of a run's memory, in parts. */
export interface RunMemory {
  /** JavaScript heap of the built design (and its trace). */
  designHeap: number;
  /** Typed arrays of the built design. */
  designArrays: number;
  /** The token arrays, (T, H, D) each. */
  tokenArrays: number;
  /** The scores, (T, H, M). */
  scores: number;
  /** Elements of the largest single typed array. */
  largestArray: number;
}

/** Estimates what a run of `s` needs in memory. */
export function runMemory(s: RunShape): RunMemory {
  const { config: c, builtHeads, tokens: T, heads: H } = s;
  const nets = builtHeads * netsPerHead(c);
  const values = T * H * c.D;
  const scores = s.scores ? T * H * c.windowM : 0;
  return {
    designHeap: nets * (HEAP_BYTES_PER_NET + (s.traced ? TRACE_BYTES_PER_NET : 0)),
    designArrays: nets * ARRAY_BYTES_PER_NET + builtHeads * c.D * c.windowM * (ARRAY_BYTES_PER_CELL + (s.realised ? REALISED_BYTES_PER_CELL : 0)),
    tokenArrays: values * BYTES_PER_TOKEN_VALUE,
    scores: scores * BYTES_PER_SCORE,
    largestArray: Math.max(values, scores),
  };
}

/** Refuses, naming the option and the limit, a run that this machine cannot hold or the engine cannot time. */
export function checkRunFits(s: RunShape, sources: SizeSources): void {
  const m = runMemory(s);
  const { config: c, tokens: T, heads: H } = s;
  const heapLimit = getHeapStatistics().heap_size_limit;
  const layer = `${heads(s.builtHeads)} of D ${c.D} × M ${c.windowM}`;
  if (m.designHeap > HEAP_SHARE * heapLimit) {
    throw new ConfigError(sources.design, `a layer of ${layer} needs about ${formatBytes(m.designHeap)} of JavaScript heap, ` +
      `more than this process can give it (${formatBytes(HEAP_SHARE * heapLimit)} of its ${formatBytes(heapLimit)} limit); ` +
      "use fewer heads, a smaller window or fewer dims, or raise the limit with NODE_OPTIONS=--max-old-space-size=MiB");
  }
  const total = m.designHeap + m.designArrays + m.tokenArrays + m.scores;
  const machine = totalmem();
  if (total > MEMORY_SHARE * machine) {
    const parts: [number, string, string][] = [
      [m.designHeap + m.designArrays, sources.design, `the layer of ${layer}`],
      [m.tokenArrays, sources.tokens, `the inputs and outputs of ${T} tokens × ${heads(H)} × ${c.D} dims`],
      [m.scores, "--scores", `the scores of ${T} tokens × ${heads(H)} × ${c.windowM} slots`],
    ];
    const [, source, what] = parts.reduce((a, b) => (b[0] > a[0] ? b : a));
    throw new ConfigError(source, `the run needs about ${formatBytes(total)} of memory, most of it for ${what}; ` +
      `this machine has ${formatBytes(machine)}`);
  }
  if (m.largestArray > MAX_ARRAY_ELEMENTS) {
    const what = m.largestArray === T * H * c.D ? `${T} tokens × ${heads(H)} × ${c.D} dims` : `${T} tokens × ${heads(H)} × ${c.windowM} scores`;
    throw new ConfigError(sources.tokens, `${what} is ${m.largestArray.toExponential(2)} values, more than the ${MAX_ARRAY_ELEMENTS.toExponential(2)} one array can hold`);
  }
  // as runAttention runs: one token's schedule per token after the last arrival, plus the first hand-over, plus slack
  const endPs = (s.lastArrivalPs ?? 0) + (T + 2) * cyclesPerToken(c) * c.clockPeriodPs;
  if (s.builtHeads > 0 && endPs > MAX_TIME_PS) {
    const source = c.clockPeriodPs !== DEFAULT_ACCELERATOR.clockPeriodPs ? sources.clock : sources.tokens;
    throw new ConfigError(source, `${T} tokens of ${cyclesPerToken(c)} cycles × ${c.clockPeriodPs} ps end at ${endPs.toExponential(2)} ps, ` +
      "past the simulator's largest exact time, 2^53 − 1 ps (about 2.5 hours); use fewer tokens or a shorter clock period");
  }
}
