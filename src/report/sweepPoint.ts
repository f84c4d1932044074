// One sweep point's work, the same in a worker thread and in the main thread: measure the head in
// steady state, on the ideal chip or a realised one drawn here, and, when asked, its output error
// (and a realised chip's against the ideal chip); or run chips of an associative-recall setting
// (docs/recall.md). The result is plain data a worker can post.
import { importBlocks, type BlockSource } from "../arch/blocks.js";
import { checkChip } from "../arch/chip.js";
import type { AcceleratorConfig } from "../arch/config.js";
import type { AttentionInputs } from "../arch/runAttention.js";
import { drawRealisation } from "../laws/realisation.js";
import type { RetentionMode } from "../laws/nonideal.js";
import type { Variation } from "../laws/variation.js";
import type { ChipRecall, RecallSetting } from "../recall/api.js";
import { measureRecallChips } from "../recall/measure.js";
import { recallTokens } from "../recall/stream.js";
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

/**
 * The work of one point: the steady-state ledger of a configuration on inputs (on the point's
 * realised chip when given: the sweep's seed and retention with the point's σ and p; with the
 * user's blocks when given, imported once per thread), or chips of a recall setting.
 */
export type PointWork =
  | { kind: "ledger"; config: AcceleratorConfig; inputs: AttentionInputs; accuracy: boolean; chip?: SweepChip; blocks?: BlockSource }
  | { kind: "recall"; setting: RecallSetting; chips: number[] };

/**
 * Runs one point; `onProgress` gets the tokens done so far. Accuracy is over the measured tokens.
 * Resolves null when Ctrl-C stopped it.
 */
export async function runPoint(work: PointWork, onProgress: (tokensDone: number) => void): Promise<PointResult | null> {
  if (work.kind === "recall") {
    const recall = await measureRecallChips(work.setting, work.chips, onProgress);
    return recall === null ? null : { tokens: work.chips.length * recallTokens(work.setting.config, work.setting.plan), recall };
  }
  const { config: c, inputs, chip, blocks } = work;
  const checked = chip && checkChip({ ...c, heads: 1 }, {
    realisation: drawRealisation(chip.variation, { heads: 1, windowM: c.windowM, D: c.D, tile: c.tile }, chip.seed),
    noise: chip.variation,
    noiseSeed: chip.seed,
    retention: chip.retention,
  }, inputs.T);
  const { out, ...steady } = await measureSteadyState(c, inputs, { onProgress, chip: checked, blocks: blocks && (await importBlocks(blocks)) });
  if (steady.interrupted) return null;
  if (!work.accuracy) return steady;
  const range = { from: steady.firstMeasured, count: steady.measuredTokens };
  const accuracy = outputError(c, inputs, out, 0, range);
  // a realised chip or swapped blocks: also against the ideal chip (the functional model)
  if (chip === undefined && blocks === undefined) return { ...steady, accuracy };
  return { ...steady, accuracy: { ...accuracy, againstIdeal: againstIdeal(c, out, idealOutput(c, inputs), range) } };
}

/** runPoint for a worker thread, which is not sent Ctrl-C (the main thread stops the pool): null does not come back. */
export async function runPointOnWorker(work: PointWork, onProgress: (tokensDone: number) => void): Promise<PointResult> {
  const result = await runPoint(work, onProgress);
  if (result === null) throw new Error("interrupted");
  return result;
}
