// ChargeToPulseConverter: the CPC of one K column, stage 1's hard sigmoid charge → pulse (docs/model.md §1 stage 1; §3 PHASE 2).
import { checkFields } from "../fieldChecks.js";
import { Module, type Timer } from "../engine/Module.js";
import { CPC_CHECKS, CPC_DEFAULTS, type CpcParams, fcPerSpecCharge, type ConverterDrive } from "./params.js";

/**
 * At the rising edge of `phase2` turns the column's charge into a pulse of width
 * φ = clamp(S/S_sat, 0, 1)·T_max (S = charge/T_max, µA × pulse/T_max) into the V array's column.
 * `width` and `saturated` hold until the next phase2 (no reset at PRECHARGE 1: the V array reads
 * the width only during PHASE 2, and a held register costs no wake-up at all).
 */
export class ChargeToPulseConverter extends Module {
  /** Integrated column charge from the K array, fC (docs/model.md §1: S_j × T_max in ns). */
  readonly charge = this.real("charge", "fC", "in");
  /** PHASE 2 strobe (docs/model.md §3: 15 cycles = T_max). */
  readonly phase2 = this.bit("phase2", "in");
  /** The φ pulse, high for `width` (rounded to whole ps: the engine's time step). */
  readonly pulse = this.bit("pulse", "out");
  /** Pulse width φ, ps: analog, not rounded to the control clock nor to whole ps. */
  readonly width = this.real("width", "ps", "out");
  /** High when S ≥ S_sat: the pulse is full scale. */
  readonly saturated = this.bit("saturated", "out");

  readonly params: CpcParams;
  private readonly tMaxNs: number;
  private readonly pulseTimer: Timer | null = null;
  private starting = false;
  private widthPs = 0;

  /** `drive` "bank": the CPC declares no process; the CpcBank of its sub-tile converts it and drives its pulse. */
  constructor(parent: Module | null, name: string, params: Partial<CpcParams> = {}, readonly drive: ConverterDrive = "own") {
    super(parent, name);
    const p = (this.params = checkFields(params, CPC_CHECKS, CPC_DEFAULTS, this.path));
    this.tMaxNs = fcPerSpecCharge(p.tMaxPs);
    if (drive === "bank") return;
    this.always(this.phase2.posedge, [this.width, this.saturated], () => {
      this.widthPs = this.convert();
      this.starting = true;
      this.pulseTimer!.after(0);
    });
    // One process drives `pulse` for both its edges (a net has one driver): the phase edge wakes
    // it in the next delta of the same time step to rise, its own timer wakes it to fall.
    this.pulseTimer = this.timer("pulse", [this.pulse], () => this.toggle());
  }

  /**
   * docs/model.md §1: φ_j/T_max = clamp(S_j/S_sat, 0, 1). S is recovered as charge/T_max_ns and divided by
   * S_sat in that order, the functional model's score/sSat; S·T_ns/T_ns may differ from S in the
   * last bit, so φ agrees with the functional model to float precision. The width stays exact
   * (the V array integrates width/T_max); only the pulse's falling edge is rounded to a ps.
   * Drives `width` and `saturated` and returns the width, ps; the pulse rises in the next delta.
   */
  convert(): number {
    const s = this.charge.get() / this.tMaxNs;
    let fraction = s / this.params.sSat;
    fraction = fraction > 0 ? (fraction < 1 ? fraction : 1) : 0;
    const widthPs = fraction * this.params.tMaxPs;
    this.width.set(widthPs);
    this.saturated.set(s >= this.params.sSat ? 1 : 0);
    return widthPs;
  }

  private toggle(): void {
    if (!this.starting) {
      this.pulse.set(0);
      return;
    }
    this.starting = false;
    const edgePs = Math.round(this.widthPs);
    // a pulse shorter than half a ps has no visible edge at 1 ps resolution; its width still counts
    this.pulse.set(edgePs === 0 ? 0 : 1);
    if (edgePs > 0) this.pulseTimer!.after(edgePs);
  }
}
