// The untimed functional model of one attention head, docs/model.md §1, and of a realised chip, §7: the
// reference the cycle-accurate model is checked against, and the fast path when no trace is
// wanted. Uses only the laws (device law, quantiser, §7 non-idealities; docs/architecture.md);
// nothing from the engine.
import { eventNoise, STREAM } from "../laws/draws.js";
import { cpcFraction, jitteredPulse, signedCpcInput } from "../laws/nonideal.js";
import { gridCode, kvGrid, outGrid, qGrid, type QuantGrid } from "../laws/quantise.js";
import { ConfigError, SignalValueError } from "../errors.js";
import { validateConfig, type ChipOptions, type FunctionalConfig, type FunctionalResult, type FunctionalWants } from "./api.js";
import { headChip } from "./headChip.js";

function checkCount(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(name, `${n} is not an integer of at least ${min}`);
  }
}

function checkLength(name: string, a: ArrayLike<number>, n: number, shape: string): void {
  if (a.length !== n) throw new ConfigError(name, `has ${a.length} values; expected ${shape} = ${n}`);
}

// docs/model.md §1: clamp and quantise one input array; a NaN/±Inf names the array, token and dim.
function quantiseInput(name: string, x: ArrayLike<number>, grid: QuantGrid, T: number, D: number): Int32Array {
  const codes = new Int32Array(T * D);
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
  return codes;
}

/**
 * One head of docs/model.md §1 over T tokens. q, k, v are T×D row-major in physical units (q pulse
 * fractions in [0, 1], k and v volts in [0, 0.9]); they are clamped and quantised here.
 * `config` is validated (missing fields take DEFAULT_CONFIG); if it sets D it must equal `D`.
 * `chip` makes it a realised chip (docs/model.md §7), `head` its head (for the realisation and the
 * per-event draws); by default the paper's ideal chip.
 */
export function attendFunctional(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  T: number,
  D: number,
  config: Partial<FunctionalConfig> = {},
  wants: FunctionalWants = {},
  chip: ChipOptions = {},
  head = 0,
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

  const qCodes = quantiseInput("q", q, gq, T, D);
  const kCodes = quantiseInput("k", k, gkv, T, D);
  const vCodes = quantiseInput("v", v, gkv, T, D);
  const c = headChip(chip, cfg, T, D, head, gkv, kCodes, vCodes);
  const reads = c.reads;

  const out = new Float64Array(T * D);
  const outCodes = new Int32Array(T * D);
  const scores = wants.scores ? new Float64Array(T * M) : undefined;
  const phi = wants.phi ? new Float64Array(T * M) : undefined;
  const subTileCodes = wants.subTileCodes ? new Int16Array(T * nSubTiles * D) : undefined;
  const stage2 = wants.stage2 ? new Float64Array(T * nSubTiles * D) : undefined;
  const pulse = new Float64Array(D); // q_d of the token: the PWM pulse fraction, with its jitter
  const charge = new Float64Array(D); // A_{b,d} of the sub-tile being read
  const sSat = cfg.sSat;
  const halfSat = sSat / 2; // docs/model.md §1: 40 = S_sat/2
  const { cpcOffset, scpcOffset, sigmaS, sigmaA, sigmaQ, noiseSeed } = c;

  for (let t = 0; t < T; t++) {
    const slotNow = t % M; // docs/model.md §1: token t goes into slot t mod M
    const rowT = t * M;
    const codeRow = t * D;
    reads.write(t);
    for (let d = 0; d < D; d++) {
      // the pulse fraction is step·code (docs/model.md §1), plus its jitter (§7)
      pulse[d] = jitteredPulse(gq.step * qCodes[codeRow + d], eventNoise(sigmaQ, noiseSeed, STREAM.pwmQ, head, t, d));
    }
    for (let b = 0; b < nSubTiles; b++) {
      const s0 = b * tile;
      const s1 = Math.min(M, s0 + tile);
      charge.fill(0);
      for (let s = s0; s < s1; s++) {
        let age = slotNow - s;
        if (age < 0) age += M;
        // The slot holds token τ = t − age; τ < 0 means never written: S = 0, φ = 0 (docs/model.md §1).
        if (age > t) continue;

        // Stage 1, docs/model.md §1: S_j = Σ_d q_d · read_{j,d}, rows in order d = 0..D−1, then the
        // integrator's read noise (§7).
        let score = reads.kSum(s, t, age, pulse);
        if (sigmaS !== 0) score += eventNoise(sigmaS, noiseSeed, STREAM.readS, head, t, s);
        // CPC: φ_j/T_max = clamp((S_j − S_off)/S_sat, 0, 1), the hard sigmoid (docs/model.md §1, §7).
        const fraction = cpcFraction(score, cpcOffset[s], sSat);
        if (scores !== undefined) scores[rowT + s] = score;
        if (phi !== undefined) phi[rowT + s] = fraction;
        // A zero pulse adds exactly nothing to A (a sum started at +0 never becomes −0).
        if (fraction === 0) continue;

        // Stage 2, docs/model.md §1: A_{b,d} += (φ_j/T_max) · read_{j,d}, slots in order.
        reads.vAccumulate(s, t, age, fraction, charge);
      }
      // Signed CPC + counter: o_{b,d} = quantise((A + noise − A_off)/(S_sat/2), −1, 1, levelsOut);
      // the adder tree sums the integer counts (docs/model.md §1 digital sum, §7).
      for (let d = 0; d < D; d++) {
        const i = b * D + d;
        const a = sigmaA === 0 ? charge[d] : charge[d] + eventNoise(sigmaA, noiseSeed, STREAM.readA, head, t, i);
        const x = signedCpcInput(a, scpcOffset[i], halfSat);
        const code = gridCode(gout, x, "stage-2 charge");
        if (stage2 !== undefined) stage2[t * nSubTiles * D + i] = x;
        outCodes[codeRow + d] += code;
        if (subTileCodes !== undefined) subTileCodes[t * nSubTiles * D + i] = code;
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

/** H independent heads (docs/model.md §2: all heads run in parallel) on q, k, v in (T, H, D) row-major layout; `chip` as attendFunctional's. */
export function attendFunctionalHeads(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  T: number,
  H: number,
  D: number,
  config: Partial<FunctionalConfig> = {},
  wants: FunctionalWants = {},
  chip: ChipOptions = {},
): FunctionalHeadsResult {
  checkCount("T", T, 0);
  checkCount("H", H, 1);
  checkCount("D", D, 1);
  const shape = `T×H×D = ${T}×${H}×${D}`;
  checkLength("q", q, T * H * D, shape);
  checkLength("k", k, T * H * D, shape);
  checkLength("v", v, T * H * D, shape);
  if (chip.realisation !== undefined && chip.realisation.shape.heads !== H) {
    throw new ConfigError("chip.realisation.shape.heads", `${chip.realisation.shape.heads} does not match the inputs' H = ${H}`);
  }
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
    const head = attendFunctional(qh, kh, vh, T, D, config, wants, chip, h);
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
