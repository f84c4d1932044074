// GainCellArray: one rows × cols gain-cell tile of a sub-tile, K or V (docs/model.md §1 read current and
// retention; §2 organisation; §3 WRITE, PHASE 1/2; §7 a realised chip's cells and integrator noise).
import { checkFields } from "../fieldChecks.js";
import { Module } from "../engine/Module.js";
import { type EventCounter, type Timer } from "../engine/Process.js";
import type { RealBus } from "../engine/Bus.js";
import type { Bit, Real } from "../engine/Signal.js";
import { SignalValueError } from "../errors.js";
import { addEventNoise, STREAM } from "../laws/draws.js";
import { NOT_STUCK } from "../laws/nonideal.js";
import { ArrayReads } from "./ArrayReads.js";
import { ArraySums } from "./ArraySums.js";
import { ChargeRamp } from "./ChargeRamp.js";
import { GAIN_CELL_ARRAY_CHECKS, GAIN_CELL_ARRAY_DEFAULTS, type GainCellArrayParams, type RealisedArray, fcPerSpecCharge } from "./params.js";
// What the integrator's one pending wake-up is for.
enum Wake {
  Reset,
  Plan,
  Breakpoint,
  Publish,
}

/**
 * A tile of gain cells storing one column per slot. WRITE stores the bit-line voltages into the
 * column the SlotPointer selects; a read integrates the cells' currents into charges (fC):
 * K: charge_j of each column under the q pulses; V: charge_d of each row under the φ pulses.
 */
export class GainCellArray extends Module {
  /** WRITE strobe: the column is stored at its falling edge, when the bit lines have settled. */
  readonly write = this.bit("write", "in");
  /** Index t of the token being processed (stable from the end of LOAD). */
  readonly token = this.vec("token", 32, "in");
  /** Sub-tile being written: slot div tile. */
  readonly subTile = this.vec("subTile", 16, "in");
  /** Column being written: slot mod tile. */
  readonly column = this.vec("column", 16, "in");
  /** Integrator reset strobe: precharge1 (K) or precharge2 (V). */
  readonly precharge: Bit;
  /** Read phase strobe: phase1 (K) or phase2 (V); charges are published T_max after it rises. */
  readonly phase: Bit;
  /** Write bit lines, V, one per row: blk_<d> (K) or blv_<d> (V). */
  readonly bitLines: Real[] = [];
  /** Input pulse widths, ps: rwl_width_<d> per row (K) or phi_width_<j> per column (V). */
  readonly widths: Real[] = [];
  /** Integrated charges, fC: charge_<j> per column (K) or charge_<d> per row (V). */
  readonly charges: Real[] = [];

  readonly params: GainCellArrayParams;

  // State: the cells (what they hold, since when, their reads) in `reads`; when the read phase last rose.
  private phaseRisePs = 0;
  private readonly reads: ArrayReads;
  private readonly noise: RealisedArray["readNoise"];
  private readonly firstSlot: number;
  // Scratch of the reads, allocated once: each K row's pulse fraction (0 without a pulse), the rows
  // with a pulse and theirs; V row sums; the columns read with, per column, K's sum or V's fraction.
  private readonly rowFrac: Float64Array;
  private readonly sums: ArraySums;
  private readonly rowSum: Float64Array;
  private readonly colIndex: Int32Array;
  private readonly colValue: Float64Array;
  // The ports moved in one call each (engine buses), and their values: the bit lines at a write, the
  // input widths of a phase, the charges to publish (fC).
  private readonly bitLineBus: RealBus;
  private readonly widthBus: RealBus;
  private readonly chargeBus: RealBus;
  private readonly volts: Float64Array;
  private readonly widthPs: Float64Array;
  private readonly chargeFc: Float64Array;
  private readonly tMaxNs: number;
  private readonly integrator: Timer;
  private readonly publishDelayPs: number;
  // What the integrator's one pending wake-up is for: the reset (PRECHARGE), or in a phase the ramp's
  // plan, its next breakpoint or the publication.
  private wake = Wake.Reset;
  // The charges' ramps in the trace (docs/model.md §3): a traced charge (null: none, so no phase
  // ramps); whether this phase ramps; its breakpoints, the next one, each input's fraction at it.
  private tracedCharge: Real | null = null;
  private ramping = false;
  private readonly ramp: ChargeRamp;
  private nextFall = 0;
  private writtenColumns = 0;
  private readonly rampFrac: Float64Array;
  private readonly widthOfInput: (i: number) => number;
  // Ledger events (docs/model.md §4): cells written; columns read in stage 1 (K) or driven in stage 2 (V).
  private readonly cellsWritten = this.eventCounter("cellsWritten");
  private readonly columnsRead: EventCounter;

  /** `chip` makes it an array of a realised chip (docs/model.md §7); the ideal chip's without. */
  constructor(parent: Module | null, name: string, params: Partial<GainCellArrayParams> = {}, chip?: RealisedArray) {
    super(parent, name);
    const p = (this.params = checkFields(params, GAIN_CELL_ARRAY_CHECKS, GAIN_CELL_ARRAY_DEFAULTS, this.path));
    const { rows, cols } = p;
    const isK = p.orientation === "K";
    this.columnsRead = this.eventCounter(isK ? "stage1Columns" : "stage2Columns");
    this.precharge = this.bit(isK ? "precharge1" : "precharge2", "in");
    this.phase = this.bit(isK ? "phase1" : "phase2", "in");
    for (let d = 0; d < rows; d++) this.bitLines.push(this.real(isK ? `blk_${d}` : `blv_${d}`, "V", "in"));
    if (isK) {
      for (let d = 0; d < rows; d++) this.widths.push(this.real(`rwl_width_${d}`, "ps", "in"));
      for (let j = 0; j < cols; j++) this.charges.push(this.real(`charge_${j}`, "fC", "out"));
    } else {
      for (let j = 0; j < cols; j++) this.widths.push(this.real(`phi_width_${j}`, "ps", "in"));
      for (let d = 0; d < rows; d++) this.charges.push(this.real(`charge_${d}`, "fC", "out"));
    }

    // one table per design, shared by its arrays of this λ and law, freed with the design
    let top: Module = this;
    while (top.parent !== null) top = top.parent;
    this.reads = new ArrayReads(top, p, chip);
    this.noise = chip?.readNoise !== undefined && chip.readNoise.sigma !== 0 ? chip.readNoise : undefined;
    this.firstSlot = chip?.firstSlot ?? 0;
    // docs/model.md §7: a stuck cell's voltage, constant, in the trace as stuck_c<j>_r<d> (V)
    const stuck = chip?.cells?.stuck ?? [];
    for (let c = 0; c < stuck.length; c++) if (stuck[c] !== NOT_STUCK) this.real(`stuck_c${Math.floor(c / rows)}_r${c % rows}`, "V", "internal", stuck[c]);
    this.rowFrac = new Float64Array(rows);
    this.sums = new ArraySums(this.reads, rows, cols, this.token.path);
    this.rowSum = new Float64Array(rows);
    this.colIndex = new Int32Array(cols);
    this.colValue = new Float64Array(cols);
    this.tMaxNs = fcPerSpecCharge(p.tMaxPs);
    this.rampFrac = new Float64Array(Math.max(rows, cols));
    this.bitLineBus = this.busOf(this.bitLines);
    this.widthBus = this.busOf(this.widths);
    this.chargeBus = this.busOf(this.charges);
    this.volts = new Float64Array(rows);
    this.widthPs = new Float64Array(this.widths.length);
    this.chargeFc = new Float64Array(this.charges.length);

    // Every pulse of the phase ends within T_max of its start (the configuration keeps the phase
    // at least T_max long), so the charges are final then: published at that time, which is at or
    // before the phase's falling edge. Published by a timed wake-up they are committed in the first
    // update of that time step, together with clock edges (api.ts), so a block sampling them at
    // the phase's fall or at the next strobe's rise at the same instant (the signed CPCs at the
    // rise of convert) sees them; publishing from the falling edge itself would race with that.
    this.publishDelayPs = Math.ceil(p.tMaxPs);
    // K's inputs are its rows' q pulses; V's the φ pulses of its columns read (colIndex, see pulsedColumns)
    this.ramp = new ChargeRamp(isK ? rows : cols, p.tMaxPs, this.publishDelayPs);
    this.widthOfInput = isK ? (d) => this.widthPs[d] : (k) => this.widthPs[this.colIndex[k]];
    this.piecewiseLinear(...this.charges);
    this.onStart.push(() => (this.tracedCharge = this.charges.find((c) => this.traced(c)) ?? null));
    this.always(this.write.negedge, [], () => this.store());
    // A net has one driver, so one process writes the charges for every event: the reset edge
    // wakes it in the next delta of the same time step, the phase edge T_max later (or, traced, in
    // the next delta to plan the ramp, then at each breakpoint); either edge replaces the other's
    // wake-up still pending (a reset discards a read in flight).
    this.integrator = this.timer("integrator", this.charges, () => this.integrate());
    this.always(this.precharge.posedge, [], () => this.wakeFor(Wake.Reset, 0));
    this.always(this.phase.posedge, [], () => {
      const now = (this.phaseRisePs = this.nowPs); // docs/model.md §7: a time-mode read is Δt after the write
      const traced = this.tracedCharge;
      this.ramping = traced !== null && this.traced(traced, now, now + this.publishDelayPs);
      // the input widths are written at this edge too: they are read in the next delta
      if (this.ramping) this.wakeFor(Wake.Plan, 0);
      else this.wakeFor(Wake.Publish, this.publishDelayPs);
    });
  }

  /** True once column `j` has been written. */
  isWritten(j: number): boolean {
    return this.reads.written[j] === 1;
  }

  /** Stored voltage of cell (row d, column j), V, as written (a stuck cell's own; before decay). */
  storedVolts(d: number, j: number): number {
    return this.reads.storedVolts(j, d);
  }

  /** Token index column `j` was last written at. */
  writeToken(j: number): number {
    return this.reads.writeToken(j);
  }

  // docs/model.md §3 WRITE: the write word line of the slot's column pulses; only this sub-tile's array takes it.
  private store(): void {
    if (this.subTile.get() !== this.params.subTile) return;
    const j = this.column.get();
    const { rows, cols } = this.params;
    if (j >= cols) throw new SignalValueError(`${this.column.path}: column ${j} is outside this ${cols}-column array`);
    this.bitLineBus.read(this.volts);
    for (let d = 0; d < rows; d++) this.reads.store(j, d, this.volts[d]);
    this.reads.columnWritten(j, this.token.get(), this.nowPs);
    this.cellsWritten.add(rows);
  }

  private wakeFor(wake: Wake, delayPs: number): void {
    this.wake = wake;
    this.integrator.after(delayPs);
  }

  // docs/model.md §3 PRECHARGE 1/2: the integrators start from zero charge. The currents are piecewise
  // constant between pulse edges, so the integral over the phase is Σ width·g: computed once when
  // the pulses are over instead of waking at every pulse edge; a traced phase also wakes at each
  // pulse's fall, to give the trace the charges there (ChargeRamp).
  private integrate(): void {
    const isK = this.params.orientation === "K";
    switch (this.wake) {
      case Wake.Reset:
        this.chargeFc.fill(0);
        return this.chargeBus.write(this.chargeFc);
      case Wake.Plan:
        this.ramp.plan(this.widthOfInput, isK ? this.readWidths() : this.pulsedColumns());
        for (let i = 0; i < this.charges.length; i++) this.tracePoint(this.charges[i], this.charges[i].get()); // where the ramp starts
        this.nextFall = 0;
        return this.nextWake();
      case Wake.Breakpoint:
        this.ramp.fractionsAt(this.ramp.fallsPs[this.nextFall++], this.rampFrac);
        if (isK) this.rampK();
        else this.rampV();
        return this.nextWake();
      default:
        if (isK) this.publishK();
        else this.publishV();
        // the ramp ends on the published charges (read noise and all): a vertex there, not a step
        if (this.ramping) this.traceCharges(isK ? this.colValue : this.rowSum);
    }
  }

  private nextWake(): void {
    const sincePs = this.nowPs - this.phaseRisePs;
    if (this.nextFall < this.ramp.count) this.wakeFor(Wake.Breakpoint, this.ramp.fallsPs[this.nextFall] - sincePs);
    else this.wakeFor(Wake.Publish, this.publishDelayPs - sincePs);
  }

  // The charges at a breakpoint, summed as publishK and publishV sum them (a K column never written stays 0).
  private rampK(): void {
    this.sumK(this.rampFrac);
    this.traceCharges(this.colValue);
  }
  private rampV(): void {
    this.sumV(this.rampFrac, this.pulsedColumns());
    this.traceCharges(this.rowSum);
  }

  // Vertices of the charges: `sums` × T_max in ns, as published.
  private traceCharges(sums: Float64Array): void {
    for (let i = 0; i < this.charges.length; i++) this.tracePoint(this.charges[i], sums[i] * this.tMaxNs);
  }

  // docs/model.md §1 stage 1: S_j = Σ_d (width_d/T_max)·g((V_jd − 0.45)·δ_j), d ascending as in the
  // functional model, in µA × (pulse/T_max) (ArraySums); × T_max in ns once at the end gives fC.
  private publishK(): void {
    const { rows, tMaxPs } = this.params;
    const rowFrac = this.rowFrac;
    const widthPs = this.widthPs;
    this.readWidths();
    for (let d = 0; d < rows; d++) rowFrac[d] = widthPs[d] / tMaxPs;
    const m = this.sumK(rowFrac);
    const t = this.token.get();
    const cols4 = this.colIndex;
    const sums = this.colValue;
    const noise = this.noise;
    // docs/model.md §7: each written column's integrator adds its read noise, N(0, σ_S), slot s's draw
    if (noise !== undefined) addEventNoise(sums, cols4, m, noise.sigma, noise.seed, STREAM.readS, noise.head, t, this.firstSlot);
    this.publish(sums);
    this.columnsRead.add(m);
  }

  // docs/model.md §1 stage 2: A_d = Σ_j (φ_j/T_max)·g((v_jd − 0.45)·δ_j), columns ascending as in the
  // functional model (ArraySums); columns without a pulse or never written add nothing.
  private publishV(): void {
    const { rows, tMaxPs } = this.params;
    const t = this.token.get();
    const m = this.pulsedColumns();
    const fracOf = this.colValue;
    const widthPs = this.widthPs;
    for (let k = 0; k < m; k++) fracOf[k] = widthPs[this.colIndex[k]] / tMaxPs;
    const sum = this.rowSum;
    this.sumV(fracOf, m);
    const noise = this.noise;
    // docs/model.md §7: each row's integrator adds its read noise, N(0, σ_A), draw b·D + d
    if (noise !== undefined) addEventNoise(sum, null, rows, noise.sigma, noise.seed, STREAM.readA, noise.head, t, this.params.subTile * rows);
    this.publish(sum);
    this.columnsRead.add(this.writtenColumns);
  }

  // Drives the charges with `sums` × T_max in ns (fC).
  private publish(sums: Float64Array): void {
    const fc = this.chargeFc;
    for (let i = 0; i < fc.length; i++) fc[i] = sums[i] * this.tMaxNs;
    this.chargeBus.write(fc);
  }

  // The input widths of this phase into widthPs; returns how many.
  private readWidths(): number {
    this.widthBus.read(this.widthPs);
    return this.widthPs.length;
  }

  // Stage 1's sums into colValue, their written columns into colIndex; returns how many.
  private sumK(rowFrac: Float64Array): number {
    return this.sums.stage1(rowFrac, this.token.get(), this.phaseRisePs, this.colValue, this.colIndex);
  }

  // Stage 2's sums into rowSum over the m columns in colIndex.
  private sumV(fracOf: Float64Array, m: number): void {
    this.sums.stage2(fracOf, this.colIndex, m, this.token.get(), this.phaseRisePs, this.rowSum);
  }

  // The columns read this phase, written and with a pulse, ascending, into colIndex; returns how many
  // (and counts the written ones, which the ledger prices, in writtenColumns).
  private pulsedColumns(): number {
    const written = this.reads.written;
    const widthPs = this.widthPs;
    this.readWidths();
    let m = 0;
    let active = 0;
    for (let j = 0; j < this.params.cols; j++) {
      if (written[j] === 0) continue;
      active++;
      if (widthPs[j] !== 0) this.colIndex[m++] = j;
    }
    this.writtenColumns = active;
    return m;
  }
}
