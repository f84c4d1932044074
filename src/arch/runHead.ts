// One head of a layer simulated on its own (docs/model.md §2: heads run in parallel and share
// nothing but the clock): the same in this thread and in a worker thread; job and result are plain
// data a worker can post.
import { AttentionLayer } from "./AttentionLayer.js";
import { cyclesPerToken, type AcceleratorConfig } from "./config.js";
import { runInterruptible } from "../engine/runInterruptible.js";
import { Simulator } from "../engine/Simulator.js";
import type { TokenCodes } from "./testbench/TokenSource.js";

/** What to run: the configuration, the head's quantised token stream, and whether to keep its scores. */
export interface HeadJob {
  config: AcceleratorConfig;
  codes: TokenCodes;
  scores: boolean;
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
  const layer = new AttentionLayer("layer", { ...c, heads: 1 }, [job.codes], job.scores);
  const sim = new Simulator(layer);
  const collector = layer.collectors[0];
  // one token's schedule per token, plus the cycle that hands the first token over, plus slack
  const untilPs = (job.codes.T + 2) * cyclesPerToken(c) * c.clockPeriodPs;
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
