// ChargeRamp: the breakpoints of an integrator's charge during one read phase, for the trace (docs/model.md
// §1 read current, §3 PHASE 1/2). Not a block: GainCellArray's plan of the vertices it gives when traced.

/**
 * The inputs of a read phase are pulses that all rise at the phase's start and fall round(w) ps
 * later (the engine's time step; q pulses on whole ns, φ pulses at their own ps). Between two falls
 * every current is constant, so each integrated charge is piecewise linear in time, with a
 * breakpoint at each fall. At a breakpoint τ a pulse that has fallen has given its whole exact
 * width w and one still high has given τ: the charge there is Σ (that)/T_max · read, and at the
 * last fall it is the phase's final charge, summed the same way.
 */
export class ChargeRamp {
  /** The breakpoints of the phase, ps after its start, ascending: `fallsPs[0 .. count)`. */
  readonly fallsPs: Float64Array;
  /** Breakpoints planned. */
  count = 0;
  private readonly widthsPs: Float64Array;
  private readonly edgesPs: Float64Array;
  private nInputs = 0;

  /** For a phase of at most `inputs` pulses, all over within `phasePs` (the publication's delay). */
  constructor(inputs: number, private readonly tMaxPs: number, private readonly phasePs: number) {
    this.fallsPs = new Float64Array(inputs);
    this.widthsPs = new Float64Array(inputs);
    this.edgesPs = new Float64Array(inputs);
  }

  /**
   * Plans a phase from the input pulse widths, ps (0: no pulse): its breakpoints are the distinct
   * falls after the start and before `phasePs`, where the charges are published anyway.
   */
  plan(widthPs: (i: number) => number, inputs: number): void {
    const { widthsPs, edgesPs, fallsPs } = this;
    this.nInputs = inputs;
    let n = 0;
    for (let i = 0; i < inputs; i++) {
      const w = (widthsPs[i] = widthPs(i));
      const edge = (edgesPs[i] = Math.round(w));
      if (edge <= 0 || edge >= this.phasePs) continue;
      // insertion into the ascending distinct falls: a phase has at most a row's or a tile's inputs
      let k = n;
      while (k > 0 && fallsPs[k - 1] > edge) k--;
      if (k > 0 && fallsPs[k - 1] === edge) continue;
      fallsPs.copyWithin(k + 1, k, n);
      fallsPs[k] = edge;
      n++;
    }
    this.count = n;
  }

  /** Each input's pulse fraction given by `atPs` after the start: w/T_max once fallen, else atPs/T_max. */
  fractionsAt(atPs: number, out: Float64Array): void {
    const { widthsPs, edgesPs, tMaxPs } = this;
    for (let i = 0; i < this.nInputs; i++) out[i] = widthsPs[i] === 0 ? 0 : (edgesPs[i] <= atPs ? widthsPs[i] : atPs) / tMaxPs;
  }
}
