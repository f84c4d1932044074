// The random draws of docs/model.md §7, each from its own Philox stream keyed by (seed, head, token,
// index): the static ones that make a realisation and the per-event noise of every token. The
// stream numbers are part of the file format of a seed: they never change, so a seed gives the
// same chip and the same noise in every version.
import { normalAt } from "./philox.js";

/** Philox stream (counter word 3) of each kind of draw; fixed forever (see above). */
export const STREAM = Object.freeze({
  kGain: 1,
  kOffset: 2,
  kRet: 3,
  kStuck: 4,
  vGain: 5,
  vOffset: 6,
  vRet: 7,
  vStuck: 8,
  cpcOffset: 9,
  scpcOffset: 10,
  writeK: 11,
  writeV: 12,
  readS: 13,
  readA: 14,
  pwmQ: 15,
});

/**
 * σ·N(0, 1) for one event: 0 without a draw when σ = 0, so an effect that is off costs nothing
 * and adds exactly nothing. `index` counts within the token: the row d, the slot s or b·D + d.
 */
export function eventNoise(sigma: number, seed: number, stream: number, head: number, token: number, index: number): number {
  return sigma === 0 ? 0 : sigma * normalAt(seed, stream, head, token, index);
}

/**
 * Adds eventNoise(σ, …, base + j) to into[j] for each j of `at[0 .. n − 1]` (every j < n when `at`
 * is null): a row of integrators' noise in one call, no value boxed on its way out of a call that
 * is not inlined. Nothing is drawn or added when σ = 0.
 */
export function addEventNoise(into: Float64Array, at: Int32Array | null, n: number, sigma: number, seed: number, stream: number, head: number, token: number, base: number): void {
  if (sigma === 0) return;
  for (let k = 0; k < n; k++) {
    const j = at === null ? k : at[k];
    into[j] += sigma * normalAt(seed, stream, head, token, base + j);
  }
}
