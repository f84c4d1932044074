// Runs the points of a sweep: on a pool of worker threads when the compiled worker is there (each
// point is one single-threaded simulation, so N cores run N points at once), else one after another
// in this thread (as under vitest, which runs the TypeScript sources). A point that fails is
// reported with its error and the others go on; Ctrl-C stops every thread (workerPool.ts).
import { availableParallelism } from "node:os";
import type { AcceleratorConfig } from "../arch/config.js";
import { runOnWorkers, workerExists } from "../workerPool.js";
import { runPoint, type PointResult, type PointWork } from "./sweepPoint.js";
import type { PointOutcome } from "./sweepStore.js";

/** A point to run: its index in the grid and its configuration (its work, chip included, comes from workFor). */
export interface RunnablePoint {
  index: number;
  config: AcceleratorConfig;
}

/** How to run a sweep. */
export interface SweepRunOptions {
  /** The work of a point (built here, in the main thread, and sent to the worker). */
  workFor: (p: RunnablePoint) => PointWork;
  /** Points run at once; default: the cores available. 1 runs in this thread. */
  jobs?: number;
  /** Tokens done over all points so far. */
  onProgress?: (tokensDone: number) => void;
  /** Each point as it finishes (measured or failed), in the order they finish. */
  onOutcome: (p: RunnablePoint, outcome: PointOutcome) => void;
}

const WORKER_URL = new URL("./sweepWorker.js", import.meta.url);

/** True when the compiled worker exists beside this module (false when running the .ts sources). */
export function workersAvailable(): boolean {
  return workerExists(WORKER_URL);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs every point; resolves false when Ctrl-C stopped a point (it is not reported), else true. */
export async function runSweep(points: readonly RunnablePoint[], o: SweepRunOptions): Promise<boolean> {
  const jobs = Math.max(1, Math.min(o.jobs ?? availableParallelism(), points.length));
  const done = new Map<number, number>();
  const progress = (p: RunnablePoint, n: number) => {
    done.set(p.index, n);
    let sum = 0;
    for (const x of done.values()) sum += x;
    o.onProgress?.(sum);
  };
  if (jobs === 1 || !workersAvailable()) {
    for (const p of points) {
      let outcome: PointOutcome;
      try {
        const result = await runPoint(o.workFor(p), (n) => progress(p, n));
        if (result === null) return false; // Ctrl-C: this point is incomplete
        outcome = { result };
        progress(p, result.tokens);
      } catch (e) {
        outcome = { error: messageOf(e) };
      }
      o.onOutcome(p, outcome);
    }
    return true;
  }
  // a point that throws, or whose thread dies (out of memory, say), is reported failed and the others go on
  const end = await runOnWorkers<PointWork, PointResult>(WORKER_URL, points.length, {
    threads: jobs,
    jobOf: (i) => o.workFor(points[i]),
    onProgress: (i, n) => progress(points[i], n),
    onResult: (i, result) => {
      progress(points[i], result.tokens);
      o.onOutcome(points[i], { result });
    },
    onError: (i, error) => {
      o.onOutcome(points[i], { error });
      return true;
    },
  });
  return end !== "interrupted";
}
