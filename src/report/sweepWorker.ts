// Worker-thread entry of the sweep pool: runs the points it is sent, one at a time (sweepRun.ts).
import { serveJobs } from "../workerPool.js";
import { runPointOnWorker } from "./sweepPoint.js";

serveJobs(runPointOnWorker);
