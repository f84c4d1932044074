// Accumulator: the digital sum over sub-tiles of the signed CPC counts, out_d = Σ_b o_{b,d}, and
// the a_o·x + b_o output scaling (docs/model.md §1 digital sum, §3 ACCUMULATE).
import type { VecBus } from "../engine/Bus.js";
import { Module } from "../engine/Module.js";
import type { Bit, Real, Vec } from "../engine/Signal.js";

/** One signed count from a signed CPC: sign (1 = negative) and magnitude. */
export interface SignedCount {
  sign: Bit;
  count: Vec;
}

/** Sizes and scaling of the adder tree. */
export interface AccumulatorParams {
  /** Sub-tiles summed, ⌈M/tile⌉. */
  subTiles: number;
  /** Output dimensions D. */
  dims: number;
  /** Largest magnitude one signed CPC reports (16 for 32 output levels). */
  maxMagnitude: number;
  /** Width of each count input. */
  countBits: number;
  /** Value of one count step: 2/(levelsOut − 1). */
  stepOut: number;
  aOut: number;
  bOut: number;
}

/** Adder tree over sub-tiles; results appear when ACCUMULATE ends and `outValid` rises. */
export class Accumulator extends Module {
  readonly accumulate = this.bit("accumulate", "in");
  /** High from the end of ACCUMULATE until the next one begins: `sum_d` and `out_d` hold a token's result. */
  readonly outValid = this.bit("outValid", "out");
  /** Σ_b of signed counts per dimension, two's complement. */
  readonly sums: Vec[] = [];
  /** aOut·step·sum + bOut per dimension. */
  readonly outs: Real[] = [];
  /** Inputs: counts[b][d]. */
  readonly counts: SignedCount[][] = [];
  /** Bits of each sum: wide enough for ±subTiles·maxMagnitude, so the tree never overflows. */
  readonly sumBits: number;
  private readonly totals: Int32Array;
  // Per sub-tile, its signs and its counts read in one call each (engine buses), and their values.
  private readonly signBuses: VecBus[] = [];
  private readonly countBuses: VecBus[] = [];
  private readonly signs: Float64Array;
  private readonly magnitudes: Float64Array;

  constructor(parent: Module | null, name: string, readonly params: AccumulatorParams) {
    super(parent, name);
    const { subTiles, dims, maxMagnitude } = params;
    // magnitude bits of the largest sum, plus a sign bit
    this.sumBits = Math.ceil(Math.log2(subTiles * maxMagnitude + 1)) + 1;
    for (let b = 0; b < subTiles; b++) {
      const row: SignedCount[] = [];
      for (let d = 0; d < dims; d++) {
        row.push({ sign: this.bit(`sign_${b}_${d}`, "in"), count: this.vec(`count_${b}_${d}`, params.countBits, "in") });
      }
      this.counts.push(row);
    }
    for (let d = 0; d < dims; d++) {
      this.sums.push(this.vec(`sum_${d}`, this.sumBits, "out"));
      this.outs.push(this.real(`out_${d}`, "", "out"));
    }
    this.totals = new Int32Array(dims);
    for (const row of this.counts) {
      this.signBuses.push(this.busOf(row.map((c) => c.sign)));
      this.countBuses.push(this.busOf(row.map((c) => c.count)));
    }
    this.signs = new Float64Array(dims);
    this.magnitudes = new Float64Array(dims);
    // one process for both edges of the strobe: outValid has one driver
    this.always(this.accumulate.anyedge, [...this.sums, ...this.outs, this.outValid], () => this.onStrobe(), "adderTree");
  }

  /** Signed value of sum `d` (two's complement decode). */
  signedSum(d: number): number {
    const v = this.sums[d].get();
    return v >= 2 ** (this.sumBits - 1) ? v - 2 ** this.sumBits : v;
  }

  // ACCUMULATE rising: the result held so far is no longer valid; falling: the sum is ready.
  private onStrobe(): void {
    if (this.accumulate.get() === 1) this.outValid.set(0);
    else this.sum();
  }

  private sum(): void {
    const { subTiles, dims, stepOut, aOut, bOut } = this.params;
    const { totals, signs, magnitudes } = this;
    totals.fill(0);
    for (let b = 0; b < subTiles; b++) {
      this.signBuses[b].read(signs);
      this.countBuses[b].read(magnitudes);
      for (let d = 0; d < dims; d++) totals[d] += signs[d] === 1 ? -magnitudes[d] : magnitudes[d];
    }
    for (let d = 0; d < dims; d++) {
      this.sums[d].set(totals[d]);
      this.outs[d].set(aOut * (stepOut * totals[d]) + bOut);
    }
    this.outValid.set(1);
  }
}
