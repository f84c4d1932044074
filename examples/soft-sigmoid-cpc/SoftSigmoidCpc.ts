// SoftSigmoidCpc: a charge-to-pulse converter row with a smooth transfer in place of the hard sigmoid
// (gaincell's docs/model.md §1 stage 1): the project's CPC row (ports, pulse timing, offsets) with
// its transfer overridden, and the block factories that swap it into every sub-tile.
import { ChargeToPulseConverter, type BlockFactories } from "gaincell";

/**
 * φ/T_max = 1 / (1 + exp(−4·(S − S_off − S_sat/2)/S_sat)): a logistic curve with the hard sigmoid's
 * mid-point S_sat/2 and its slope there, 1/S_sat; S in µA × pulse/T_max.
 */
export function softSigmoid(s: number, offset: number, sSat: number): number {
  return 1 / (1 + Math.exp((-4 * (s - offset - sSat / 2)) / sSat));
}

/** The row of CPCs of one sub-tile, each turning its column's charge into a pulse by softSigmoid. */
export class SoftSigmoidCpc extends ChargeToPulseConverter {
  protected override transfer(s: number, offset: number): number {
    return softSigmoid(s, offset, this.params.sSat);
  }
}

/** The project's blocks but this CPC row: pass as `blocks` to runAttention, measureSteadyState or runVerifyCase. */
export const softSigmoidBlocks: Partial<BlockFactories> = {
  cpcRow: (parent, name, columns, params, offsets) => new SoftSigmoidCpc(parent, name, columns, params, offsets),
};
