// fast-check arbitraries for properties of the accelerator: configurations (small enough to simulate
// quickly, with varied schedules), Q/K/V arrays with the extremes that saturate CPCs and clamp
// counts, token streams with stalls, and verification cases; a seam for chip realisations.
import fc from "fast-check";
import type { LayerChip } from "../arch/chip.js";
import { DEFAULT_ACCELERATOR, validateAccelerator, type AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { VDD_V } from "../laws/deviceLaw.js";
import { outGrid } from "../laws/quantise.js";
import { drawRealisation } from "../laws/realisation.js";
import type { Variation } from "../laws/variation.js";

/** Bounds of the configurations arbConfig draws. */
export interface ConfigBounds {
  /** Largest window M (24). */
  maxWindow?: number;
  /** Largest head dimension D (6). */
  maxDims?: number;
  /** Most heads (3). */
  maxHeads?: number;
  /** Vary the clock and the phase schedule too (true). */
  schedule?: boolean;
}

/** Valid accelerator configurations: window, tile, D, heads, levels, λ, S_sat, law, and (by default) clock and schedule. */
export function arbConfig(bounds: ConfigBounds = {}): fc.Arbitrary<AcceleratorConfig> {
  const { maxWindow = 24, maxDims = 6, maxHeads = 3, schedule = true } = bounds;
  // a tile of 1..M columns; one wider than M would be one sub-tile of M, as M itself is
  const window = fc.integer({ min: 1, max: maxWindow }).chain((windowM) => fc.record({ windowM: fc.constant(windowM), tile: fc.integer({ min: 1, max: windowM }) }));
  const shape = fc.record({
    window,
    D: fc.integer({ min: 1, max: maxDims }),
    heads: fc.integer({ min: 1, max: maxHeads }),
    levelsQ: fc.constantFrom(2, 4, 16),
    levelsKv: fc.constantFrom(2, 8, 16),
    levelsOut: fc.constantFrom(32, 32, 8, 4),
    lambdaPerToken: fc.constantFrom(0, 1.6e-4, 0.05),
    sSat: fc.constantFrom(1, 20, 80),
    nonlinearity: fc.constantFrom<"cubic" | "linear">("cubic", "linear"),
  });
  const timing = schedule
    ? fc.record({
      clockPeriodPs: fc.constantFrom(500, 1000, 1500),
      loadCycles: fc.integer({ min: 1, max: 3 }),
      writeCycles: fc.integer({ min: 1, max: 8 }),
      precharge1Cycles: fc.integer({ min: 1, max: 2 }),
      precharge2Cycles: fc.integer({ min: 1, max: 2 }),
      accumulateCycles: fc.integer({ min: 1, max: 5 }),
      phaseSlack: fc.integer({ min: 0, max: 2 }),
      convertSlack: fc.integer({ min: 0, max: 2 }),
    })
    : fc.constant(null);
  return fc.tuple(shape, timing).map(([s, t]) => {
    const { window, ...fields } = s;
    const config = { ...fields, ...window };
    if (t === null) return validateAccelerator(config);
    const { phaseSlack, convertSlack, ...cycles } = t;
    // a phase holds a full T_max pulse and CONVERT counts to the largest magnitude (the config's own checks)
    const phaseCycles = Math.ceil(DEFAULT_ACCELERATOR.tMaxPs / t.clockPeriodPs) + phaseSlack;
    const convertCycles = outGrid(s.levelsOut).codeMax + convertSlack;
    return validateAccelerator({ ...config, ...cycles, phase1Cycles: phaseCycles, phase2Cycles: phaseCycles, convertCycles });
  });
}

/** A value in [0, hi] with its ends and a little outside (which the front end clamps) drawn often. */
function arbValue(hi: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: 0, max: hi, noNaN: true }) },
    { weight: 2, arbitrary: fc.constantFrom(0, hi) },
    { weight: 1, arbitrary: fc.double({ min: -0.1 * hi, max: 1.1 * hi, noNaN: true }) },
  );
}

/** How a stream's values are drawn: anywhere, only at the ends, or all at the top or bottom (saturated CPCs, clamped counts). */
type Style = "any" | "ends" | "high" | "low";

function arbArray(n: number, hi: number, style: Style): fc.Arbitrary<Float64Array> {
  if (style === "high" || style === "low") return fc.constant(new Float64Array(n).fill(style === "high" ? hi : 0));
  const value = style === "any" ? arbValue(hi) : fc.constantFrom(0, hi);
  return fc.array(value, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
}

/** Q, K and V of T tokens × H heads × D dims in physical units (q in [0, 1], k and v in [0, 0.9] V), row-major (T, H, D). */
export function arbQkv(T: number, H: number, D: number): fc.Arbitrary<AttentionInputs> {
  const n = T * H * D;
  const style = fc.constantFrom<Style>("any", "any", "ends", "high", "low");
  return fc.tuple(style, style, style)
    .chain(([sq, sk, sv]) => fc.tuple(arbArray(n, 1, sq), arbArray(n, VDD_V, sk), arbArray(n, VDD_V, sv)))
    .map(([q, k, v]) => ({ T, H, D, q, k, v, threeD: true }));
}

/** A token stream for `config`: Q/K/V of `minTokens..maxTokens` tokens (default up to twice the window, so it wraps). */
export function arbTokenStream(config: AcceleratorConfig, minTokens = 1, maxTokens = 2 * config.windowM + 2): fc.Arbitrary<AttentionInputs> {
  return fc.integer({ min: minTokens, max: maxTokens }).chain((T) => arbQkv(T, config.heads, config.D));
}

/** Per head, the rising edges at which its token source holds `valid` low (1): up to `maxEdges` edges, stalls drawn with probability up to a half. */
export function arbStalls(heads: number, maxEdges: number): fc.Arbitrary<Uint8Array[]> {
  const one = fc.tuple(fc.integer({ min: 0, max: maxEdges }), fc.constantFrom(0, 0.1, 0.5))
    .chain(([n, p]) => fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((u) => Uint8Array.from(u, (x) => (x < p ? 1 : 0))));
  return fc.array(one, { minLength: heads, maxLength: heads });
}

/**
 * A chip realisation for a configuration (docs/model.md §7): the seam the non-ideality model plugs
 * into; runVerifyCase takes a LayerChip (retention per token), undefined being the ideal chip.
 */
export type RealisationArbitrary<R> = (config: AcceleratorConfig) => fc.Arbitrary<R>;

// a σ or p off half the time, so that chips mix effects that are on and off
const spread = (max: number) => fc.oneof(fc.constant(0), fc.double({ min: max / 100, max, noNaN: true }));

/** The σ and p of a chip (docs/model.md §7), each off half the time and otherwise up to a harsh value. */
export function arbVariation(): fc.Arbitrary<Variation> {
  return fc.record({
    sigmaGain: spread(0.3), sigmaOffset: spread(2), sigmaRet: spread(1), pStuck: spread(0.3), sigmaCpc: spread(10),
    sigmaScpc: spread(5), sigmaWrite: spread(0.1), sigmaS: spread(10), sigmaA: spread(5), sigmaQ: spread(0.1),
  });
}

/** Realised chips for `config` (a RealisationArbitrary): a variation, its realisation drawn from a seed, and a noise seed. */
export function arbChip(config: AcceleratorConfig): fc.Arbitrary<LayerChip> {
  const shape = { heads: config.heads, windowM: config.windowM, D: config.D, tile: config.tile };
  return fc.record({ variation: arbVariation(), chipSeed: fc.nat(), noiseSeed: fc.nat() })
    .map(({ variation, chipSeed, noiseSeed }) => ({ realisation: drawRealisation(variation, shape, chipSeed), noise: variation, noiseSeed }));
}

/** One verification run: a configuration, its token streams, stalls, and a realisation. */
export interface VerifyCase<R = undefined> {
  config: AcceleratorConfig;
  inputs: AttentionInputs;
  stalls: Uint8Array[];
  realisation: R;
}

/** Options of arbVerifyCase. */
export interface VerifyCaseOptions<R> extends ConfigBounds {
  /** Most tokens per stream (default twice the window + 2). */
  maxTokens?: number;
  realisation?: RealisationArbitrary<R>;
}

/** Verification cases: a configuration, then streams for it, stalls and a realisation. */
export function arbVerifyCase<R = undefined>(options: VerifyCaseOptions<R> = {}): fc.Arbitrary<VerifyCase<R>> {
  const realisation = options.realisation ?? ((() => fc.constant(undefined)) as unknown as RealisationArbitrary<R>);
  return arbConfig(options).chain((config) => fc.record({
    config: fc.constant(config),
    inputs: arbTokenStream(config, 1, options.maxTokens ?? 2 * config.windowM + 2),
    stalls: arbStalls(config.heads, 4 * config.windowM + 8),
    realisation: realisation(config),
  }));
}
