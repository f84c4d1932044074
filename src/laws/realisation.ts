// A realisation: one chip's static non-idealities of docs/model.md §7, drawn once from a seed (or read
// from files of measured data): per K/V cell gain, offset, retention multiplier r and stuck
// voltage, per K column a CPC offset, per sub-tile and output row a signed-CPC offset.
import { ConfigError } from "../errors.js";
import { STREAM } from "./draws.js";
import { NOT_STUCK } from "./nonideal.js";
import { normalAt, uniformAt } from "./philox.js";
import { VDD_V } from "./deviceLaw.js";
import type { Variation } from "./variation.js";

/** The sizes a realisation is drawn for: heads H, window M (slots), head dimension D, sub-tile width. */
export interface ChipShape {
  readonly heads: number;
  readonly windowM: number;
  readonly D: number;
  readonly tile: number;
}

/**
 * One chip. Cell arrays are (H, M, D) row-major, indexed [h, s, d] at (h·M + s)·D + d, s the slot
 * (the physical column, sub-tile s div tile); cpcOffset is (H, M); scpcOffset (H, ⌈M/tile⌉, D).
 */
export interface Realisation {
  readonly shape: ChipShape;
  /** γ of each K cell, dimensionless. */
  readonly kGain: Float64Array;
  /** β of each K cell, µA. */
  readonly kOffset: Float64Array;
  /** r of each K cell: its retention rate is λ·r. */
  readonly kRet: Float64Array;
  /** −1 for a working K cell, else the voltage it is stuck at (V). */
  readonly kStuck: Float64Array;
  readonly vGain: Float64Array;
  readonly vOffset: Float64Array;
  readonly vRet: Float64Array;
  readonly vStuck: Float64Array;
  /** S_off of each K column's CPC, in the units of S. */
  readonly cpcOffset: Float64Array;
  /** A_off of each signed CPC, in the units of A. */
  readonly scpcOffset: Float64Array;
}

/** The arrays of a realisation: field, file name (docs/model.md §7), shape kind. */
export const REALISATION_ARRAYS = [
  ["kGain", "k_gain", "cells"],
  ["kOffset", "k_offset", "cells"],
  ["kRet", "k_ret", "cells"],
  ["kStuck", "k_stuck", "cells"],
  ["vGain", "v_gain", "cells"],
  ["vOffset", "v_offset", "cells"],
  ["vRet", "v_ret", "cells"],
  ["vStuck", "v_stuck", "cells"],
  ["cpcOffset", "cpc_offset", "columns"],
  ["scpcOffset", "scpc_offset", "signedCpcs"],
] as const;

/** A realisation's array field. */
export type RealisationArray = (typeof REALISATION_ARRAYS)[number][0];

/** Sub-tiles per head, ⌈M/tile⌉ (docs/model.md §1). */
export function subTilesOf(shape: ChipShape): number {
  return Math.ceil(shape.windowM / shape.tile);
}

/** The array shape of each kind: (H, M, D) cells, (H, M) columns, (H, ⌈M/tile⌉, D) signed CPCs. */
export function arrayShape(shape: ChipShape, kind: "cells" | "columns" | "signedCpcs"): number[] {
  const { heads, windowM, D } = shape;
  return kind === "cells" ? [heads, windowM, D] : kind === "columns" ? [heads, windowM] : [heads, subTilesOf(shape), D];
}

// Every draw's index within a head must fit Philox's 32-bit counter word.
function checkShape(shape: ChipShape): void {
  for (const [field, n] of Object.entries(shape)) {
    if (!Number.isInteger(n) || n < 1) throw new ConfigError(`realisation shape.${field}`, `${n} is not a positive integer`);
  }
  if (shape.windowM * shape.D > 0xffff_ffff) {
    throw new ConfigError("realisation shape", `M·D = ${shape.windowM * shape.D} cells per array exceeds the generator's 2^32 draws per head`);
  }
}

// n = H·per values: each head's `per` entries of `mean + σ·N(0, 1)` from `stream`; constant when σ = 0.
function normals(H: number, per: number, mean: number, sigma: number, seed: number, stream: number): Float64Array {
  const a = new Float64Array(H * per).fill(mean);
  if (sigma === 0) return a;
  for (let h = 0; h < H; h++) for (let i = 0; i < per; i++) a[h * per + i] = mean + sigma * normalAt(seed, stream, h, 0, i);
  return a;
}

// r = exp(σ_ret·N(0, 1)): 1 exactly when σ_ret = 0.
function multipliers(H: number, per: number, sigma: number, seed: number, stream: number): Float64Array {
  const a = new Float64Array(H * per).fill(1);
  if (sigma === 0) return a;
  for (let h = 0; h < H; h++) for (let i = 0; i < per; i++) a[h * per + i] = Math.exp(sigma * normalAt(seed, stream, h, 0, i));
  return a;
}

// One uniform u per cell: stuck when u < p, at 0 V for u < p/2 and 0.9 V above (equal odds).
function stuckCells(H: number, per: number, p: number, seed: number, stream: number): Float64Array {
  const a = new Float64Array(H * per).fill(NOT_STUCK);
  if (p === 0) return a;
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < per; i++) {
      const u = uniformAt(seed, stream, h, 0, i);
      if (u < p) a[h * per + i] = u < p / 2 ? 0 : VDD_V;
    }
  }
  return a;
}

/**
 * Draws a chip of `shape` with the static σ and p of `variation` from `seed` (docs/model.md §7). Each
 * quantity has its own stream and every value its own counter (head, index), so the chip does
 * not depend on the order of drawing, and raising one σ scales the same normals.
 */
export function drawRealisation(variation: Variation, shape: ChipShape, seed: number): Realisation {
  checkShape(shape);
  const { heads: H, windowM: M, D } = shape;
  const cells = M * D;
  const nSigned = subTilesOf(shape) * D;
  const v = variation;
  return {
    shape: { ...shape },
    kGain: normals(H, cells, 1, v.sigmaGain, seed, STREAM.kGain),
    kOffset: normals(H, cells, 0, v.sigmaOffset, seed, STREAM.kOffset),
    kRet: multipliers(H, cells, v.sigmaRet, seed, STREAM.kRet),
    kStuck: stuckCells(H, cells, v.pStuck, seed, STREAM.kStuck),
    vGain: normals(H, cells, 1, v.sigmaGain, seed, STREAM.vGain),
    vOffset: normals(H, cells, 0, v.sigmaOffset, seed, STREAM.vOffset),
    vRet: multipliers(H, cells, v.sigmaRet, seed, STREAM.vRet),
    vStuck: stuckCells(H, cells, v.pStuck, seed, STREAM.vStuck),
    cpcOffset: normals(H, M, 0, v.sigmaCpc, seed, STREAM.cpcOffset),
    scpcOffset: normals(H, nSigned, 0, v.sigmaScpc, seed, STREAM.scpcOffset),
  };
}

/** What one value of an array may be (docs/model.md §7): undefined when acceptable, else what is wrong. */
function valueProblem(field: RealisationArray, x: number): string | undefined {
  if (!Number.isFinite(x)) return `${x} is not a finite number`;
  if ((field === "kRet" || field === "vRet") && !(x > 0)) return `${x} is not a retention multiplier r > 0`;
  if ((field === "kStuck" || field === "vStuck") && x !== NOT_STUCK && !(x >= 0 && x <= VDD_V)) {
    return `${x} is neither −1 (a working cell) nor a stuck voltage in [0, ${VDD_V}] V`;
  }
  return undefined;
}

/**
 * Checks a realisation's array lengths against its shape and every value; throws ConfigError
 * naming `name(field)` (e.g. the file) and the index [h, s, d] of the first bad value.
 */
export function checkRealisation(r: Realisation, name: (field: RealisationArray) => string = (f) => `realisation.${f}`): Realisation {
  checkShape(r.shape);
  for (const [field, , kind] of REALISATION_ARRAYS) {
    const dims = arrayShape(r.shape, kind);
    const a = r[field];
    const n = dims.reduce((x, y) => x * y, 1);
    if (a.length !== n) throw new ConfigError(name(field), `has ${a.length} values; expected shape (${dims.join(", ")}) = ${n}`);
    for (let i = 0; i < n; i++) {
      const problem = valueProblem(field, a[i]);
      if (problem !== undefined) throw new ConfigError(`${name(field)}[${unravel(i, dims).join(", ")}]`, problem);
    }
  }
  return r;
}

function unravel(i: number, dims: number[]): number[] {
  const idx = new Array<number>(dims.length);
  for (let k = dims.length - 1; k >= 0; k--) {
    idx[k] = i % dims[k];
    i = Math.floor(i / dims[k]);
  }
  return idx;
}
