// ArrayReads: what the cells of one gain-cell array hold, since when, and what they read per unit pulse,
// column by column (docs/model.md §1 read current and retention, §7 a realised chip). Not a block:
// GainCellArray's storage.
import { SignalValueError } from "../errors.js";
import { CellReadout, idealCells } from "../laws/cellReadout.js";
import { DecayedReadTable } from "../laws/DecayedReadTable.js";
import type { GainCellArrayParams, RealisedArray } from "./params.js";

/**
 * The ideal chip with retention per token reads a table of g per (age, stored voltage) shared by the
 * arrays of its design, each cell's voltage index found once at its write: column j's read of row
 * d is lut[at(j, age) + index[j·rows + d]]. Otherwise (a realised chip, retention in time, or bit
 * lines carrying more distinct voltages than the table takes) `cells` reads and sums them through
 * the §7 law both models share (CellReadout).
 */
export class ArrayReads {
  /** The reads the offset returned by `at` points into; re-read after each call. */
  lut: Float64Array;
  /**
   * Per cell, its entry in a row of `lut` (the table's indices are < 256): 2 bytes a cell, so that a
   * head's arrays stay in a cache (docs/model.md §2, 128 K cells); the cell's voltage is the table's
   * voltage of its index.
   */
  readonly index: Uint16Array;
  private readonly table: DecayedReadTable;
  private readout: CellReadout | null = null;
  /** 1 once column j has been written: until then it is disabled (contributes nothing, docs/model.md §1). */
  readonly written: Uint8Array;
  // Each column's write: the token it holds and the time its WRITE fell, ps.
  private readonly writtenAt: Float64Array;
  private readonly writtenAtPs: Float64Array;
  /** Retention in time: a column's reads are Δt, not an age, after its write. */
  readonly byTime: boolean;

  /** `owner` shares its table among its arrays (a design's top module); `chip` makes the cells realised. */
  constructor(owner: object, private readonly p: GainCellArrayParams, private readonly chip: RealisedArray | undefined) {
    const n = p.rows * p.cols;
    this.written = new Uint8Array(p.cols);
    this.writtenAt = new Float64Array(p.cols);
    this.writtenAtPs = new Float64Array(p.cols);
    this.index = new Uint16Array(n);
    this.table = DecayedReadTable.of(owner, p.lambdaPerToken, p.nonlinearity);
    this.lut = this.table.table;
    this.byTime = chip?.retention === "time";
    if (chip !== undefined && (chip.cells !== undefined || this.byTime)) this.readCells();
  }

  /** The cells read through the §7 law, or null while the shared table serves (see above). */
  get cells(): CellReadout | null {
    return this.readout;
  }

  /** The voltage cell (row d, column j) holds, V, as written (a stuck cell's own), before decay. */
  storedVolts(j: number, d: number): number {
    return this.readout !== null ? this.readout.storedVolts(j, d) : this.table.voltage(this.index[j * this.p.rows + d]);
  }

  /** Cell (row d, column j) is written with `volts` from its bit line. */
  store(j: number, d: number, volts: number): void {
    if (this.readout === null) {
      const i = this.table.indexOf(volts);
      if (i >= 0) {
        this.index[j * this.p.rows + d] = i;
        return;
      }
      this.readCells(j, d);
    }
    this.readout!.write(j, d, volts);
  }

  /** Column j now holds token `token`, its WRITE having fallen at `nowPs` (after its cells' store). */
  columnWritten(j: number, token: number, nowPs: number): void {
    this.writtenAt[j] = token;
    this.writtenAtPs[j] = nowPs;
    this.written[j] = 1;
  }

  /** Token index column j was last written at. */
  writeToken(j: number): number {
    return this.writtenAt[j];
  }

  /** The age in tokens of column j's token at token t; a SignalValueError naming `tokenPath` if t is earlier. */
  ageOf(j: number, t: number, tokenPath: string): number {
    const age = t - this.writtenAt[j];
    if (age < 0) throw new SignalValueError(`${tokenPath}: token ${t} is before token ${this.writtenAt[j]} written in column ${j}: tokens only advance`);
    return age;
  }

  /** What a read of column j at token t comes after its write: its age, or (in time) the ps from WRITE's fall to `readPs`. */
  elapsed(j: number, t: number, readPs: number, tokenPath: string): number {
    const age = this.ageOf(j, t, tokenPath);
    return this.byTime ? readPs - this.writtenAtPs[j] : age;
  }

  /**
   * Points `lut` at the table's reads `age` tokens after a write (the shared-table mode); returns the
   * offset to add to a cell's index. The offsets of four calls in a row stay valid together
   * (DecayedReadTable's OFFSETS_KEPT).
   */
  at(age: number): number {
    const off = this.table.rowOffset(age);
    this.lut = this.table.table;
    return off;
  }

  // From now on every cell is read through the CellReadout, the voltages so far written into it: the
  // written columns' and rows 0 … d − 1 of column j, being written (0 V elsewhere).
  private readCells(j = -1, d = 0): void {
    const { rows, cols, lambdaPerToken, nonlinearity } = this.p;
    const chip = this.chip;
    this.readout = new CellReadout(
      { rows, cols, lambdaPerToken, nonlinearity, retention: chip?.retention ?? "token", ownRates: chip?.ownRates ?? false },
      chip?.cells ?? idealCells(rows * cols),
    );
    for (let col = 0; col < cols; col++) {
      for (let row = 0; row < rows; row++) {
        const held = this.written[col] === 1 || (col === j && row < d);
        this.readout.write(col, row, held ? this.table.voltage(this.index[col * rows + row]) : 0);
      }
    }
  }
}
