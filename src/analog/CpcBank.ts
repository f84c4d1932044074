// CpcBank: the charge-to-pulse converters of one sub-tile's K columns, woken together (docs/model.md §1 stage 1; §2: 1,024 CPCs per head; §3 PHASE 2).
import { Module, type Timer } from "../engine/Module.js";
import type { Bit } from "../engine/Signal.js";
import { ElaborationError } from "../errors.js";
import type { ChargeToPulseConverter } from "./ChargeToPulseConverter.js";

/**
 * The CPCs of a sub-tile share the PHASE 2 strobe. One process converts every column at the
 * phase edge and one timer raises every pulse in the next delta, then lowers them at their
 * fall times, the columns falling at one time in column order, instead of three wake-ups per
 * column and token (about 3,000 per head). Each CPC keeps its signals and its hard sigmoid
 * (ChargeToPulseConverter with drive "bank"); every signal changes at the same time and in the
 * same delta as when the CPCs wake on their own, column by column in the same order.
 */
export class CpcBank extends Module {
  private readonly pulseTimer: Timer;
  private readonly pulses: Bit[];
  private readonly widthPs: Float64Array;
  // Pulses still high, by fall time then column: their columns and fall times; the next to fall.
  private readonly fallCol: Int32Array;
  private readonly fallAtPs: Float64Array;
  // Ordering scratch: the rising columns and their edges in column order; bucket starts. A pulse
  // lasts at most round(T_max) ps, which the buckets split evenly.
  private readonly riseCol: Int32Array;
  private readonly riseEdgePs: Float64Array;
  private readonly bucketStart: Int32Array;
  private readonly edgeSpanPs: number;
  private nFalls = 0;
  private nextFall = 0;
  private starting = false;

  /** Joins the columns' phase2 inputs into one strobe; every CPC must have drive "bank". */
  constructor(parent: Module, name: string, readonly columns: readonly ChargeToPulseConverter[]) {
    super(parent, name);
    if (columns.length === 0) throw new ElaborationError(`${this.path}: a bank needs at least one CPC`);
    const first = columns[0];
    for (const cpc of columns) {
      if (cpc.drive !== "bank") throw new ElaborationError(`${cpc.path}: has its own processes (drive "own"); a bank drives CPCs made with drive "bank"`);
      this.connect(cpc.phase2, first.phase2);
    }
    const n = columns.length;
    this.pulses = columns.map((c) => c.pulse);
    this.widthPs = new Float64Array(n);
    this.fallCol = new Int32Array(n);
    this.fallAtPs = new Float64Array(n);
    this.riseCol = new Int32Array(n);
    this.riseEdgePs = new Float64Array(n);
    this.bucketStart = new Int32Array(n + 1);
    this.edgeSpanPs = Math.max(...columns.map((c) => Math.round(c.params.tMaxPs))) + 1;
    this.always(first.phase2.posedge, columns.flatMap((c) => [c.width, c.saturated]), () => this.convert(), "convert");
    this.pulseTimer = this.timer("pulse", this.pulses, () => this.toggle());
  }

  private convert(): void {
    const columns = this.columns;
    for (let j = 0; j < columns.length; j++) this.widthPs[j] = columns[j].convert();
    this.starting = true;
    this.pulseTimer.after(0);
  }

  // As each CPC's own pulse process (ChargeToPulseConverter.toggle), for all columns: rise in the
  // delta after the phase edge, fall round(width) ps later; a width under half a ps has no edge.
  private toggle(): void {
    const now = this.nowPs;
    const { pulses, fallCol, fallAtPs } = this;
    if (this.starting) {
      this.starting = false;
      const { riseCol, riseEdgePs } = this;
      let n = 0;
      for (let j = 0; j < pulses.length; j++) {
        const edgePs = Math.round(this.widthPs[j]);
        if (edgePs === 0) {
          pulses[j].set(0);
          continue;
        }
        pulses[j].set(1);
        riseCol[n] = j;
        riseEdgePs[n++] = edgePs;
      }
      this.orderFalls(n, now);
    } else {
      // the timer is armed for the next fall only: a new phase edge replaces it
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
