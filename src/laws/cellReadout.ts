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
 * each in the one-column order, so each sum is the same number.
 */
export class CellReadout {
  // y = V − 0.45 of the voltage each cell holds
  private readonly y: Float64Array;
  // γ and β of each cell, but 0 and the constant read of a stuck cell: γ·g + β is then that read
  // whatever the cell's δ, so no cell is tested on the way (0·g adds ±0, which changes no sum)
  private readonly gain: Float64Array;
  private readonly offset: Float64Array;
  // Own rates: each cell's δ for the column's last read; per token also its step ρ and the age the
  // column's δ are at.
  private readonly delta: Float64Array;
  private readonly rho: Float64Array;
  private readonly deltaAge: Int32Array;
  private readonly gDecayed: (y: number, delta: number) => number;

  constructor(readonly params: ReadoutParams, private readonly cells: CellValues) {
    const { rows, cols, lambdaPerToken, retention: mode, ownRates } = params;
    const n = rows * cols;
    this.y = new Float64Array(n);
    // the same functions gDecayed(y, δ, nonlinearity) dispatches to, chosen once, not per cell
    const g = (this.gDecayed = params.nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed);
    this.gain = Float64Array.from(cells.gain);
    this.offset = Float64Array.from(cells.offset);
    for (let c = 0; c < n; c++) {
      const v = cells.stuck[c];
      if (v === NOT_STUCK) continue;
      this.gain[c] = 0;
      this.offset[c] = realisedCurrent(g(v - ZERO_POINT_V, 1), cells.gain[c], cells.offset[c]);
    }
    this.delta = new Float64Array(ownRates ? n : 0).fill(1);
    this.rho = new Float64Array(ownRates && mode === "token" ? n : 0);
    for (let c = 0; c < this.rho.length; c++) this.rho[c] = retention(cellRate(lambdaPerToken, cells.ret[c]), 1);
    this.deltaAge = new Int32Array(cols);
  }

  /** Cell (row d, column j) is written with `volts` (after write noise): a stuck cell keeps its own voltage. */
  write(j: number, d: number, volts: number): void {
    const c = j * this.params.rows + d;
    this.y[c] = storedVoltage(volts, 0, this.cells.stuck[c]) - ZERO_POINT_V;
    if (this.rho.length > 0) this.delta[c] = 1;
    this.deltaAge[j] = 0;
  }

  /** The voltage cell (row d, column j) holds, V, before decay. */
  storedVolts(j: number, d: number): number {
    return this.y[j * this.params.rows + d] + ZERO_POINT_V;
  }

  /**
   * Stage 1 of a K column read `elapsed` after its write (an age in tokens, or Δt in ps in time
   * mode): Σ_d frac[d]·read(j, d), rows in order d = 0..rows−1 (a row without a pulse has frac 0).
   */
  columnSum(j: number, elapsed: number, frac: Float64Array): number {
    const rows = this.params.rows;
    const base = j * rows;
    const { y, gain, offset, gDecayed } = this;
    let s = 0;
    if (!this.params.ownRates) {
      const delta = this.columnDelta(elapsed);
      for (let d = 0; d < rows; d++) s += frac[d] * realisedCurrent(gDecayed(y[base + d], delta), gain[base + d], offset[base + d]);
      return s;
    }
    if (this.nextStep(j, elapsed)) {
      // one token on: each cell's δ steps once, in the same pass
      const { delta, rho } = this;
      for (let d = 0; d < rows; d++) {
        const c = base + d;
        const dc = (delta[c] *= rho[c]);
        s += frac[d] * realisedCurrent(gDecayed(y[c], dc), gain[c], offset[c]);
      }
      return s;
    }
    const own = this.ownDeltas(j, elapsed);
    for (let d = 0; d < rows; d++) s += frac[d] * realisedCurrent(gDecayed(y[base + d], own[base + d]), gain[base + d], offset[base + d]);
    return s;
  }

  /**
   * Stage 1 of the K columns `columns[0 … m−1]`, column columns[k] read `elapsed[k]` after its write:
   * sums[columns[k]] = columnSum(columns[k], elapsed[k], frac), four columns per pass (below).
   */
  columnSums(columns: Int32Array, m: number, elapsed: Float64Array, frac: Float64Array, sums: Float64Array): void {
    const rows = this.params.rows;
    const { y, gain, offset, delta, rho, gDecayed } = this;
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const j0 = columns[k], j1 = columns[k + 1], j2 = columns[k + 2], j3 = columns[k + 3];
      const b0 = j0 * rows, b1 = j1 * rows, b2 = j2 * rows, b3 = j3 * rows;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (!this.params.ownRates) {
        const x0 = this.columnDelta(elapsed[k]), x1 = this.columnDelta(elapsed[k + 1]), x2 = this.columnDelta(elapsed[k + 2]), x3 = this.columnDelta(elapsed[k + 3]);
        for (let d = 0; d < rows; d++) {
          const f = frac[d];
          s0 += f * realisedCurrent(gDecayed(y[b0 + d], x0), gain[b0 + d], offset[b0 + d]);
          s1 += f * realisedCurrent(gDecayed(y[b1 + d], x1), gain[b1 + d], offset[b1 + d]);
          s2 += f * realisedCurrent(gDecayed(y[b2 + d], x2), gain[b2 + d], offset[b2 + d]);
          s3 += f * realisedCurrent(gDecayed(y[b3 + d], x3), gain[b3 + d], offset[b3 + d]);
        }
      } else if (this.nextSteps(columns, k, elapsed)) {
        for (let d = 0; d < rows; d++) {
          const f = frac[d];
          const c0 = b0 + d, c1 = b1 + d, c2 = b2 + d, c3 = b3 + d;
          s0 += f * realisedCurrent(gDecayed(y[c0], (delta[c0] *= rho[c0])), gain[c0], offset[c0]);
          s1 += f * realisedCurrent(gDecayed(y[c1], (delta[c1] *= rho[c1])), gain[c1], offset[c1]);
          s2 += f * realisedCurrent(gDecayed(y[c2], (delta[c2] *= rho[c2])), gain[c2], offset[c2]);
          s3 += f * realisedCurrent(gDecayed(y[c3], (delta[c3] *= rho[c3])), gain[c3], offset[c3]);
        }
      } else {
        s0 = this.columnSum(j0, elapsed[k], frac);
        s1 = this.columnSum(j1, elapsed[k + 1], frac);
        s2 = this.columnSum(j2, elapsed[k + 2], frac);
        s3 = this.columnSum(j3, elapsed[k + 3], frac);
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
   * ascending, four columns per pass (below).
   */
  accumulateColumns(columns: Int32Array, m: number, elapsed: Float64Array, fracOf: Float64Array, sum: Float64Array): void {
    const rows = this.params.rows;
    const { y, gain, offset, delta, rho, gDecayed } = this;
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const j0 = columns[k], j1 = columns[k + 1], j2 = columns[k + 2], j3 = columns[k + 3];
      const f0 = fracOf[k], f1 = fracOf[k + 1], f2 = fracOf[k + 2], f3 = fracOf[k + 3];
      const b0 = j0 * rows, b1 = j1 * rows, b2 = j2 * rows, b3 = j3 * rows;
      if (!this.params.ownRates) {
        const x0 = this.columnDelta(elapsed[k]), x1 = this.columnDelta(elapsed[k + 1]), x2 = this.columnDelta(elapsed[k + 2]), x3 = this.columnDelta(elapsed[k + 3]);
        for (let d = 0; d < rows; d++) {
          let a = sum[d];
          a += f0 * realisedCurrent(gDecayed(y[b0 + d], x0), gain[b0 + d], offset[b0 + d]);
          a += f1 * realisedCurrent(gDecayed(y[b1 + d], x1), gain[b1 + d], offset[b1 + d]);
          a += f2 * realisedCurrent(gDecayed(y[b2 + d], x2), gain[b2 + d], offset[b2 + d]);
          a += f3 * realisedCurrent(gDecayed(y[b3 + d], x3), gain[b3 + d], offset[b3 + d]);
          sum[d] = a;
        }
      } else if (this.nextSteps(columns, k, elapsed)) {
        for (let d = 0; d < rows; d++) {
          const c0 = b0 + d, c1 = b1 + d, c2 = b2 + d, c3 = b3 + d;
          let a = sum[d];
          a += f0 * realisedCurrent(gDecayed(y[c0], (delta[c0] *= rho[c0])), gain[c0], offset[c0]);
          a += f1 * realisedCurrent(gDecayed(y[c1], (delta[c1] *= rho[c1])), gain[c1], offset[c1]);
          a += f2 * realisedCurrent(gDecayed(y[c2], (delta[c2] *= rho[c2])), gain[c2], offset[c2]);
          a += f3 * realisedCurrent(gDecayed(y[c3], (delta[c3] *= rho[c3])), gain[c3], offset[c3]);
          sum[d] = a;
        }
      } else {
        this.accumulate(j0, elapsed[k], f0, sum);
        this.accumulate(j1, elapsed[k + 1], f1, sum);
        this.accumulate(j2, elapsed[k + 2], f2, sum);
        this.accumulate(j3, elapsed[k + 3], f3, sum);
      }
    }
    for (; k < m; k++) this.accumulate(columns[k], elapsed[k], fracOf[k], sum);
  }

  /** Stage 2 of a V column read `elapsed` after its write under a pulse fraction f: sum[d] += f·read(j, d). */
  accumulate(j: number, elapsed: number, f: number, sum: Float64Array): void {
    const rows = this.params.rows;
    const base = j * rows;
    const { y, gain, offset, gDecayed } = this;
    if (!this.params.ownRates) {
      const delta = this.columnDelta(elapsed);
      for (let d = 0; d < rows; d++) sum[d] += f * realisedCurrent(gDecayed(y[base + d], delta), gain[base + d], offset[base + d]);
      return;
    }
    if (this.nextStep(j, elapsed)) {
      const { delta, rho } = this;
      for (let d = 0; d < rows; d++) {
        const c = base + d;
        const dc = (delta[c] *= rho[c]);
        sum[d] += f * realisedCurrent(gDecayed(y[c], dc), gain[c], offset[c]);
      }
      return;
    }
    const own = this.ownDeltas(j, elapsed);
    for (let d = 0; d < rows; d++) sum[d] += f * realisedCurrent(gDecayed(y[base + d], own[base + d]), gain[base + d], offset[base + d]);
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

  // Each cell's own δ for column j, in `delta` (returned): in time, exp(−λ·r·Δt/t_token); per
  // token, ρ^age from the age the column's δ are at (one step a token when read every token).
  private ownDeltas(j: number, elapsed: number): Float64Array {
    const { rows, lambdaPerToken: lambda } = this.params;
    const { delta, rho } = this;
    const end = j * rows + rows;
    if (this.params.retention === "time") {
      const ret = this.cells.ret;
      for (let c = j * rows; c < end; c++) delta[c] = retentionInTime(cellRate(lambda, ret[c]), elapsed);
      return delta;
    }
    // reads only move forward in age; were one to go back, δ starts again from its write
    const back = elapsed < this.deltaAge[j];
    const steps = back ? elapsed : elapsed - this.deltaAge[j];
    this.deltaAge[j] = elapsed;
    for (let c = j * rows; c < end; c++) {
      let dc = back ? 1 : delta[c];
      for (let k = 0; k < steps; k++) dc *= rho[c];
      delta[c] = dc;
    }
    return delta;
  }
}
