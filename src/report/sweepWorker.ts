// Worker-thread entry of the sweep pool: runs the points it is sent, one at a time, and posts
// progress and results back (see sweepRun.ts).
import { parentPort } from "node:worker_threads";
import { runPoint, type PointJob, type PointMessage } from "./sweepPoint.js";

const port = parentPort;
if (port === null) throw new Error("sweepWorker.js runs only as a worker thread");
port.on("message", (job: PointJob) => {
  const post = (m: PointMessage) => port.postMessage(m);
  runPoint(job, (tokensDone) => post({ id: job.id, kind: "progress", tokensDone })).then(
    // a worker is not sent Ctrl-C (the main thread stops the pool), so null does not come back
    (result) => post(result === null ? { id: job.id, kind: "error", message: "interrupted" } : { id: job.id, kind: "done", result }),
    (e: unknown) => post({ id: job.id, kind: "error", message: e instanceof Error ? e.message : String(e) }),
  );
});
