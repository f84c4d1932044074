// AttentionLayer: H heads in parallel on one control clock (docs/model.md §2: all heads run in parallel),
// each fed by its own token stream and read by its own output collector. Wiring only.
import { DEFAULT_BLOCKS, type BlockFactories } from "./blocks.js";
import { headPart, type CheckedChip } from "./chip.js";
import type { AcceleratorConfig } from "./config.js";
import { AttentionHead } from "./AttentionHead.js";
import { Module } from "../engine/Module.js";
import { OutputCollector } from "./testbench/OutputCollector.js";
import { TokenSource, type TokenCodes } from "./testbench/TokenSource.js";

/** The layer with its testbench ends: per head a token source and an output collector. */
export class AttentionLayer extends Module {
  readonly clk: ReturnType<Module["clock"]>;
  readonly heads: AttentionHead[] = [];
  readonly sources: TokenSource[] = [];
  readonly collectors: OutputCollector[] = [];

  /**
   * `codes[h]` is head h's token stream; `scores` also collects every token's stage-1 sums; `chip`
   * makes it a realised chip (docs/model.md §7), its arrival times held by every head's source;
   * head h is the chip's head `firstHead + h` (its noise streams), its cells the realisation's head h;
   * `blocks` makes the heads' analog blocks (blocks.ts), the project's by default.
   */
  constructor(name: string, readonly config: AcceleratorConfig, codes: TokenCodes[], scores = false, chip?: CheckedChip, firstHead = 0, blocks: BlockFactories = DEFAULT_BLOCKS) {
    super(null, name);
    // the first rising edge half a period in, as a clock that starts low
    this.clk = this.clock("clk", { periodPs: config.clockPeriodPs });
    codes.forEach((stream, h) => {
      const head = new AttentionHead(this, `head[${h}]`, config, this.clk, chip && headPart(config, chip, h, firstHead + h), blocks);
      const source = new TokenSource(this, `source[${h}]`, stream, undefined, chip?.arrivalsPs);
      this.connect(source.clk, this.clk);
      this.connect(source.ready, head.seq.ready);
      this.connect(head.seq.valid, source.valid);
      this.connect(head.seq.qIn, source.qIn);
      this.connect(head.seq.kIn, source.kIn);
      this.connect(head.seq.vIn, source.vIn);
      const charges = scores ? head.subTiles.flatMap((s) => s.kArray.charges) : null;
      const collector = new OutputCollector(this, `sink[${h}]`, head.acc, stream.T, charges, config.tMaxPs, () => {
        // the run ends, like $finish, once every head has delivered its last token
        if (this.done) this.finish();
      });
      this.connect(collector.outValid, head.acc.outValid);
      this.connect(collector.phase2, head.seq.phase2);
      this.heads.push(head);
      this.sources.push(source);
      this.collectors.push(collector);
    });
  }

  /** True once every head has produced every token's result. */
  get done(): boolean {
    return this.collectors.every((c) => c.done);
  }
}
