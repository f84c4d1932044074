// Worker-thread entry of the head pool: runs the heads it is sent, one at a time (runHeads.ts).
import { serveJobs } from "../workerPool.js";
import { runHead } from "./runHead.js";

serveJobs(runHead);
