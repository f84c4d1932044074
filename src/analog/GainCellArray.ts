// GainCellArray: one rows × cols gain-cell tile of a sub-tile, K or V (docs/model.md §1 read current and retention; §2 organisation; §3 WRITE, PHASE 1/2).
import { checkFields } from "../fieldChecks.js";
import { Module, type EventCounter, type Timer } from "../engine/Module.js";
import type { Bit, Real } from "../engine/Signal.js";
import { SignalValueError } from "../errors.js";
import { DecayedReadTable, OFFSETS_KEPT } from "../laws/DecayedReadTable.js";
import { gCubicDecayed, gLinearDecayed, retention, ZERO_POINT_V } from "../laws/deviceLaw.js";
import { GAIN_CELL_ARRAY_CHECKS, GAIN_CELL_ARRAY_DEFAULTS, type GainCellArrayParams, fcPerSpecCharge } from "./params.js";
// invariant: publishK and publishV hold the read offsets of four columns at once
if (OFFSETS_KEPT < 4) throw new Error(`GainCellArray reads four columns per pass, but DecayedReadTable keeps ${OFFSETS_KEPT} offsets`);

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

  // State, column-major (cell (d, j) at j·rows + d): each cell's stored voltage as an index (below);
  // each column's write token and written flag; unwritten columns are disabled (they contribute
  // nothing, docs/model.md §1).
  private readonly writtenAt: Float64Array;
  private readonly written: Uint8Array;
  // Reads come from a table of g per (age, stored voltage) shared by the arrays of this λ and law:
  // cell i's read at age a is lut[rowOffset(a) + voltIndex[i]], its voltage's index found once
  // at write time. The index takes 2 bytes a cell (a head's arrays fit a cache: docs/model.md §2,
  // 128 K cells), and the stored voltage is the table's voltage of that index. An array whose bit
  // lines carry more distinct voltages than the table takes (not DAC levels) switches to direct
  // reads: `volts` holds every cell's voltage, gCache g((V − 0.45)·δ) of every cell for the δ its
  // column was last read with, and voltIndex[i] = d, the row, added to the column's base j·rows.
  private readonly reads: DecayedReadTable;
  private readonly voltIndex: Uint16Array;
  private direct = false;
  private volts = new Float64Array(0);
  private gCache = new Float64Array(0);
  private cachedDelta = new Float64Array(0);
  // Table the offset returned by readsAt points into (the shared table or gCache).
  private lut = new Float64Array(0);
  // Scratch of the reads, allocated once: nonzero K rows with their pulse fractions; V row sums;
  // the columns read with, per column, K's sum or V's pulse fraction.
  private readonly activeRow: Int32Array;
  private readonly activeFrac: Float64Array;
  private readonly rowSum: Float64Array;
  private readonly colIndex: Int32Array;
  private readonly colValue: Float64Array;
  private readonly gDecayed: (y: number, delta: number) => number;
  private readonly tMaxNs: number;
  private readonly integrator: Timer;
  private readonly publishDelayPs: number;
  // What the integrator's one pending wake-up is for: the reset (PRECHARGE) or the publication (PHASE).
  private resetting = false;
  // Ledger events (docs/model.md §4): cells written; columns read in stage 1 (K) or driven in stage 2 (V).
  private readonly cellsWritten = this.eventCounter("cellsWritten");
  private readonly columnsRead: EventCounter;

  constructor(parent: Module | null, name: string, params: Partial<GainCellArrayParams> = {}) {
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

    this.writtenAt = new Float64Array(cols);
    this.written = new Uint8Array(cols);
    // one table per design, shared by its arrays of this λ and law, freed with the design
    let top: Module = this;
    while (top.parent !== null) top = top.parent;
    this.reads = DecayedReadTable.of(top, p.lambdaPerToken, p.nonlinearity);
    this.voltIndex = new Uint16Array(rows * cols); // rows ≤ 65535 (params) and the table's indices < 256
    this.activeRow = new Int32Array(rows);
    this.activeFrac = new Float64Array(rows);
    this.rowSum = new Float64Array(rows);
    this.colIndex = new Int32Array(cols);
    this.colValue = new Float64Array(cols);
    // the same functions gDecayed(y, δ, nonlinearity) dispatches to, chosen once, not per cell
    this.gDecayed = p.nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed;
    this.tMaxNs = fcPerSpecCharge(p.tMaxPs);

    // Every pulse of the phase ends within T_max of its start (the configuration keeps the phase
    // at least T_max long), so the charges are final then: published at that time, which is at or
    // before the phase's falling edge. Published by a timed wake-up they are committed in the first
    // update of that time step, together with clock edges (api.ts), so a block sampling them at
    // the phase's fall or at the next strobe's rise at the same instant (the signed CPCs at the
    // rise of convert) sees them; publishing from the falling edge itself would race with that.
    this.publishDelayPs = Math.ceil(p.tMaxPs);
    this.always(this.write.negedge, [], () => this.store());
    // A net has one driver, so one process writes the charges for both events: the reset edge
    // wakes it in the next delta of the same time step, the phase edge T_max later; either edge
    // replaces the other's wake-up still pending (a reset discards a read in flight).
    this.integrator = this.timer("integrator", this.charges, () => this.integrate());
    this.always(this.precharge.posedge, [], () => {
      this.resetting = true;
      this.integrator.after(0);
    });
    this.always(this.phase.posedge, [], () => {
      this.resetting = false;
      this.integrator.after(this.publishDelayPs);
    });
  }

  /** True once column `j` has been written. */
  isWritten(j: number): boolean {
    return this.written[j] === 1;
  }

  /** Stored voltage of cell (row d, column j), V, as written (before decay). */
  storedVolts(d: number, j: number): number {
    const i = j * this.params.rows + d;
    return this.direct ? this.volts[i] : this.reads.voltage(this.voltIndex[i]);
  }

  /** Token index column `j` was last written at. */
  writeToken(j: number): number {
    return this.writtenAt[j];
  }

  // docs/model.md §3 WRITE: the write word line of the slot's column pulses; only this sub-tile's array takes it.
  private store(): void {
    if (this.subTile.get() !== this.params.subTile) return;
    const j = this.column.get();
    const { rows, cols } = this.params;
    if (j >= cols) throw new SignalValueError(`${this.column.path}: column ${j} is outside this ${cols}-column array`);
    const base = j * rows;
    for (let d = 0; d < rows; d++) {
      const v = this.bitLines[d].get();
      const i = this.direct ? -1 : this.reads.indexOf(v);
      if (i >= 0) this.voltIndex[base + d] = i;
      else {
        if (!this.direct) this.readDirectly();
        this.volts[base + d] = v;
      }
    }
    this.writtenAt[j] = this.token.get();
    this.written[j] = 1;
    this.cellsWritten.add(rows);
    if (this.direct) this.cachedDelta[j] = NaN;
  }

  // From now on every cell is read through its own entry of gCache (see `reads`).
  private readDirectly(): void {
    const { rows, cols } = this.params;
    const n = rows * cols;
    this.volts = new Float64Array(n);
    // every cell (the column being stored is not yet marked written; unwritten ones are rewritten before a read)
    for (let i = 0; i < n; i++) {
      this.volts[i] = this.reads.voltage(this.voltIndex[i]);
      this.voltIndex[i] = i % rows;
    }
    this.direct = true;
    this.gCache = new Float64Array(n);
    this.cachedDelta = new Float64Array(cols).fill(NaN);
  }

  // docs/model.md §3 PRECHARGE 1/2: the integrators start from zero charge. The currents are piecewise
  // constant between pulse edges, so the integral over the phase is Σ width·g: computed once when
  // the pulses are over instead of waking at every pulse edge.
  private integrate(): void {
    if (this.resetting) for (let i = 0; i < this.charges.length; i++) this.charges[i].set(0);
    else if (this.params.orientation === "K") this.publishK();
    else this.publishV();
  }

  // docs/model.md §1 stage 1: S_j = Σ_d (width_d/T_max)·g((V_jd − 0.45)·δ_j), d ascending as in the
  // functional model, in µA × (pulse/T_max); × T_max in ns once at the end gives fC. Rows with no
  // pulse add ±0, which leaves a sum started at +0 unchanged, so they are skipped. Four columns
  // are summed side by side: four independent chains of additions the CPU overlaps, each still
  // in d order, so every S_j is the same number as one column at a time.
  private publishK(): void {
    const { rows, cols, tMaxPs } = this.params;
    const t = this.token.get();
    const rowOf = this.activeRow;
    const frac = this.activeFrac;
    let n = 0;
    for (let d = 0; d < rows; d++) {
      const w = this.widths[d].get();
      if (w === 0) continue;
      rowOf[n] = d;
      frac[n] = w / tMaxPs;
      n++;
    }
    const vi = this.voltIndex;
    const cols4 = this.colIndex;
    const sums = this.colValue;
    let m = 0;
    for (let j = 0; j < cols; j++) {
      sums[j] = 0;
      if (this.written[j] === 1) cols4[m++] = j;
    }
    let k = 0;
    if (n > 0) {
      for (; k + 4 <= m; k += 4) {
        const j0 = cols4[k], j1 = cols4[k + 1], j2 = cols4[k + 2], j3 = cols4[k + 3];
        const o0 = this.readsAt(j0, t), o1 = this.readsAt(j1, t), o2 = this.readsAt(j2, t), o3 = this.readsAt(j3, t);
        const lut = this.lut;
        const b0 = j0 * rows, b1 = j1 * rows, b2 = j2 * rows, b3 = j3 * rows;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let i = 0; i < n; i++) {
          const r = rowOf[i];
          const f = frac[i];
          s0 += f * lut[o0 + vi[b0 + r]];
          s1 += f * lut[o1 + vi[b1 + r]];
          s2 += f * lut[o2 + vi[b2 + r]];
          s3 += f * lut[o3 + vi[b3 + r]];
        }
        sums[j0] = s0;
        sums[j1] = s1;
        sums[j2] = s2;
        sums[j3] = s3;
      }
      for (; k < m; k++) {
        const j = cols4[k];
        const o = this.readsAt(j, t);
        const lut = this.lut;
        const b = j * rows;
        let s = 0;
        for (let i = 0; i < n; i++) s += frac[i] * lut[o + vi[b + rowOf[i]]];
        sums[j] = s;
      }
    }
    for (let j = 0; j < cols; j++) this.charges[j].set(sums[j] * this.tMaxNs);
    this.columnsRead.add(m);
  }

  // docs/model.md §1 stage 2: A_d = Σ_j (φ_j/T_max)·g((v_jd − 0.45)·δ_j), columns ascending as in the
  // functional model; columns without a pulse or never written add nothing. Four columns are
  // added per pass over the rows, in column order, so each A_d is the same number as before.
  private publishV(): void {
    const { rows, cols, tMaxPs } = this.params;
    const t = this.token.get();
    const sum = this.rowSum;
    const vi = this.voltIndex;
    const pulsed = this.colIndex;
    const fracOf = this.colValue;
    let active = 0;
    let m = 0;
    for (let j = 0; j < cols; j++) {
      if (this.written[j] === 0) continue;
      active++;
      const w = this.widths[j].get();
      if (w === 0) continue;
      pulsed[m] = j;
      fracOf[m] = w / tMaxPs;
      m++;
    }
    sum.fill(0);
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const j0 = pulsed[k], j1 = pulsed[k + 1], j2 = pulsed[k + 2], j3 = pulsed[k + 3];
      const f0 = fracOf[k], f1 = fracOf[k + 1], f2 = fracOf[k + 2], f3 = fracOf[k + 3];
      const o0 = this.readsAt(j0, t), o1 = this.readsAt(j1, t), o2 = this.readsAt(j2, t), o3 = this.readsAt(j3, t);
      const lut = this.lut;
      const b0 = j0 * rows, b1 = j1 * rows, b2 = j2 * rows, b3 = j3 * rows;
      for (let d = 0; d < rows; d++) {
        let a = sum[d];
        a += f0 * lut[o0 + vi[b0 + d]];
        a += f1 * lut[o1 + vi[b1 + d]];
        a += f2 * lut[o2 + vi[b2 + d]];
        a += f3 * lut[o3 + vi[b3 + d]];
        sum[d] = a;
      }
    }
    for (; k < m; k++) {
      const j = pulsed[k];
      const f = fracOf[k];
      const o = this.readsAt(j, t);
      const lut = this.lut;
      const b = j * rows;
      for (let d = 0; d < rows; d++) sum[d] += f * lut[o + vi[b + d]];
    }
    for (let d = 0; d < rows; d++) this.charges[d].set(sum[d] * this.tMaxNs);
    this.columnsRead.add(active);
  }

  // docs/model.md §1 retention: y → y·δ, δ = exp(−λ·age), age = t − τ tokens. Points `lut` at column j's
  // reads for its age and returns the offset to which a cell's voltIndex is added (direct reads:
  // the column's base in gCache); the offsets of four calls in a row stay valid together
  // (OFFSETS_KEPT; gCache keeps every column's).
  private readsAt(j: number, t: number): number {
    const age = t - this.writtenAt[j];
    if (age < 0) {
      throw new SignalValueError(`${this.token.path}: token ${t} is before token ${this.writtenAt[j]} written in column ${j}: tokens only advance`);
    }
    if (!this.direct) {
      const off = this.reads.rowOffset(age);
      this.lut = this.reads.table;
      return off;
    }
    const delta = retention(this.params.lambdaPerToken, age);
    const rows = this.params.rows;
    const base = j * rows;
    if (this.cachedDelta[j] !== delta) {
      for (let d = 0; d < rows; d++) this.gCache[base + d] = this.gDecayed(this.volts[base + d] - ZERO_POINT_V, delta);
      this.cachedDelta[j] = delta;
    }
    this.lut = this.gCache;
    return base;
  }
}
