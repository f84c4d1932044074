// The sums a gain-cell array's integrators settle to (docs/model.md §1 stage 1 and stage 2; §7 a
// realised chip's cells): per written column Σ_d (width_d/T_max)·read(j, d) (K), per row
// Σ_j (φ_j/T_max)·read(j, d) (V), over the cells ArrayReads holds, in µA × (pulse/T_max).
import { OFFSETS_KEPT } from "../laws/DecayedReadTable.js";
import type { ArrayReads } from "./ArrayReads.js";

// invariant: the sums hold the read offsets of four columns at once (ArrayReads.at)
if (OFFSETS_KEPT < 4) throw new Error(`ArraySums reads four columns per pass, but DecayedReadTable keeps ${OFFSETS_KEPT} offsets`);

/**
 * The sums of one array's reads. Terms are added in the functional model's order (rows ascending
 * for K, columns ascending for V); four columns are summed side by side, four independent chains
 * of additions the CPU overlaps, each still in that order, so every sum is the same number as one
 * column at a time. A realised chip's cells are read and summed by the law both models share, four
 * columns per pass too (CellReadout.columnSums, accumulateColumns).
 */
export class ArraySums {
  private lut: Float64Array = new Float64Array(0);
  private readonly activeRow: Int32Array;
  private readonly activeFrac: Float64Array;
  private readonly elapsed: Float64Array;

  /** `tokenPath` names the token port in errors (a token earlier than a write). */
  constructor(private readonly reads: ArrayReads, private readonly rows: number, private readonly cols: number, private readonly tokenPath: string) {
    this.activeRow = new Int32Array(rows);
    this.activeFrac = new Float64Array(rows);
    this.elapsed = new Float64Array(cols);
  }

  /**
   * Stage 1 at token t, read at `readPs`: sums[j] = Σ_d rowFrac[d]·read(j, d) for each written column
   * (0 for the others), their columns ascending into `columns`; returns how many. Rows with no pulse
   * add ±0, which leaves a sum started at +0 unchanged, so they are skipped.
   */
  stage1(rowFrac: Float64Array, t: number, readPs: number, sums: Float64Array, columns: Int32Array): number {
    const { rows, cols } = this;
    const rowOf = this.activeRow;
    const frac = this.activeFrac;
    let n = 0;
    for (let d = 0; d < rows; d++) {
      if (rowFrac[d] === 0) continue;
      rowOf[n] = d;
      frac[n] = rowFrac[d];
      n++;
    }
    const vi = this.reads.index;
    const written = this.reads.written;
    let m = 0;
    for (let j = 0; j < cols; j++) {
      sums[j] = 0;
      if (written[j] === 1) columns[m++] = j;
    }
    const cells = this.reads.cells;
    // docs/model.md §7: every row in order (a row without a pulse adds ±0, which changes no sum)
    if (cells !== null) {
      cells.columnSums(columns, m, this.elapsedOf(columns, m, t, readPs), rowFrac, sums);
      return m;
    }
    if (n === 0) return m;
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const j0 = columns[k], j1 = columns[k + 1], j2 = columns[k + 2], j3 = columns[k + 3];
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
      const j = columns[k];
      const o = this.readsAt(j, t);
      const lut = this.lut;
      const b = j * rows;
      let s = 0;
      for (let i = 0; i < n; i++) s += frac[i] * lut[o + vi[b + rowOf[i]]];
      sums[j] = s;
    }
    return m;
  }

  /** Stage 2 at token t, read at `readPs`: rowSum[d] = Σ_k fracOf[k]·read(columns[k], d) over the m columns read, in order. */
  stage2(fracOf: Float64Array, columns: Int32Array, m: number, t: number, readPs: number, rowSum: Float64Array): void {
    const rows = this.rows;
    const vi = this.reads.index;
    rowSum.fill(0);
    const cells = this.reads.cells;
    if (cells !== null) {
      cells.accumulateColumns(columns, m, this.elapsedOf(columns, m, t, readPs), fracOf, rowSum);
      return;
    }
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const j0 = columns[k], j1 = columns[k + 1], j2 = columns[k + 2], j3 = columns[k + 3];
      const f0 = fracOf[k], f1 = fracOf[k + 1], f2 = fracOf[k + 2], f3 = fracOf[k + 3];
      const o0 = this.readsAt(j0, t), o1 = this.readsAt(j1, t), o2 = this.readsAt(j2, t), o3 = this.readsAt(j3, t);
      const lut = this.lut;
      const b0 = j0 * rows, b1 = j1 * rows, b2 = j2 * rows, b3 = j3 * rows;
      for (let d = 0; d < rows; d++) {
        let a = rowSum[d];
        a += f0 * lut[o0 + vi[b0 + d]];
        a += f1 * lut[o1 + vi[b1 + d]];
        a += f2 * lut[o2 + vi[b2 + d]];
        a += f3 * lut[o3 + vi[b3 + d]];
        rowSum[d] = a;
      }
    }
    for (; k < m; k++) {
      const j = columns[k];
      const f = fracOf[k];
      const o = this.readsAt(j, t);
      const lut = this.lut;
      const b = j * rows;
      for (let d = 0; d < rows; d++) rowSum[d] += f * lut[o + vi[b + d]];
    }
  }

  // docs/model.md §1 retention: y → y·δ, δ = exp(−λ·age), age = t − τ tokens. Points `lut` at the
  // table's reads for column j's age and returns the offset to which a cell's index is added; four
  // calls in a row stay valid together.
  private readsAt(j: number, t: number): number {
    const off = this.reads.at(this.reads.ageOf(j, t, this.tokenPath));
    this.lut = this.reads.lut;
    return off;
  }

  // docs/model.md §7: column columns[k]'s read at token t comes its age, or Δt to the phase's rise,
  // after its write: into `elapsed[k]` for k < m (returned).
  private elapsedOf(columns: Int32Array, m: number, t: number, readPs: number): Float64Array {
    const elapsed = this.elapsed;
    for (let k = 0; k < m; k++) elapsed[k] = this.reads.elapsed(columns[k], t, readPs, this.tokenPath);
    return elapsed;
  }
}
