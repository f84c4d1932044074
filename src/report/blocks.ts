// The blocks a head is built from, counted from its ports (src/arch/blocks.ts), so the area follows
// the design that was built (window, tile, D), whichever blocks it was built with (docs/model.md §5).
import type { GainCellArrayPorts, PwmDriverPorts, WriteDriverPorts } from "../arch/blocks.js";

/** Blocks of one head, by kind. */
export interface BlockCounts {
  /** K and V arrays. */
  arrays: number;
  /** Gain cells over all arrays. */
  cells: number;
  cpcs: number;
  signedCpcs: number;
  pwmDrivers: number;
  /** K and V write DACs: two per row of each write driver. */
  dacs: number;
  /** Digital controllers (one token sequencer each). */
  controllers: number;
}

/** What countBlocks reads of a head; an AttentionHead is one. */
export interface HeadBlocks {
  writeDriver: WriteDriverPorts;
  pwm: readonly PwmDriverPorts[];
  subTiles: readonly {
    kArray: GainCellArrayPorts;
    vArray: GainCellArrayPorts;
    cpcs: readonly unknown[];
    signedCpcs: readonly unknown[];
  }[];
}

/** Counts the blocks of one head by kind, from its ports: an array holds widths × charges cells. */
export function countBlocks(head: HeadBlocks): BlockCounts {
  const n: BlockCounts = { arrays: 0, cells: 0, cpcs: 0, signedCpcs: 0, pwmDrivers: head.pwm.length, dacs: 2 * head.writeDriver.blk.length, controllers: 1 };
  for (const sub of head.subTiles) {
    for (const array of [sub.kArray, sub.vArray]) {
      n.arrays++;
      n.cells += array.widths.length * array.charges.length;
    }
    n.cpcs += sub.cpcs.length;
    n.signedCpcs += sub.signedCpcs.length;
  }
  return n;
}
