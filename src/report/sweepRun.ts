// Runs the points of a sweep: on a pool of worker threads when the compiled worker is there (each
// point is one single-threaded simulation, so N cores run N points at once), else one after another
// in this thread (as under vitest, which runs the TypeScript sources). A point that fails is
// reported with its error and the others go on.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { AcceleratorConfig } from "../arch/config.js";
import { runPoint, type PointJob, type PointMessage, type PointWork } from "./sweepPoint.js";
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
  return existsSync(fileURLToPath(WORKER_URL));
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
  const job = (p: RunnablePoint): PointJob => ({ ...o.workFor(p), id: p.index });
  if (jobs === 1 || !workersAvailable()) {
    for (const p of points) {
      let outcome: PointOutcome;
      try {
        const result = await runPoint(job(p), (n) => progress(p, n));
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
  await runPool(points, jobs, job, progress, o.onOutcome);
  return true;
}

// Each worker takes the next point when it finishes one. A point that throws is reported failed;
// a worker that dies (out of memory, say) fails its point and is replaced.
function runPool(
  points: readonly RunnablePoint[],
  jobs: number,
  job: (p: RunnablePoint) => PointJob,
  progress: (p: RunnablePoint, n: number) => void,
  onOutcome: (p: RunnablePoint, outcome: PointOutcome) => void,
): Promise<void> {
  const byIndex = new Map(points.map((p) => [p.index, p]));
  let next = 0;
  let finished = 0;
  return new Promise<void>((resolve) => {
    const settle = (p: RunnablePoint, outcome: PointOutcome) => {
      onOutcome(p, outcome);
      if (++finished === points.length) resolve();
    };
    const start = () => {
      const w = new Worker(WORKER_URL);
      let current: RunnablePoint | null = null;
      const feed = () => {
        current = next < points.length ? points[next++] : null;
        if (current === null) void w.terminate();
        else w.postMessage(job(current));
      };
      w.on("message", (m: PointMessage) => {
        const p = byIndex.get(m.id)!;
        if (m.kind === "progress") return progress(p, m.tokensDone);
        if (m.kind === "done") progress(p, m.result.tokens);
        settle(p, m.kind === "done" ? { result: m.result } : { error: m.message });
        feed();
      });
      w.on("error", (e) => {
        if (current === null) return;
        const p = current;
        current = null;
        void w.terminate();
        settle(p, { error: `worker thread failed: ${messageOf(e)}` });
        if (finished < points.length && next < points.length) start();
      });
      feed();
    };
    for (let i = 0; i < jobs; i++) start();
  });
}
