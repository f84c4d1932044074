// A realised chip for the cycle-accurate layer (docs/model.md §7): the realisation, the per-event noise
// and its seed, how retention is counted and when tokens arrive; checked against the configuration,
// cut into each head's and sub-tile's part for the blocks, and turned into the functional model's
// ChipOptions (the same chip, with the token times the controller will produce).
import type { RealisedArray, EventNoise } from "../analog/params.js";
import { ConfigError } from "../errors.js";
import type { ChipOptions } from "../functional/api.js";
import { hasOwnRates, type CellValues } from "../laws/cellReadout.js";
import type { RetentionMode } from "../laws/nonideal.js";
import { REALISATION_ARRAYS, subTilesOf, type Realisation } from "../laws/realisation.js";
import { checkArrivals, scheduleOf, tokenTimes } from "../laws/tokenTiming.js";
import { checkSeed, IDEAL_VARIATION, validateVariation, type Variation } from "../laws/variation.js";
import type { AcceleratorConfig } from "./config.js";

/** A realised chip for runAttention: the functional model's ChipOptions with arrival times in place of token times. */
export interface LayerChip {
  /** The chip's static non-idealities, all heads; its shape must match the configuration. */
  readonly realisation?: Realisation;
  /** σ of the per-event noise: sigmaWrite, sigmaS, sigmaA, sigmaQ (the static σ and p are the realisation's). */
  readonly noise?: Variation;
  /** Seed of the per-event noise; 0 by default. */
  readonly noiseSeed?: number;
  /** Retention per token (the paper's, default) or by simulated time. */
  readonly retention?: RetentionMode;
  /** Each token's arrival time, ps, in order: its source offers it from the first clock edge at or after it. Back to back when absent. */
  readonly arrivalsPs?: ArrayLike<number>;
}

/** A LayerChip checked and filled in: every field present (noise IDEAL_VARIATION, seed 0, retention "token"). */
export interface CheckedChip {
  readonly realisation: Realisation | undefined;
  readonly noise: Variation;
  readonly noiseSeed: number;
  readonly retention: RetentionMode;
  readonly arrivalsPs: ArrayLike<number> | undefined;
}

/** Checks `chip` against the configuration and T tokens; errors name the field (chip.…). */
export function checkChip(c: AcceleratorConfig, chip: LayerChip, T: number): CheckedChip {
  const noise = validateVariation(chip.noise ?? IDEAL_VARIATION, "chip.noise");
  const noiseSeed = checkSeed(chip.noiseSeed ?? 0, "chip.noiseSeed");
  const retention = chip.retention ?? "token";
  if (retention !== "token" && retention !== "time") throw new ConfigError("chip.retention", `${JSON.stringify(retention)} is not "token" or "time"`);
  const r = chip.realisation;
  if (r !== undefined) {
    const want = { heads: c.heads, windowM: c.windowM, D: c.D, tile: c.tile };
    for (const [field, n] of Object.entries(want)) {
      const has = r.shape[field as keyof typeof want];
      if (has !== n) throw new ConfigError(`chip.realisation.shape.${field}`, `${has} does not match the configuration's ${n}: draw or read the realisation for this configuration`);
    }
  }
  if (chip.arrivalsPs !== undefined) checkArrivals(chip.arrivalsPs, T, "chip.arrivalsPs");
  return { realisation: r, noise, noiseSeed, retention, arrivalsPs: chip.arrivalsPs };
}

/** The functional model's view of the same chip over T tokens: token times from the timing law the controller follows. */
export function functionalChip(c: AcceleratorConfig, chip: CheckedChip, T: number): ChipOptions {
  return {
    realisation: chip.realisation,
    noise: chip.noise,
    noiseSeed: chip.noiseSeed,
    retention: chip.retention,
    times: chip.retention === "time" ? tokenTimes(scheduleOf(c), T, chip.arrivalsPs) : undefined,
  };
}

/** One head's part of a chip: the write noise, each row's PWM jitter key, and each sub-tile's part. */
export interface HeadPart {
  readonly writeNoise: EventNoise | undefined;
  readonly jitter: EventNoise | undefined;
  /** Sub-tile b's arrays and converter offsets. */
  subTile(b: number, slots: number): SubTilePart;
}

/** One sub-tile's part of a chip: its K and V arrays' and its converters'. */
export interface SubTilePart {
  readonly k: RealisedArray;
  readonly v: RealisedArray;
  /** S_off of its CPCs, one per slot (undefined: the ideal chip's). */
  readonly cpcOffsets: Float64Array | undefined;
  /** A_off of its signed CPCs, one per row. */
  readonly scpcOffsets: Float64Array | undefined;
}

const noiseOf = (sigma: number, seed: number, head: number): EventNoise | undefined => (sigma === 0 ? undefined : { sigma, seed, head });

/**
 * Head h's part of `chip` for configuration `c` (its cells in the realisation start at cell h·M·D),
 * its per-event noise that of the chip's head `noiseHead` (h unless the realisation is a slice).
 */
export function headPart(c: AcceleratorConfig, chip: CheckedChip, h: number, noiseHead = h): HeadPart {
  const { noise, noiseSeed: seed, retention, realisation: r } = chip;
  const { windowM: M, D, tile } = c;
  const cells = M * D;
  const at = (a: Float64Array, from: number, n: number) => a.subarray(from, from + n);
  const ownK = r !== undefined && hasOwnRates(at(r.kRet, h * cells, cells));
  const ownV = r !== undefined && hasOwnRates(at(r.vRet, h * cells, cells));
  return {
    writeNoise: noiseOf(noise.sigmaWrite, seed, noiseHead),
    jitter: noiseOf(noise.sigmaQ, seed, noiseHead),
    subTile(b: number, slots: number): SubTilePart {
      // sub-tile b's slots are b·tile … b·tile + slots − 1: its cells (h·M + b·tile)·D onwards, column-major
      const from = (h * M + b * tile) * D;
      const n = slots * D;
      const cellsOf = (gain: Float64Array, offset: Float64Array, ret: Float64Array, stuck: Float64Array): CellValues | undefined =>
        r === undefined ? undefined : { gain: at(gain, from, n), offset: at(offset, from, n), ret: at(ret, from, n), stuck: at(stuck, from, n) };
      const firstSlot = b * tile;
      return {
        k: { cells: r && cellsOf(r.kGain, r.kOffset, r.kRet, r.kStuck), ownRates: ownK, retention, readNoise: noiseOf(noise.sigmaS, seed, noiseHead), firstSlot },
        v: { cells: r && cellsOf(r.vGain, r.vOffset, r.vRet, r.vStuck), ownRates: ownV, retention, readNoise: noiseOf(noise.sigmaA, seed, noiseHead), firstSlot },
        cpcOffsets: r && at(r.cpcOffset, h * M + firstSlot, slots),
        scpcOffsets: r && at(r.scpcOffset, (h * subTilesOf(r.shape) + b) * D, D),
      };
    },
  };
}

/**
 * Head h's realisation alone (shape heads 1, its arrays copied out), for a design of that head only
 * (heads apart, runHeads.ts): plain data a worker thread is sent without the other heads' cells. The
 * head's noise keys stay h: pass it as AttentionLayer's firstHead.
 */
export function headSlice(chip: CheckedChip, h: number): CheckedChip {
  const r = chip.realisation;
  if (r === undefined) return chip;
  const { heads } = r.shape;
  const sliced: Record<string, unknown> = { shape: { ...r.shape, heads: 1 } };
  for (const [field] of REALISATION_ARRAYS) {
    const n = r[field].length / heads;
    sliced[field] = r[field].slice(h * n, (h + 1) * n);
  }
  return { ...chip, realisation: sliced as unknown as Realisation };
}
