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
 * pulse, with δ = 1 for a stuck cell and otherwise (docs/model.md §7):
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
  // Own rates per token: each cell's step ρ (1 for a stuck cell), its δ so far and the age it is at.
  private readonly rho: Float64Array;
  private readonly delta: Float64Array;
  private readonly deltaAge: Int32Array;
  // What each column's reads were last filled for: the column's δ, or with own rates the elapsed
  // age or Δt; NaN once the column is written again.
  private readonly filledFor: Float64Array;
  private readonly gDecayed: (y: number, delta: number) => number;

  constructor(readonly params: ReadoutParams, private readonly cells: CellValues) {
    const { rows, cols, lambdaPerToken, retention: mode, ownRates } = params;
    const n = rows * cols;
    this.reads = new Float64Array(n);
    this.y = new Float64Array(n);
    const perToken = ownRates && mode === "token";
    this.rho = new Float64Array(perToken ? n : 0);
    this.delta = new Float64Array(perToken ? n : 0).fill(1);
    this.deltaAge = new Int32Array(cols);
    if (perToken) {
      for (let c = 0; c < n; c++) this.rho[c] = cells.stuck[c] !== NOT_STUCK ? 1 : retention(cellRate(lambdaPerToken, cells.ret[c]), 1);
    }
    this.filledFor = new Float64Array(cols).fill(NaN);
    // the same functions gDecayed(y, δ, nonlinearity) dispatches to, chosen once, not per cell
    this.gDecayed = params.nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed;
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
    const { rows, lambdaPerToken: lambda, retention: mode, ownRates } = this.params;
    const base = j * rows;
    const { reads, y, gDecayed } = this;
    const { gain, offset, stuck, ret } = this.cells;
    if (!ownRates) {
      const columnDelta = mode === "token" ? retention(lambda, elapsed) : retentionInTime(lambda, elapsed);
      if (this.filledFor[j] === columnDelta) return;
      this.filledFor[j] = columnDelta;
      for (let c = base; c < base + rows; c++) {
        reads[c] = realisedCurrent(gDecayed(y[c], stuck[c] !== NOT_STUCK ? 1 : columnDelta), gain[c], offset[c]);
      }
      return;
    }
    if (this.filledFor[j] === elapsed) return;
    this.filledFor[j] = elapsed;
    if (mode === "time") {
      for (let c = base; c < base + rows; c++) {
        const delta = stuck[c] !== NOT_STUCK ? 1 : retentionInTime(cellRate(lambda, ret[c]), elapsed);
        reads[c] = realisedCurrent(gDecayed(y[c], delta), gain[c], offset[c]);
      }
      return;
    }
    const { rho, delta } = this;
    // reads only move forward in age; were one to go back, δ starts again from its write
    const back = elapsed < this.deltaAge[j];
    const steps = back ? elapsed : elapsed - this.deltaAge[j];
    this.deltaAge[j] = elapsed;
    for (let c = base; c < base + rows; c++) {
      let dc = back ? 1 : delta[c];
      for (let k = 0; k < steps; k++) dc *= rho[c];
      delta[c] = dc;
      reads[c] = realisedCurrent(gDecayed(y[c], dc), gain[c], offset[c]);
    }
  }
}
