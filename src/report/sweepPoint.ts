// One sweep point's work, the same in a worker thread and in the main thread: measure the head in
// steady state and, when asked, its output error; or run chips of an associative-recall setting
// (docs/recall.md). The result is plain data a worker can post.
import type { AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import type { ChipRecall, RecallSetting } from "../recall/api.js";
import { measureRecallChips } from "../recall/measure.js";
import { recallTokens } from "../recall/stream.js";
import { outputError, type Accuracy } from "./accuracy.js";
import { measureSteadyState, type SteadyState } from "./measure.js";

/** A point's measurement without the bulky output. */
export type PointMeasurement = Omit<SteadyState, "out"> & { accuracy?: Accuracy };

/** A recall point's chips, and the tokens they ran. */
export interface RecallMeasurement {
  tokens: number;
  recall: ChipRecall[];
}

/** What a point yields: the ledger's measurement or recall curves. */
export type PointResult = PointMeasurement | RecallMeasurement;

/** True when `r` is a recall point's result. */
export function isRecall(r: PointResult): r is RecallMeasurement {
  return "recall" in r;
}

/** The work of one point: the steady-state ledger of a configuration on inputs, or chips of a recall setting. */
export type PointWork =
  | { kind: "ledger"; config: AcceleratorConfig; inputs: AttentionInputs; accuracy: boolean }
  | { kind: "recall"; setting: RecallSetting; chips: number[] };

/** Work sent to a worker. */
export type PointJob = PointWork & { id: number };

/** Messages a worker posts back. */
export type PointMessage =
  | { id: number; kind: "progress"; tokensDone: number }
  | { id: number; kind: "done"; result: PointResult }
  | { id: number; kind: "error"; message: string };

/**
 * Runs one point; `onProgress` gets the tokens done so far. Accuracy is over the measured tokens.
 * Resolves null when Ctrl-C stopped it.
 */
export async function runPoint(work: PointWork, onProgress: (tokensDone: number) => void): Promise<PointResult | null> {
  if (work.kind === "recall") {
    const recall = await measureRecallChips(work.setting, work.chips, onProgress);
    return recall === null ? null : { tokens: work.chips.length * recallTokens(work.setting.config, work.setting.plan), recall };
  }
  const { out, ...steady } = await measureSteadyState(work.config, work.inputs, { onProgress });
  if (steady.interrupted) return null;
  if (!work.accuracy) return steady;
  return { ...steady, accuracy: outputError(work.config, work.inputs, out, 0, { from: steady.firstMeasured, count: steady.measuredTokens }) };
}
