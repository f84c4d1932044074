// Inputs of `gaincell attend`: Q, K, V from .npy files of shape (T, D) or (T, H, D), checked with
// errors naming the file and index, or a seeded random token stream for demos and reports.
import type { AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { FileFormatError } from "../errors.js";
import { kvGrid, qGrid } from "../laws/quantise.js";
import { mulberry32 } from "../engine/prng.js";
import { readNpy, type NdArray } from "../npy.js";

/** Reads Q, K, V and checks shapes and values; `(T, D)` is one head, `(T, H, D)` H heads. */
export function loadInputs(qFile: string, kFile: string, vFile: string): AttentionInputs {
  const arrays = [qFile, kFile, vFile].map((f) => [f, readNpy(f)] as const);
  const [[, q]] = arrays;
  for (const [file, a] of arrays) {
    if (a.shape.length !== 2 && a.shape.length !== 3) {
      throw new FileFormatError(file, `shape (${a.shape.join(", ")}) is not (T, D) or (T, H, D)`);
    }
    if (a.shape.join() !== q.shape.join()) {
      throw new FileFormatError(file, `shape (${a.shape.join(", ")}) differs from ${qFile}'s (${q.shape.join(", ")}): Q, K and V must match`);
    }
    if (a.shape.some((n) => n === 0)) throw new FileFormatError(file, `shape (${a.shape.join(", ")}) has no tokens or dimensions`);
    checkFinite(file, a);
  }
  const [T, H, D] = q.shape.length === 2 ? [q.shape[0], 1, q.shape[1]] : q.shape;
  return { T, H, D, q: q.data, k: arrays[1][1].data, v: arrays[2][1].data, threeD: q.shape.length === 3 };
}

function checkFinite(file: string, a: NdArray): void {
  const { data, shape } = a;
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i])) continue;
    const index: number[] = [];
    let rest = i;
    for (let s = shape.length - 1; s >= 0; s--) {
      index.unshift(rest % shape[s]);
      rest = Math.floor(rest / shape[s]);
    }
    throw new FileFormatError(file, `element [${index.join(", ")}] is ${data[i]}: inputs must be finite (out-of-range values are clamped, docs/model.md §1)`);
  }
}

/** One line per input with values outside its range, which the quantiser clamps: `q: 12 of 70,400 values clamped to [0, 1]`. */
export function clampedValues(inputs: AttentionInputs, c: Pick<AcceleratorConfig, "levelsQ" | "levelsKv">): string[] {
  const lines: string[] = [];
  for (const [name, data, grid] of [["q", inputs.q, qGrid(c.levelsQ)], ["k", inputs.k, kvGrid(c.levelsKv)], ["v", inputs.v, kvGrid(c.levelsKv)]] as const) {
    let n = 0;
    for (let i = 0; i < data.length; i++) if (data[i] < grid.lo || data[i] > grid.hi) n++;
    if (n > 0) lines.push(`${name}: ${n.toLocaleString("en")} of ${data.length.toLocaleString("en")} values clamped to [${grid.lo}, ${grid.hi}]`);
  }
  return lines;
}

/** A seeded stream of T tokens for H heads of D dims: q uniform in [0, 1], k and v in [0, 0.9] V. */
export function seededInputs(T: number, H: number, D: number, seed: number): AttentionInputs {
  const random = mulberry32(seed);
  const next = () => random() / 4294967296;
  const n = T * H * D;
  const q = new Float64Array(n);
  const k = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    q[i] = next();
    k[i] = 0.9 * next();
    v[i] = 0.9 * next();
  }
  return { T, H, D, q, k, v, threeD: H > 1 };
}
