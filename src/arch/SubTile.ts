// SubTile: one sub-tile b of a head (docs/model.md §2): a K array whose columns feed one CPC each, a V array
// driven by those CPCs' pulses, and one signed CPC per V row. Wiring only.
import { ChargeToPulseConverter } from "../analog/ChargeToPulseConverter.js";
import { CpcBank } from "../analog/CpcBank.js";
import { GainCellArray } from "../analog/GainCellArray.js";
import { SignedChargeToPulseConverter } from "../analog/SignedChargeToPulseConverter.js";
import { SignedCpcBank } from "../analog/SignedCpcBank.js";
import type { AcceleratorConfig } from "./config.js";
import { Module } from "../engine/Module.js";

/** The arrays and converters of `slots` slots (columns) of one head. */
export class SubTile extends Module {
  readonly kArray: GainCellArray;
  readonly vArray: GainCellArray;
  /** One charge-to-pulse converter per K column. */
  readonly cpcs: ChargeToPulseConverter[] = [];
  /** Wakes the CPCs together: they share the PHASE 2 strobe. */
  readonly cpcBank: CpcBank;
  /** One signed CPC + counter per V row. */
  readonly signedCpcs: SignedChargeToPulseConverter[] = [];
  /** Wakes the signed CPCs together: they share the convert strobe and the counter clock. */
  readonly signedCpcBank: SignedCpcBank;

  constructor(parent: Module, name: string, index: number, slots: number, c: AcceleratorConfig) {
    super(parent, name);
    const arrayParams = { rows: c.D, cols: slots, subTile: index, lambdaPerToken: c.lambdaPerToken, nonlinearity: c.nonlinearity, tMaxPs: c.tMaxPs };
    this.kArray = new GainCellArray(this, "karray", { ...arrayParams, orientation: "K" });
    this.vArray = new GainCellArray(this, "varray", { ...arrayParams, orientation: "V" });
    for (let j = 0; j < slots; j++) {
      const cpc = new ChargeToPulseConverter(this, `cpc[${j}]`, { sSat: c.sSat, tMaxPs: c.tMaxPs }, "bank");
      this.connect(cpc.charge, this.kArray.charges[j]);
      this.connect(this.vArray.widths[j], cpc.width);
      this.cpcs.push(cpc);
    }
    this.cpcBank = new CpcBank(this, "cpcBank", this.cpcs);
    for (let d = 0; d < c.D; d++) {
      const scpc = new SignedChargeToPulseConverter(this, `scpc[${d}]`, {
        sSat: c.sSat,
        tMaxPs: c.tMaxPs,
        levelsOut: c.levelsOut,
        clockPeriodPs: c.clockPeriodPs,
      }, "bank");
      this.connect(scpc.charge, this.vArray.charges[d]);
      this.signedCpcs.push(scpc);
    }
    this.signedCpcBank = new SignedCpcBank(this, "scpcBank", this.signedCpcs);
  }
}
