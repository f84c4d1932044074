// DecayedReadTable: g((V − 0.45)·δ(age)) per (age, stored voltage), a memo of the device law with
// retention (docs/model.md §1 read current and retention) for one retention rate and law. Not a block:
// the gain-cell arrays of one design share one (DecayedReadTable.of, keyed by the design's top
// module and freed with it), and the functional model keeps one per head, its K/V levels as the
// voltages; both read the same gDecayed values.
import { gCubicDecayed, gLinearDecayed, retention, ZERO_POINT_V, type Nonlinearity } from "./deviceLaw.js";

// (ours) The cells of a head store DAC levels (8 by default, at most 256), so a handful of
// distinct voltages cover every cell. An array that sees more than this many distinct voltages
// (a testbench driving arbitrary bit-line values) evaluates its cells directly instead.
const MAX_VOLTAGES = 256;
// (ours) At most 2^21 entries (16 MB), as the functional model's table; reads at older ages go
// through scratch rows filled on each call, in turn.
const MAX_ENTRIES = 1 << 21;

/** rowOffset's last OFFSETS_KEPT offsets stay valid together (until the next indexOf): the scratch rows. */
export const OFFSETS_KEPT = 4;

// The tables of each owner (a design), by law and rate; an owner no longer referenced frees its tables.
const byOwner = new WeakMap<object, Map<string, DecayedReadTable>>();

/**
 * Row `age` holds g((v_i − 0.45)·exp(−λ·age)) for every voltage v_i seen so far, at entries
 * `rowOffset(age) + i`. Rows are filled on first use. The values are the same gDecayed calls the
 * functional model makes, so a table read equals a direct evaluation bit for bit.
 */
export class DecayedReadTable {
  /** Entries of the table; row r starts at r·stride. Reallocated when it grows: re-read after rowOffset. */
  table: Float64Array<ArrayBuffer>;
  /** Voltages seen, by index. */
  private readonly volts = new Float64Array(MAX_VOLTAGES);
  private nVolts = 0;
  private stride = 8;
  // Age rows held (then OFFSETS_KEPT scratch rows, from index ageRows); entries filled per row.
  private ageRows = 0;
  private nextScratch = 0;
  private filled: Int32Array<ArrayBuffer> = new Int32Array(0);
  private readonly gDecayed: (y: number, delta: number) => number;

  /** An empty table of its own, for reads at retention rate `lambdaPerToken` (per token) with law `nonlinearity`. */
  constructor(readonly lambdaPerToken: number, readonly nonlinearity: Nonlinearity) {
    this.gDecayed = nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed;
    this.table = new Float64Array(OFFSETS_KEPT * this.stride);
  }

  /** The table `owner` (e.g. a design's top module) shares among its users of rate `lambdaPerToken` and law `nonlinearity`. */
  static of(owner: object, lambdaPerToken: number, nonlinearity: Nonlinearity): DecayedReadTable {
    let tables = byOwner.get(owner);
    if (tables === undefined) byOwner.set(owner, (tables = new Map()));
    const key = `${nonlinearity} ${lambdaPerToken}`;
    let t = tables.get(key);
    if (t === undefined) {
      t = new DecayedReadTable(lambdaPerToken, nonlinearity);
      tables.set(key, t);
    }
    return t;
  }

  /** Distinct voltages held. */
  get size(): number {
    return this.nVolts;
  }

  /** Voltage number `i` (0 ≤ i < size), V. */
  voltage(i: number): number {
    return this.volts[i];
  }

  /** Index of voltage `v` among the columns of a row, added if new; −1 when the table holds MAX_VOLTAGES already. */
  indexOf(v: number): number {
    const volts = this.volts;
    const n = this.nVolts;
    for (let i = 0; i < n; i++) if (volts[i] === v) return i;
    if (n === MAX_VOLTAGES) return -1;
    if (n === this.stride) {
      const stride = this.stride * 2;
      this.resize(Math.min(this.ageRows, Math.floor(MAX_ENTRIES / stride) - OFFSETS_KEPT), stride);
    }
    volts[n] = v;
    this.nVolts = n + 1;
    return n;
  }

  /**
   * Offset in `table` of the filled row for `age` tokens (λ = 0: one row, δ = 1 at every age).
   * Re-read `table` after the call: growing the table reallocates it.
   */
  rowOffset(age: number): number {
    if (this.lambdaPerToken === 0) age = 0;
    if (age >= this.ageRows) {
      // Grow as far as needed or allowed. Once a call has fallen back to a scratch row the table
      // is as large as it may be, so no later call moves the scratch rows under a kept offset.
      let rows = Math.max(this.ageRows, 16);
      while (rows <= age && (rows * 2 + OFFSETS_KEPT) * this.stride <= MAX_ENTRIES) rows *= 2;
      if (rows > this.ageRows) this.resize(rows, this.stride);
      if (age >= this.ageRows) {
        // older than the table holds: the next scratch row, filled afresh for this age
        const row = this.ageRows + this.nextScratch;
        this.nextScratch = (this.nextScratch + 1) % OFFSETS_KEPT;
        this.fill(row, age, 0);
        return row * this.stride;
      }
    }
    const from = this.filled[age];
    if (from < this.nVolts) {
      this.fill(age, age, from);
      this.filled[age] = this.nVolts;
    }
    return age * this.stride;
  }

  private fill(row: number, age: number, from: number): void {
    const delta = retention(this.lambdaPerToken, age);
    const at = row * this.stride;
    for (let i = from; i < this.nVolts; i++) this.table[at + i] = this.gDecayed(this.volts[i] - ZERO_POINT_V, delta);
  }

  // Rows kept keep their filled entries; scratch rows are not kept (refilled on each use).
  private resize(rows: number, stride: number): void {
    const table = new Float64Array((rows + OFFSETS_KEPT) * stride);
    const filled = new Int32Array(rows);
    for (let r = 0, kept = Math.min(rows, this.ageRows); r < kept; r++) {
      table.set(this.table.subarray(r * this.stride, r * this.stride + this.filled[r]), r * stride);
      filled[r] = this.filled[r];
    }
    this.table = table;
    this.filled = filled;
    this.ageRows = rows;
    this.stride = stride;
  }
}
