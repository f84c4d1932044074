// One head of a layer simulated on its own (docs/model.md §2: heads run in parallel and share
// nothing but the clock): the same in this thread and in a worker thread; job and result are plain
// data a worker can post.
import { AttentionLayer } from "./AttentionLayer.js";
import { importBlocks, type BlockSource } from "./blocks.js";
import type { CheckedChip } from "./chip.js";
import { cyclesPerToken, type AcceleratorConfig } from "./config.js";
import { runInterruptible } from "../engine/runInterruptible.js";
import { Simulator } from "../engine/Simulator.js";
import type { TokenCodes } from "./testbench/TokenSource.js";

/**
 * What to run: the configuration, the head's quantised token stream, whether to keep its scores, and
 * on a realised chip the head's slice of it (headSlice) with the head's index, which keys its noise.
 */
export interface HeadJob {
  config: AcceleratorConfig;
  codes: TokenCodes;
  scores: boolean;
  chip?: CheckedChip;
  head: number;
  /** Swapped blocks, as plain data (docs/library.md); the project's without. */
  blocks?: BlockSource;
}

/** What the head's output collector gathered, and how the run went. */
export interface HeadResult {
  /** Σ_b o_{b,d} counts per token, T×D. */
  sums: Int32Array;
  /** Stage-1 sums per token and slot, T×M, when asked. */
  scores: Float64Array | null;
  /** Tokens whose result came out. */
  collected: number;
  simulatedPs: number;
  evaluations: number;
  /** True when Ctrl-C stopped it (in this thread; a worker is terminated instead). */
  interrupted: boolean;
}

/** Runs one head to its last token; `onProgress` gets the tokens out so far. */
export async function runHead(job: HeadJob, onProgress: (tokensDone: number) => void): Promise<HeadResult> {
  const c = job.config;
  const layer = new AttentionLayer("layer", { ...c, heads: 1 }, [job.codes], job.scores, job.chip, job.head, await importBlocks(job.blocks));
  const sim = new Simulator(layer);
  const collector = layer.collectors[0];
  // one token's schedule per token after the last arrival, plus the cycle that hands the first token over, plus slack
  const T = job.codes.T;
  const arrivals = job.chip?.arrivalsPs;
  const untilPs = (arrivals === undefined || T === 0 ? 0 : arrivals[T - 1]) + (T + 2) * cyclesPerToken(c) * c.clockPeriodPs;
  const outcome = await runInterruptible(sim, untilPs, { onProgress: () => onProgress(collector.collected) });
  return {
    sums: collector.sums,
    scores: collector.scores,
    collected: collector.collected,
    simulatedPs: outcome.endPs,
    evaluations: sim.evaluations,
    interrupted: outcome.interrupted,
  };
}
