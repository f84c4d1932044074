// Runs an associative-recall setting (docs/recall.md): builds its stream once, runs it through each chip
// with the functional model (or cycle by cycle), decodes the queries and scores them by distance.
import { functionalPart } from "../arch/config.js";
import { runAttention } from "../arch/runAttention.js";
import { chipOptionsFor, chipSeed, chipTimes, layerChipFor } from "../chipSpec.js";
import { isIdealVariation } from "../laws/variation.js";
import { attendFunctional } from "../functional/attention.js";
import type { ChipRecall, RecallEncoding, RecallResult, RecallSetting } from "./api.js";
import { capacityOf, decodeQueries, pooledCurve, recallCurve } from "./decode.js";
import { recallEncoding } from "./encoding.js";
import { recallStream, recallTokens, type RecallStream } from "./stream.js";

/** The encoding and stream of a setting (the same for every chip). */
export function recallWorkload(s: RecallSetting): { encoding: RecallEncoding; stream: RecallStream } {
  const encoding = recallEncoding(s.config, s.plan, s.chip);
  return { encoding, stream: recallStream(s.config, s.plan, encoding) };
}

/** How a chip is named in outputs: "ideal" (whatever its retention and pace), or the variation and the chip's seed. */
export function chipLabel(s: RecallSetting, index: number): string {
  const ideal = isIdealVariation(s.chip.variation) && s.chip.realisationDir === undefined;
  return ideal ? "ideal" : `${s.chip.variationName}, seed ${chipSeed(s.chip, index)}`;
}

/**
 * Runs chips `indices` of setting `s`; `onProgress` gets the tokens done over them. Resolves null
 * when Ctrl-C stopped a cycle-accurate run (nothing of it is kept).
 */
export async function measureRecallChips(s: RecallSetting, indices: readonly number[], onProgress?: (tokensDone: number) => void): Promise<ChipRecall[] | null> {
  const { encoding, stream } = recallWorkload(s);
  const { T, D } = stream;
  const results: ChipRecall[] = [];
  for (const [n, index] of indices.entries()) {
    let outCodes: Int32Array;
    if (s.cycleAccurate) {
      const config = { ...s.config, heads: 1 };
      const run = await runAttention(config, { T, H: 1, D, q: stream.q, k: stream.k, v: stream.v, threeD: false }, {
        onProgress: (done) => onProgress?.(n * T + done),
        chip: layerChipFor(s.chip, config, T, index),
      });
      if (run.interrupted) return null;
      outCodes = run.outCodes;
    } else {
      const chip = chipOptionsFor(s.chip, { ...s.config, heads: 1 }, T, index);
      outCodes = attendFunctional(stream.q, stream.k, stream.v, T, D, functionalPart(s.config), {}, chip, 0).outCodes;
    }
    onProgress?.((n + 1) * T);
    const decoded = decodeQueries(outCodes, stream, encoding);
    const curve = recallCurve(decoded, s.plan.distances, D, chipTimes(s.chip, s.config, T));
    let zeroMean = 0;
    let zeroMax = 0;
    for (const z of decoded.zeroPoint) {
      zeroMean += z / D;
      zeroMax = Math.max(zeroMax, Math.abs(z));
    }
    results.push({
      chip: chipLabel(s, index),
      seed: chipSeed(s.chip, index),
      zeroPointMean: zeroMean,
      zeroPointMaxAbs: zeroMax,
      curve,
      capacity: capacityOf(curve, s.plan.threshold),
    });
  }
  return results;
}

/** A setting's result from its chips' curves (in chip order). */
export function recallResult(s: RecallSetting, chips: readonly ChipRecall[]): RecallResult {
  const encoding = recallEncoding(s.config, s.plan, s.chip);
  const curve = pooledCurve(chips.map((c) => c.curve));
  return { encoding, tokens: recallTokens(s.config, s.plan), chips, pooled: { curve, capacity: capacityOf(curve, s.plan.threshold) } };
}

/** Runs every chip of `s` in this thread; null when interrupted. */
export async function measureRecall(s: RecallSetting, onProgress?: (tokensDone: number) => void): Promise<RecallResult | null> {
  const chips = await measureRecallChips(s, Array.from({ length: s.chips }, (_, i) => i), onProgress);
  return chips === null ? null : recallResult(s, chips);
}
