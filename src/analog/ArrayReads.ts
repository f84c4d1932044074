// ArrayReads: what the cells of one gain-cell array hold and read per unit pulse, column by column
// (docs/model.md §1 read current and retention, §7 a realised chip). Not a block: GainCellArray's storage.
import { CellReadout, idealCells } from "../laws/cellReadout.js";
import { DecayedReadTable } from "../laws/DecayedReadTable.js";
import type { GainCellArrayParams, RealisedArray } from "./params.js";

/**
 * Column j's read of row d is lut[at(j, …) + index[j·rows + d]]. The ideal chip with retention per
 * token reads a table of g per (age, stored voltage) shared by the arrays of its design, each
 * cell's voltage index found once at its write. Otherwise (a realised chip, retention in time, or
 * bit lines carrying more distinct voltages than the table takes) every cell is read through the
 * §7 law both models share (CellReadout), into reads of its own: index[c] = c.
 */
export class ArrayReads {
  /** The reads the offset returned by `at` points into; re-read after each call. */
  lut: Float64Array;
  /** Per cell, its entry in a row of `lut`. */
  readonly index: Int32Array;
  private readonly table: DecayedReadTable;
  private readonly volts: Float64Array;
  private readout: CellReadout | null = null;

  /** `owner` shares its table among its arrays (a design's top module); `chip` makes the cells realised. */
  constructor(owner: object, private readonly p: GainCellArrayParams, private readonly chip: RealisedArray | undefined) {
    const n = p.rows * p.cols;
    this.volts = new Float64Array(n);
    this.index = new Int32Array(n);
    this.table = DecayedReadTable.of(owner, p.lambdaPerToken, p.nonlinearity);
    this.lut = this.table.table;
    if (chip !== undefined && (chip.cells !== undefined || chip.retention === "time")) this.readCells();
  }

  /** The voltage cell (row d, column j) holds, V, as written (a stuck cell's own), before decay. */
  storedVolts(j: number, d: number): number {
    return this.readout !== null ? this.readout.storedVolts(j, d) : this.volts[j * this.p.rows + d];
  }

  /** Cell (row d, column j) is written with `volts` from its bit line. */
  store(j: number, d: number, volts: number): void {
    const c = j * this.p.rows + d;
    this.volts[c] = volts;
    if (this.readout !== null) return this.readout.write(j, d, volts);
    const i = this.table.indexOf(volts);
    if (i >= 0) this.index[c] = i;
    else this.readCells();
  }

  /**
   * Points `lut` at column j's reads `age` tokens, or `dtPs` ps in time mode, after its write;
   * returns the offset to add to a cell's index. The offsets of four calls in a row stay valid
   * together (DecayedReadTable's OFFSETS_KEPT; a CellReadout keeps every column's).
   */
  at(j: number, age: number, dtPs: number): number {
    const readout = this.readout;
    if (readout === null) {
      const off = this.table.rowOffset(age);
      this.lut = this.table.table;
      return off;
    }
    readout.fill(j, this.chip?.retention === "time" ? dtPs : age);
    this.lut = readout.reads;
    return 0;
  }

  // From now on every cell is read through the CellReadout, its voltages so far written into it.
  private readCells(): void {
    const { rows, cols, lambdaPerToken, nonlinearity } = this.p;
    const chip = this.chip;
    this.readout = new CellReadout(
      { rows, cols, lambdaPerToken, nonlinearity, retention: chip?.retention ?? "token", ownRates: chip?.ownRates ?? false },
      chip?.cells ?? idealCells(rows * cols),
    );
    for (let j = 0; j < cols; j++) for (let d = 0; d < rows; d++) this.readout.write(j, d, this.volts[j * rows + d]);
    for (let c = 0; c < this.index.length; c++) this.index[c] = c;
    this.lut = this.readout.reads;
  }
}
