// WriteDriver: the K and V write DACs and bit-line drivers of one head (docs/model.md §1 k, v levels; §2 DACs;
// §3 WRITE; §7 write noise).
import { checkFields } from "../fieldChecks.js";
import type { RealBus } from "../engine/Bus.js";
import { Module } from "../engine/Module.js";
import type { Real, WideVec } from "../engine/Signal.js";
import { SignalValueError } from "../errors.js";
import { eventNoise, STREAM } from "../laws/draws.js";
import { NOT_STUCK, storedVoltage } from "../laws/nonideal.js";
import { kvGrid } from "../laws/quantise.js";
import { codeBits, WRITE_DRIVER_CHECKS, WRITE_DRIVER_DEFAULTS, type EventNoise, type WriteDriverParams } from "./params.js";

/**
 * 2 × rows DACs: at the rising edge of `write` each drives its bit line to code × 0.9/(levelsKv − 1) V
 * and holds it until the next write, so the trace shows the voltages of the column being written.
 * With write noise (docs/model.md §7) each line is the level + N(0, σ_write), clamped to [0, 0.9] V:
 * row d of token t draws (seed, writeK or writeV, head, t, d), t counting the writes from 0.
 */
export class WriteDriver extends Module {
  /** WRITE strobe from the sequencer (docs/model.md §3: 8 cycles). */
  readonly write = this.bit("write", "in");
  /** Latched k codes of the current token: code d at bits codeBits·d … codeBits·d + codeBits − 1. */
  readonly kCodes: WideVec;
  /** Latched v codes, packed like kCodes. */
  readonly vCodes: WideVec;
  /** K write bit lines `blk_<d>`, V. */
  readonly blk: Real[] = [];
  /** V write bit lines `blv_<d>`, V. */
  readonly blv: Real[] = [];

  readonly params: WriteDriverParams;
  /** Bits per code on kCodes and vCodes. */
  readonly bitsPerCode: number;
  // The DAC step, 0.9/(levelsKv − 1) V, from the quantiser's grid: the stored voltage is
  // step·code, the very value the functional model forms when it quantises k and v (docs/model.md §1).
  private readonly stepV: number;
  private readonly maxCode: number;
  private readonly noise: EventNoise | undefined;
  // Each row's write noise for the token being written, V (0 without noise).
  private readonly kNoise: Float64Array;
  private readonly vNoise: Float64Array;
  // The bit lines, driven in one call per array (engine buses), and their voltages, V.
  private readonly blkBus: RealBus;
  private readonly blvBus: RealBus;
  private readonly kVolts: Float64Array;
  private readonly vVolts: Float64Array;
  // State: writes so far, the index of the token being written (keys the noise draws).
  private writes = 0;

  /** `writeNoise` adds the write noise of a realised chip (docs/model.md §7). */
  constructor(parent: Module | null, name: string, params: Partial<WriteDriverParams> = {}, writeNoise?: EventNoise) {
    super(parent, name);
    const p = (this.params = checkFields(params, WRITE_DRIVER_CHECKS, WRITE_DRIVER_DEFAULTS, this.path));
    const grid = kvGrid(p.levelsKv);
    this.stepV = grid.step;
    this.maxCode = grid.codeMax;
    this.bitsPerCode = codeBits(p.levelsKv);
    this.noise = writeNoise !== undefined && writeNoise.sigma !== 0 ? writeNoise : undefined;
    this.kNoise = new Float64Array(p.rows);
    this.vNoise = new Float64Array(p.rows);
    this.kCodes = this.wide("kCodes", p.rows * this.bitsPerCode, "in");
    this.vCodes = this.wide("vCodes", p.rows * this.bitsPerCode, "in");
    for (let d = 0; d < p.rows; d++) {
      this.blk.push(this.real(`blk_${d}`, "V", "out"));
      this.blv.push(this.real(`blv_${d}`, "V", "out"));
    }
    this.blkBus = this.busOf(this.blk);
    this.blvBus = this.busOf(this.blv);
    this.kVolts = new Float64Array(p.rows);
    this.vVolts = new Float64Array(p.rows);
    this.always(this.write.posedge, [...this.blk, ...this.blv], () => this.drive());
  }

  private drive(): void {
    const bits = this.bitsPerCode;
    const rows = this.params.rows;
    const token = this.writes++;
    const noise = this.noise;
    const { kNoise, vNoise, kVolts, vVolts } = this;
    if (noise !== undefined) {
      // K then V, each in row order: neighbouring rows share a Philox draw (normalAt)
      for (let d = 0; d < rows; d++) kNoise[d] = eventNoise(noise.sigma, noise.seed, STREAM.writeK, noise.head, token, d);
      for (let d = 0; d < rows; d++) vNoise[d] = eventNoise(noise.sigma, noise.seed, STREAM.writeV, noise.head, token, d);
    }
    for (let d = 0; d < rows; d++) {
      kVolts[d] = storedVoltage(this.stepV * this.codeAt(this.kCodes, d * bits, d), kNoise[d], NOT_STUCK);
      vVolts[d] = storedVoltage(this.stepV * this.codeAt(this.vCodes, d * bits, d), vNoise[d], NOT_STUCK);
    }
    this.blkBus.write(kVolts);
    this.blvBus.write(vVolts);
  }

  // A code above levelsKv − 1 fits the bus when levelsKv is not a power of two, but no DAC level
  // exists for it: it can only come from a wiring or latching fault upstream, so it is an error.
  private codeAt(bus: WideVec, lo: number, d: number): number {
    const code = bus.getBits(lo, this.bitsPerCode);
    if (code > this.maxCode) {
      throw new SignalValueError(`${bus.path}[${d}]: code ${code} is above the top DAC level ${this.maxCode} (levelsKv ${this.params.levelsKv})`);
    }
    return code;
  }
}
