// A layer's outputs in the functional model's (T, H, D) layout, filled head by head from what each
// head's output collector gathered, whether the heads ran in one design or apart.
import { outGrid } from "../laws/quantise.js";
import type { AcceleratorConfig } from "./config.js";

/** out, its integer counts and, when asked, the stage-1 sums of a layer of H heads over T tokens. */
export class LayerOutputs {
  /** Σ_b o_{b,d} per token, head and dim, (T, H, D), before a_o, b_o. */
  readonly out: Float64Array;
  /** The same as integer counts (out = step · count). */
  readonly outCodes: Int32Array;
  /** Stage-1 sums, (T, H, M), when asked. */
  readonly scores: Float64Array | undefined;
  private readonly stepOut: number;
  private readonly M: number;

  constructor(c: AcceleratorConfig, readonly T: number, readonly H: number, readonly D: number, withScores: boolean) {
    this.out = new Float64Array(T * H * D);
    this.outCodes = new Int32Array(T * H * D);
    this.M = c.windowM;
    this.scores = withScores ? new Float64Array(T * H * this.M) : undefined;
    this.stepOut = outGrid(c.levelsOut).step;
  }

  /** Places head h's counts (T×D, as its collector holds them) and its scores (T×M) when asked. */
  place(h: number, sums: Int32Array, scores: Float64Array | null): void {
    const { T, H, D } = this;
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        const code = sums[t * D + d];
        this.outCodes[(t * H + h) * D + d] = code;
        this.out[(t * H + h) * D + d] = this.stepOut * code;
      }
    }
    if (scores !== null) this.placeScores(h, scores);
  }

  /** Places head h's stage-1 sums (T×M) when the layer keeps scores. */
  placeScores(h: number, scores: Float64Array): void {
    const { T, H, M } = this;
    if (this.scores === undefined) return;
    for (let t = 0; t < T; t++) this.scores.set(scores.subarray(t * M, (t + 1) * M), (t * H + h) * M);
  }
}
