// VerifyBench: a layer under verification: H heads of one configuration, each fed by a token
// source that stalls when told to and read by an output collector, watched by the protocol
// monitors and covered by the protocol's cover points. It ends one clock tick after the last result,
// so the monitors and the coverage see every sequencer go back to IDLE.
import { AttentionHead } from "../arch/AttentionHead.js";
import { withBlocks, type BlockFactories } from "../arch/blocks.js";
import { headPart, type CheckedChip } from "../arch/chip.js";
import type { AcceleratorConfig } from "../arch/config.js";
import { OutputCollector } from "../arch/testbench/OutputCollector.js";
import { TokenSource, type TokenCodes } from "../arch/testbench/TokenSource.js";
import { Module } from "../engine/Module.js";
import type { Bit } from "../engine/Signal.js";
import { Checker, type CheckerOptions } from "./Checker.js";
import { Coverage } from "./Coverage.js";
import { checkHead, coverHeads, type HeadPorts } from "./protocol.js";
import type { MonitoredDesign } from "./runMonitored.js";

/** Options of a bench: the checker's, and what the monitors watch of each head. */
export interface VerifyBenchOptions extends CheckerOptions {
  /**
   * The ports of head h the protocol monitors read (the head itself by default); a test can put a
   * deliberately broken block, declared under `bench`, between a head and its monitors.
   */
  view?: (head: AttentionHead, h: number, bench: VerifyBench) => HeadPorts;
  /** A realised chip (docs/model.md §7) for the heads; the ideal chip without. */
  chip?: CheckedChip;
  /** Analog blocks swapped for the project's (src/arch/blocks.ts): the monitors watch their ports. */
  blocks?: Partial<BlockFactories>;
}

/** The testbench: heads, their stalling sources and collectors, a checker and the coverage. */
export class VerifyBench extends Module implements MonitoredDesign {
  readonly clk: Bit;
  readonly heads: AttentionHead[] = [];
  readonly sources: TokenSource[] = [];
  readonly collectors: OutputCollector[] = [];
  readonly checker: Checker;
  readonly coverage: Coverage;

  /** `streams[h]` is head h's tokens; at rising edge e its source holds `valid` low when `stalls[h][e]` is 1. */
  constructor(readonly config: AcceleratorConfig, streams: readonly TokenCodes[], stalls: readonly Uint8Array[], options: VerifyBenchOptions = {}) {
    super(null, "layer");
    this.clk = this.clock("clk", { periodPs: config.clockPeriodPs });
    const blocks = withBlocks(options.blocks);
    streams.forEach((codes, h) => {
      const head = new AttentionHead(this, `head[${h}]`, config, this.clk, options.chip && headPart(config, options.chip, h), blocks);
      const source = new TokenSource(this, `source[${h}]`, codes, (edge) => stalls[h]?.[edge] === 1);
      this.connect(source.clk, this.clk);
      this.connect(source.ready, head.seq.ready);
      this.connect(head.seq.valid, source.valid);
      for (const bus of ["qIn", "kIn", "vIn"] as const) this.connect(head.seq[bus], source[bus]);
      const collector = new OutputCollector(this, `sink[${h}]`, head.acc, codes.T, null, config.tMaxPs, () => {});
      this.connect(collector.outValid, head.acc.outValid);
      this.connect(collector.phase2, head.seq.phase2);
      this.heads.push(head);
      this.sources.push(source);
      this.collectors.push(collector);
    });
    this.checker = new Checker(this, "checker", this.clk, options);
    this.heads.forEach((head, h) => checkHead(this.checker, options.view?.(head, h, this) ?? head, config, `head[${h}].`));
    this.coverage = new Coverage(this, "coverage", this.clk);
    coverHeads(this.coverage, this.heads, config);
    this.always(this.clk.posedge, [], () => {
      const collectors = this.collectors;
      for (let h = 0; h < collectors.length; h++) if (!collectors[h].done) return;
      this.finish();
    }, "endOfTest");
  }

  /** MonitoredDesign: the bench is its own top. */
  get top(): Module {
    return this;
  }

  /** MonitoredDesign: the protocol checker. */
  get checkers(): readonly Checker[] {
    return [this.checker];
  }

  /** Tokens every head has delivered. */
  get tokensDone(): number {
    return Math.min(...this.collectors.map((c) => c.collected));
  }

  /** Σ_b o_{b,d} counts of every token, head and dim, (T, H, D) as runAttention gives them. */
  outCodes(T: number): Int32Array {
    const H = this.collectors.length;
    const D = this.config.D;
    const out = new Int32Array(T * H * D);
    this.collectors.forEach((col, h) => {
      for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) out[(t * H + h) * D + d] = col.sums[t * D + d];
    });
    return out;
  }
}
