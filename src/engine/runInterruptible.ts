// Runs a simulation in slices so that Ctrl-C (SIGINT/SIGTERM) and progress reporting get a turn,
// and closes the trace however the run ends: a trace on disk is always complete and valid.
import type { TimePs } from "./api.js";
import type { Simulator } from "./Simulator.js";

/** How a run ended. */
export interface RunOutcome {
  /** True when a signal stopped the run before `untilPs` or finish(). */
  interrupted: boolean;
  /** Simulated time reached, ps. */
  endPs: TimePs;
}

/** Options of runInterruptible. */
export interface RunOptions {
  /** Called after each slice with the simulated time reached. */
  onProgress?: (nowPs: TimePs) => void;
  /** Wall time per slice before yielding to the event loop, ms (default 50). */
  sliceMs?: number;
}

/** Runs `sim` until `untilPs` or finish(); stops cleanly on SIGINT/SIGTERM; always closes the trace. */
export async function runInterruptible(sim: Simulator, untilPs: TimePs, options: RunOptions = {}): Promise<RunOutcome> {
  let interrupted = false;
  const stop = () => {
    interrupted = true;
    sim.requestStop();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const sliceMs = options.sliceMs ?? 50;
  let slicePs = 1000;
  try {
    do {
      const t0 = performance.now();
      const target = Math.min(untilPs, sim.now + slicePs);
      if (!sim.run(target)) break;
      const ms = performance.now() - t0;
      // grow or shrink the slice so one takes about sliceMs of wall time
      slicePs = Math.max(1, Math.round(slicePs * Math.min(4, Math.max(0.25, sliceMs / Math.max(ms, 0.1)))));
      options.onProgress?.(sim.now);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (!interrupted && !sim.isFinished && sim.now < untilPs);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    sim.close();
  }
  return { interrupted, endPs: sim.now };
}
