// Runs the points of a sweep: on a pool of worker threads when the compiled worker is there (each
// point is one single-threaded simulation, so N cores run N points at once), else one after another
// in this thread (as under vitest, which runs the TypeScript sources).
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { AttentionInputs } from "../arch/runAttention.js";
import { GaincellError } from "../errors.js";
import type { SweepPoint } from "./sweepGrid.js";
import { measurePoint, type PointJob, type PointMeasurement, type PointMessage } from "./sweepPoint.js";

/** How to run a sweep. */
export interface SweepRunOptions {
  /** The inputs of a point (built here, in the main thread, and sent to the worker). */
  inputsFor: (p: SweepPoint) => AttentionInputs;
  accuracy: boolean;
  /** Points run at once; default: the cores available. 1 runs in this thread. */
  jobs?: number;
  /** Tokens done over all points so far. */
  onProgress?: (tokensDone: number) => void;
}

const WORKER_URL = new URL("./sweepWorker.js", import.meta.url);

/** True when the compiled worker exists beside this module (false when running the .ts sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

/** Measures every point; results in point order. */
export async function runSweep(points: readonly SweepPoint[], o: SweepRunOptions): Promise<PointMeasurement[]> {
  const jobs = Math.max(1, Math.min(o.jobs ?? availableParallelism(), points.length));
  const done = new Float64Array(points.length);
  const progress = (i: number, n: number) => {
    done[i] = n;
    o.onProgress?.(done.reduce((a, x) => a + x, 0));
  };
  const job = (p: SweepPoint): PointJob => ({ id: p.index, config: p.config, inputs: o.inputsFor(p), accuracy: o.accuracy });
  if (jobs === 1 || !workersAvailable()) {
    const results: PointMeasurement[] = [];
    for (const p of points) {
      const r = await measurePoint(job(p), (n) => progress(p.index, n));
      results.push(r);
      progress(p.index, r.tokens);
      if (r.interrupted) break; // Ctrl-C: the caller sees fewer results than points
    }
    return results;
  }
  return runPool(points, jobs, job, progress);
}

// Each worker takes the next point when it finishes one; the first failure stops the pool.
function runPool(
  points: readonly SweepPoint[],
  jobs: number,
  job: (p: SweepPoint) => PointJob,
  progress: (i: number, n: number) => void,
): Promise<PointMeasurement[]> {
  const results: PointMeasurement[] = new Array(points.length);
  const workers: Worker[] = [];
  let next = 0;
  let finished = 0;
  return new Promise<PointMeasurement[]>((resolve, reject) => {
    const fail = (e: Error) => {
      for (const w of workers) void w.terminate();
      reject(e);
    };
    const feed = (w: Worker) => {
      if (next < points.length) w.postMessage(job(points[next++]));
      else void w.terminate();
    };
    for (let i = 0; i < jobs; i++) {
      const w = new Worker(WORKER_URL);
      workers.push(w);
      w.on("message", (m: PointMessage) => {
        if (m.kind === "progress") progress(m.id, m.tokensDone);
        else if (m.kind === "error") fail(new GaincellError(`sweep point ${points[m.id].label}: ${m.message}`));
        else {
          results[m.id] = m.result;
          progress(m.id, m.result.tokens);
          if (++finished === points.length) {
            for (const x of workers) void x.terminate();
            resolve(results);
          } else feed(w);
        }
      });
      w.on("error", (e) => fail(e));
      feed(w);
    }
  });
}
