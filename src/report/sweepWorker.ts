// Worker-thread entry of the sweep pool: runs the points it is sent, one at a time (sweepRun.ts).
import { serveJobs } from "../workerPool.js";
import { measurePoint } from "./sweepPoint.js";

serveJobs(measurePoint);
