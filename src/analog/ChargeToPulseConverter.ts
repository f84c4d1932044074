// ChargeToPulseConverter: the row of charge-to-pulse converters of one sub-tile, one per K column,
// stage 1's hard sigmoid charge → pulse (docs/model.md §1 stage 1; §2: 1,024 CPCs per head; §3 PHASE 2;
// §7 CPC offsets).
import { checkFields } from "../fieldChecks.js";
import { Module } from "../engine/Module.js";
import { type Timer } from "../engine/Process.js";
import type { RealBus, VecBus } from "../engine/Bus.js";
import type { Bit, Real } from "../engine/Signal.js";
import { ElaborationError, SignalValueError } from "../errors.js";
import { cpcFraction } from "../laws/nonideal.js";
import { CPC_CHECKS, CPC_DEFAULTS, type CpcParams, fcPerSpecCharge } from "./params.js";

/** The ports of one column's CPC: a scope of its own in the trace (`sub[b].cpc[j]`), driven by its row. */
export class CpcColumn extends Module {
  /** Integrated column charge from the K array, fC (docs/model.md §1: S_j × T_max in ns). */
  readonly charge = this.real("charge", "fC", "in");
  /** PHASE 2 strobe (docs/model.md §3: 15 cycles = T_max), one net for the whole row. */
  readonly phase2 = this.bit("phase2", "in");
  /** The φ pulse, high for `width` (rounded to whole ps: the engine's time step). */
  readonly pulse = this.bit("pulse", "out");
  /** Pulse width φ, ps: analog, not rounded to the control clock nor to whole ps. */
  readonly width = this.real("width", "ps", "out");
  /** High when S − S_off ≥ S_sat: the pulse is full scale. */
  readonly saturated = this.bit("saturated", "out");
  /** A realised chip's comparator offset S_off as a charge, fC (S_off × T_max in ns), constant; absent on the ideal chip. */
  readonly offset: Real | null;

  constructor(parent: Module, name: string, offsetFc?: number) {
    super(parent, name);
    this.offset = offsetFc === undefined ? null : this.real("offset", "fC", "internal", offsetFc);
  }
}

/**
 * At the rising edge of `phase2` turns each column's charge into a pulse of width
 * φ = clamp((S − S_off)/S_sat, 0, 1)·T_max (S = charge/T_max, µA × pulse/T_max; S_off = 0 but on a
 * realised chip, docs/model.md §7) into the V array's column.
 * The pulses rise in the next delta and fall round(φ) ps later, columns falling at one time in
 * column order; a new phase edge cuts pulses still high. `width` and `saturated` hold until the
 * next phase2 (no reset at PRECHARGE 2: the V array reads the width only during PHASE 2).
 * The columns' port scopes sit beside the row, named `<row>[j]`, where the trace shows them.
 */
export class ChargeToPulseConverter extends Module {
  readonly columns: CpcColumn[] = [];
  readonly params: CpcParams;
  private readonly tMaxNs: number;
  private readonly pulseTimer: Timer;
  private readonly pulses: Bit[];
  private readonly widthPs: Float64Array;
  // The charges read and the widths driven, one call each, the saturation flags by column (engine buses); the charges, fC.
  private readonly chargeBus: RealBus;
  private readonly widthBus: RealBus;
  private readonly saturatedBus: VecBus;
  private readonly chargeFc: Float64Array;
  // Pulses still high, by fall time then column: their columns and fall times; the next to fall.
  private readonly fallCol: Int32Array;
  private readonly fallAtPs: Float64Array;
  // Ordering scratch: the rising columns and their edges in column order; bucket starts. A pulse
  // lasts at most round(T_max) ps, which the buckets split evenly.
  private readonly riseCol: Int32Array;
  private readonly riseEdgePs: Float64Array;
  private readonly bucketStart: Int32Array;
  private readonly edgeSpanPs: number;
  private readonly offsets: Float64Array;
  private nFalls = 0;
  private nextFall = 0;
  // The pulse timer's pending wake-up raises the pulses (after a phase edge) or lowers the next ones.
  private rising = false;

  /**
   * `columns` CPCs (the sub-tile's slots), sharing one PHASE 2 strobe; `offsets` are a realised
   * chip's S_off per column, in the units of S (docs/model.md §7).
   */
  constructor(parent: Module, name: string, columns: number, params: Partial<CpcParams> = {}, offsets?: Float64Array) {
    super(parent, name);
    const p = (this.params = checkFields(params, CPC_CHECKS, CPC_DEFAULTS, this.path));
    if (!Number.isInteger(columns) || columns < 1) throw new ElaborationError(`${this.path}: ${columns} columns; a row has a whole number ≥ 1`);
    if (offsets !== undefined && offsets.length !== columns) throw new ElaborationError(`${this.path}: ${offsets.length} offsets for ${columns} columns`);
    this.offsets = offsets ?? new Float64Array(columns);
    for (let j = 0; j < columns; j++) {
      const column = new CpcColumn(parent, `${name}[${j}]`, offsets === undefined ? undefined : offsets[j] * fcPerSpecCharge(p.tMaxPs));
      if (j > 0) this.connect(column.phase2, this.columns[0].phase2);
      this.columns.push(column);
    }
    this.tMaxNs = fcPerSpecCharge(p.tMaxPs);
    this.pulses = this.columns.map((c) => c.pulse);
    this.widthPs = new Float64Array(columns);
    this.chargeBus = this.busOf(this.columns.map((c) => c.charge));
    this.widthBus = this.busOf(this.columns.map((c) => c.width));
    this.saturatedBus = this.busOf(this.columns.map((c) => c.saturated));
    this.chargeFc = new Float64Array(columns);
    this.fallCol = new Int32Array(columns);
    this.fallAtPs = new Float64Array(columns);
    this.riseCol = new Int32Array(columns);
    this.riseEdgePs = new Float64Array(columns);
    this.bucketStart = new Int32Array(columns + 1);
    this.edgeSpanPs = Math.round(p.tMaxPs) + 1;
    const outs = this.columns.flatMap((c) => [c.width, c.saturated]);
    // it reads the charges only (the columns' ports are modules of their own, api.ts): the pulses are
    // for the trace, and their timer sleeps when nobody traces them
    this.always(this.columns[0].phase2.posedge, outs, () => this.convert(), { label: "convert", reads: this.chargeBus.signals });
    // One process drives every pulse for both its edges (a net has one driver): the phase edge
    // wakes it in the next delta to rise, its own timer at each fall time.
    this.pulseTimer = this.timer("pulse", this.pulses, () => this.toggle());
  }

  /**
   * docs/model.md §1, §7: φ_j/T_max = clamp((S_j − S_off)/S_sat, 0, 1) by cpcFraction, the functional
   * model's law, with S recovered as charge/T_max_ns; S·T_ns/T_ns may differ from S in the last bit,
   * so φ agrees with the functional model to float precision. The width stays exact (the V array
   * integrates width/T_max); only the pulse's falling edge is rounded to a ps.
   */
  private convert(): void {
    const { columns, widthPs, tMaxNs, offsets, chargeFc } = this;
    const { sSat, tMaxPs } = this.params;
    this.chargeBus.read(chargeFc);
    for (let j = 0; j < columns.length; j++) {
      const s = chargeFc[j] / tMaxNs;
      const f = this.transfer(s, offsets[j]);
      if (!(f >= 0 && f <= 1)) throw new SignalValueError(`${columns[j].width.path}: the transfer gave φ/T_max = ${f} for S = ${s}; it must be in [0, 1]`);
      widthPs[j] = f * tMaxPs;
      this.saturatedBus.set(j, s - offsets[j] >= sSat ? 1 : 0);
    }
    this.widthBus.write(widthPs);
    this.rising = true;
    this.pulseTimer.after(0);
  }

  /**
   * The transfer φ/T_max of column charge S (µA × pulse/T_max) with comparator offset `offset`:
   * the hard sigmoid clamp((S − S_off)/S_sat, 0, 1) (docs/model.md §1). A converter with another
   * transfer overrides it (docs/library.md); it must return a number in [0, 1].
   */
  protected transfer(s: number, offset: number): number {
    return cpcFraction(s, offset, this.params.sSat);
  }

  // Rise in the delta after the phase edge, fall round(width) ps later; a width under half a ps
  // has no visible edge at 1 ps resolution (its width still counts). The timer is armed for the
  // next fall only.
  private toggle(): void {
    const now = this.nowPs;
    const { pulses, fallCol, fallAtPs } = this;
    if (this.rising) {
      this.rising = false;
      const { riseCol, riseEdgePs } = this;
      let n = 0;
      for (let j = 0; j < pulses.length; j++) {
        const edgePs = Math.round(this.widthPs[j]);
        pulses[j].set(edgePs === 0 ? 0 : 1);
        if (edgePs === 0) continue;
        riseCol[n] = j;
        riseEdgePs[n++] = edgePs;
      }
      this.orderFalls(n, now);
    } else {
      while (this.nextFall < this.nFalls && fallAtPs[this.nextFall] === now) pulses[fallCol[this.nextFall++]].set(0);
    }
    if (this.nextFall < this.nFalls) this.pulseTimer.after(fallAtPs[this.nextFall] - now);
  }

  // Sorts the n rising columns by fall time, equal times in column order: a stable bucket pass
  // (about one column per bucket), then an insertion pass within the buckets.
  private orderFalls(n: number, now: number): void {
    const { riseCol, riseEdgePs, fallCol, fallAtPs, bucketStart } = this;
    const buckets = bucketStart.length - 1;
    const perPs = buckets / this.edgeSpanPs;
    bucketStart.fill(0);
    for (let k = 0; k < n; k++) bucketStart[Math.min(buckets - 1, Math.floor(riseEdgePs[k] * perPs)) + 1]++;
    for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b];
    for (let k = 0; k < n; k++) {
      const at = bucketStart[Math.min(buckets - 1, Math.floor(riseEdgePs[k] * perPs))]++;
      fallAtPs[at] = now + riseEdgePs[k];
      fallCol[at] = riseCol[k];
    }
    for (let k = 1; k < n; k++) {
      const t = fallAtPs[k];
      const j = fallCol[k];
      let i = k;
      while (i > 0 && fallAtPs[i - 1] > t) {
        fallAtPs[i] = fallAtPs[i - 1];
        fallCol[i] = fallCol[i - 1];
        i--;
      }
      fallAtPs[i] = t;
      fallCol[i] = j;
    }
    this.nFalls = n;
    this.nextFall = 0;
  }
}
