// The blocks a head is built from, counted by class in the elaborated module tree, so the area
// follows the design that was built (window, tile, D), not a formula beside it.
import { ChargeToPulseConverter } from "../analog/ChargeToPulseConverter.js";
import { GainCellArray } from "../analog/GainCellArray.js";
import { PwmDriver } from "../analog/PwmDriver.js";
import { SignedChargeToPulseConverter } from "../analog/SignedChargeToPulseConverter.js";
import { WriteDriver } from "../analog/WriteDriver.js";
import type { Module } from "../engine/Module.js";
import { TokenSequencer } from "../control/TokenSequencer.js";

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

/** Counts the blocks among `modules` (e.g. one head's subtree) by class. */
export function countBlocks(modules: readonly Module[]): BlockCounts {
  const n: BlockCounts = { arrays: 0, cells: 0, cpcs: 0, signedCpcs: 0, pwmDrivers: 0, dacs: 0, controllers: 0 };
  for (const m of modules) {
    if (m instanceof GainCellArray) {
      n.arrays++;
      n.cells += m.params.rows * m.params.cols;
    } else if (m instanceof ChargeToPulseConverter) n.cpcs += m.columns.length;
    else if (m instanceof SignedChargeToPulseConverter) n.signedCpcs += m.columns.length;
    else if (m instanceof PwmDriver) n.pwmDrivers++;
    else if (m instanceof WriteDriver) n.dacs += 2 * m.params.rows; // a K and a V DAC per row
    else if (m instanceof TokenSequencer) n.controllers++;
  }
  return n;
}
