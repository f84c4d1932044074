// OutputCollector: the testbench end of a head's results: records each token's signed sums when
// the accumulator raises outValid (results come out in token order), and optionally its scores.
import { fcPerSpecCharge } from "../../analog/params.js";
import type { Accumulator } from "../../control/Accumulator.js";
import { Module } from "../../engine/Module.js";
import type { Real } from "../../engine/Signal.js";

/** Collects T tokens of D signed sums (and M scores, when asked) from one head. */
export class OutputCollector extends Module {
  readonly outValid = this.bit("outValid", "in");
  /** Rises when PHASE 2 starts: the column charges then hold the token's stage-1 sums. */
  readonly phase2 = this.bit("phase2", "in");
  /** Signed sums Σ_b o_{b,d}/step per token, T×D. */
  readonly sums: Int32Array;
  /** Stage-1 sums S_j per token and physical slot, T×M, when requested. */
  readonly scores: Float64Array | null;
  /** Tokens collected so far. */
  collected = 0;
  private scored = 0;

  constructor(
    parent: Module | null,
    name: string,
    private readonly accumulator: Accumulator,
    readonly tokens: number,
    columnCharges: readonly Real[] | null,
    private readonly tMaxPs: number,
    private readonly onDone: () => void,
  ) {
    super(parent, name);
    const dims = accumulator.sums.length;
    this.sums = new Int32Array(tokens * dims);
    this.scores = columnCharges ? new Float64Array(tokens * columnCharges.length) : null;
    this.always(this.outValid.posedge, [], () => {
      if (this.collected >= this.tokens) return;
      const base = this.collected * dims;
      for (let d = 0; d < dims; d++) this.sums[base + d] = this.accumulator.signedSum(d);
      if (++this.collected === this.tokens) this.onDone();
    }, { label: "collect", reads: accumulator.sums });
    if (columnCharges) {
      this.always(this.phase2.posedge, [], () => {
        if (this.scored >= this.tokens) return;
        const base = this.scored * columnCharges.length;
        const fc = fcPerSpecCharge(this.tMaxPs);
        for (let j = 0; j < columnCharges.length; j++) this.scores![base + j] = columnCharges[j].get() / fc;
        this.scored++;
      }, { label: "score", reads: columnCharges });
    }
  }

  /** True once every token's result is in. */
  get done(): boolean {
    return this.collected >= this.tokens;
  }
}
