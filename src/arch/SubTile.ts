// SubTile: one sub-tile b of a head (docs/model.md §2): a K array whose columns feed a row of CPCs, a
// V array driven by those CPCs' pulses, and a row of signed CPCs, one per V row. Wiring only.
import { DEFAULT_BLOCKS, type BlockFactories, type CpcPorts, type CpcRowPorts, type GainCellArrayPorts, type SignedCpcPorts, type SignedCpcRowPorts } from "./blocks.js";
import type { SubTilePart } from "./chip.js";
import type { AcceleratorConfig } from "./config.js";
import { Module } from "../engine/Module.js";

/** The arrays and converters of `slots` slots (columns) of one head. */
export class SubTile extends Module {
  readonly kArray: GainCellArrayPorts;
  readonly vArray: GainCellArrayPorts;
  /** The charge-to-pulse converters, one per K column, on the PHASE 2 strobe. */
  readonly cpcRow: CpcRowPorts;
  /** The ports of each column's CPC (`cpc[j]`). */
  readonly cpcs: readonly CpcPorts[];
  /** The signed CPCs + counters, one per V row, on the convert strobe and the counter clock. */
  readonly signedCpcRow: SignedCpcRowPorts;
  /** The ports of each row's signed CPC (`scpc[d]`). */
  readonly signedCpcs: readonly SignedCpcPorts[];

  /**
   * `chip` is this sub-tile's part of a realised chip (docs/model.md §7); the ideal chip's without.
   * `blocks` makes its arrays and converters (blocks.ts); the project's by default.
   */
  constructor(parent: Module, name: string, index: number, slots: number, c: AcceleratorConfig, chip?: SubTilePart, blocks: BlockFactories = DEFAULT_BLOCKS) {
    super(parent, name);
    const arrayParams = { rows: c.D, cols: slots, subTile: index, lambdaPerToken: c.lambdaPerToken, nonlinearity: c.nonlinearity, tMaxPs: c.tMaxPs };
    this.kArray = blocks.gainCellArray(this, "karray", { ...arrayParams, orientation: "K" }, chip?.k);
    this.vArray = blocks.gainCellArray(this, "varray", { ...arrayParams, orientation: "V" }, chip?.v);
    this.cpcRow = blocks.cpcRow(this, "cpc", slots, { sSat: c.sSat, tMaxPs: c.tMaxPs }, chip?.cpcOffsets);
    this.cpcs = this.cpcRow.columns;
    this.cpcs.forEach((cpc, j) => {
      this.connect(cpc.charge, this.kArray.charges[j]);
      this.connect(this.vArray.widths[j], cpc.width);
    });
    this.signedCpcRow = blocks.signedCpcRow(this, "scpc", c.D, {
      sSat: c.sSat,
      tMaxPs: c.tMaxPs,
      levelsOut: c.levelsOut,
      clockPeriodPs: c.clockPeriodPs,
    }, chip?.scpcOffsets);
    this.signedCpcs = this.signedCpcRow.columns;
    this.signedCpcs.forEach((scpc, d) => this.connect(scpc.charge, this.vArray.charges[d]));
  }
}
