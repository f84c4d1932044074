// Which chip a run models (docs/model.md §7): the variation its static values and noise are drawn with
// (or a realisation read from files), the seed, how retention is counted and the idle time between
// tokens; and one chip of it as the functional model's ChipOptions or the cycle-accurate layer's
// LayerChip. Plain data, so that a worker thread can be sent one and build the same chip.
import { scheduleOf, arrivalsWithGap, tokenTimes, type TokenTimes } from "./laws/tokenTiming.js";
import { drawRealisation, type Realisation } from "./laws/realisation.js";
import { IDEAL_VARIATION, type Variation } from "./laws/variation.js";
import type { RetentionMode } from "./laws/nonideal.js";
import type { ChipOptions } from "./functional/api.js";
import type { LayerChip } from "./arch/chip.js";
import type { AcceleratorConfig } from "./arch/config.js";
import { readRealisation } from "./realisationFiles.js";

/** A family of chips: its variation, the seed of chip 0, and the run's retention and pacing. */
export interface ChipSpec {
  /** The σ and p of docs/model.md §7: the static ones are drawn unless `realisationDir` is given; the per-event ones always apply. */
  readonly variation: Variation;
  /** What the variation came from: a preset's name, a file, or "ideal". */
  readonly variationName: string;
  /** Seed of chip 0's draws; chip i uses seed + i (its realisation and its per-event noise). */
  readonly variationSeed: number;
  /** A realisation's directory (its static values instead of drawing them); one chip only. */
  readonly realisationDir?: string;
  /** Retention per token (the paper's) or by simulated time. */
  readonly retention: RetentionMode;
  /** Idle time between tokens, ps (0: back to back). */
  readonly tokenGapPs: number;
}

/** The paper's chip: ideal, retention per token, tokens back to back. */
export const IDEAL_CHIP: ChipSpec = Object.freeze({
  variation: IDEAL_VARIATION,
  variationName: "ideal",
  variationSeed: 0,
  retention: "token",
  tokenGapPs: 0,
});

/** The σ and p that make a realisation (docs/model.md §7, static); the others are per-event noise. */
const STATIC_FIELDS = ["sigmaGain", "sigmaOffset", "sigmaRet", "pStuck", "sigmaCpc", "sigmaScpc"] as const;

/** The seed of chip `index` of a spec. */
export function chipSeed(spec: ChipSpec, index: number): number {
  return spec.variationSeed + index;
}

/** The times of T tokens of a run on `config`, with the spec's gap between tokens (src/laws/tokenTiming.ts). */
export function chipTimes(spec: ChipSpec, config: AcceleratorConfig, T: number): TokenTimes {
  const schedule = scheduleOf(config);
  return tokenTimes(schedule, T, arrivalsWithGap(schedule, T, spec.tokenGapPs));
}

/** The realisation of chip `index`: read from the spec's directory, or drawn for H heads of `config`; undefined for the ideal chip. */
export function chipRealisation(spec: ChipSpec, config: AcceleratorConfig, heads: number, index: number): Realisation | undefined {
  const shape = { heads, windowM: config.windowM, D: config.D, tile: config.tile };
  if (spec.realisationDir !== undefined) return readRealisation(spec.realisationDir, shape);
  // without static spread the chip's cells are the ideal ones: no realisation keeps the functional model's fast path
  if (STATIC_FIELDS.every((f) => spec.variation[f] === 0)) return undefined;
  return drawRealisation(spec.variation, shape, chipSeed(spec, index));
}

/** The cycle-accurate layer's view of chip `index` over T tokens (heads as in `config`): the same chip, its tokens arriving with the spec's gap. */
export function layerChipFor(spec: ChipSpec, config: AcceleratorConfig, T: number, index: number): LayerChip {
  return {
    realisation: chipRealisation(spec, config, config.heads, index),
    noise: spec.variation,
    noiseSeed: chipSeed(spec, index),
    retention: spec.retention,
    arrivalsPs: arrivalsWithGap(scheduleOf(config), T, spec.tokenGapPs),
  };
}

/** The functional model's view of chip `index` over T tokens (heads as in `config`). */
export function chipOptionsFor(spec: ChipSpec, config: AcceleratorConfig, T: number, index: number): ChipOptions {
  return {
    realisation: chipRealisation(spec, config, config.heads, index),
    noise: spec.variation,
    noiseSeed: chipSeed(spec, index),
    retention: spec.retention,
    times: chipTimes(spec, config, T),
  };
}
