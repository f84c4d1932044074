// Types of the associative-recall workload (docs/recall.md): what a run asks for (the plan), what the
// device law makes of it (the encoding), and what it measures (accuracy against distance, capacity),
// all plain data so that a worker thread can send them back.
import type { AcceleratorConfig } from "../arch/config.js";
import type { ChipSpec } from "../chipSpec.js";

/** The workload: which distances are probed, how often, with which keys and values, from which seed. */
export interface RecallPlan {
  /** Distances in tokens between a stored pair and its query, ascending, each ≥ 1. */
  readonly distances: readonly number[];
  /** Queries per distance (per chip). */
  readonly queriesPerDistance: number;
  /** Queries that match no stored key, to measure the chip's zero point; 0 decodes against 0 instead. */
  readonly probes: number;
  /** Ones per key (dimensions at 0.9 V); null: the fewest that saturate a matched CPC. */
  readonly keyWeight: number | null;
  /** Most dimensions any two keys near each other share; null: the most that keep a mismatched S ≤ 0. */
  readonly maxOverlap: number | null;
  /** Levels of each value dimension, spread over the DAC's codes; 2 is binary (0 V and 0.9 V). */
  readonly valueLevels: number;
  /** Accuracy a distance must reach to count towards the capacity. */
  readonly threshold: number;
  /** Seed of the keys, values and the order of the queries. */
  readonly seed: number;
}

/** One setting of a recall run: the configuration, the workload, the chips and which model runs them. */
export interface RecallSetting {
  readonly config: AcceleratorConfig;
  readonly plan: RecallPlan;
  readonly chip: ChipSpec;
  /** Chips of the spec to run: 0..chips−1 (each its own seed). */
  readonly chips: number;
  /** The cycle-accurate model instead of the functional one. */
  readonly cycleAccurate: boolean;
}

/** When one value level stops being recalled, from the device law on the ideal chip (docs/recall.md). */
export interface BreakEven {
  /** The value level (index into the encoding's levels). */
  readonly level: number;
  /** Distance in tokens at which its count first decodes as another level or a tie; null: never (no retention loss). */
  readonly tokens: number | null;
  /** The same as time from the write to the query's read, µs; null: never. */
  readonly timeUs: number | null;
}

/** What the device law makes of the plan on this configuration (docs/recall.md, the encoding). */
export interface RecallEncoding {
  readonly D: number;
  readonly keyWeight: number;
  readonly maxOverlap: number;
  /** g at the two key voltages, µA: 0.9 V (a key's one) and 0 V (its zero). */
  readonly gHighUa: number;
  readonly gLowUa: number;
  /** S of a fresh match (keyWeight · g(+0.45 V) under full pulses) and its CPC fraction φ/T_max. */
  readonly matchScore: number;
  readonly matchFraction: number;
  /** S of a fresh key sharing maxOverlap dimensions with the query (≤ 0: no pulse). */
  readonly crossScore: number;
  /** The stored voltage of each value level, V, and its DAC code. */
  readonly valueVolts: readonly number[];
  readonly valueCodes: readonly number[];
  /** The output count each value level gives under a fresh match: the decoder's codebook. */
  readonly codebook: readonly number[];
  /** Pairs of value levels whose counts are equal: the chip cannot tell them apart. */
  readonly indistinguishable: readonly (readonly [number, number])[];
  /** Accuracy of a decoder that knows nothing: 1/valueLevels per dimension. */
  readonly chance: number;
  readonly breakEven: readonly BreakEven[];
}

/** Recall at one distance. */
export interface RecallPoint {
  readonly distance: number;
  readonly queries: number;
  /** Fraction of value dimensions decoded right, a tie counting as the guess it forces (1/k for a k-way tie holding the truth). */
  readonly bitAccuracy: number;
  /** Fraction of queries with every dimension right (a tie is not right). */
  readonly queryAccuracy: number;
  /** Mean time from the stored pair's write to the query's PHASE 1 read, µs. */
  readonly elapsedUs: number;
}

/** The largest distance up to which every probed distance reaches the threshold. */
export interface Capacity {
  /** Tokens; 0 when even the shortest distance falls short. */
  readonly tokens: number;
  /** Its elapsed time, µs (0 with tokens 0). */
  readonly elapsedUs: number;
  /** True when every distance probed passed: the capacity is at least this. */
  readonly censored: boolean;
}

/** One chip's recall curve. */
export interface ChipRecall {
  /** e.g. "ideal", "mild, seed 3". */
  readonly chip: string;
  readonly seed: number;
  /** The zero point the decoder used: mean and largest magnitude over dimensions, in output counts. */
  readonly zeroPointMean: number;
  readonly zeroPointMaxAbs: number;
  readonly curve: readonly RecallPoint[];
  readonly capacity: Capacity;
}

/** A setting's result: its encoding, each chip, and all chips' queries pooled. */
export interface RecallResult {
  readonly encoding: RecallEncoding;
  /** Tokens in each chip's stream. */
  readonly tokens: number;
  readonly chips: readonly ChipRecall[];
  readonly pooled: { readonly curve: readonly RecallPoint[]; readonly capacity: Capacity };
}
