// SignedChargeToPulseConverter: the signed CPC + counter of one V row, stage 2's digitisation (docs/model.md §1 stage 2; §3 CONVERT).
import { checkFields } from "../fieldChecks.js";
import { Module, type Timer } from "../engine/Module.js";
import type { Vec } from "../engine/Signal.js";
import { gridCode, outGrid, type QuantGrid } from "../laws/quantise.js";
import { countBits, SIGNED_CPC_CHECKS, SIGNED_CPC_DEFAULTS, type SignedCpcParams, fcPerSpecCharge, type ConverterDrive } from "./params.js";

/**
 * At the rising edge of `convert` digitises the row's charge A to the output grid,
 * o = quantise(A/(S_sat/2), −1, 1, levelsOut): `sign` at once, then `count` runs 0, 1, …, |o|,
 * one step per control-clock period while `discharging` is high, and holds until the next convert.
 */
export class SignedChargeToPulseConverter extends Module {
  /** Integrated row charge from the V array, fC (docs/model.md §1: A_{b,d} × T_max in ns). */
  readonly charge = this.real("charge", "fC", "in");
  /** CONVERT strobe (docs/model.md §3: 16 cycles, enough for a magnitude of 16). */
  readonly convert = this.bit("convert", "in");
  /** Sign of the count: 1 = negative. */
  readonly sign = this.bit("sign", "out");
  /** Magnitude count 0..codeMax (16 for 32 levels). */
  readonly count: Vec;
  /** High while the count is still running. */
  readonly discharging = this.bit("discharging", "out");

  readonly params: SignedCpcParams;
  /** Largest magnitude the count reaches (16 for 32 levels). */
  readonly maxMagnitude: number;
  private readonly grid: QuantGrid;
  private readonly halfSat: number;
  private readonly tMaxNs: number;
  private readonly counter: Timer | null = null;
  // What a NaN or ±Inf charge is called in the error, built once rather than per conversion.
  private readonly sampleName: string;
  private starting = false;
  private target = 0;
  private counted = 0;

  /**
   * `drive` "bank": the row declares no process; the SignedCpcBank of its sub-tile samples it and
   * runs its count (together with the other rows, on the same strobe and clock).
   */
  constructor(parent: Module | null, name: string, params: Partial<SignedCpcParams> = {}, readonly drive: ConverterDrive = "own") {
    super(parent, name);
    const p = (this.params = checkFields(params, SIGNED_CPC_CHECKS, SIGNED_CPC_DEFAULTS, this.path));
    this.grid = outGrid(p.levelsOut);
    this.maxMagnitude = this.grid.codeMax;
    this.count = this.vec("count", countBits(p.levelsOut), "out");
    this.halfSat = p.sSat / 2; // docs/model.md §1: 40 = S_sat/2
    this.tMaxNs = fcPerSpecCharge(p.tMaxPs);
    this.sampleName = `${this.charge.path} / (S_sat/2)`;
    if (drive === "bank") return;
    this.always(this.convert.posedge, [this.sign], () => {
      this.target = this.sample();
      this.starting = true;
      this.counter!.after(0);
    });
    // One process drives the counter for its reset and its steps (a net has one driver): the
    // convert edge wakes it in the next delta, then its own timer once per clock period. It does
    // not listen to the clock: a head's 1,024 counters would otherwise wake on every edge.
    this.counter = this.timer("counter", [this.count, this.discharging], () => this.step());
  }

  /**
   * docs/model.md §1: o = quantise(A/(S_sat/2), −1, 1, levelsOut) with A = charge/T_max_ns, through the
   * quantiser the functional model uses (gridCode of charge/halfSat), so equal A gives equal
   * codes. Drives `sign` and returns |o|, the count to run to.
   */
  sample(): number {
    const a = this.charge.get() / this.tMaxNs;
    const code = gridCode(this.grid, a / this.halfSat, this.sampleName);
    this.sign.set(code < 0 ? 1 : 0);
    return code < 0 ? -code : code;
  }

  // docs/model.md §3 CONVERT: the signed CPC discharges against the counter clock; convert rises on a
  // clock edge, so steps every period from it land on the following clock edges.
  private step(): void {
    const period = this.params.clockPeriodPs;
    if (this.starting) {
      this.starting = false;
      this.counted = 0;
      this.count.set(0);
    } else this.count.set(++this.counted);
    const counting = this.counted !== this.target;
    this.discharging.set(counting ? 1 : 0);
    if (counting) this.counter!.after(period);
  }
}
