// SignedChargeToPulseConverter: the row of signed CPCs + counters of one sub-tile, one per V row,
// stage 2's digitisation (docs/model.md §1 stage 2; §2: 64 × 16 signed CPCs per head; §3 CONVERT; §7 offsets).
import { checkFields } from "../fieldChecks.js";
import { Module } from "../engine/Module.js";
import { type Timer } from "../engine/Process.js";
import type { RealBus, VecBus } from "../engine/Bus.js";
import type { Bit, Real, Vec } from "../engine/Signal.js";
import { ElaborationError } from "../errors.js";
import { signedCpcInput } from "../laws/nonideal.js";
import { gridCode, outGrid, type QuantGrid } from "../laws/quantise.js";
import { countBits, SIGNED_CPC_CHECKS, SIGNED_CPC_DEFAULTS, type SignedCpcParams, fcPerSpecCharge } from "./params.js";

/** The ports of one V row's signed CPC and counter: a scope of its own in the trace (`sub[b].scpc[d]`), driven by the row. */
export class SignedCpcColumn extends Module {
  /** Integrated row charge from the V array, fC (docs/model.md §1: A_{b,d} × T_max in ns). */
  readonly charge = this.real("charge", "fC", "in");
  /** CONVERT strobe (docs/model.md §3: 16 cycles, enough for a magnitude of 16), one net for the whole row. */
  readonly convert = this.bit("convert", "in");
  /** Sign of the count: 1 = negative. */
  readonly sign = this.bit("sign", "out");
  /** High while the count is still running. */
  readonly discharging = this.bit("discharging", "out");
  /** Magnitude count 0..codeMax (16 for 32 levels). */
  readonly count: Vec;
  /** A realised chip's offset A_off as a charge, fC (A_off × T_max in ns), constant; absent on the ideal chip. */
  readonly offset: Real | null;

  constructor(parent: Module, name: string, countWidth: number, offsetFc?: number) {
    super(parent, name);
    this.count = this.vec("count", countWidth, "out");
    this.offset = offsetFc === undefined ? null : this.real("offset", "fC", "internal", offsetFc);
  }
}

/**
 * At the rising edge of `convert` digitises each V row's charge A to the output grid,
 * o = quantise((A − A_off)/(S_sat/2), −1, 1, levelsOut) (A_off = 0 but on a realised chip,
 * docs/model.md §7): `sign` at once, then `count` runs 0, 1, …, |o|,
 * one step per control-clock period while `discharging` is high, and holds until the next convert
 * (which restarts it). The counters of a row step together, on one clock. The rows' port scopes
 * sit beside this module, named `<name>[d]`, where the trace shows them.
 */
export class SignedChargeToPulseConverter extends Module {
  readonly columns: SignedCpcColumn[] = [];
  readonly params: SignedCpcParams;
  /** Largest magnitude the count reaches (16 for 32 levels). */
  readonly maxMagnitude: number;
  private readonly grid: QuantGrid;
  private readonly halfSat: number;
  private readonly tMaxNs: number;
  private readonly counter: Timer;
  // What a NaN or ±Inf charge is called in the error, per column, built once rather than per conversion.
  private readonly sampleNames: string[];
  private readonly offsets: Float64Array;
  // The rows' charges, read in one call, fC; their signs, counts and discharging flags, driven by row (engine buses).
  private readonly chargeBus: RealBus;
  private readonly chargeFc: Float64Array;
  private readonly signBus: VecBus;
  private readonly countBus: VecBus;
  private readonly dischargingBus: VecBus;
  // |o| of each column; columns still counting, in column order; the count every running one is at.
  private readonly target: Int32Array;
  private readonly running: Int32Array;
  private nRunning = 0;
  private counted = 0;
  // The counter's pending wake-up resets the counts (after a convert edge) or steps them.
  private starting = false;

  /**
   * `columns` signed CPCs (the head dimension D), sharing one CONVERT strobe and counter clock;
   * `offsets` are a realised chip's A_off per row, in the units of A (docs/model.md §7).
   */
  constructor(parent: Module, name: string, columns: number, params: Partial<SignedCpcParams> = {}, offsets?: Float64Array) {
    super(parent, name);
    const p = (this.params = checkFields(params, SIGNED_CPC_CHECKS, SIGNED_CPC_DEFAULTS, this.path));
    if (!Number.isInteger(columns) || columns < 1) throw new ElaborationError(`${this.path}: ${columns} columns; a row has a whole number ≥ 1`);
    if (offsets !== undefined && offsets.length !== columns) throw new ElaborationError(`${this.path}: ${offsets.length} offsets for ${columns} rows`);
    this.offsets = offsets ?? new Float64Array(columns);
    this.grid = outGrid(p.levelsOut);
    this.maxMagnitude = this.grid.codeMax;
    for (let d = 0; d < columns; d++) {
      const column = new SignedCpcColumn(parent, `${name}[${d}]`, countBits(p.levelsOut), offsets === undefined ? undefined : offsets[d] * fcPerSpecCharge(p.tMaxPs));
      if (d > 0) this.connect(column.convert, this.columns[0].convert);
      this.columns.push(column);
    }
    this.halfSat = p.sSat / 2; // docs/model.md §1: 40 = S_sat/2
    this.tMaxNs = fcPerSpecCharge(p.tMaxPs);
    this.sampleNames = this.columns.map((c) => `${c.charge.path} / (S_sat/2)`);
    this.target = new Int32Array(columns);
    this.chargeBus = this.busOf(this.columns.map((c) => c.charge));
    this.chargeFc = new Float64Array(columns);
    this.signBus = this.busOf(this.columns.map((c) => c.sign));
    this.countBus = this.busOf(this.columns.map((c) => c.count));
    this.dischargingBus = this.busOf(this.columns.map((c) => c.discharging));
    this.running = new Int32Array(columns);
    this.always(this.columns[0].convert.posedge, this.columns.map((c) => c.sign), () => this.sample(), { label: "sample", reads: this.chargeBus.signals });
    // One process drives the counters for their reset and their steps (a net has one driver): the
    // convert edge wakes it in the next delta, then its own timer once per clock period. It does
    // not listen to the clock: a head's 1,024 counters would otherwise wake on every edge.
    this.counter = this.timer("counter", this.columns.flatMap((c) => [c.count, c.discharging]), () => this.step());
  }

  /**
   * docs/model.md §1, §7: o = quantise((A − A_off)/(S_sat/2), −1, 1, levelsOut) with A = charge/T_max_ns,
   * through the laws the functional model uses (signedCpcInput, gridCode), so equal A gives equal codes.
   */
  private sample(): void {
    const { target, chargeFc } = this;
    this.chargeBus.read(chargeFc);
    for (let d = 0; d < target.length; d++) {
      const a = chargeFc[d] / this.tMaxNs;
      const code = gridCode(this.grid, signedCpcInput(a, this.offsets[d], this.halfSat), this.sampleNames[d]);
      this.signBus.set(d, code < 0 ? 1 : 0);
      target[d] = code < 0 ? -code : code;
    }
    this.starting = true;
    this.counter.after(0);
  }

  // docs/model.md §3 CONVERT: each signed CPC discharges against the counter clock: its count resets
  // in the delta after the convert edge, then steps once per period until it reaches |o|. Convert
  // rises on a clock edge, so the steps land on the following clock edges.
  private step(): void {
    const { target, running, countBus, dischargingBus } = this;
    let n = 0;
    if (this.starting) {
      this.starting = false;
      this.counted = 0;
      for (let d = 0; d < target.length; d++) {
        countBus.set(d, 0);
        const counting = target[d] !== 0;
        dischargingBus.set(d, counting ? 1 : 0);
        if (counting) running[n++] = d;
      }
    } else {
      const k = ++this.counted;
      for (let r = 0; r < this.nRunning; r++) {
        const d = running[r];
        countBus.set(d, k);
        if (k === target[d]) dischargingBus.set(d, 0);
        else running[n++] = d;
      }
    }
    this.nRunning = n;
    // armed for the next step only: a new convert edge replaces it
    if (n > 0) this.counter.after(this.params.clockPeriodPs);
  }
}
