// SignedCpcBank: the signed CPCs + counters of one sub-tile's V rows, woken together (spec §2: 64 × 16 signed CPCs with counters per head; §3 CONVERT).
import { Module, type Timer } from "../arch/Module.js";
import { ElaborationError } from "../errors.js";
import type { SignedChargeToPulseConverter } from "./SignedChargeToPulseConverter.js";

/**
 * The rows of a sub-tile share the CONVERT strobe and the counter clock, so their counters step
 * at the same instants. One process samples every row at the convert edge and one timer steps
 * every running counter once per period, like a Verilog always block over a generate loop,
 * instead of a wake-up per row per step (about 3,000 per head and token). Each row keeps its
 * signals and arithmetic (SignedChargeToPulseConverter with drive "bank"), and every signal
 * changes at the same time and in the same delta as when the rows wake on their own.
 */
export class SignedCpcBank extends Module {
  private readonly counter: Timer;
  private readonly periodPs: number;
  private starting = false;
  // Time the next count step is due: a wake-up at any other time is a stale one and is ignored.
  private nextStepPs = -1;

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
    this.always(first.convert.posedge, rows.map((r) => r.sign), () => this.sample(), "sample");
    this.counter = this.timer("counter", rows.flatMap((r) => [r.count, r.discharging]), () => this.step());
  }

  private sample(): void {
    const rows = this.rows;
    for (let i = 0; i < rows.length; i++) rows[i].sample();
    this.starting = true;
    this.counter.after(0);
  }

  // spec §3 CONVERT: as each row's own counter (SignedChargeToPulseConverter.step), for all rows.
  private step(): void {
    const rows = this.rows;
    let running = false;
    if (this.starting) {
      this.starting = false;
      for (let i = 0; i < rows.length; i++) if (rows[i].startCount()) running = true;
      this.nextStepPs = running ? this.nowPs + this.periodPs : -1;
    } else {
      if (this.nowPs !== this.nextStepPs) return;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (row.counting && row.stepCount()) running = true;
      }
      this.nextStepPs = running ? this.nextStepPs + this.periodPs : -1;
    }
    if (running) this.counter.after(this.periodPs);
  }
}
