// Where the functional model's stages find a column's cell reads, per unit pulse (docs/model.md §1, §7):
// lut[off + idx[base + d]] for rows d = 0..D−1. The ideal chip reads one table of g per (age,
// K/V level) shared by every cell; a realised chip evaluates each cell through the §7 laws: its
// stored voltage (write noise, stuck), its own retention, its gain and offset.
import { DecayedReadTable } from "../laws/DecayedReadTable.js";
import { gCubicDecayed, gLinearDecayed, retention, ZERO_POINT_V } from "../laws/deviceLaw.js";
import { eventNoise, STREAM } from "../laws/draws.js";
import { cellRate, NOT_STUCK, realisedCurrent, retentionInTime, storedVoltage, type RetentionMode } from "../laws/nonideal.js";
import type { QuantGrid } from "../laws/quantise.js";
import type { Realisation } from "../laws/realisation.js";
import type { TokenTimes } from "../laws/tokenTiming.js";
import type { FunctionalConfig } from "./api.js";

/** A head's cell reads: after readK/readV, column s's read of row d is lut[off + idx[base + d]]. */
export interface ColumnReads {
  lut: Float64Array;
  off: number;
  idx: Int32Array;
  base: number;
  /** Stores token t in its slot (docs/model.md §3 WRITE), before the token's reads. */
  write(t: number): void;
  /** Points at K column s's reads at query t, the slot holding token t − age (PHASE 1). */
  readK(s: number, t: number, age: number): void;
  /** Points at V column s's reads at query t (PHASE 2); called only right after readK of the same slot and token. */
  readV(s: number, t: number, age: number): void;
}

/** The ideal chip, retention per token: g((step·level − 0.45)·δ(age)) from a DecayedReadTable; idx are the tokens' codes. */
export class LevelReads implements ColumnReads {
  lut: Float64Array;
  off = 0;
  idx: Int32Array;
  base = 0;
  private readonly table: DecayedReadTable;

  /** `kCodes`, `vCodes`: the K/V level codes of every token, T×D. */
  constructor(grid: QuantGrid, cfg: FunctionalConfig, private readonly kCodes: Int32Array, private readonly vCodes: Int32Array, private readonly D: number) {
    this.table = new DecayedReadTable(cfg.lambdaPerToken, cfg.nonlinearity);
    // the quantised voltage is step·code (docs/model.md §1); registered in order, its index is the code
    for (let level = 0; level < grid.levels; level++) this.table.indexOf(grid.step * level);
    this.lut = this.table.table;
    this.idx = kCodes;
  }

  write(): void {}

  readK(s: number, t: number, age: number): void {
    this.off = this.table.rowOffset(age);
    this.lut = this.table.table; // re-read after rowOffset: a growing table is reallocated
    this.idx = this.kCodes;
    this.base = (t - age) * this.D;
  }

  // always after readK of the same slot and token (the V column is read only under its K's pulse): same row
  readV(): void {
    this.idx = this.vCodes;
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
 * A realised chip: the voltages each slot's cells hold, written per token through storedVoltage
 * (write noise, stuck cells), read per cell as γ·g(y·δ) + β with δ from the cell's own rate
 * λ·r, by age or by simulated time, and δ = 1 for a stuck cell (docs/model.md §7).
 */
export class CellReads implements ColumnReads {
  lut: Float64Array;
  off = 0;
  /** The identity 0..D−1: the reads are filled per column, row d at entry d. */
  idx: Int32Array;
  base = 0;
  private readonly kStored: Float64Array;
  private readonly vStored: Float64Array;
  private readonly kColumn: Float64Array;
  private readonly vColumn: Float64Array;
  private readonly gDecayed: (y: number, delta: number) => number;
  // first entry of this head in the realisation's (H, M, D) cell arrays
  private readonly cellBase: number;
  // whether a K / V cell of this head has its own retention rate (some r ≠ 1)
  private readonly kSpread: boolean;
  private readonly vSpread: boolean;

  constructor(
    private readonly grid: QuantGrid,
    private readonly cfg: FunctionalConfig,
    private readonly kCodes: Int32Array,
    private readonly vCodes: Int32Array,
    private readonly D: number,
    private readonly chip: RealisedHead,
  ) {
    const cells = cfg.windowM * D;
    this.kStored = new Float64Array(cells);
    this.vStored = new Float64Array(cells);
    this.kColumn = new Float64Array(D);
    this.vColumn = new Float64Array(D);
    this.idx = Int32Array.from({ length: D }, (_, d) => d);
    this.lut = this.kColumn;
    this.gDecayed = cfg.nonlinearity === "cubic" ? gCubicDecayed : gLinearDecayed;
    this.cellBase = chip.realisationHead * cells;
    const r = chip.realisation;
    this.kSpread = r.kRet.subarray(this.cellBase, this.cellBase + cells).some((x) => x !== 1);
    this.vSpread = r.vRet.subarray(this.cellBase, this.cellBase + cells).some((x) => x !== 1);
  }

  write(t: number): void {
    const { D, chip, grid } = this;
    const slotBase = (t % this.cfg.windowM) * D;
    const stuckBase = this.cellBase + slotBase;
    const { kStuck, vStuck } = chip.realisation;
    // K then V, each in row order: neighbouring rows share a Philox draw (normalAt)
    for (let d = 0; d < D; d++) {
      const noise = eventNoise(chip.sigmaWrite, chip.noiseSeed, STREAM.writeK, chip.head, t, d);
      this.kStored[slotBase + d] = storedVoltage(grid.step * this.kCodes[t * D + d], noise, kStuck[stuckBase + d]);
    }
    for (let d = 0; d < D; d++) {
      const noise = eventNoise(chip.sigmaWrite, chip.noiseSeed, STREAM.writeV, chip.head, t, d);
      this.vStored[slotBase + d] = storedVoltage(grid.step * this.vCodes[t * D + d], noise, vStuck[stuckBase + d]);
    }
  }

  readK(s: number, t: number, age: number): void {
    const { realisation: r, retention: mode, times } = this.chip;
    const elapsed = mode === "token" ? age : times!.phase1Ps[t] - times!.writeEndPs[t - age];
    this.fill(this.kColumn, this.kStored, s, elapsed, r.kGain, r.kOffset, r.kRet, r.kStuck, this.kSpread);
    this.lut = this.kColumn;
  }

  readV(s: number, t: number, age: number): void {
    const { realisation: r, retention: mode, times } = this.chip;
    const elapsed = mode === "token" ? age : times!.phase2Ps[t] - times!.writeEndPs[t - age];
    this.fill(this.vColumn, this.vStored, s, elapsed, r.vGain, r.vOffset, r.vRet, r.vStuck, this.vSpread);
    this.lut = this.vColumn;
  }

  // docs/model.md §7: read = γ·g((V − 0.45)·δ) + β; `elapsed` is the age in tokens or Δt in ps by mode.
  private fill(
    out: Float64Array, stored: Float64Array, s: number, elapsed: number,
    gain: Float64Array, offset: Float64Array, ret: Float64Array, stuck: Float64Array, spread: boolean,
  ): void {
    const D = this.D;
    const lambda = this.cfg.lambdaPerToken;
    const byTime = this.chip.retention === "time";
    const columnDelta = byTime ? retentionInTime(lambda, elapsed) : retention(lambda, elapsed);
    const slotBase = s * D;
    const cellBase = this.cellBase + slotBase;
    for (let d = 0; d < D; d++) {
      const c = cellBase + d;
      let delta = columnDelta;
      if (stuck[c] !== NOT_STUCK) delta = 1; // a stuck cell does not decay
      else if (spread) {
        const rate = cellRate(lambda, ret[c]);
        delta = byTime ? retentionInTime(rate, elapsed) : retention(rate, elapsed);
      }
      out[d] = realisedCurrent(this.gDecayed(stored[slotBase + d] - ZERO_POINT_V, delta), gain[c], offset[c]);
    }
  }
}
