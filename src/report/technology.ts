// The technology description the ledger prices events and blocks with (docs/model.md §4): energy per event
// and area per block, calibrated so the spec's default head gives the paper's figures; loadable
// from JSON and validated with errors that name the field.
import { cyclesPerToken, DEFAULT_ACCELERATOR } from "../arch/config.js";
import { readJsonFile } from "../jsonFile.js";
import { checkFields, finiteNumber, type Check } from "../fieldChecks.js";

/** Energy per event (pJ) and area per block (µm²). */
export interface Technology {
  /** What this description is and where its numbers come from. */
  readonly description: string;
  /** Stage 1: one written K column read by the q pulses and converted by its CPC. */
  readonly stage1PjPerColumn: number;
  /** Stage 2: one written V column driven by its φ pulse, integrated by the signed CPCs. */
  readonly stage2PjPerColumn: number;
  /** K/V write: one cell written (DAC, bit-line driver, write word line). */
  readonly writePjPerCell: number;
  /** Digital control and routing: one control-clock cycle of a token. */
  readonly controlPjPerCycle: number;
  /** One gain cell of a K or V array. */
  readonly cellUm2: number;
  /** One charge-to-pulse converter (one per K column). */
  readonly cpcUm2: number;
  /** One signed CPC with its counter (one per V row of each sub-tile). */
  readonly signedCpcUm2: number;
  /** One q PWM driver (one per K row). */
  readonly pwmDriverUm2: number;
  /** One K or V write DAC with its bit-line driver (two per row). */
  readonly dacUm2: number;
  /** One head's digital controller: sequencer, slot pointer, adder tree and routing. */
  readonly controllerUm2: number;
}

// The default head of docs/model.md §2 (M = 1024, D = 64, 64-wide sub-tiles), in the units the events and
// blocks are counted in; the calibration below divides the paper's per-head figures by these.
const M = DEFAULT_ACCELERATOR.windowM;
const D = DEFAULT_ACCELERATOR.D;
const SUB_TILES = Math.ceil(M / DEFAULT_ACCELERATOR.tile);
const CYCLES = cyclesPerToken(DEFAULT_ACCELERATOR); // docs/model.md §3: 65 cycles = 65 ns at 1 GHz
const CELLS_WRITTEN = 2 * D; // docs/model.md §4: a K and a V column of D cells per token
const CELLS = 2 * M * D; // docs/model.md §2: 32 arrays of 64 × 64 = 131,072 cells per head

// docs/model.md §4, per head per token with the defaults: 1,120 / 700 / 330 / 4,000 pJ (6.15 nJ in all).
const STAGE1_PJ = 1120;
const STAGE2_PJ = 700;
const WRITE_PJ = 330;
const CONTROL_PJ = 4000;

// docs/model.md §4: 0.5 mm² per head including digital control. The paper's basis for area is not stated
// in full; the K/V crossbars alone are 15.7e-3 mm² per GPT-2 head, so a cell is that over 131,072.
const HEAD_UM2 = 0.5e6;
const CROSSBARS_UM2 = 15.7e-3 * 1e6;
// (ours) How the rest of the head (periphery and control, 0.4843 mm²) splits: the paper gives no
// breakdown. We give the two converter banks most of it (1,024 CPCs and 1,024 signed CPCs with
// counters), the controller a fifth, and the small drivers the remainder. Change it in a JSON file.
const PERIPHERY_SHARE = { cpc: 0.35, signedCpc: 0.35, pwmDriver: 0.05, dac: 0.05, controller: 0.2 };
const PERIPHERY_UM2 = HEAD_UM2 - CROSSBARS_UM2;

/** The defaults: docs/model.md §4's per-head figures divided by the default head's events and blocks. */
export const DEFAULT_TECHNOLOGY: Technology = Object.freeze({
  description: "defaults calibrated to docs/model.md §4: 1,120 + 700 + 330 + 4,000 pJ and 0.5 mm² per head (M 1024, D 64)",
  stage1PjPerColumn: STAGE1_PJ / M, // 1,120 pJ over the 1,024 columns of a full window
  stage2PjPerColumn: STAGE2_PJ / M, // 700 pJ over the 1,024 columns driven
  writePjPerCell: WRITE_PJ / CELLS_WRITTEN, // 330 pJ over 2 × 64 cells
  controlPjPerCycle: CONTROL_PJ / CYCLES, // 4,000 pJ over 65 control cycles
  cellUm2: CROSSBARS_UM2 / CELLS,
  cpcUm2: (PERIPHERY_SHARE.cpc * PERIPHERY_UM2) / M, // one CPC per slot
  signedCpcUm2: (PERIPHERY_SHARE.signedCpc * PERIPHERY_UM2) / (SUB_TILES * D), // 64 × 16
  pwmDriverUm2: (PERIPHERY_SHARE.pwmDriver * PERIPHERY_UM2) / D, // one per K row
  dacUm2: (PERIPHERY_SHARE.dac * PERIPHERY_UM2) / (2 * D), // a K and a V DAC per row
  controllerUm2: PERIPHERY_SHARE.controller * PERIPHERY_UM2, // one per head
});

const energy: Check = finiteNumber(0, false, "pJ per event");
const area: Check = finiteNumber(0, false, "µm² per block");

const TECHNOLOGY_CHECKS: { readonly [K in keyof Technology]: Check } = {
  description: (v) => (typeof v === "string" ? undefined : `${JSON.stringify(v)} is not a string`),
  stage1PjPerColumn: energy,
  stage2PjPerColumn: energy,
  writePjPerCell: energy,
  controlPjPerCycle: energy,
  cellUm2: area,
  cpcUm2: area,
  signedCpcUm2: area,
  pwmDriverUm2: area,
  dacUm2: area,
  controllerUm2: area,
};

/** Fills `partial` from the defaults and checks every field; errors name the field as `tech.<field>`. */
export function validateTechnology(partial: unknown = {}, source?: string): Technology {
  const tech = checkFields(partial, TECHNOLOGY_CHECKS, DEFAULT_TECHNOLOGY, "tech", source);
  const given = partial as Partial<Technology>;
  const known = Object.keys(TECHNOLOGY_CHECKS) as (keyof Technology)[];
  // a file that changes a number but keeps the default description would claim the spec's calibration
  if (given.description === undefined && known.some((k) => k !== "description" && given[k] !== undefined)) {
    return Object.freeze({ ...tech, description: `from ${source ?? "the caller"} (fields not given take the docs/model.md §4 calibration)` });
  }
  return tech;
}

/** Reads and validates a technology JSON file; errors name the file or the field. */
export function loadTechnology(file: string): Technology {
  return validateTechnology(readJsonFile(file), file);
}
