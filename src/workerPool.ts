// A pool of worker threads for independent simulations (the heads of a layer, the points of a
// sweep): each thread takes the next job when it finishes one; Ctrl-C (SIGINT/SIGTERM) stops every
// thread. The worker side serves jobs with `serveJobs`. Jobs and results are plain data (posted).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parentPort, Worker } from "node:worker_threads";

/** What a worker posts back about job `id`. */
export type JobMessage<R> =
  | { id: number; kind: "progress"; done: number }
  | { id: number; kind: "done"; result: R }
  | { id: number; kind: "error"; message: string };

/** How to run the jobs and where their outcomes go. */
export interface PoolOptions<J, R> {
  /** Threads at once (at most one per job). */
  threads: number;
  /** Job `i`, made when a thread is ready for it (so only the running ones are in memory). */
  jobOf: (i: number) => J;
  /** Progress of job `i`, in the job's own units. */
  onProgress?: (i: number, done: number) => void;
  onResult: (i: number, result: R) => void;
  /** Job `i` threw, or its thread died; return true to go on with the others, false to stop. */
  onError: (i: number, message: string) => boolean;
}

/** How a pool run ended. */
export type PoolEnd = "done" | "stopped" | "interrupted";

/** True when the compiled worker at `url` exists (false when running the .ts sources, as under vitest). */
export function workerExists(url: URL): boolean {
  return existsSync(fileURLToPath(url));
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

// The process's Node flags for its threads, less those of a main script given as a string (`node
// --input-type=module -e SCRIPT`): a worker started from a file refuses them.
function workerFlags(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f === "--input-type" || f === "-e" || f === "--eval" || f === "-p" || f === "--print") i++; // and its value
    else if (!/^--(input-type|eval|print)=/.test(f)) kept.push(f);
  }
  return kept;
}

/**
 * Runs jobs 0 … count − 1 on threads of the worker at `url`, each thread one job at a time; a thread
 * that dies fails its job and is replaced. Resolves when every job has an outcome ("done"), when
 * onError said stop ("stopped"), or on SIGINT/SIGTERM ("interrupted"); either way every thread is
 * terminated before it resolves.
 */
export function runOnWorkers<J, R>(url: URL, count: number, o: PoolOptions<J, R>): Promise<PoolEnd> {
  const threads = Math.max(1, Math.min(o.threads, count));
  const workers = new Set<Worker>();
  let next = 0;
  let settled = 0;
  let ended = false;
  return new Promise<PoolEnd>((resolve) => {
    const end = (how: PoolEnd) => {
      if (ended) return;
      ended = true;
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      void Promise.all([...workers].map((w) => w.terminate())).then(() => resolve(how));
    };
    const interrupt = () => end("interrupted");
    if (count === 0) return resolve("done");
    process.on("SIGINT", interrupt);
    process.on("SIGTERM", interrupt);
    const outcome = (go: boolean) => {
      if (!go) end("stopped");
      else if (++settled === count) end("done");
    };
    const start = () => {
      const w = new Worker(url, { execArgv: workerFlags(process.execArgv) });
      workers.add(w);
      let current = -1;
      const feed = () => {
        if (ended) return;
        if (next >= count) {
          workers.delete(w);
          void w.terminate();
          return;
        }
        current = next++;
        w.postMessage({ id: current, job: o.jobOf(current) });
      };
      w.on("message", (m: JobMessage<R>) => {
        if (ended) return;
        if (m.kind === "progress") return o.onProgress?.(m.id, m.done);
        current = -1;
        if (m.kind === "done") {
          o.onResult(m.id, m.result);
          outcome(true);
        } else outcome(o.onError(m.id, m.message));
        feed();
      });
      // an uncaught error, or an exit while a job runs (out of memory, say): the job fails, a new thread goes on
      const died = (reason: string) => {
        workers.delete(w);
        if (ended || current < 0) return;
        const failed = current;
        current = -1;
        outcome(o.onError(failed, `worker thread failed: ${reason}`));
        if (!ended && next < count) start();
      };
      w.on("error", (e) => died(messageOf(e)));
      w.on("exit", (code) => died(`it exited with code ${code}`));
      feed();
    };
    for (let i = 0; i < threads; i++) start();
  });
}

/** Worker side: runs each job posted to this thread with `work`, posting progress and the outcome. */
export function serveJobs<J, R>(work: (job: J, progress: (done: number) => void) => Promise<R>): void {
  const port = parentPort;
  if (port === null) throw new Error("a worker module runs only as a worker thread");
  port.on("message", ({ id, job }: { id: number; job: J }) => {
    const post = (m: JobMessage<R>) => port.postMessage(m);
    work(job, (done) => post({ id, kind: "progress", done })).then(
      (result) => post({ id, kind: "done", result }),
      (e: unknown) => post({ id, kind: "error", message: messageOf(e) }),
    );
  });
}
