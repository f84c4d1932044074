// How the functional model's stages read a column's cells (docs/model.md §1, §7): a K column's stage-1
// sum under the q pulses, a V column's contribution to the row sums under its φ pulse. The ideal
// chip reads one table of g per (age, K/V level) shared by every cell; a realised chip reads each
// cell through the §7 laws (src/laws/cellReadout.ts, which the gain-cell arrays use too): its stored
// voltage (write noise, stuck), its retention, its gain and offset.
import { CellReadout, hasOwnRates } from "../laws/cellReadout.js";
import { DecayedReadTable } from "../laws/DecayedReadTable.js";
import { eventNoise, STREAM } from "../laws/draws.js";
import { NOT_STUCK, storedVoltage, type RetentionMode } from "../laws/nonideal.js";
import type { QuantGrid } from "../laws/quantise.js";
import type { Realisation } from "../laws/realisation.js";
import type { TokenTimes } from "../laws/tokenTiming.js";
import type { FunctionalConfig } from "./api.js";

/** A head's cell reads, column by column, rows in order d = 0..D−1. */
export interface ColumnReads {
  /** Stores token t in its slot (docs/model.md §3 WRITE), before the token's reads. */
  write(t: number): void;
  /** Stage 1 at query t of K column s, the slot holding token t − age (PHASE 1): Σ_d pulse[d]·read_d. */
  kSum(s: number, t: number, age: number, pulse: Float64Array): number;
  /** Stage 2 at query t of V column s under pulse fraction `fraction` (PHASE 2): charge[d] += fraction·read_d. */
  vAccumulate(s: number, t: number, age: number, fraction: number, charge: Float64Array): void;
}

/** The ideal chip, retention per token: g((step·level − 0.45)·δ(age)) from a DecayedReadTable indexed by the tokens' codes. */
export class LevelReads implements ColumnReads {
  private readonly table: DecayedReadTable;

  /** `kCodes`, `vCodes`: the K/V level codes of every token, T×D. */
  constructor(grid: QuantGrid, cfg: FunctionalConfig, private readonly kCodes: Int32Array, private readonly vCodes: Int32Array, private readonly D: number) {
    this.table = new DecayedReadTable(cfg.lambdaPerToken, cfg.nonlinearity);
    // the quantised voltage is step·code (docs/model.md §1); registered in order, its index is the code
    for (let level = 0; level < grid.levels; level++) this.table.indexOf(grid.step * level);
  }

  write(): void {}

  kSum(s: number, t: number, age: number, pulse: Float64Array): number {
    const off = this.table.rowOffset(age);
    const lut = this.table.table; // read after rowOffset: a growing table is reallocated
    const { kCodes, D } = this;
    const base = (t - age) * D;
    let score = 0;
    for (let d = 0; d < D; d++) score += pulse[d] * lut[off + kCodes[base + d]];
    return score;
  }

  vAccumulate(s: number, t: number, age: number, fraction: number, charge: Float64Array): void {
    const off = this.table.rowOffset(age);
    const lut = this.table.table;
    const { vCodes, D } = this;
    const base = (t - age) * D;
    for (let d = 0; d < D; d++) charge[d] += fraction * lut[off + vCodes[base + d]];
  }
}

/** What a realised head needs besides its codes: its chip, its noise and how retention is counted. */
export interface RealisedHead {
  /** The chip and which of its heads this is. */
  readonly realisation: Realisation;
  readonly realisationHead: number;
  /** The head index the per-event draws are keyed by. */
  readonly head: number;
  readonly sigmaWrite: number;
  readonly noiseSeed: number;
  readonly retention: RetentionMode;
  /** Token times; read only in `time` mode. */
  readonly times: TokenTimes | undefined;
}

/**
 * A realised chip: each slot's K and V cells read through the §7 laws (src/laws/cellReadout.ts),
 * written per token through storedVoltage (write noise; stuck cells keep their voltage), read by
 * age or by simulated time from the end of the slot's WRITE to the start of PHASE 1 (K) or
 * PHASE 2 (V) (docs/model.md §7).
 */
export class CellReads implements ColumnReads {
  private readonly k: CellReadout;
  private readonly v: CellReadout;

  constructor(
    private readonly grid: QuantGrid,
    private readonly cfg: FunctionalConfig,
    private readonly kCodes: Int32Array,
    private readonly vCodes: Int32Array,
    private readonly D: number,
    private readonly chip: RealisedHead,
  ) {
    const cells = cfg.windowM * D;
    const r = chip.realisation;
    const from = chip.realisationHead * cells;
    const slice = (a: Float64Array) => a.subarray(from, from + cells);
    const params = { rows: D, cols: cfg.windowM, lambdaPerToken: cfg.lambdaPerToken, nonlinearity: cfg.nonlinearity, retention: chip.retention };
    this.k = new CellReadout({ ...params, ownRates: hasOwnRates(slice(r.kRet)) }, { gain: slice(r.kGain), offset: slice(r.kOffset), ret: slice(r.kRet), stuck: slice(r.kStuck) });
    this.v = new CellReadout({ ...params, ownRates: hasOwnRates(slice(r.vRet)) }, { gain: slice(r.vGain), offset: slice(r.vOffset), ret: slice(r.vRet), stuck: slice(r.vStuck) });
  }

  write(t: number): void {
    const { D, chip, grid } = this;
    const slot = t % this.cfg.windowM;
    // K then V, each in row order: neighbouring rows share a Philox draw (normalAt)
    for (let d = 0; d < D; d++) {
      const noise = eventNoise(chip.sigmaWrite, chip.noiseSeed, STREAM.writeK, chip.head, t, d);
      this.k.write(slot, d, storedVoltage(grid.step * this.kCodes[t * D + d], noise, NOT_STUCK));
    }
    for (let d = 0; d < D; d++) {
      const noise = eventNoise(chip.sigmaWrite, chip.noiseSeed, STREAM.writeV, chip.head, t, d);
      this.v.write(slot, d, storedVoltage(grid.step * this.vCodes[t * D + d], noise, NOT_STUCK));
    }
  }

  kSum(s: number, t: number, age: number, pulse: Float64Array): number {
    const times = this.chip.times;
    return this.k.columnSum(s, this.chip.retention === "token" ? age : times!.phase1Ps[t] - times!.writeEndPs[t - age], pulse);
  }

  vAccumulate(s: number, t: number, age: number, fraction: number, charge: Float64Array): void {
    const times = this.chip.times;
    this.v.accumulate(s, this.chip.retention === "token" ? age : times!.phase2Ps[t] - times!.writeEndPs[t - age], fraction, charge);
  }
}
