// One head's view of a realised chip for the functional model (docs/model.md §7): its cell reads, its
// converter offsets and the σ of its per-event noise, from ChipOptions checked against the
// configuration (errors name the field, as ConfigErrors under "chip.").
import { ConfigError } from "../errors.js";
import type { QuantGrid } from "../laws/quantise.js";
import { drawRealisation, subTilesOf, type Realisation } from "../laws/realisation.js";
import { checkSeed, IDEAL_VARIATION, validateVariation } from "../laws/variation.js";
import type { ChipOptions, FunctionalConfig } from "./api.js";
import { CellReads, LevelReads, type ColumnReads } from "./cellReads.js";

/** A head's chip: where its cell reads come from, its converters' offsets and its noise. */
export interface HeadChip {
  readonly reads: ColumnReads;
  /** S_off of each K column, M values (docs/model.md §7 CPC offset). */
  readonly cpcOffset: Float64Array;
  /** A_off of each signed CPC, ⌈M/tile⌉×D values (docs/model.md §7 signed-CPC offset). */
  readonly scpcOffset: Float64Array;
  readonly sigmaS: number;
  readonly sigmaA: number;
  readonly sigmaQ: number;
  readonly noiseSeed: number;
  /** The head index the per-event draws are keyed by. */
  readonly head: number;
}

/** Checks that `r` was drawn for this configuration; throws ConfigError naming chip.realisation. */
export function checkRealisationFits(r: Realisation, cfg: FunctionalConfig, D: number): void {
  const want = { windowM: cfg.windowM, D, tile: cfg.tile };
  for (const [field, n] of Object.entries(want)) {
    const has = r.shape[field as keyof typeof want];
    if (has !== n) throw new ConfigError(`chip.realisation.shape.${field}`, `${has} does not match the configuration's ${n}: draw or read the realisation for this configuration`);
  }
}

/**
 * Head `head` of `chip` over T tokens. Per-cell reads (CellReads) when the chip has a realisation,
 * write noise or time retention; otherwise the ideal table (LevelReads), with any read noise and
 * jitter added by the caller.
 */
export function headChip(chip: ChipOptions, cfg: FunctionalConfig, T: number, D: number, head: number, grid: QuantGrid, kCodes: Int32Array, vCodes: Int32Array): HeadChip {
  const noise = validateVariation(chip.noise ?? IDEAL_VARIATION, "chip.noise");
  const noiseSeed = checkSeed(chip.noiseSeed ?? 0, "chip.noiseSeed");
  const retention = chip.retention ?? "token";
  if (retention !== "token" && retention !== "time") throw new ConfigError("chip.retention", `${JSON.stringify(retention)} is not "token" or "time"`);
  if (retention === "time") {
    const times = chip.times;
    if (times === undefined) throw new ConfigError("chip.times", "time retention needs each token's times (tokenTimes of src/laws/tokenTiming.ts)");
    if (times.writeEndPs.length < T) throw new ConfigError("chip.times", `hold ${times.writeEndPs.length} tokens; the inputs have ${T}`);
  }
  const M = cfg.windowM;
  const nSigned = Math.ceil(M / cfg.tile) * D;
  let realisation = chip.realisation;
  let realisationHead = head;
  if (realisation !== undefined) {
    checkRealisationFits(realisation, cfg, D);
    if (head >= realisation.shape.heads) throw new ConfigError("chip.realisation.shape.heads", `${realisation.shape.heads} heads; head ${head} is not among them`);
  }
  const perCell = realisation !== undefined || noise.sigmaWrite !== 0 || retention === "time";
  if (perCell && realisation === undefined) {
    realisation = drawRealisation(IDEAL_VARIATION, { heads: 1, windowM: M, D, tile: cfg.tile }, 0);
    realisationHead = 0;
  }
  const reads = perCell
    ? new CellReads(grid, cfg, kCodes, vCodes, D, { realisation: realisation!, realisationHead, head, sigmaWrite: noise.sigmaWrite, noiseSeed, retention, times: chip.times })
    : new LevelReads(grid, cfg, kCodes, vCodes, D);
  const r = realisation;
  const nSub = r === undefined ? 0 : subTilesOf(r.shape);
  return {
    reads,
    cpcOffset: r === undefined ? new Float64Array(M) : r.cpcOffset.subarray(realisationHead * M, (realisationHead + 1) * M),
    scpcOffset: r === undefined ? new Float64Array(nSigned) : r.scpcOffset.subarray(realisationHead * nSub * D, (realisationHead + 1) * nSub * D),
    sigmaS: noise.sigmaS,
    sigmaA: noise.sigmaA,
    sigmaQ: noise.sigmaQ,
    noiseSeed,
    head,
  };
}
