// One sweep point's work, the same in a worker thread and in the main thread: measure the head in
// steady state and, when asked, its output error; the result is plain data a worker can post.
import type { AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { outputError, type Accuracy } from "./accuracy.js";
import { measureSteadyState, type SteadyState } from "./measure.js";

/** A point's measurement without the bulky output. */
export type PointMeasurement = Omit<SteadyState, "out"> & { accuracy?: Accuracy };

/** Work sent to a worker. */
export interface PointJob {
  config: AcceleratorConfig;
  inputs: AttentionInputs;
  accuracy: boolean;
}

/** Runs one point; `onProgress` gets the tokens done so far. Accuracy is over the measured tokens. */
export async function measurePoint(job: PointJob, onProgress: (tokensDone: number) => void): Promise<PointMeasurement> {
  const { out, ...steady } = await measureSteadyState(job.config, job.inputs, { onProgress });
  if (!job.accuracy || steady.interrupted) return steady;
  return { ...steady, accuracy: outputError(job.config, job.inputs, out, 0, { from: steady.firstMeasured, count: steady.measuredTokens }) };
}
