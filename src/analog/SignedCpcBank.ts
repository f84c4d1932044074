// SignedCpcBank: the signed CPCs + counters of one sub-tile's V rows, woken together (docs/model.md §2: 64 × 16 signed CPCs with counters per head; §3 CONVERT).
import { Module, type Timer } from "../engine/Module.js";
import type { Bit, Vec } from "../engine/Signal.js";
import { ElaborationError } from "../errors.js";
import type { SignedChargeToPulseConverter } from "./SignedChargeToPulseConverter.js";

/**
 * The rows of a sub-tile share the CONVERT strobe and the counter clock, so their counters step
 * at the same instants. One process samples every row at the convert edge and one timer steps
 * every running counter once per period, like a Verilog always block over a generate loop,
 * instead of a wake-up per row per step (about 3,000 per head and token). Each row keeps its
 * signals and its quantiser (SignedChargeToPulseConverter with drive "bank"); the bank runs the
 * counts as each row's own counter would, so every signal changes at the same time and in the
 * same delta, row by row in the same order.
 */
export class SignedCpcBank extends Module {
  private readonly counter: Timer;
  private readonly periodPs: number;
  private readonly counts: Vec[];
  private readonly discharging: Bit[];
  // |o| of each row; rows still counting, in row order; the count every running row is at.
  private readonly target: Int32Array;
  private readonly running: Int32Array;
  private nRunning = 0;
  private counted = 0;
  private starting = false;

  /** Joins the rows' convert inputs into one strobe; every row must have drive "bank" and one clock period. */
  constructor(parent: Module, name: string, readonly rows: readonly SignedChargeToPulseConverter[]) {
    super(parent, name);
    if (rows.length === 0) throw new ElaborationError(`${this.path}: a bank needs at least one signed CPC`);
    const first = rows[0];
    this.periodPs = first.params.clockPeriodPs;
    for (const row of rows) {
      if (row.drive !== "bank") throw new ElaborationError(`${row.path}: has its own processes (drive "own"); a bank drives rows made with drive "bank"`);
      if (row.params.clockPeriodPs !== this.periodPs) {
        throw new ElaborationError(`${row.path}: clock period ${row.params.clockPeriodPs} ps differs from ${first.path}'s ${this.periodPs} ps; a bank steps on one clock`);
      }
      this.connect(row.convert, first.convert);
    }
    this.counts = rows.map((r) => r.count);
    this.discharging = rows.map((r) => r.discharging);
    this.target = new Int32Array(rows.length);
    this.running = new Int32Array(rows.length);
    this.always(first.convert.posedge, rows.map((r) => r.sign), () => this.sample(), "sample");
    this.counter = this.timer("counter", rows.flatMap((r) => [r.count, r.discharging]), () => this.step());
  }

  private sample(): void {
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) this.target[i] = rows[i].sample();
    this.starting = true;
    this.counter.after(0);
  }

  // docs/model.md §3 CONVERT: each row's counter resets in the delta after the convert edge, then steps
  // once per period until it reaches |o| (see SignedChargeToPulseConverter.step).
  private step(): void {
    const { counts, discharging, target, running } = this;
    let n = 0;
    if (this.starting) {
      this.starting = false;
      this.counted = 0;
      for (let i = 0; i < target.length; i++) {
        counts[i].set(0);
        const counting = target[i] !== 0;
        discharging[i].set(counting ? 1 : 0);
        if (counting) running[n++] = i;
      }
    } else {
      const k = ++this.counted;
      for (let r = 0; r < this.nRunning; r++) {
        const i = running[r];
        counts[i].set(k);
        if (k === target[i]) discharging[i].set(0);
        else running[n++] = i;
      }
    }
    this.nRunning = n;
    // the counter is armed for the next step only: a new convert edge replaces it
    if (n > 0) this.counter.after(this.periodPs);
  }
}
