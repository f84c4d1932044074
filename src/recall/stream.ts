// The token stream of an associative-recall run (docs/recall.md): every token stores a key → value pair
// (k and v), and the measured tokens also query: q is the key stored `distance` tokens earlier, or a
// key stored nowhere (a probe of the chip's zero point). The pairs written in between are the
// distractors. Keys near each other share at most maxOverlap ones, so only the queried key pulses.
import { mulberry32 } from "../engine/prng.js";
import { GaincellError } from "../errors.js";
import { kvGrid, qGrid } from "../laws/quantise.js";
import type { AcceleratorConfig } from "../arch/config.js";
import type { RecallEncoding, RecallPlan } from "./api.js";

/** One measured token: a query of the pair stored `distance` tokens before it, or a probe (distance 0). */
export interface RecallEvent {
  readonly token: number;
  readonly distance: number;
}

/** A stream of T tokens of D dimensions: q, k, v in physical units (T×D row-major), each token's value levels, and the measured tokens. */
export interface RecallStream {
  readonly T: number;
  readonly D: number;
  readonly q: Float64Array;
  readonly k: Float64Array;
  readonly v: Float64Array;
  /** Value level (index into the encoding's levels) of every token and dimension, T×D. */
  readonly valueLevels: Uint8Array;
  /** The measured tokens in stream order, one event each. */
  readonly events: readonly RecallEvent[];
}

// (ours) Draws of one key before giving up: the default overlap accepts most draws, so running out
// means the keys cannot be packed (too dense for D, or a maxOverlap too strict).
const MAX_DRAWS = 20_000;

/** Keys as bit sets of D dimensions in 32-bit words, T of them; overlap = popcount of the AND. */
class KeySet {
  readonly words: number;
  readonly bits: Uint32Array;

  constructor(readonly D: number, count: number) {
    this.words = Math.ceil(D / 32);
    this.bits = new Uint32Array(count * this.words);
  }

  overlap(a: Uint32Array, aAt: number, b: number): number {
    let n = 0;
    for (let w = 0; w < this.words; w++) n += popcount(a[aAt + w] & this.bits[b * this.words + w]);
    return n;
  }

  has(key: number, d: number): boolean {
    return (this.bits[key * this.words + (d >>> 5)] & (1 << (d & 31))) !== 0;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function longestDistance(plan: RecallPlan): number {
  return plan.distances.length === 0 ? 0 : plan.distances[plan.distances.length - 1];
}

/** Tokens in the stream of `plan`: max(largest distance, M) that only store, then one per query and probe. */
export function recallTokens(config: AcceleratorConfig, plan: RecallPlan): number {
  return Math.max(longestDistance(plan), config.windowM) + plan.distances.length * plan.queriesPerDistance + plan.probes;
}

/**
 * The stream of `plan` on `config`. The first max(largest distance, M) tokens only store (the window
 * fills and every query finds its pair); then one event per token, queries and probes in a seeded
 * random order. A key is drawn until it shares at most maxOverlap ones with the M − 1 keys before it
 * (so any two keys in the window at once keep apart) and with every older key that a query will
 * look for past the window while this one is in it; a probe's key, with every key in the window.
 */
export function recallStream(config: AcceleratorConfig, plan: RecallPlan, enc: RecallEncoding): RecallStream {
  const { D, windowM: M } = config;
  const random = mulberry32(plan.seed);
  const below = (n: number) => Math.floor((random() / 4294967296) * n);
  const events: number[] = [];
  for (const n of plan.distances) for (let i = 0; i < plan.queriesPerDistance; i++) events.push(n);
  for (let i = 0; i < plan.probes; i++) events.push(0);
  for (let i = events.length - 1; i > 0; i--) {
    const j = below(i + 1);
    [events[i], events[j]] = [events[j], events[i]];
  }
  const longest = longestDistance(plan);
  const first = Math.max(longest, M);
  const T = recallTokens(config, plan);
  // the old keys queried past the window while token s is in it: s must keep apart from them too
  const watched: number[][] = Array.from({ length: T }, () => []);
  events.forEach((distance, i) => {
    const t = first + i;
    if (distance >= M) for (let s = Math.max(0, t - M + 1); s <= t; s++) watched[s].push(t - distance);
  });
  const keys = new KeySet(D, T);
  const probes = new KeySet(D, 1);
  const candidate = new Uint32Array(keys.words);
  const order = Int32Array.from({ length: D }, (_, d) => d);
  // draws a weight-w key into `candidate` until it fits against keys lo..hi and `also`; false when none does
  const drawFitting = (lo: number, hi: number, also: readonly number[]): boolean => {
    for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
      candidate.fill(0);
      for (let i = 0; i < enc.keyWeight; i++) {
        const j = i + below(D - i);
        [order[i], order[j]] = [order[j], order[i]];
        candidate[order[i] >>> 5] |= 1 << (order[i] & 31);
      }
      let fits = true;
      for (let s = Math.max(0, lo); s <= hi && fits; s++) fits = keys.overlap(candidate, 0, s) <= enc.maxOverlap;
      for (let i = 0; i < also.length && fits; i++) fits = keys.overlap(candidate, 0, also[i]) <= enc.maxOverlap;
      if (fits) return true;
    }
    return false;
  };
  const unpackable = (what: string) => new GaincellError(
    `recall: no key of ${enc.keyWeight} ones in D = ${D} dimensions shares at most ${enc.maxOverlap} with ${what} (${MAX_DRAWS} draws): ` +
      "lower --key-weight, raise --max-overlap, or use fewer distances or a smaller window",
  );

  const gq = qGrid(config.levelsQ);
  const gkv = kvGrid(config.levelsKv);
  const one = gq.step * (config.levelsQ - 1);
  const keyOne = gkv.step * (config.levelsKv - 1);
  const q = new Float64Array(T * D);
  const k = new Float64Array(T * D);
  const v = new Float64Array(T * D);
  const valueLevels = new Uint8Array(T * D);
  const L = enc.valueCodes.length;
  const measured: RecallEvent[] = [];
  for (let t = 0; t < T; t++) {
    if (!drawFitting(t - M + 1, t - 1, watched[t])) throw unpackable(`every key in the window at token ${t}`);
    keys.bits.set(candidate, t * keys.words);
    for (let d = 0; d < D; d++) {
      if (keys.has(t, d)) k[t * D + d] = keyOne;
      const level = below(L);
      valueLevels[t * D + d] = level;
      v[t * D + d] = gkv.step * enc.valueCodes[level];
    }
    if (t < first) continue;
    const distance = events[t - first];
    measured.push({ token: t, distance });
    if (distance > 0) {
      for (let d = 0; d < D; d++) if (keys.has(t - distance, d)) q[t * D + d] = one;
      continue;
    }
    if (!drawFitting(t - M + 1, t, [])) throw unpackable(`every key in the window at token ${t}`);
    probes.bits.set(candidate, 0);
    for (let d = 0; d < D; d++) if (probes.has(0, d)) q[t * D + d] = one;
  }
  return { T, D, q, k, v, valueLevels, events: measured };
}
