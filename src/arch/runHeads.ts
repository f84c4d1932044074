// Runs the heads of a layer apart, each in a design of its own: on a pool of worker threads, or one
// after another in this thread. Heads share nothing but the clock, so the outputs are those of one
// design holding every head, byte for byte; and a head costs the same whatever their number, where
// one design of many heads makes every time step walk every head's state (bench/RESULTS.md).
import { availableParallelism } from "node:os";
import { GaincellError } from "../errors.js";
import { runOnWorkers, workerExists } from "../workerPool.js";
import { headSlice, type CheckedChip } from "./chip.js";
import type { AcceleratorConfig } from "./config.js";
import { LayerOutputs } from "./layerOutputs.js";
import { tokenCodes, type AttentionInputs, type AttentionRunResult } from "./runAttention.js";
import { runHead, type HeadJob, type HeadResult } from "./runHead.js";
import type { TokenCodes } from "./testbench/TokenSource.js";
import type { BlockSource } from "./blocks.js";

/** How to run the heads. */
export interface HeadsRunOptions {
  /** Heads simulated at once, one per worker thread (default: the cores available); 1 runs them in this thread. */
  jobs?: number;
  /** Also return the stage-1 sums S of every token and slot. */
  scores?: boolean;
  /** A realised chip (checked against the configuration, checkChip); each head runs on its own part. */
  chip?: CheckedChip;
  /** Swapped blocks, imported by every thread that runs a head (docs/library.md). */
  blocks?: BlockSource;
  /** Called now and then with the tokens finished, summed over heads and divided by their number. */
  onProgress?: (tokensDone: number) => void;
}

/** The outputs of every head and the run's figures, as runAttention's without the design (times: the longest head's; evaluations: all heads'). */
export interface HeadsRunResult extends Omit<AttentionRunResult, "sim" | "layer"> {
  /** Threads the heads ran on. */
  threads: number;
}

const WORKER_URL = new URL("./headWorker.js", import.meta.url);

/** How to run a set of heads, each handed over as it finishes. */
export interface HeadsOptions {
  /** Heads simulated at once, one per worker thread (default: the cores available); 1 runs them in this thread. */
  jobs?: number;
  /** Also collect the stage-1 sums S of every token and slot. */
  scores?: boolean;
  /** A realised chip (checked); head h runs on its slice, sent to its thread as plain data. */
  chip?: CheckedChip;
  /** Swapped blocks, imported by every thread that runs a head. */
  blocks?: BlockSource;
  /** Head `h` has finished (in any order on threads). */
  onHead: (h: number, result: HeadResult) => void;
  /** Tokens head `h` has finished so far. */
  onProgress?: (h: number, tokensDone: number) => void;
}

/**
 * Runs heads 0 … count − 1, head h on the token stream `codesOf(h)` (made when a thread takes it,
 * so only the running heads' streams are in memory); returns the threads used and whether Ctrl-C
 * stopped it. A head that fails stops the run with its error.
 */
export async function runHeads(c: AcceleratorConfig, count: number, codesOf: (h: number) => TokenCodes, o: HeadsOptions): Promise<{ threads: number; interrupted: boolean }> {
  const jobOf = (h: number): HeadJob => ({ config: c, codes: codesOf(h), scores: o.scores === true, chip: o.chip && headSlice(o.chip, h), head: h, blocks: o.blocks });
  const threads = Math.max(1, Math.min(o.jobs ?? availableParallelism(), count));
  if (threads > 1 && workerExists(WORKER_URL)) {
    let failure: string | null = null;
    const end = await runOnWorkers<HeadJob, HeadResult>(WORKER_URL, count, {
      threads,
      jobOf,
      onProgress: o.onProgress,
      onResult: o.onHead,
      onError: (h, message) => {
        failure = `head ${h}: ${message}`;
        return false;
      },
    });
    if (failure !== null) throw new GaincellError(failure);
    return { threads, interrupted: end === "interrupted" };
  }
  for (let h = 0; h < count; h++) {
    const r = await runHead(jobOf(h), (n) => o.onProgress?.(h, n));
    o.onHead(h, r);
    if (r.interrupted) return { threads: 1, interrupted: true };
  }
  return { threads: 1, interrupted: false };
}

/** Runs every head of `inputs` to its last token (or Ctrl-C); outputs in (T, H, D) layout. */
export async function runHeadsApart(c: AcceleratorConfig, inputs: AttentionInputs, options: HeadsRunOptions = {}): Promise<HeadsRunResult> {
  const { T, H, D } = inputs;
  const outputs = new LayerOutputs(c, T, H, D, options.scores === true);
  const done = new Float64Array(H);
  let total = 0;
  const progress = (h: number, n: number) => {
    total += n - done[h];
    done[h] = n;
    options.onProgress?.(Math.floor(total / H));
  };
  let simulatedPs = 0;
  let evaluations = 0;
  const { threads, interrupted } = await runHeads(c, H, (h) => tokenCodes(inputs, h, c), {
    jobs: options.jobs,
    scores: options.scores,
    chip: options.chip,
    blocks: options.blocks,
    onProgress: progress,
    onHead: (h, r) => {
      outputs.place(h, r.sums, r.scores);
      progress(h, r.collected);
      simulatedPs = Math.max(simulatedPs, r.simulatedPs);
      evaluations += r.evaluations;
    },
  });
  return {
    out: outputs.out,
    outCodes: outputs.outCodes,
    scores: outputs.scores,
    simulatedPs,
    cycles: Math.round(simulatedPs / c.clockPeriodPs),
    evaluations,
    tokensDone: Math.min(...Array.from(done)),
    threads,
    interrupted,
  };
}
