// The check of a cycle-accurate run against the functional model (docs/model.md §1): output counts
// equal, except that a count may differ by one where a stage-2 value lies within BOUNDARY_SLACK
// steps of a rounding boundary.
import { functionalPart, type AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import type { ChipOptions } from "../functional/api.js";
import { attendFunctionalHeads } from "../functional/attention.js";
import { outGrid } from "../laws/quantise.js";

// Why a count may differ at all: both models take the same quantised codes and evaluate the same
// device law, and the arrays integrate Σ width·g in the functional model's order; what may differ is
// the last bit of a pulse fraction (code·T_max/(L−1)/T_max against code·(1/(L−1))), or of a charge
// (S·T_ns/T_ns against S). That moves a stage-2 value by about 1e-16 relative, so a count can change
// only when A/(S_sat/2) lies within ~1e-12 steps of a rounding boundary. A realised chip (docs/model.md
// §7) changes nothing here: both models read its cells, offsets and noise through the same laws.
export const BOUNDARY_SLACK = 1e-9;

/** One output count that differs from the functional model's beyond the tolerance. */
export interface Mismatch {
  token: number;
  head: number;
  dim: number;
  cycleAccurate: number;
  functional: number;
}

/**
 * The output counts (T, H, D) that differ from the functional model's for the same inputs (and the
 * same chip, when `chip` is given: src/arch/chip.ts functionalChip) beyond the tolerance.
 */
export function compareWithReference(c: AcceleratorConfig, inputs: AttentionInputs, outCodes: Int32Array, chip: ChipOptions = {}): Mismatch[] {
  const { T, H, D } = inputs;
  const ref = attendFunctionalHeads(inputs.q, inputs.k, inputs.v, T, H, D, functionalPart(c), { stage2: true }, chip);
  const step = outGrid(c.levelsOut).step;
  const mismatches: Mismatch[] = [];
  for (let i = 0; i < outCodes.length; i++) {
    const ours = outCodes[i];
    const theirs = ref.outCodes[i];
    if (ours === theirs) continue;
    const dim = i % D;
    const head = Math.floor(i / D) % H;
    const token = Math.floor(i / (D * H));
    if (Math.abs(ours - theirs) === 1 && nearBoundary(ref.heads[head], token, dim, D, step)) continue;
    mismatches.push({ token, head, dim, cycleAccurate: ours, functional: theirs });
  }
  return mismatches;
}

/** True when some sub-tile's stage-2 value of (token, dim) lies within BOUNDARY_SLACK steps of a rounding boundary. */
function nearBoundary(head: { nSubTiles: number; stage2?: Float64Array }, t: number, d: number, D: number, step: number): boolean {
  for (let b = 0; b < head.nSubTiles; b++) {
    const steps = Math.abs(head.stage2![(t * head.nSubTiles + b) * D + d]) / step;
    if (Math.abs(steps - Math.floor(steps) - 0.5) < BOUNDARY_SLACK) return true;
  }
  return false;
}
