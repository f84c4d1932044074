// The untimed functional model of one attention head, docs/model.md §1: the reference the cycle-accurate
// model is checked against, and the fast path when no trace is wanted. Uses only the device law
// and the quantiser (docs/architecture.md); nothing from the engine.
import { gDecayed, retention, ZERO_POINT_V } from "../laws/deviceLaw.js";
import { gridCode, kvGrid, outGrid, qGrid, type QuantGrid } from "../laws/quantise.js";
import { ConfigError, SignalValueError } from "../errors.js";
import { validateConfig, type FunctionalConfig, type FunctionalResult, type FunctionalWants } from "./api.js";

// (ours) the level × age table of decayed reads is kept when it has at most this many entries
// (16 MB); past that each slot's row of levels is evaluated per token instead. Both use the same
// gDecayed calls, so the results are identical.
const MAX_TABLE_ENTRIES = 1 << 21;

function checkCount(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(name, `${n} is not an integer of at least ${min}`);
  }
}

function checkLength(name: string, a: ArrayLike<number>, n: number, shape: string): void {
  if (a.length !== n) throw new ConfigError(name, `has ${a.length} values; expected ${shape} = ${n}`);
}

// docs/model.md §1: clamp and quantise one input array; a NaN/±Inf names the array, token and dim.
function quantiseInput(name: string, x: ArrayLike<number>, grid: QuantGrid, T: number, D: number, codes: Uint8Array): void {
  for (let t = 0; t < T; t++) {
    for (let d = 0; d < D; d++) {
      const value = x[t * D + d];
      if (!Number.isFinite(value)) {
        throw new SignalValueError(
          `${name}[t=${t}, d=${d}]: ${value} is not a finite number: out-of-range inputs are clamped, but NaN and ±Inf are errors (docs/model.md §1)`,
        );
      }
      codes[t * D + d] = gridCode(grid, value, name);
    }
  }
}

// Decayed read g((level·step − 0.45)·δ) for every K/V level: one row of `levels` entries.
function fillLevelRow(row: Float64Array, offset: number, grid: QuantGrid, delta: number, cfg: FunctionalConfig): void {
  for (let level = 0; level < grid.levels; level++) {
    const y = grid.step * level - ZERO_POINT_V; // the quantised voltage is step·code (docs/model.md §1)
    row[offset + level] = gDecayed(y, delta, cfg.nonlinearity);
  }
}

/**
 * One head of docs/model.md §1 over T tokens. q, k, v are T×D row-major in physical units (q pulse
 * fractions in [0, 1], k and v volts in [0, 0.9]); they are clamped and quantised here.
 * `config` is validated (missing fields take DEFAULT_CONFIG); if it sets D it must equal `D`.
 */
export function attendFunctional(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  T: number,
  D: number,
  config: Partial<FunctionalConfig> = {},
  wants: FunctionalWants = {},
): FunctionalResult {
  checkCount("T", T, 0);
  checkCount("D", D, 1);
  if (config.D !== undefined && config.D !== D) {
    throw new ConfigError("config.D", `${config.D} does not match the inputs' D = ${D}; leave config.D out to take it from the inputs`);
  }
  const cfg = validateConfig({ ...config, D });
  const shape = `T×D = ${T}×${D}`;
  checkLength("q", q, T * D, shape);
  checkLength("k", k, T * D, shape);
  checkLength("v", v, T * D, shape);

  const M = cfg.windowM;
  const tile = cfg.tile;
  const nSubTiles = Math.ceil(M / tile); // docs/model.md §1: ⌈M/64⌉ sub-tiles, the last one partial
  const gq = qGrid(cfg.levelsQ);
  const gkv = kvGrid(cfg.levelsKv);
  const gout = outGrid(cfg.levelsOut);
  const L = cfg.levelsKv;

  const qCodes = new Uint8Array(T * D);
  const kCodes = new Uint8Array(T * D);
  const vCodes = new Uint8Array(T * D);
  quantiseInput("q", q, gq, T, D, qCodes);
  quantiseInput("k", k, gkv, T, D, kCodes);
  quantiseInput("v", v, gkv, T, D, vCodes);
  const qValues = new Float64Array(T * D);
  for (let i = 0; i < T * D; i++) qValues[i] = gq.step * qCodes[i]; // the PWM pulse fraction, step·code

  // Precompute g for every (age, level): a slot's current depends only on its stored level and
  // its age. Ages run 0..min(M, T) − 1 (docs/model.md §1: query t sees tokens t−M+1..t); with λ = 0
  // every age has δ = 1 and one row serves all.
  const retentionOn = cfg.lambdaPerToken !== 0;
  const nAges = retentionOn ? Math.max(1, Math.min(M, T)) : 1;
  const tabulated = nAges * L <= MAX_TABLE_ENTRIES;
  const table = new Float64Array(tabulated ? nAges * L : L);
  if (tabulated) {
    for (let age = 0; age < nAges; age++) fillLevelRow(table, age * L, gkv, retention(cfg.lambdaPerToken, age), cfg);
  }

  const out = new Float64Array(T * D);
  const outCodes = new Int32Array(T * D);
  const scores = wants.scores ? new Float64Array(T * M) : undefined;
  const phi = wants.phi ? new Float64Array(T * M) : undefined;
  const subTileCodes = wants.subTileCodes ? new Int16Array(T * nSubTiles * D) : undefined;
  const stage2 = wants.stage2 ? new Float64Array(T * nSubTiles * D) : undefined;
  const charge = new Float64Array(D); // A_{b,d} of the sub-tile being read
  const sSat = cfg.sSat;
  const halfSat = sSat / 2; // docs/model.md §1: 40 = S_sat/2

  for (let t = 0; t < T; t++) {
    const slotNow = t % M; // docs/model.md §1: token t goes into slot t mod M
    const qOff = t * D;
    const rowT = t * M;
    const codeRow = t * D;
    for (let b = 0; b < nSubTiles; b++) {
      const s0 = b * tile;
      const s1 = Math.min(M, s0 + tile);
      charge.fill(0);
      for (let s = s0; s < s1; s++) {
        let age = slotNow - s;
        if (age < 0) age += M;
        // The slot holds token τ = t − age; τ < 0 means never written: S = 0, φ = 0 (docs/model.md §1).
        if (age > t) continue;
        const tokenOff = (t - age) * D;
        let off = 0;
        if (tabulated) off = retentionOn ? age * L : 0;
        else fillLevelRow(table, 0, gkv, retention(cfg.lambdaPerToken, age), cfg);

        // Stage 1, docs/model.md §1: S_j = Σ_d q_d · g((k_{τ,d} − 0.45)·δ^age), rows in order d = 0..D−1.
        let score = 0;
        for (let d = 0; d < D; d++) score += qValues[qOff + d] * table[off + kCodes[tokenOff + d]];
        // CPC: φ_j/T_max = clamp(S_j/S_sat, 0, 1), the hard sigmoid (docs/model.md §1).
        let fraction = score / sSat;
        fraction = fraction > 0 ? (fraction < 1 ? fraction : 1) : 0;
        if (scores !== undefined) scores[rowT + s] = score;
        if (phi !== undefined) phi[rowT + s] = fraction;
        // A zero pulse adds exactly nothing to A (a sum started at +0 never becomes −0).
        if (fraction === 0) continue;

        // Stage 2, docs/model.md §1: A_{b,d} += (φ_j/T_max) · g((v_{τ,d} − 0.45)·δ^age), slots in order.
        for (let d = 0; d < D; d++) charge[d] += fraction * table[off + vCodes[tokenOff + d]];
      }
      // Signed CPC + counter: o_{b,d} = quantise(A/(S_sat/2), −1, 1, levelsOut); the adder tree
      // sums the integer counts (docs/model.md §1 digital sum).
      for (let d = 0; d < D; d++) {
        const x = charge[d] / halfSat;
        const code = gridCode(gout, x, "stage-2 charge");
        if (stage2 !== undefined) stage2[(t * nSubTiles + b) * D + d] = x;
        outCodes[codeRow + d] += code;
        if (subTileCodes !== undefined) subTileCodes[(t * nSubTiles + b) * D + d] = code;
      }
    }
    // out_d = Σ_b o_{b,d} = step · Σ_b code_{b,d}: the exact integer sum, scaled once.
    for (let d = 0; d < D; d++) out[codeRow + d] = gout.step * outCodes[codeRow + d];
  }
  return { out, outCodes, nSubTiles, scores, phi, subTileCodes, stage2 };
}

/** Result of attendFunctionalHeads: outputs in (T, H, D) layout, plus each head's own result. */
export interface FunctionalHeadsResult {
  /** out, T×H×D. */
  readonly out: Float64Array;
  /** Summed output counts, T×H×D. */
  readonly outCodes: Int32Array;
  /** Per-head results in (T, D) layout, including any requested scores, φ and sub-tile codes. */
  readonly heads: readonly FunctionalResult[];
}

// The per-head call would name only t and d; checking here names the head as well.
function finiteAt(name: string, value: number, t: number, h: number, d: number): number {
  if (!Number.isFinite(value)) {
    throw new SignalValueError(
      `${name}[t=${t}, h=${h}, d=${d}]: ${value} is not a finite number: out-of-range inputs are clamped, but NaN and ±Inf are errors (docs/model.md §1)`,
    );
  }
  return value;
}

/** H independent heads (docs/model.md §2: all heads run in parallel) on q, k, v in (T, H, D) row-major layout. */
export function attendFunctionalHeads(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  T: number,
  H: number,
  D: number,
  config: Partial<FunctionalConfig> = {},
  wants: FunctionalWants = {},
): FunctionalHeadsResult {
  checkCount("T", T, 0);
  checkCount("H", H, 1);
  checkCount("D", D, 1);
  const shape = `T×H×D = ${T}×${H}×${D}`;
  checkLength("q", q, T * H * D, shape);
  checkLength("k", k, T * H * D, shape);
  checkLength("v", v, T * H * D, shape);
  const out = new Float64Array(T * H * D);
  const outCodes = new Int32Array(T * H * D);
  const heads: FunctionalResult[] = [];
  const qh = new Float64Array(T * D);
  const kh = new Float64Array(T * D);
  const vh = new Float64Array(T * D);
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        const src = (t * H + h) * D + d;
        qh[t * D + d] = finiteAt("q", q[src], t, h, d);
        kh[t * D + d] = finiteAt("k", k[src], t, h, d);
        vh[t * D + d] = finiteAt("v", v[src], t, h, d);
      }
    }
    const head = attendFunctional(qh, kh, vh, T, D, config, wants);
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        out[(t * H + h) * D + d] = head.out[t * D + d];
        outCodes[(t * H + h) * D + d] = head.outCodes[t * D + d];
      }
    }
    heads.push(head);
  }
  return { out, outCodes, heads };
}
