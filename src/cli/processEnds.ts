// How the gaincell process ends when it is not by returning from a command: on SIGINT or SIGTERM
// outside a run (one line, exit 130), when the reader of stdout has gone (EPIPE: quietly, exit 0)
// or stdout fails otherwise (one line, exit 1). Temporary output files are removed and the cursor
// shown by exit hooks (OutputFile, Progress), whatever the path.
import { causeOf } from "../engine/OutputFile.js";
import { Progress } from "./progress.js";

const EXIT_INTERRUPTED = 130; // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C

/** What an interruption outside a run leaves behind, as the command knows it. */
let leftBehind = (signal: string) => `interrupted (${signal}); nothing written`;

/** Sets the line printed when a signal ends the process outside a run (e.g. a sweep's recorded points). */
export function describeInterruption(describe: (signal: string) => string): void {
  leftBehind = describe;
}

/** Installs the process-wide handlers; bin/gaincell.js calls it once, before the command runs. */
export function guardProcess(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      // a run in progress listens too (runInterruptible): it stops at the next time step, keeps
      // its trace and reports itself; this handler acts only when nothing else is listening
      if (process.listenerCount(signal) > 1) return;
      Progress.stopAll();
      process.stderr.write(`gaincell: ${leftBehind(signal)}\n`);
      process.exit(EXIT_INTERRUPTED);
    });
  }
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0); // `gaincell report | head -1`: the reader has all it wanted
    Progress.stopAll();
    process.stderr.write(`gaincell: stdout: cannot write: ${causeOf(e)}\n`);
    process.exit(1);
  });
  // nowhere left to report a failing stderr
  process.stderr.on("error", () => undefined);
}

/**
 * Lets a signal that arrived during synchronous work (reading inputs, a functional run) reach its
 * handler before outputs are committed; outside a run that handler ends the process, with nothing
 * committed. Node reads signals in the event loop's poll phase: the first setImmediate may still
 * run in the current loop turn, the second runs after the next poll, so two turns are needed.
 */
export async function settleSignals(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
