// One sweep point's work, the same in a worker thread and in the main thread: measure the head in
// steady state, on the ideal chip or a realised one drawn here, and, when asked, its output error
// (and a realised chip's against the ideal chip); the result is plain data a worker can post.
import { checkChip } from "../arch/chip.js";
import type { AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { drawRealisation } from "../laws/realisation.js";
import type { RetentionMode } from "../laws/nonideal.js";
import type { Variation } from "../laws/variation.js";
import { againstIdeal, idealOutput, outputError, type Accuracy, type ChipDeviation } from "./accuracy.js";
import { measureSteadyState, type SteadyState } from "./measure.js";

/** The realised chip of a sweep: the base σ and p (variation axes change them per point), the seed of its draw and noise, its retention. */
export interface SweepChip {
  variation: Variation;
  seed: number;
  retention: RetentionMode;
}

/** A point's measurement without the bulky output. */
export type PointMeasurement = Omit<SteadyState, "out"> & { accuracy?: Accuracy & { againstIdeal?: ChipDeviation } };

/** Work sent to a worker. */
export interface PointJob {
  id: number;
  config: AcceleratorConfig;
  inputs: AttentionInputs;
  accuracy: boolean;
  /** The point's realised chip: the sweep's seed and retention with the point's σ and p. */
  chip?: SweepChip;
}

/** Messages a worker posts back. */
export type PointMessage =
  | { id: number; kind: "progress"; tokensDone: number }
  | { id: number; kind: "done"; result: PointMeasurement }
  | { id: number; kind: "error"; message: string };

/** Runs one point; `onProgress` gets the tokens done so far. Accuracy is over the measured tokens. */
export async function measurePoint(job: PointJob, onProgress: (tokensDone: number) => void): Promise<PointMeasurement> {
  const { config: c, inputs, chip } = job;
  const checked = chip && checkChip({ ...c, heads: 1 }, {
    realisation: drawRealisation(chip.variation, { heads: 1, windowM: c.windowM, D: c.D, tile: c.tile }, chip.seed),
    noise: chip.variation,
    noiseSeed: chip.seed,
    retention: chip.retention,
  }, inputs.T);
  const { out, ...steady } = await measureSteadyState(c, inputs, { onProgress, chip: checked });
  if (!job.accuracy || steady.interrupted) return steady;
  const range = { from: steady.firstMeasured, count: steady.measuredTokens };
  const accuracy = outputError(c, inputs, out, 0, range);
  if (chip === undefined) return { ...steady, accuracy };
  return { ...steady, accuracy: { ...accuracy, againstIdeal: againstIdeal(c, out, idealOutput(c, inputs), range) } };
}
