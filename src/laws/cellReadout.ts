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

// A cell's values at c·stride + …: y, γ, β, then with own rates δ, then per token ρ.
const Y = 0;
const GAIN = 1;
const OFFSET = 2;
const DELTA = 3;
const RHO = 4;

// Each cell's γ, β (a stuck cell's 0 and its constant read), δ = 1 and ρ = exp(−λ·r), as far as
// the stride holds them, into `cell`. A function of its own, not the constructor's loop: V8 left
// the constructor's loop for its interpreter at each call for want of feedback (8 bailouts in three
// runs of a head, about 4 % of a CPU profile).
function fillCells(cells: CellValues, g: (y: number, delta: number) => number, lambdaPerToken: number, S: number, cell: Float64Array): void {
  const { gain, offset, ret, stuck } = cells;
  for (let c = 0, i = 0; c < stuck.length; c++, i += S) {
    const v = stuck[c];
    cell[i + GAIN] = v === NOT_STUCK ? gain[c] : 0;
    cell[i + OFFSET] = v === NOT_STUCK ? offset[c] : realisedCurrent(g(v - ZERO_POINT_V, 1), gain[c], offset[c]);
    if (S > DELTA) cell[i + DELTA] = 1;
    if (S > RHO) cell[i + RHO] = retention(cellRate(lambdaPerToken, ret[c]), 1);
  }
}

/**
 * A cell's read is γ·g((V − 0.45)·δ) + β µA per unit pulse, with δ = 1 for a stuck cell (its own
 * voltage V) and otherwise (docs/model.md §7):
 * - the column's δ = exp(−λ·age) (token) or exp(−λ·Δt/t_token) (time), as the ideal chip;
 * - with own rates in time, exp(−λ·r·Δt/t_token) per cell;
 * - with own rates per token, ρ^age with ρ = exp(−λ·r), as age − 1 successive multiplications
 *   (ρ·ρ·…): a cell costs one multiplication per token instead of an exponential, and the value
 *   differs from exp(−λ·r·age) in the last bits only (about age·2^−53 relative). Being a function
 *   of (ρ, age) alone, it does not depend on which tokens a column was read at.
 * The reads are formed and summed in one pass (columnSum for a K column, accumulate for a V
 * column), the way both models integrate them, without storing them: a realised chip's reads change
 * with every token, and a pass over memory is what a read costs. The arrays read four columns per
 * pass (columnSums, accumulateColumns): four independent chains of additions the CPU overlaps,
 * each in the one-column order, so each sum is the same number. A cell's values lie side by side
 * (y, γ, β, δ, ρ), so that a pass reads one run of memory per column rather than one per value
 * (measured: 1.45 against 2.4 ns a cell for four columns with own rates).
 */
export class CellReadout {
  // Per cell c = j·rows + d, at c·stride: y = V − 0.45 of the voltage it holds; γ and β, but 0 and
  // the constant read of a stuck cell (γ·g + β is then that read whatever its δ, so no cell is
  // tested on the way: 0·g adds ±0, which changes no sum); with own rates its δ for the column's
  // last read, and per token its step ρ.
  private readonly cell: Float64Array;
  private readonly stride: number;
  // Own rates per token: the age each column's δ are at.
  private readonly deltaAge: Int32Array;
  private readonly gDecayed: (y: number, delta: number) => number;

  constructor(readonly params: ReadoutParams, private readonly cells: CellValues) {
    const { rows, cols, lambdaPerToken, retention: mode, ownRates } = params;
    const n = rows * cols;
    // the same functions gDecayed(y, δ, nonlinearity) dispatches to, chosen once, not per cell
    const g = (this.gDecayed = params.nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed);
    this.stride = !ownRates ? DELTA : mode === "token" ? RHO + 1 : DELTA + 1;
    this.cell = new Float64Array(n * this.stride);
    this.deltaAge = new Int32Array(cols);
    fillCells(cells, g, lambdaPerToken, this.stride, this.cell);
  }

  /** Cell (row d, column j) is written with `volts` (after write noise): a stuck cell keeps its own voltage. */
  write(j: number, d: number, volts: number): void {
    const c = j * this.params.rows + d;
    const i = c * this.stride;
    this.cell[i + Y] = storedVoltage(volts, 0, this.cells.stuck[c]) - ZERO_POINT_V;
    if (this.stride > RHO) this.cell[i + DELTA] = 1;
    this.deltaAge[j] = 0;
  }

  /** The voltage cell (row d, column j) holds, V, before decay. */
  storedVolts(j: number, d: number): number {
    return this.cell[(j * this.params.rows + d) * this.stride + Y] + ZERO_POINT_V;
  }

  /**
   * Stage 1 of a K column read `elapsed` after its write (an age in tokens, or Δt in ps in time
   * mode): Σ_d frac[d]·read(j, d), rows in order d = 0..rows−1 (a row without a pulse has frac 0).
   */
  columnSum(j: number, elapsed: number, frac: Float64Array): number {
    const { cell: a, stride: S, gDecayed: g } = this;
    const rows = this.params.rows;
    let s = 0;
    if (!this.params.ownRates) {
      const x = this.columnDelta(elapsed);
      for (let d = 0, i = j * rows * S; d < rows; d++, i += S) s += frac[d] * realisedCurrent(g(a[i + Y], x), a[i + GAIN], a[i + OFFSET]);
      return s;
    }
    // one token on (the usual case: a read every token), each cell's δ steps once in the same pass
    const step = this.nextStep(j, elapsed);
    if (!step) this.ownDeltas(j, elapsed);
    for (let d = 0, i = j * rows * S; d < rows; d++, i += S) s += frac[d] * realisedCurrent(g(a[i + Y], step ? (a[i + DELTA] *= a[i + RHO]) : a[i + DELTA]), a[i + GAIN], a[i + OFFSET]);
    return s;
  }

  /** Stage 2 of a V column read `elapsed` after its write under a pulse fraction f: sum[d] += f·read(j, d). */
  accumulate(j: number, elapsed: number, f: number, sum: Float64Array): void {
    const { cell: a, stride: S, gDecayed: g } = this;
    const rows = this.params.rows;
    if (!this.params.ownRates) {
      const x = this.columnDelta(elapsed);
      for (let d = 0, i = j * rows * S; d < rows; d++, i += S) sum[d] += f * realisedCurrent(g(a[i + Y], x), a[i + GAIN], a[i + OFFSET]);
      return;
    }
    const step = this.nextStep(j, elapsed);
    if (!step) this.ownDeltas(j, elapsed);
    for (let d = 0, i = j * rows * S; d < rows; d++, i += S) sum[d] += f * realisedCurrent(g(a[i + Y], step ? (a[i + DELTA] *= a[i + RHO]) : a[i + DELTA]), a[i + GAIN], a[i + OFFSET]);
  }

  /**
   * Stage 1 of the K columns `columns[0 … m−1]`, column columns[k] read `elapsed[k]` after its write:
   * sums[columns[k]] = columnSum(columns[k], elapsed[k], frac), four columns per pass (above).
   */
  columnSums(columns: Int32Array, m: number, elapsed: Float64Array, frac: Float64Array, sums: Float64Array): void {
    const { cell: a, stride: S, gDecayed: g } = this;
    const span = this.params.rows * S;
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const j0 = columns[k], j1 = columns[k + 1], j2 = columns[k + 2], j3 = columns[k + 3];
      const own = this.params.ownRates;
      if (own && !this.nextSteps(columns, k, elapsed)) {
        for (let i = k; i < k + 4; i++) sums[columns[i]] = this.columnSum(columns[i], elapsed[i], frac);
        continue;
      }
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      const rows = this.params.rows;
      let i0 = j0 * span, i1 = j1 * span, i2 = j2 * span, i3 = j3 * span;
      // two loops rather than a test per cell: V8 does not take such a test out of the loop
      if (own) {
        for (let d = 0; d < rows; d++, i0 += S, i1 += S, i2 += S, i3 += S) {
          const f = frac[d];
          s0 += f * realisedCurrent(g(a[i0 + Y], (a[i0 + DELTA] *= a[i0 + RHO])), a[i0 + GAIN], a[i0 + OFFSET]);
          s1 += f * realisedCurrent(g(a[i1 + Y], (a[i1 + DELTA] *= a[i1 + RHO])), a[i1 + GAIN], a[i1 + OFFSET]);
          s2 += f * realisedCurrent(g(a[i2 + Y], (a[i2 + DELTA] *= a[i2 + RHO])), a[i2 + GAIN], a[i2 + OFFSET]);
          s3 += f * realisedCurrent(g(a[i3 + Y], (a[i3 + DELTA] *= a[i3 + RHO])), a[i3 + GAIN], a[i3 + OFFSET]);
        }
      } else {
        const x0 = this.columnDelta(elapsed[k]), x1 = this.columnDelta(elapsed[k + 1]), x2 = this.columnDelta(elapsed[k + 2]), x3 = this.columnDelta(elapsed[k + 3]);
        for (let d = 0; d < rows; d++, i0 += S, i1 += S, i2 += S, i3 += S) {
          const f = frac[d];
          s0 += f * realisedCurrent(g(a[i0 + Y], x0), a[i0 + GAIN], a[i0 + OFFSET]);
          s1 += f * realisedCurrent(g(a[i1 + Y], x1), a[i1 + GAIN], a[i1 + OFFSET]);
          s2 += f * realisedCurrent(g(a[i2 + Y], x2), a[i2 + GAIN], a[i2 + OFFSET]);
          s3 += f * realisedCurrent(g(a[i3 + Y], x3), a[i3 + GAIN], a[i3 + OFFSET]);
        }
      }
      sums[j0] = s0;
      sums[j1] = s1;
      sums[j2] = s2;
      sums[j3] = s3;
    }
    for (; k < m; k++) sums[columns[k]] = this.columnSum(columns[k], elapsed[k], frac);
  }

  /**
   * Stage 2 of the V columns `columns[0 … m−1]`, column columns[k] read `elapsed[k]` after its write
   * under the pulse fraction fracOf[k]: accumulate(columns[k], elapsed[k], fracOf[k], sum) for k
   * ascending, four columns per pass (above).
   */
  accumulateColumns(columns: Int32Array, m: number, elapsed: Float64Array, fracOf: Float64Array, sum: Float64Array): void {
    const { cell: a, stride: S, gDecayed: g } = this;
    const span = this.params.rows * S;
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const own = this.params.ownRates;
      if (own && !this.nextSteps(columns, k, elapsed)) {
        for (let i = k; i < k + 4; i++) this.accumulate(columns[i], elapsed[i], fracOf[i], sum);
        continue;
      }
      const f0 = fracOf[k], f1 = fracOf[k + 1], f2 = fracOf[k + 2], f3 = fracOf[k + 3];
      const rows = this.params.rows;
      let i0 = columns[k] * span, i1 = columns[k + 1] * span, i2 = columns[k + 2] * span, i3 = columns[k + 3] * span;
      if (own) {
        for (let d = 0; d < rows; d++, i0 += S, i1 += S, i2 += S, i3 += S) {
          let s = sum[d];
          s += f0 * realisedCurrent(g(a[i0 + Y], (a[i0 + DELTA] *= a[i0 + RHO])), a[i0 + GAIN], a[i0 + OFFSET]);
          s += f1 * realisedCurrent(g(a[i1 + Y], (a[i1 + DELTA] *= a[i1 + RHO])), a[i1 + GAIN], a[i1 + OFFSET]);
          s += f2 * realisedCurrent(g(a[i2 + Y], (a[i2 + DELTA] *= a[i2 + RHO])), a[i2 + GAIN], a[i2 + OFFSET]);
          s += f3 * realisedCurrent(g(a[i3 + Y], (a[i3 + DELTA] *= a[i3 + RHO])), a[i3 + GAIN], a[i3 + OFFSET]);
          sum[d] = s;
        }
      } else {
        const x0 = this.columnDelta(elapsed[k]), x1 = this.columnDelta(elapsed[k + 1]), x2 = this.columnDelta(elapsed[k + 2]), x3 = this.columnDelta(elapsed[k + 3]);
        for (let d = 0; d < rows; d++, i0 += S, i1 += S, i2 += S, i3 += S) {
          let s = sum[d];
          s += f0 * realisedCurrent(g(a[i0 + Y], x0), a[i0 + GAIN], a[i0 + OFFSET]);
          s += f1 * realisedCurrent(g(a[i1 + Y], x1), a[i1 + GAIN], a[i1 + OFFSET]);
          s += f2 * realisedCurrent(g(a[i2 + Y], x2), a[i2 + GAIN], a[i2 + OFFSET]);
          s += f3 * realisedCurrent(g(a[i3 + Y], x3), a[i3 + GAIN], a[i3 + OFFSET]);
          sum[d] = s;
        }
      }
    }
    for (; k < m; k++) this.accumulate(columns[k], elapsed[k], fracOf[k], sum);
  }

  // The column's δ, as the ideal chip's.
  private columnDelta(elapsed: number): number {
    const lambda = this.params.lambdaPerToken;
    return this.params.retention === "token" ? retention(lambda, elapsed) : retentionInTime(lambda, elapsed);
  }

  // True when column j's own δ are one token behind `elapsed` (the usual case: a read every token):
  // the caller steps them in its pass, and the column is then at `elapsed`.
  private nextStep(j: number, elapsed: number): boolean {
    if (this.params.retention !== "token" || elapsed !== this.deltaAge[j] + 1) return false;
    this.deltaAge[j] = elapsed;
    return true;
  }

  // nextStep for columns[k … k+3] together, per token and each read later than its δ are: true,
  // the columns' own δ brought to one token before their `elapsed` (ownDeltas, when not read at
  // the token before) for the caller to step in its pass, and the columns then at `elapsed`. A δ
  // is ρ multiplied in age times from 1 however it got there, so this is the same number as
  // columnSum's or accumulate's. Otherwise (in time, or a column read again at its age or earlier,
  // as when just written) false, and no column is touched.
  private nextSteps(columns: Int32Array, k: number, elapsed: Float64Array): boolean {
    if (this.params.retention !== "token") return false;
    const age = this.deltaAge;
    for (let i = k; i < k + 4; i++) if (elapsed[i] <= age[columns[i]]) return false;
    for (let i = k; i < k + 4; i++) {
      if (elapsed[i] !== age[columns[i]] + 1) this.ownDeltas(columns[i], elapsed[i] - 1);
      age[columns[i]] = elapsed[i];
    }
    return true;
  }

  // Each cell's own δ for column j at `elapsed`: in time, exp(−λ·r·Δt/t_token); per token, ρ^age
  // from the age the column's δ are at (one step a token when read every token).
  private ownDeltas(j: number, elapsed: number): void {
    const { rows, lambdaPerToken: lambda } = this.params;
    const { cell: a, stride: S } = this;
    if (this.params.retention === "time") {
      const ret = this.cells.ret;
      for (let c = j * rows, i = c * S; c < j * rows + rows; c++, i += S) a[i + DELTA] = retentionInTime(cellRate(lambda, ret[c]), elapsed);
      return;
    }
    // reads only move forward in age; were one to go back, δ starts again from its write
    const back = elapsed < this.deltaAge[j];
    const steps = back ? elapsed : elapsed - this.deltaAge[j];
    this.deltaAge[j] = elapsed;
    for (let d = 0, i = j * rows * S; d < rows; d++, i += S) {
      let x = back ? 1 : a[i + DELTA];
      for (let k = 0; k < steps; k++) x *= a[i + RHO];
      a[i + DELTA] = x;
    }
  }
}
