// CellReadout: what the cells of one K or V matrix of a realised chip read per unit pulse, column by
// column (docs/model.md §7): each cell's stored voltage (stuck cells keep theirs), its retention by
// token or in time, at the column's rate or its own, its gain and offset. One definition for both
// models: the functional model keeps one per head and matrix, a gain-cell array one for its cells.
import { gCubicDecayed, gLinearDecayed, retention, ZERO_POINT_V, type Nonlinearity } from "./deviceLaw.js";
import { cellRate, NOT_STUCK, realisedCurrent, retentionInTime, storedVoltage, type RetentionMode } from "./nonideal.js";

/** A matrix's static cell values, column-major: cell (row d, column j) at j·rows + d (docs/model.md §7). */
export interface CellValues {
  /** γ of each cell, dimensionless. */
  readonly gain: Float64Array;
  /** β of each cell, µA. */
  readonly offset: Float64Array;
  /** r of each cell: its retention rate is λ·r. */
  readonly ret: Float64Array;
  /** −1 for a working cell, else the voltage it is stuck at (V). */
  readonly stuck: Float64Array;
}

/** The cells of an ideal matrix of `n` cells: γ = 1, β = 0, r = 1, none stuck. */
export function idealCells(n: number): CellValues {
  return { gain: new Float64Array(n).fill(1), offset: new Float64Array(n), ret: new Float64Array(n).fill(1), stuck: new Float64Array(n).fill(NOT_STUCK) };
}

/** Whether any cell of a head's matrix (`ret`, its r values) has its own retention rate, r ≠ 1: ReadoutParams.ownRates. */
export function hasOwnRates(ret: Float64Array): boolean {
  for (let i = 0; i < ret.length; i++) if (ret[i] !== 1) return true;
  return false;
}

/** How a matrix's cells are read: its size, law and retention. */
export interface ReadoutParams {
  readonly rows: number;
  readonly cols: number;
  /** Retention rate λ per token. */
  readonly lambdaPerToken: number;
  readonly nonlinearity: Nonlinearity;
  /** Retention counted in tokens (elapsed = age) or in time (elapsed = Δt in ps). */
  readonly retention: RetentionMode;
  /**
   * Each cell decays at its own rate λ·r (docs/model.md §7 retention spread), rather than every
   * cell at the column's λ. Decided for a whole head and matrix (some r ≠ 1 among its cells), so
   * that the functional model and the arrays, which hold a sub-tile each, decide alike.
   */
  readonly ownRates: boolean;
}

/**
 * Column j's reads, after fill(j, elapsed), are reads[j·rows + d] = γ·g((V − 0.45)·δ) + β µA per unit
 * pulse, with δ = 1 for a stuck cell (its own voltage V) and otherwise (docs/model.md §7):
 * - the column's δ = exp(−λ·age) (token) or exp(−λ·Δt/t_token) (time), as the ideal chip;
 * - with own rates in time, exp(−λ·r·Δt/t_token) per cell;
 * - with own rates per token, ρ^age with ρ = exp(−λ·r), as age − 1 successive multiplications
 *   (ρ·ρ·…): a cell costs one multiplication per token instead of an exponential, and the value
 *   differs from exp(−λ·r·age) in the last bits only (about age·2^−53 relative). Being a function
 *   of (ρ, age) alone, it does not depend on which tokens a column was read at.
 */
export class CellReadout {
  readonly reads: Float64Array;
  // y = V − 0.45 of the voltage each cell holds
  private readonly y: Float64Array;
  // Own rates per token: each cell's step ρ, its δ so far and the age its column is at.
  private readonly rho: Float64Array;
  private readonly delta: Float64Array;
  private readonly deltaAge: Int32Array;
  // What each column's reads were last filled for: the column's δ, or with own rates the elapsed
  // age or Δt; NaN once the column is written again.
  private readonly filledFor: Float64Array;
  // Stuck cells read alike whatever the age (δ = 1): column j's are stuckCell[stuckFrom[j] …
  // stuckFrom[j + 1]), with their reads, so that a fill treats every cell as working and then
  // puts these back, instead of testing each cell.
  private readonly stuckFrom: Int32Array;
  private readonly stuckCell: Int32Array;
  private readonly stuckRead: Float64Array;
  private readonly gDecayed: (y: number, delta: number) => number;

  constructor(readonly params: ReadoutParams, private readonly cells: CellValues) {
    const { rows, cols, lambdaPerToken, retention: mode, ownRates } = params;
    const n = rows * cols;
    this.reads = new Float64Array(n);
    this.y = new Float64Array(n);
    // the same functions gDecayed(y, δ, nonlinearity) dispatches to, chosen once, not per cell
    const g = (this.gDecayed = params.nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed);
    const perToken = ownRates && mode === "token";
    this.rho = new Float64Array(perToken ? n : 0);
    this.delta = new Float64Array(perToken ? n : 0).fill(1);
    this.deltaAge = new Int32Array(cols);
    for (let c = 0; c < this.rho.length; c++) this.rho[c] = retention(cellRate(lambdaPerToken, cells.ret[c]), 1);
    this.filledFor = new Float64Array(cols).fill(NaN);
    const stuck: number[] = [];
    this.stuckFrom = new Int32Array(cols + 1);
    for (let j = 0; j < cols; j++) {
      for (let c = j * rows; c < (j + 1) * rows; c++) if (cells.stuck[c] !== NOT_STUCK) stuck.push(c);
      this.stuckFrom[j + 1] = stuck.length;
    }
    this.stuckCell = Int32Array.from(stuck);
    this.stuckRead = Float64Array.from(stuck, (c) => realisedCurrent(g(cells.stuck[c] - ZERO_POINT_V, 1), cells.gain[c], cells.offset[c]));
  }

  /** Cell (row d, column j) is written with `volts` (after write noise): a stuck cell keeps its own voltage. */
  write(j: number, d: number, volts: number): void {
    const c = j * this.params.rows + d;
    this.y[c] = storedVoltage(volts, 0, this.cells.stuck[c]) - ZERO_POINT_V;
    if (this.rho.length > 0) this.delta[c] = 1;
    this.deltaAge[j] = 0;
    this.filledFor[j] = NaN;
  }

  /** The voltage cell (row d, column j) holds, V, before decay. */
  storedVolts(j: number, d: number): number {
    return this.y[j * this.params.rows + d] + ZERO_POINT_V;
  }

  /** Fills column j's reads for a read `elapsed` after its write: an age in tokens, or Δt in ps in time mode. */
  fill(j: number, elapsed: number): void {
    const { lambdaPerToken: lambda, retention: mode, ownRates } = this.params;
    if (!ownRates) {
      const columnDelta = mode === "token" ? retention(lambda, elapsed) : retentionInTime(lambda, elapsed);
      if (this.filledFor[j] === columnDelta) return;
      this.filledFor[j] = columnDelta;
      this.fillAt(j, columnDelta);
    } else {
      if (this.filledFor[j] === elapsed) return;
      this.filledFor[j] = elapsed;
      if (mode === "time") this.fillInTime(j, elapsed);
      else this.fillByToken(j, elapsed);
    }
    const { stuckCell, stuckRead, reads } = this;
    for (let k = this.stuckFrom[j]; k < this.stuckFrom[j + 1]; k++) reads[stuckCell[k]] = stuckRead[k];
  }

  // Every cell at the column's δ.
  private fillAt(j: number, delta: number): void {
    const rows = this.params.rows;
    const { reads, y, gDecayed } = this;
    const { gain, offset } = this.cells;
    for (let c = j * rows, end = c + rows; c < end; c++) reads[c] = realisedCurrent(gDecayed(y[c], delta), gain[c], offset[c]);
  }

  // Each cell at its own δ = exp(−λ·r·Δt/t_token).
  private fillInTime(j: number, dtPs: number): void {
    const { rows, lambdaPerToken: lambda } = this.params;
    const { reads, y, gDecayed } = this;
    const { gain, offset, ret } = this.cells;
    for (let c = j * rows, end = c + rows; c < end; c++) {
      reads[c] = realisedCurrent(gDecayed(y[c], retentionInTime(cellRate(lambda, ret[c]), dtPs)), gain[c], offset[c]);
    }
  }

  // Each cell at its own δ = ρ^age, from the age its column's δ is at: one step a token when read every token.
  private fillByToken(j: number, age: number): void {
    const rows = this.params.rows;
    const { reads, y, gDecayed, rho, delta } = this;
    const { gain, offset } = this.cells;
    // reads only move forward in age; were one to go back, δ starts again from its write
    const back = age < this.deltaAge[j];
    const steps = back ? age : age - this.deltaAge[j];
    this.deltaAge[j] = age;
    const end = j * rows + rows;
    if (steps === 1 && !back) {
      for (let c = j * rows; c < end; c++) {
        const dc = delta[c] * rho[c];
        delta[c] = dc;
        reads[c] = realisedCurrent(gDecayed(y[c], dc), gain[c], offset[c]);
      }
      return;
    }
    for (let c = j * rows; c < end; c++) {
      let dc = back ? 1 : delta[c];
      for (let k = 0; k < steps; k++) dc *= rho[c];
      delta[c] = dc;
      reads[c] = realisedCurrent(gDecayed(y[c], dc), gain[c], offset[c]);
    }
  }
}
