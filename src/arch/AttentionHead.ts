// AttentionHead: one head of docs/model.md §2 wired from its blocks: controller, slot pointer, write
// drivers, PWM drivers, ⌈M/tile⌉ sub-tiles and the accumulator. Wiring only; behaviour lives in
// the blocks (docs/architecture.md: arch, wiring only).
import { codeBits, countBits, PWM_DRIVER_DEFAULTS } from "../analog/params.js";
import { outGrid } from "../laws/quantise.js";
import { Accumulator } from "../control/Accumulator.js";
import { SlotPointer } from "../control/SlotPointer.js";
import { TokenSequencer, type PhaseCycles } from "../control/TokenSequencer.js";
import { DEFAULT_BLOCKS, type BlockFactories, type PwmDriverPorts, type WriteDriverPorts } from "./blocks.js";
import type { HeadPart } from "./chip.js";
import type { AcceleratorConfig } from "./config.js";
import { Module } from "../engine/Module.js";
import type { Bit } from "../engine/Signal.js";
import { SubTile } from "./SubTile.js";

/** A head: takes tokens on its sequencer's ready/valid port, produces Σ_b o_{b,d} in its accumulator. */
export class AttentionHead extends Module {
  readonly seq: TokenSequencer;
  readonly ptr: SlotPointer;
  readonly writeDriver: WriteDriverPorts;
  readonly pwm: PwmDriverPorts[] = [];
  readonly subTiles: SubTile[] = [];
  readonly acc: Accumulator;

  /**
   * `chip` is this head's part of a realised chip (docs/model.md §7); the ideal chip's without.
   * `blocks` makes its analog blocks (blocks.ts); the project's by default.
   */
  constructor(parent: Module, name: string, c: AcceleratorConfig, clk: Bit, chip?: HeadPart, blocks: BlockFactories = DEFAULT_BLOCKS) {
    super(parent, name);
    const qBits = codeBits(c.levelsQ);
    const kvBits = codeBits(c.levelsKv);
    const phases: PhaseCycles = [c.loadCycles, c.writeCycles, c.precharge1Cycles, c.phase1Cycles,
      c.precharge2Cycles, c.phase2Cycles, c.convertCycles, c.accumulateCycles];
    const seq = (this.seq = new TokenSequencer(this, "seq", { qBits: c.D * qBits, kBits: c.D * kvBits, vBits: c.D * kvBits }, phases));
    this.connect(seq.clk, clk);
    const ptr = (this.ptr = new SlotPointer(this, "ptr", { windowM: c.windowM, tile: c.tile }));
    this.connect(ptr.load, seq.load);

    const wd = (this.writeDriver = blocks.writeDriver(this, "wdrv", { rows: c.D, levelsKv: c.levelsKv }, chip?.writeNoise));
    this.connect(wd.write, seq.write);
    this.connect(wd.kCodes, seq.kCodes);
    this.connect(wd.vCodes, seq.vCodes);

    for (let d = 0; d < c.D; d++) {
      const jitter = chip?.jitter && { ...chip.jitter, row: d };
      const pwm = blocks.pwmDriver(this, `pwm[${d}]`, { ...PWM_DRIVER_DEFAULTS, levelsQ: c.levelsQ, tMaxPs: c.tMaxPs }, jitter);
      this.connect(pwm.phase1, seq.phase1);
      // the driver's 4-bit code is its slice of the latched q bus
      this.comb([seq.qCodes], [pwm.code], () => pwm.code.set(seq.qCodes.getBits(d * qBits, qBits)), `qslice${d}`);
      this.pwm.push(pwm);
    }

    const nSub = Math.ceil(c.windowM / c.tile);
    for (let b = 0; b < nSub; b++) {
      const slots = Math.min(c.tile, c.windowM - b * c.tile); // the last sub-tile holds M mod tile slots
      const sub = new SubTile(this, `sub[${b}]`, b, slots, c, chip?.subTile(b, slots), blocks);
      for (const array of [sub.kArray, sub.vArray]) {
        this.connect(array.write, seq.write);
        this.connect(array.token, ptr.token);
        this.connect(array.subTile, ptr.subTile);
        this.connect(array.column, ptr.column);
      }
      this.connect(sub.kArray.precharge, seq.precharge1);
      this.connect(sub.kArray.phase, seq.phase1);
      this.connect(sub.vArray.precharge, seq.precharge2);
      this.connect(sub.vArray.phase, seq.phase2);
      for (let d = 0; d < c.D; d++) {
        this.connect(sub.kArray.bitLines[d], wd.blk[d]);
        this.connect(sub.vArray.bitLines[d], wd.blv[d]);
        this.connect(sub.kArray.widths[d], this.pwm[d].width);
      }
      this.connect(sub.cpcs[0].phase2, seq.phase2); // the row's columns share one strobe
      this.connect(sub.signedCpcs[0].convert, seq.convert);
      this.subTiles.push(sub);
    }

    const grid = outGrid(c.levelsOut);
    const acc = (this.acc = new Accumulator(this, "acc", {
      subTiles: nSub,
      dims: c.D,
      maxMagnitude: grid.codeMax,
      countBits: countBits(c.levelsOut),
      stepOut: grid.step,
      aOut: c.aOut,
      bOut: c.bOut,
    }));
    this.connect(acc.accumulate, seq.accumulate);
    this.subTiles.forEach((sub, b) => sub.signedCpcs.forEach((scpc, d) => {
      this.connect(acc.counts[b][d].sign, scpc.sign);
      this.connect(acc.counts[b][d].count, scpc.count);
    }));
  }
}
